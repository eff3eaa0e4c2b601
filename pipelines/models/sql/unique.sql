-- generic test unique: values of the column that appear more than once (NULLs are not compared, as in dbt).
SELECT t.$column, count(*) AS n
FROM $table AS t
WHERE t.$column IS NOT NULL
GROUP BY t.$column
HAVING count(*) > 1
