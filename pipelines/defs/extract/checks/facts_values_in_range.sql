-- Facts with impossible values: a percentage outside 0..100, a negative count, lower above upper (0 rows = pass).
SELECT doc_id, fact_no, indicator_code, value, lower, upper, unit
FROM indicator_facts
WHERE (unit = '%' AND (value < 0 OR value > 100))
   OR value < 0
   OR (lower IS NOT NULL AND upper IS NOT NULL AND lower > upper)
