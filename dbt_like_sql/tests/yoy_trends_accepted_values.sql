-- direction is up, down or flat (NULL only without a previous year); gaps are positive.
-- asset: yoy_trends
SELECT county_code, indicator_code, year, direction, gap_years
FROM yoy_trends
WHERE (direction IS NULL) <> (prev_year IS NULL)
   OR direction NOT IN ('up', 'down', 'flat')
   OR gap_years <= 0
