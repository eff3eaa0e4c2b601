-- One row per (county_code, year, indicator_code) for every county-year with at least one figure
-- or report, and every catalog indicator: status value | masked | bounds (a range, no single value)
-- | missing, so gaps are rows to count rather than absences to notice.
-- materialized: table
WITH county_years AS (
    SELECT county_code, report_year AS year FROM stg_documents
    WHERE county_code IS NOT NULL AND report_year IS NOT NULL
    UNION
    SELECT county_code, year FROM indicator_values
)
SELECT
    cy.county_code,
    cy.year,
    i.code AS indicator_code,
    i.category,
    CASE
        WHEN v.value IS NOT NULL THEN 'value'
        WHEN v.masked THEN 'masked'
        WHEN v.county_code IS NOT NULL THEN 'bounds'
        ELSE 'missing'
    END AS status,
    v.county_code IS NOT NULL AS reported
FROM county_years AS cy
CROSS JOIN dim_indicator AS i
LEFT JOIN indicator_values AS v
    ON v.county_code = cy.county_code AND v.year = cy.year AND v.indicator_code = i.code
