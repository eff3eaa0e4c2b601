-- One row per (county_code, year, indicator_code): the value the county reported for that year,
-- chosen by candidate_rank = 1 (see indicator_value_candidates). A masked figure gives value NULL
-- with its digit-count bounds; has_conflict flags county-years listed in indicator_conflicts.
-- source is corrected when the value is an analyst's (set or add in the corrections file), with the
-- correction's author and note beside it; a confirmed extracted value keeps source extracted and
-- names who confirmed it.
-- materialized: table
SELECT
    c.county_code,
    c.year,
    c.indicator_code,
    c.value,
    c.lower,
    c.upper,
    c.unit,
    c.qualifier,
    c.masked,
    c.doc_id AS source_doc_id,
    c.path AS source_path,
    c.report_type AS source_report_type,
    c.from_own_report,
    c.evidence,
    c.char_start AS source_char_start,
    c.source,
    c.reviewed,
    c.correction_action,
    c.correction_author,
    c.correction_note,
    c.correction_date,
    c.confidence,
    c.needs_review,
    c.n_candidates,
    k.county_code IS NOT NULL AS has_conflict
FROM indicator_value_candidates AS c
LEFT JOIN indicator_conflicts AS k
    ON k.county_code = c.county_code AND k.year = c.year AND k.indicator_code = c.indicator_code
WHERE c.candidate_rank = 1
