-- Percentages lie within 0..100, counts are not negative, bounds are ordered (0 rows = pass).
-- asset: indicator_facts
SELECT doc_id, fact_no, indicator_code, value, lower, upper, unit
FROM indicator_facts
WHERE (unit = '%' AND (value < 0 OR value > 100))
   OR value < 0
   OR (lower IS NOT NULL AND upper IS NOT NULL AND lower > upper)
