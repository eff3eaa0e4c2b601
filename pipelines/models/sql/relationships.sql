-- generic test relationships: the rows whose column names no row of the parent table (NULL passes, as in dbt).
SELECT $show
FROM $table AS t
WHERE t.$column IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM $to AS parent WHERE parent.$field = t.$column)
