-- One row per line of the analysts' corrections file, judged against the documents as they are now.
-- status: applied (the figure is still where the correction says), stale (the document is gone, or
-- the text at char_start is no longer the figure, or a confirmed value changed: never applied),
-- invalid (the line cannot be read: problem says why), superseded (a later applicable line decides
-- the same figure and indicator; a stale later line does not undo an earlier one). The figure is found through the document's blocks: char_start is an offset
-- into their texts joined by newlines, as `shufa text FILE` prints them.
-- materialized: table
WITH blocks AS (
    SELECT
        doc_id,
        block_no,
        text,
        (sum(length(text) + 1) OVER (PARTITION BY doc_id ORDER BY block_no) - length(text) - 1)::BIGINT AS block_start
    FROM document_blocks
    WHERE doc_id IN (SELECT doc_id FROM corrections)
),
quantities_here AS (
    SELECT DISTINCT ON (doc_id, char_start) *
    FROM quantities
    WHERE doc_id IN (SELECT doc_id FROM corrections)
    ORDER BY doc_id, char_start, quantity_no
),
facts_here AS (
    SELECT DISTINCT ON (doc_id, char_start, indicator_code) *
    FROM indicator_facts
    WHERE doc_id IN (SELECT doc_id FROM corrections)
    ORDER BY doc_id, char_start, indicator_code, confidence DESC, fact_no
),
located AS (
    SELECT
        c.*,
        d.doc_id IS NOT NULL AS document_known,
        d.status AS document_status,
        d.year AS document_year,
        k.code IS NOT NULL AS indicator_known,
        k.unit AS catalog_unit,
        b.block_no,
        b.text AS block_text,
        substr(b.text, c.char_start - b.block_start + 1) AS text_from_figure,
        q.quantity_no,
        q.text AS quantity_text,
        q.char_end AS quantity_char_end,
        q.fact_year AS quantity_year,
        q.sentence,
        q.context_before,
        f.value AS extracted_value,
        f.fact_no IS NOT NULL AS extracted
    FROM corrections AS c
    LEFT JOIN documents AS d ON d.doc_id = c.doc_id
    LEFT JOIN indicator_catalog AS k ON k.code = c.indicator_code
    LEFT JOIN blocks AS b
        ON b.doc_id = c.doc_id AND c.char_start >= b.block_start AND c.char_start < b.block_start + length(b.text)
    LEFT JOIN quantities_here AS q ON q.doc_id = c.doc_id AND q.char_start = c.char_start
    LEFT JOIN facts_here AS f
        ON f.doc_id = c.doc_id AND f.char_start = c.char_start AND f.indicator_code = c.indicator_code
),
judged AS (
    SELECT
        *,
        CASE
            WHEN problem IS NOT NULL THEN NULL
            WHEN NOT document_known THEN 'no document with this doc_id (its file changed or was never ingested)'
            WHEN document_status <> 'ingested' THEN 'the document was retracted (its file is gone or changed)'
            WHEN NOT indicator_known THEN 'indicator_code is not in the indicator catalog'
            WHEN block_no IS NULL THEN 'char_start is past the end of the document''s text'
            WHEN figure <> '' AND NOT starts_with(text_from_figure, figure)
                THEN 'the text at char_start is no longer the figure ' || figure || ' (it reads '
                     || left(text_from_figure, greatest(length(figure), 6)) || ')'
            WHEN action <> 'add' AND quantity_no IS NULL THEN 'no figure starts at char_start'
            WHEN action = 'add' AND figure = '' AND NOT regexp_matches(text_from_figure, '^[0-9０-９零〇一二两三四五六七八九十百千万]')
                THEN 'no figure starts at char_start'
            WHEN action = 'confirm' AND NOT extracted
                THEN 'the extractor no longer takes this figure as ' || indicator_code || ': nothing to confirm'
            WHEN action = 'confirm' AND value IS NOT NULL AND extracted_value IS DISTINCT FROM value
                THEN 'the extracted value is now ' || coalesce(extracted_value::VARCHAR, 'masked') || ', not the confirmed value'
        END AS stale_reason
    FROM located
)
SELECT
    line_no,
    doc_id,
    char_start,
    coalesce(quantity_char_end, char_start + greatest(length(figure), 1)) AS char_end,
    indicator_code,
    action,
    value,
    note,
    author,
    date,
    coalesce(nullif(figure, ''), quantity_text) AS figure,
    CASE
        WHEN problem IS NOT NULL THEN 'invalid'
        WHEN stale_reason IS NOT NULL THEN 'stale'
        WHEN row_number() OVER (PARTITION BY problem IS NULL AND stale_reason IS NULL, doc_id, char_start,
                                indicator_code ORDER BY line_no DESC) > 1 THEN 'superseded'
        ELSE 'applied'
    END AS status,
    coalesce(problem, stale_reason) AS reason,
    block_no,
    coalesce(quantity_year, document_year) AS fact_year,
    catalog_unit AS unit,
    coalesce(sentence, block_text) AS evidence,
    coalesce(context_before, '') AS context_before,
    extracted,
    extracted_value
FROM judged
