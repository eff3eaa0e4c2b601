-- reported is true exactly when status is not missing (status's values are a generic test in marts/schema.yml).
-- asset: coverage_matrix
SELECT county_code, year, indicator_code, status, reported
FROM coverage_matrix
WHERE reported <> (status <> 'missing')
