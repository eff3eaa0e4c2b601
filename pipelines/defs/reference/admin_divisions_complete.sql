-- Fails (returns a row) when the latest year holds fewer than 2800 county-level units.
SELECT last_year, count(*) AS units
FROM admin_divisions
WHERE last_year = (SELECT max(last_year) FROM admin_divisions)
GROUP BY last_year
HAVING count(*) < 2800
