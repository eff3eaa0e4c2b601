-- Percentages (and their bounds) lie within 0..100; counts are not negative.
-- asset: indicator_values
SELECT county_code, year, indicator_code, value, lower, upper
FROM indicator_values
WHERE (unit = '%' AND (value NOT BETWEEN 0 AND 100 OR lower NOT BETWEEN 0 AND 100 OR upper NOT BETWEEN 0 AND 100))
   OR value < 0 OR lower < 0
