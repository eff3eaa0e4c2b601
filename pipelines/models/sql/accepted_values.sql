-- generic test accepted_values: the rows whose column holds a value not in the list (NULL passes, as in dbt).
SELECT $show
FROM $table AS t
WHERE t.$column NOT IN ($values)
