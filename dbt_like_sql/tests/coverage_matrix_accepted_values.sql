-- status is value, masked, bounds or missing; reported agrees with it.
-- asset: coverage_matrix
SELECT county_code, year, indicator_code, status, reported
FROM coverage_matrix
WHERE status NOT IN ('value', 'masked', 'bounds', 'missing')
   OR reported <> (status <> 'missing')
