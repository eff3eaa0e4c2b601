-- One scorecard row per (county_code, year); score within 0..100, coverage within 0..1.
-- asset: county_scorecard
SELECT county_code, year, score, coverage
FROM county_scorecard
WHERE score NOT BETWEEN 0 AND 100
   OR coverage NOT BETWEEN 0 AND 1
   OR (county_code, year) IN (SELECT (county_code, year) FROM county_scorecard GROUP BY ALL HAVING count(*) > 1)
