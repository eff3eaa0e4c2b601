-- At least 2800 county-level units exist in the latest year of the division list (0 rows = pass).
-- asset: admin_divisions
SELECT last_year, count(*) AS units
FROM admin_divisions
WHERE last_year = (SELECT max(last_year) FROM admin_divisions)
GROUP BY last_year
HAVING count(*) < 2800
