-- generic test not_null: the rows whose column is NULL.
SELECT $show
FROM $table AS t
WHERE t.$column IS NULL
