-- Apply one run's extraction from the staged tables: the documents in incoming_extractions were
-- (re-)extracted; their old quantities and facts are replaced. Other documents keep theirs,
-- retracted ones included (history). The catalog table is replaced whole.
DELETE FROM indicator_facts WHERE doc_id IN (SELECT doc_id FROM incoming_extractions);
DELETE FROM quantities WHERE doc_id IN (SELECT doc_id FROM incoming_extractions);
DELETE FROM extractions WHERE doc_id IN (SELECT doc_id FROM incoming_extractions);
INSERT INTO quantities BY NAME SELECT * FROM incoming_quantities;
INSERT INTO indicator_facts BY NAME SELECT * FROM incoming_indicator_facts;
INSERT INTO extractions BY NAME SELECT * FROM incoming_extractions;
DELETE FROM indicator_catalog;
INSERT INTO indicator_catalog BY NAME SELECT * FROM incoming_indicator_catalog;
