-- One row per (indicator, year) the county reported: the value indicator_values chose, its change on
-- the previous reported year, the median of the known values of the counties in the same province that
-- year (the county included; province_n_values of them), whether an analyst corrected it (source,
-- correction_author/note), and where the figure behind it sits in its document. block_start is the
-- block's offset in the document's normalised text (blocks joined by newlines), so char_start -
-- block_start is the figure's offset inside block_text.
WITH chosen AS (
    SELECT v.*, c.char_end
    FROM indicator_values AS v
    JOIN indicator_value_candidates AS c
        ON c.county_code = v.county_code AND c.year = v.year AND c.indicator_code = v.indicator_code
       AND c.candidate_rank = 1
    WHERE v.county_code = $county_code
),
province_medians AS (
    SELECT v.indicator_code, v.year, median(v.value) AS province_median, count(*) AS province_n_values
    FROM indicator_values AS v
    JOIN dim_county AS c ON c.code = v.county_code
    WHERE v.value IS NOT NULL AND c.province = (SELECT province FROM dim_county WHERE code = $county_code)
    GROUP BY v.indicator_code, v.year
),
blocks AS (
    SELECT
        doc_id, block_no, kind, page, paragraph, table_no, row_no, col_no, section_path, text,
        coalesce(sum(length(text) + 1) OVER (
            PARTITION BY doc_id ORDER BY block_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ), 0)::BIGINT AS block_start
    FROM document_blocks
    WHERE doc_id IN (SELECT source_doc_id FROM chosen)
)
SELECT
    ch.year, ch.indicator_code, i.name_zh, i.name_en, i.category, i.unit, i.polarity,
    ch.value, ch.lower, ch.upper, ch.qualifier, ch.masked, ch.has_conflict, ch.n_candidates,
    t.prev_year, t.abs_change, t.pct_change, t.improved, pm.province_median, coalesce(pm.province_n_values, 0) AS province_n_values,
    ch.source, ch.correction_author, ch.correction_note,
    ch.source_doc_id, d.file_name, ch.source_path, ch.source_report_type, ch.evidence,
    b.kind AS block_kind, b.page, b.paragraph, b.table_no, b.row_no, b.col_no, b.section_path,
    b.text AS block_text, ch.source_char_start AS char_start, ch.char_end,
    (ch.source_char_start - b.block_start)::INTEGER AS span_start,
    (ch.char_end - b.block_start)::INTEGER AS span_end
FROM chosen AS ch
JOIN dim_indicator AS i ON i.code = ch.indicator_code
JOIN blocks AS b ON b.doc_id = ch.source_doc_id AND ch.source_char_start >= b.block_start
    AND ch.source_char_start < b.block_start + length(b.text)
LEFT JOIN documents AS d ON d.doc_id = ch.source_doc_id
LEFT JOIN yoy_trends AS t
    ON t.county_code = ch.county_code AND t.indicator_code = ch.indicator_code AND t.year = ch.year
LEFT JOIN province_medians AS pm ON pm.indicator_code = ch.indicator_code AND pm.year = ch.year
ORDER BY i.category, ch.indicator_code, ch.year
