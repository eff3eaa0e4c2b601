-- Every county-year value has a value or bounds: a row with neither says nothing.
-- asset: indicator_values
SELECT county_code, year, indicator_code, value, lower, upper, masked
FROM indicator_values
WHERE value IS NULL AND lower IS NULL AND upper IS NULL
