-- One row per (year, indicator_code, county_code) for non-neutral indicators and counties with a
-- known value. rank is standard competition ranking (ties share the best rank: 1, 2, 2, 4), by value
-- descending for higher_better and ascending for lower_better, among n_ranked counties; percentile
-- = (n_ranked - rank) / (n_ranked - 1), 1 = best, NULL when only one county reported; rank_change
-- = last year's rank - this year's (positive = moved up); province_rank / province_n the same within
-- the county's province.
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
)
SELECT
    r.year,
    r.indicator_code,
    r.county_code,
    r.value,
    r.rank,
    r.n_ranked,
    CASE WHEN r.n_ranked > 1 THEN round((r.n_ranked - r.rank) / (r.n_ranked - 1), 4) END AS percentile,
    p.rank - r.rank AS rank_change,
    r.province,
    r.province_rank,
    r.province_n
FROM ranked AS r
LEFT JOIN ranked AS p
    ON p.county_code = r.county_code AND p.indicator_code = r.indicator_code AND p.year = r.year - 1
