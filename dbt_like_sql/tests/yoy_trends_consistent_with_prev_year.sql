-- direction is NULL exactly when there is no previous year, and gaps between years are positive.
-- asset: yoy_trends
SELECT county_code, indicator_code, year, prev_year, direction, gap_years
FROM yoy_trends
WHERE (direction IS NULL) <> (prev_year IS NULL)
   OR gap_years <= 0
