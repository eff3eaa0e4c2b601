-- A listed conflict has at least two candidates.
-- asset: indicator_conflicts
SELECT county_code, year, indicator_code, n_candidates
FROM indicator_conflicts
WHERE n_candidates < 2
