-- What this run's extraction staged (incoming_*, see apply_extraction.sql): documents, quantities, facts,
-- masked facts, and documents whose extraction failed.
SELECT (SELECT count(*) FROM incoming_extractions),
       (SELECT count(*) FROM incoming_quantities),
       (SELECT count(*) FROM incoming_indicator_facts),
       (SELECT count(*) FILTER (WHERE masked) FROM incoming_indicator_facts),
       (SELECT count(*) FILTER (WHERE error IS NOT NULL) FROM incoming_extractions)
