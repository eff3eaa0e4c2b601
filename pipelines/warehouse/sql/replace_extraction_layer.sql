-- Replace the extraction tables with this run's staged rows (tables incoming_*).
DELETE FROM indicator_facts;
DELETE FROM quantities;
DELETE FROM indicator_catalog;
INSERT INTO indicator_catalog BY NAME SELECT * FROM incoming_indicator_catalog;
INSERT INTO quantities BY NAME SELECT * FROM incoming_quantities;
INSERT INTO indicator_facts BY NAME SELECT * FROM incoming_indicator_facts;
