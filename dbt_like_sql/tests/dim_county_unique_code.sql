-- Each county code appears once in dim_county, with a name and a province.
-- asset: dim_county
SELECT code, count(*) AS n
FROM dim_county
GROUP BY code
HAVING count(*) > 1 OR bool_or(name IS NULL OR province IS NULL)
