-- A value is stored in its indicator's catalog unit.
-- asset: indicator_values
SELECT v.county_code, v.year, v.indicator_code, v.unit, i.unit AS catalog_unit
FROM indicator_values AS v
JOIN dim_indicator AS i ON i.code = v.indicator_code
WHERE v.unit <> i.unit
