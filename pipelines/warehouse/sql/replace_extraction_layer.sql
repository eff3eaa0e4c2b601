-- Replace the extraction tables with this run's staged rows (tables incoming_*).
DELETE FROM indicator_facts;
DELETE FROM quantities;
DELETE FROM dim_indicator;
INSERT INTO dim_indicator BY NAME SELECT * FROM incoming_dim_indicator;
INSERT INTO quantities BY NAME SELECT * FROM incoming_quantities;
INSERT INTO indicator_facts BY NAME SELECT * FROM incoming_indicator_facts;
