-- One row per county-level unit under one code and name; lineage_code links a unit to its
-- present-day successor (柳江县 450221 and 柳江区 450206 share lineage_code 450206).
CREATE OR REPLACE TABLE admin_divisions AS
SELECT
    code::VARCHAR           AS code,
    name::VARCHAR           AS name,
    short_name::VARCHAR     AS short_name,
    city::VARCHAR           AS city,
    city_code::VARCHAR      AS city_code,
    province::VARCHAR       AS province,
    province_code::VARCHAR  AS province_code,
    lineage_code::VARCHAR   AS lineage_code,
    first_year::INTEGER     AS first_year,
    last_year::INTEGER      AS last_year
FROM units
ORDER BY code, first_year
