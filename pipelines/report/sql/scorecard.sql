-- The county's scorecard per year, with how many counties were scored that year (for "rank 2 of 5").
WITH scored AS (
    SELECT *, count(*) OVER (PARTITION BY year) AS n_scored
    FROM county_scorecard
)
SELECT year, score, score_rank, n_scored, indicators_reported, indicators_ranked, coverage
FROM scored
WHERE county_code = $county_code
ORDER BY year
