-- Every value's county is in dim_county and its indicator in dim_indicator.
-- asset: indicator_values
SELECT v.county_code, v.year, v.indicator_code
FROM indicator_values AS v
LEFT JOIN dim_county AS c ON c.code = v.county_code
LEFT JOIN dim_indicator AS i ON i.code = v.indicator_code
WHERE c.code IS NULL OR i.code IS NULL
