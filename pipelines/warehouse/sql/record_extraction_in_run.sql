-- Complete the latest run's summary row with what extraction did: facts added by the documents
-- extracted in this run, facts of documents retracted in this run (kept, but no longer current).
UPDATE ingest_runs AS r SET
    facts_added = (SELECT coalesce(sum(facts), 0) FROM incoming_extractions),
    facts_retracted = (
        SELECT count(*) FROM indicator_facts AS f JOIN documents AS d USING (doc_id)
        WHERE d.status = 'retracted' AND d.retracted_at >= r.started_at
    ),
    extraction_version = (SELECT any_value(extractor_version) FROM incoming_extractions)
WHERE r.started_at = (SELECT max(started_at) FROM ingest_runs)
