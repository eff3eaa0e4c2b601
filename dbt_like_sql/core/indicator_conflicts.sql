-- One row per (county_code, year, indicator_code) whose documents disagree: two different known
-- values, or a known value outside another document's masked bounds. candidates lists every
-- document's figure in selection order.
-- materialized: table
WITH disagreeing AS (
    -- the keys that disagree, from numbers alone: listing every key's candidates first would hold
    -- the whole of indicator_value_candidates in memory at once, and few keys disagree
    SELECT
        county_code,
        year,
        indicator_code,
        count(*) AS n_candidates,
        count(DISTINCT value) AS n_distinct_values
    FROM indicator_value_candidates
    GROUP BY county_code, year, indicator_code
    HAVING count(DISTINCT value) > 1
        OR min(value) < max(lower) FILTER (WHERE masked)
        OR max(value) > min(upper) FILTER (WHERE masked)
)
SELECT
    d.county_code,
    d.year,
    d.indicator_code,
    any_value(d.n_candidates) AS n_candidates,
    any_value(d.n_distinct_values) AS n_distinct_values,
    list({'doc_id': c.doc_id, 'path': c.path, 'value': c.value, 'masked': c.masked, 'lower': c.lower, 'upper': c.upper,
          'report_type': c.report_type, 'from_own_report': c.from_own_report} ORDER BY c.candidate_rank) AS candidates
FROM disagreeing AS d
JOIN indicator_value_candidates AS c
    ON c.county_code IS NOT DISTINCT FROM d.county_code
   AND c.year IS NOT DISTINCT FROM d.year
   AND c.indicator_code IS NOT DISTINCT FROM d.indicator_code
GROUP BY d.county_code, d.year, d.indicator_code
