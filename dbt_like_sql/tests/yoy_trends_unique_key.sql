-- Each (county_code, indicator_code, year) appears once in yoy_trends.
-- asset: yoy_trends
SELECT county_code, indicator_code, year, count(*) AS n
FROM yoy_trends
GROUP BY ALL
HAVING count(*) > 1
