-- One row per catalog indicator: code, Chinese and English names, category, unit, polarity
-- (higher_better | lower_better | neutral). Source: pipelines/extract/indicators.toml.
-- materialized: view
SELECT code, name_zh, name_en, category, unit, polarity
FROM indicator_catalog
