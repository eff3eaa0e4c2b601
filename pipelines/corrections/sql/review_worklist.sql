-- The figures worth a human look, most consequential first: each county-year value that is doubtful
-- (low confidence, read by OCR, documents disagree, a jump beyond x5 or /5 on the year before, far
-- from the other counties that year, a rate its own counts contradict, masked), and each indicator a
-- county reported the year before but not this year. Values an analyst has corrected or confirmed leave
-- the list.
-- Parameters: $county (name or code, '' for all), $year (0 for all), $rate_relations (the rows of
-- rate_relations.csv: each rate's numerator and denominator indicators and how far apart, in points,
-- they may round).
WITH v AS (
    SELECT v.*, d.ocr_pages, d.reported_county_name AS county, d.province
    FROM indicator_values AS v
    LEFT JOIN (SELECT doc_id, ocr_pages, county AS reported_county_name, province FROM documents) AS d
        ON d.doc_id = v.source_doc_id
),
peers AS (
    SELECT year, indicator_code, median(value) AS median_value, count(value) AS n_counties
    FROM indicator_values
    GROUP BY ALL
),
rate_checks AS (
    -- a rate the same county-year's counts put more than its tolerance away (e.g. 50 settled of 100
    -- mediated beside a stated success rate of 98%)
    SELECT r.county_code, r.year, r.indicator_code,
           round(100 * n.value / d.value, 1) AS implied_rate,
           rel.numerator_code, rel.denominator_code
    FROM (SELECT unnest($rate_relations, recursive := true)) AS rel
    JOIN indicator_values AS r ON r.indicator_code = rel.rate_code
    JOIN indicator_values AS n ON n.county_code = r.county_code AND n.year = r.year AND n.indicator_code = rel.numerator_code
    JOIN indicator_values AS d ON d.county_code = r.county_code AND d.year = r.year AND d.indicator_code = rel.denominator_code
    WHERE d.value > 0 AND abs(r.value - 100 * n.value / d.value) > rel.tolerance_points
),
flagged AS (
    SELECT
        v.*,
        p.value AS previous_value,
        list_filter([
            CASE WHEN v.has_conflict THEN 'conflict' END,
            CASE WHEN p.value > 0 AND v.value > 0 AND (v.value / p.value > 5 OR v.value / p.value < 0.2) THEN 'yoy_jump' END,
            CASE WHEN m.n_counties >= 3 AND m.median_value > 0 AND v.value > 0
                      AND (v.value / m.median_value > 10 OR v.value / m.median_value < 0.1) THEN 'outlier' END,
            CASE WHEN rc.implied_rate IS NOT NULL THEN 'rate_contradicts_counts' END,
            CASE WHEN v.needs_review THEN 'needs_review' END,
            CASE WHEN v.ocr_pages > 0 THEN 'ocr' END,
            CASE WHEN v.masked THEN 'masked' END
        ], lambda r: r IS NOT NULL) AS reasons,
        m.median_value,
        rc.implied_rate, rc.numerator_code, rc.denominator_code
    FROM v
    LEFT JOIN indicator_values AS p
        ON p.county_code = v.county_code AND p.indicator_code = v.indicator_code AND p.year = v.year - 1
    LEFT JOIN peers AS m ON m.year = v.year AND m.indicator_code = v.indicator_code
    LEFT JOIN rate_checks AS rc
        ON rc.county_code = v.county_code AND rc.year = v.year AND rc.indicator_code = v.indicator_code
    WHERE NOT v.reviewed
),
doubtful AS (
    SELECT
        f.county_code, f.county, f.province, f.year, f.indicator_code, f.value, f.unit, f.reasons,
        concat_ws('; ',
            CASE WHEN 'conflict' = ANY(f.reasons) THEN 'documents disagree (indicator_conflicts)' END,
            CASE WHEN 'yoy_jump' = ANY(f.reasons) THEN 'year before: ' || f.previous_value END,
            CASE WHEN 'outlier' = ANY(f.reasons) THEN 'median of counties that year: ' || f.median_value END,
            CASE WHEN 'rate_contradicts_counts' = ANY(f.reasons) THEN
                f.numerator_code || ' / ' || f.denominator_code || ' = ' || f.implied_rate || '%' END,
            CASE WHEN 'needs_review' = ANY(f.reasons) THEN 'confidence ' || f.confidence END,
            CASE WHEN 'ocr' = ANY(f.reasons) THEN 'read by OCR' END,
            CASE WHEN 'masked' = ANY(f.reasons) THEN 'masked in the source' END) AS reason_text,
        f.source_doc_id AS doc_id, f.source_char_start AS char_start, f.evidence, f.source_path AS path, f.source
    FROM flagged AS f
    WHERE len(f.reasons) > 0
),
lost AS (
    SELECT
        p.county_code, d.county, d.province, p.year + 1 AS year, p.indicator_code, NULL::DOUBLE AS value, p.unit,
        ['lost_indicator'] AS reasons,
        'reported ' || coalesce(p.value::VARCHAR, 'masked') || ' for ' || p.year || ', nothing for ' || (p.year + 1)
            AS reason_text,
        p.source_doc_id AS doc_id, p.source_char_start AS char_start, p.evidence, p.source_path AS path, p.source
    FROM indicator_values AS p
    LEFT JOIN (SELECT doc_id, county, province FROM documents) AS d ON d.doc_id = p.source_doc_id
    WHERE EXISTS (SELECT 1 FROM indicator_values AS n WHERE n.county_code = p.county_code AND n.year = p.year + 1)
      AND NOT EXISTS (SELECT 1 FROM indicator_values AS n
                      WHERE n.county_code = p.county_code AND n.year = p.year + 1 AND n.indicator_code = p.indicator_code)
),
items AS (
    SELECT * FROM doubtful
    UNION ALL BY NAME
    SELECT * FROM lost
),
scored AS (
    SELECT
        i.*,
        list_sum(list_transform(i.reasons, lambda r: CASE r
            WHEN 'conflict' THEN 3 WHEN 'yoy_jump' THEN 3 WHEN 'rate_contradicts_counts' THEN 3 WHEN 'outlier' THEN 2 WHEN 'needs_review' THEN 2
            WHEN 'ocr' THEN 1 WHEN 'masked' THEN 1 ELSE 0.5 END))::DOUBLE AS priority,
        k.name_zh AS indicator_name,
        q.text AS figure,
        q.context_before
    FROM items AS i
    LEFT JOIN indicator_catalog AS k ON k.code = i.indicator_code
    LEFT JOIN quantities AS q ON q.doc_id = i.doc_id AND q.char_start = i.char_start
    WHERE ($county = '' OR i.county_code = $county OR i.county = $county)
      AND ($year = 0 OR i.year = $year)
)
SELECT
    row_number() OVER (ORDER BY priority DESC, county_code, year, indicator_code) AS rank,
    *
FROM scored
ORDER BY rank
