-- One row per (county_code, indicator_code, year) with a known value: the change since the
-- latest earlier year with a value (prev_year; gap_years > 1 when years are missing between).
-- pct_change is in percent and NULL when prev_value is 0 or NULL; direction is up | down | flat;
-- improved follows the indicator's polarity and is NULL for neutral indicators and first years.
-- materialized: table
WITH known AS (
    SELECT v.county_code, v.indicator_code, v.year, v.value, i.polarity
    FROM indicator_values AS v
    JOIN dim_indicator AS i ON i.code = v.indicator_code
    WHERE v.value IS NOT NULL
),
lagged AS (
    SELECT
        *,
        lag(year) OVER w AS prev_year,
        lag(value) OVER w AS prev_value
    FROM known
    WINDOW w AS (PARTITION BY county_code, indicator_code ORDER BY year)
)
SELECT
    county_code,
    indicator_code,
    year,
    value,
    prev_year,
    prev_value,
    year - prev_year AS gap_years,
    value - prev_value AS abs_change,
    CASE WHEN prev_value IS NULL OR prev_value = 0 THEN NULL
         ELSE round(100.0 * (value - prev_value) / abs(prev_value), 2) END AS pct_change,
    CASE WHEN prev_value IS NULL THEN NULL
         WHEN value > prev_value THEN 'up'
         WHEN value < prev_value THEN 'down'
         ELSE 'flat' END AS direction,
    CASE WHEN prev_value IS NULL OR polarity = 'neutral' THEN NULL
         WHEN polarity = 'higher_better' THEN value > prev_value
         ELSE value < prev_value END AS improved
FROM lagged
