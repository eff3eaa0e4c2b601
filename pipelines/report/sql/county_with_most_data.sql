-- The county with the most data in this warehouse: the most indicator_values rows (one per county, year
-- and indicator; masked figures and ranges count, they are data too), ties broken by code so the choice
-- is the same on every run. What a notebook opens when it is not told which county to look at.
SELECT county_code, count(*) AS n_values
FROM indicator_values
WHERE county_code IS NOT NULL
GROUP BY county_code
ORDER BY n_values DESC, county_code
LIMIT 1
