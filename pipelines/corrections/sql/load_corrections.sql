-- The analysts' corrections file as a table, replaced whole each build (the file is the source of truth).
-- Rows that could not be read keep what could be read and say why in problem.
CREATE OR REPLACE TABLE corrections (
    line_no         INTEGER NOT NULL,   -- line in the corrections file (header = 1)
    doc_id          VARCHAR,
    char_start      INTEGER,            -- offset of the figure in the document's normalised text
    indicator_code  VARCHAR,
    action          VARCHAR,            -- confirm | reject | set | add
    value           DOUBLE,             -- in the indicator's catalog unit (set, add; optional for confirm)
    note            VARCHAR,
    author          VARCHAR,
    date            DATE,
    figure          VARCHAR,            -- the figure as written at char_start ('' when not given)
    problem         VARCHAR             -- why the row cannot be read; NULL when it can
);
INSERT INTO corrections BY NAME SELECT * FROM corrections_rows;
