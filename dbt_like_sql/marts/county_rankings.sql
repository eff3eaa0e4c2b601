-- One row per (year, indicator_code, county_code) for non-neutral indicators and counties with a
-- known value. rank is standard competition ranking (ties share the best rank: 1, 2, 2, 4), by value
-- descending for higher_better and ascending for lower_better, among n_ranked counties; percentile
-- = (n_ranked - rank) / (n_ranked - 1), 1 = best, NULL when only one county reported; province_rank /
-- province_n the same within the county's province.
-- Movement is measured so that years with different numbers of counties compare: rank_change is the
-- change in rank among only the n_ranked_both counties ranked in both year - 1 and year (each ranked
-- within that common set in both years, same ranking and direction as rank; last year's common rank -
-- this year's, positive = moved up), so counties joining or leaving the field do not move it (5th of 5
-- then 1st of 1 is no movement at all: NULL). rank_change is NULL when the county was not ranked last
-- year or fewer than 2 counties were ranked in both years; n_ranked_both is NULL when the county was
-- not ranked last year. percentile_change = percentile - last year's percentile (NULL when either is).
-- materialized: table
WITH base AS (
    SELECT
        v.year,
        v.indicator_code,
        v.county_code,
        v.value,
        c.province,
        CASE WHEN i.polarity = 'lower_better' THEN -v.value ELSE v.value END AS oriented
    FROM indicator_values AS v
    JOIN dim_indicator AS i ON i.code = v.indicator_code
    LEFT JOIN dim_county AS c ON c.code = v.county_code
    WHERE i.polarity <> 'neutral' AND v.value IS NOT NULL
),
ranked AS (
    SELECT
        *,
        rank() OVER (PARTITION BY year, indicator_code ORDER BY oriented DESC) AS rank,
        count(*) OVER (PARTITION BY year, indicator_code) AS n_ranked,
        rank() OVER (PARTITION BY year, indicator_code, province ORDER BY oriented DESC) AS province_rank,
        count(*) OVER (PARTITION BY year, indicator_code, province) AS province_n
    FROM base
),
with_percentile AS (
    SELECT *, CASE WHEN n_ranked > 1 THEN round((n_ranked - rank) / (n_ranked - 1), 4) END AS percentile
    FROM ranked
),
-- Counties ranked in both year - 1 and year, with both years' values, to rank them among themselves.
both_years AS (
    SELECT cur.year, cur.indicator_code, cur.county_code, cur.oriented AS oriented_now, prev.oriented AS oriented_prev
    FROM base AS cur
    JOIN base AS prev
        ON prev.county_code = cur.county_code AND prev.indicator_code = cur.indicator_code AND prev.year = cur.year - 1
),
common AS (
    SELECT
        year,
        indicator_code,
        county_code,
        rank() OVER (PARTITION BY year, indicator_code ORDER BY oriented_now DESC) AS common_rank_now,
        rank() OVER (PARTITION BY year, indicator_code ORDER BY oriented_prev DESC) AS common_rank_prev,
        count(*) OVER (PARTITION BY year, indicator_code) AS n_ranked_both
    FROM both_years
)
SELECT
    r.year,
    r.indicator_code,
    r.county_code,
    r.value,
    r.rank,
    r.n_ranked,
    r.percentile,
    CASE WHEN m.n_ranked_both >= 2 THEN m.common_rank_prev - m.common_rank_now END AS rank_change,
    round(r.percentile - p.percentile, 4) AS percentile_change,
    m.n_ranked_both,
    r.province,
    r.province_rank,
    r.province_n
FROM with_percentile AS r
LEFT JOIN with_percentile AS p
    ON p.county_code = r.county_code AND p.indicator_code = r.indicator_code AND p.year = r.year - 1
LEFT JOIN common AS m
    ON m.county_code = r.county_code AND m.indicator_code = r.indicator_code AND m.year = r.year
