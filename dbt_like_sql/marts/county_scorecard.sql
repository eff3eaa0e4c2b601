-- One row per (county_code, year): a composite score from 0 to 100, the mean of the county's
-- percentiles (county_rankings, polarity-adjusted) over the non-neutral indicators it reported that
-- year, among indicators at least two counties reported. coverage = indicators_reported /
-- indicators_ranked (the indicators ranked that year); score_rank ranks counties by score within
-- the year. Raw counts favour larger counties; read the score beside coverage.
-- materialized: table
WITH eligible AS (
    SELECT * FROM county_rankings WHERE percentile IS NOT NULL
),
per_year AS (
    SELECT year, count(DISTINCT indicator_code) AS indicators_ranked
    FROM eligible
    GROUP BY year
),
scores AS (
    SELECT
        e.county_code,
        e.year,
        -- summed in a fixed order: a float sum in whatever order the threads meet can move a score
        -- across a rounding boundary, and the same inputs must give the same scorecard
        round(100 * avg(e.percentile ORDER BY e.indicator_code), 2) AS score,
        count(*) AS indicators_reported,
        p.indicators_ranked
    FROM eligible AS e
    JOIN per_year AS p USING (year)
    GROUP BY e.county_code, e.year, p.indicators_ranked
)
SELECT
    county_code,
    year,
    score,
    indicators_reported,
    indicators_ranked,
    round(indicators_reported / indicators_ranked, 4) AS coverage,
    rank() OVER (PARTITION BY year ORDER BY score DESC) AS score_rank
FROM scores
