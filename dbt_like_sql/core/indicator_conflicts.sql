-- One row per (county_code, year, indicator_code) whose documents disagree: two different known
-- values, or a known value outside another document's masked bounds. candidates lists every
-- document's figure in selection order.
-- materialized: table
SELECT
    county_code,
    year,
    indicator_code,
    count(*) AS n_candidates,
    count(DISTINCT value) AS n_distinct_values,
    list({'doc_id': doc_id, 'path': path, 'value': value, 'masked': masked, 'lower': lower, 'upper': upper,
          'report_type': report_type, 'from_own_report': from_own_report} ORDER BY candidate_rank) AS candidates
FROM indicator_value_candidates
GROUP BY county_code, year, indicator_code
HAVING count(DISTINCT value) > 1
    OR min(value) < max(lower) FILTER (WHERE masked)
    OR max(value) > min(upper) FILTER (WHERE masked)
