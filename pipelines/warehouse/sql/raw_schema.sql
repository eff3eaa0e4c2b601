-- The raw layer: what ingestion knows about each file, before any figure is extracted.

-- One row per distinct report (by content). doc_id = first 16 hex chars of sha256.
CREATE TABLE IF NOT EXISTS documents (
    doc_id              VARCHAR PRIMARY KEY,
    sha256              VARCHAR NOT NULL,
    path                VARCHAR NOT NULL,   -- relative to the raw folder; first path seen for this content
    file_name           VARCHAR NOT NULL,
    format              VARCHAR NOT NULL,   -- docx | pdf | txt
    bytes               BIGINT NOT NULL,
    pages               INTEGER,            -- pdf only
    encoding            VARCHAR,            -- txt only
    title               VARCHAR,
    county              VARCHAR,            -- name as of the year covered; NULL when masked/unknown
    county_code         VARCHAR,            -- 6-digit admin code valid in the year covered
    county_lineage_code VARCHAR,            -- code of the present-day successor: links 柳江县 450221 → 柳江区 450206
    city                VARCHAR,
    province            VARCHAR,
    county_status       VARCHAR NOT NULL,   -- resolved | masked | ambiguous | not_found | unknown
    county_source       VARCHAR,            -- sidecar | manifest | text | path
    year                INTEGER,            -- the year the report covers
    year_source         VARCHAR,            -- sidecar | manifest | title | body | path
    report_type         VARCHAR NOT NULL,   -- 述法报告 | 法治政府建设年度报告 | other
    issuer_role         VARCHAR,
    metadata_flags      VARCHAR[] NOT NULL,
    blocks              INTEGER NOT NULL,
    chars               INTEGER NOT NULL,
    status              VARCHAR NOT NULL,   -- ingested
    ingested_at         TIMESTAMP NOT NULL  -- first time this content was ingested
);

-- Every report file seen and the document it holds (copies and renames share a doc_id).
CREATE TABLE IF NOT EXISTS document_files (
    path    VARCHAR PRIMARY KEY,
    doc_id  VARCHAR NOT NULL
);

-- One row per text block, in reading order. Location columns are NULL where they do not apply.
CREATE TABLE IF NOT EXISTS document_blocks (
    doc_id        VARCHAR NOT NULL,
    block_no      INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,   -- title | heading | paragraph | table_cell
    page          INTEGER,
    paragraph     INTEGER,
    table_no      INTEGER,
    row_no        INTEGER,
    col_no        INTEGER,
    section_path  VARCHAR[] NOT NULL,
    text          VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, block_no)
);

-- Files that could not become documents, and why. error_kind values: pipelines/ingest/errors.py.
CREATE TABLE IF NOT EXISTS ingest_errors (
    path         VARCHAR PRIMARY KEY,
    bytes        BIGINT NOT NULL,
    sha256       VARCHAR,
    error_kind   VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    detected_at  TIMESTAMP NOT NULL   -- first time this file content failed this way
);
