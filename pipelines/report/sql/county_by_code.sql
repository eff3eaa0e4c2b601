-- The county-level unit with this 6-digit code. A former code (柳江县 450221 → 柳江区 450206) counts
-- only when a report in this warehouse was filed under it: the division list links a few early-1980s
-- codes to the wrong lineage, and a report written under the code is evidence the link is right.
-- n_documents counts the county's reports in this warehouse.
SELECT
    c.code, c.name, c.city, c.province, c.level, c.valid_until, c.former_codes, c.former_names,
    (SELECT count(*) FROM documents AS d WHERE d.county_lineage_code = c.code AND d.status = 'ingested') AS n_documents
FROM dim_county AS c
WHERE c.code = $key
   OR c.code IN (SELECT county_lineage_code FROM documents WHERE county_code = $key AND status = 'ingested')
ORDER BY c.code = $key DESC, c.code
