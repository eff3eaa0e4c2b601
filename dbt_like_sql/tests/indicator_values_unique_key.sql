-- Each (county_code, year, indicator_code) appears once in indicator_values.
-- asset: indicator_values
SELECT county_code, year, indicator_code, count(*) AS n
FROM indicator_values
GROUP BY ALL
HAVING count(*) > 1
