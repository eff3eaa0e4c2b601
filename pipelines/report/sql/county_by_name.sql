-- Counties a name can mean: the name itself (通州区), the name with its city or province in front
-- (南通市通州区, 北京市通州区), or failing those a former name that a report in this warehouse was
-- written under (柳江县 → 柳江区; dim_county.former_names alone is not trusted: the division list
-- links a few early-1980s names to the wrong lineage). Several rows mean the name is ambiguous;
-- n_documents tells the user which candidates have reports in this warehouse.
WITH matches AS (
    SELECT
        c.*,
        CASE
            WHEN $key IN (c.name, c.city || c.name, c.province || c.name, c.province || c.city || c.name) THEN 1
            WHEN c.code IN (
                SELECT county_lineage_code FROM documents WHERE county = $key AND status = 'ingested'
            ) THEN 2
        END AS match_rank
    FROM dim_county AS c
)
SELECT
    m.code, m.name, m.city, m.province, m.level, m.valid_until, m.former_codes, m.former_names,
    (SELECT count(*) FROM documents AS d WHERE d.county_lineage_code = m.code AND d.status = 'ingested') AS n_documents
FROM matches AS m
WHERE m.match_rank IS NOT NULL
QUALIFY m.match_rank = min(m.match_rank) OVER ()
ORDER BY m.code
