-- One row per ingested document, keyed for analysis. county_code is the present-day code of the
-- county's lineage, so 柳江县 (450221) and 柳江区 (450206) reports are one county (450206);
-- reported_county_code keeps the code in force in the year covered. Retracted documents (their file
-- was removed or changed) are left out: their figures stay in the raw tables as history.
-- materialized: view
SELECT
    doc_id,
    coalesce(county_lineage_code, county_code) AS county_code,
    county_code AS reported_county_code,
    county AS reported_county_name,
    county_status,
    year AS report_year,
    report_type,
    issuer_role,
    path,
    ingested_at,
    CASE report_type WHEN '法治政府建设年度报告' THEN 1 WHEN '述法报告' THEN 2 ELSE 3 END AS report_type_priority
FROM documents
WHERE status = 'ingested'
