-- Scores lie within 0..100 and coverage within 0..1 (the key is a generic test in marts/schema.yml).
-- asset: county_scorecard
SELECT county_code, year, score, coverage
FROM county_scorecard
WHERE score NOT BETWEEN 0 AND 100
   OR coverage NOT BETWEEN 0 AND 1
