-- Each (year, indicator_code, county_code) appears once in county_rankings.
-- asset: county_rankings
SELECT year, indicator_code, county_code, count(*) AS n
FROM county_rankings
GROUP BY ALL
HAVING count(*) > 1
