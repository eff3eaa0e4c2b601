-- generic test unique_combination_of_columns (dbt_utils): combinations of the columns that appear more than once.
SELECT $columns, count(*) AS n
FROM $table AS t
GROUP BY ALL
HAVING count(*) > 1
