-- One row per county-level unit as it stands today (its lineage): code, name, city, province,
-- level (县 | 自治县 | 县级市 | 市辖区 | 旗 | 自治旗 | 林区 | 特区), with the former codes and names
-- that lead to it (撤县设区: 450206 柳江区 lists 450221 柳江县). valid_until < the latest year
-- means the unit was abolished into another.
-- materialized: table
WITH latest AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY lineage_code ORDER BY last_year DESC, first_year DESC, code) AS nth
    FROM admin_divisions
),
history AS (
    SELECT
        lineage_code,
        coalesce(list(DISTINCT code ORDER BY code) FILTER (WHERE code <> lineage_code), []) AS former_codes
    FROM admin_divisions
    GROUP BY lineage_code
),
names AS (
    SELECT DISTINCT lineage_code, name FROM admin_divisions
)
SELECT
    l.lineage_code AS code,
    l.name,
    l.city,
    l.city_code,
    l.province,
    l.province_code,
    CASE
        WHEN l.name LIKE '%自治县' THEN '自治县'
        WHEN l.name LIKE '%自治旗' THEN '自治旗'
        WHEN l.name LIKE '%旗' THEN '旗'
        WHEN l.name LIKE '%县' THEN '县'
        WHEN l.name LIKE '%林区' THEN '林区'
        WHEN l.name LIKE '%特区' THEN '特区'
        WHEN l.name LIKE '%区' THEN '市辖区'
        WHEN l.name LIKE '%市' THEN '县级市'
        ELSE '其他'
    END AS level,
    l.last_year AS valid_until,
    h.former_codes,
    coalesce(
        (SELECT list(n.name ORDER BY n.name) FROM names AS n WHERE n.lineage_code = l.lineage_code AND n.name <> l.name), []
    ) AS former_names
FROM latest AS l
JOIN history AS h USING (lineage_code)
WHERE l.nth = 1
