-- The raw layer: what ingestion knows about each file, before any figure is extracted.

-- One row per distinct report (by content). doc_id = first 16 hex chars of sha256.
CREATE TABLE IF NOT EXISTS documents (
    doc_id              VARCHAR PRIMARY KEY,
    sha256              VARCHAR NOT NULL,
    path                VARCHAR NOT NULL,   -- relative to the raw folder; first path seen for this content
    file_name           VARCHAR NOT NULL,
    format              VARCHAR NOT NULL,   -- docx | pdf | txt | html | mht | doc (what was read)
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
    year_source         VARCHAR,            -- sidecar | manifest | title | body | published | path
    report_type         VARCHAR NOT NULL,   -- 述法报告 | 法治政府建设年度报告 | other
    issuer_role         VARCHAR,
    metadata_flags      VARCHAR[] NOT NULL,
    blocks              INTEGER NOT NULL,
    chars               INTEGER NOT NULL,
    status              VARCHAR NOT NULL,   -- ingested | retracted (no file holds this content any more)
    ingested_at         TIMESTAMP NOT NULL, -- first time this content was ingested (UTC)
    retracted_at        TIMESTAMP           -- when its last file disappeared or changed (UTC)
);
ALTER TABLE documents ADD COLUMN IF NOT EXISTS retracted_at TIMESTAMP;
-- web pages: their <title> (often the site, which names the county) and publication date
ALTER TABLE documents ADD COLUMN IF NOT EXISTS page_title VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS published_on DATE;
-- pages read by OCR because they had no text layer (0 for everything else)
ALTER TABLE documents ADD COLUMN IF NOT EXISTS ocr_pages INTEGER DEFAULT 0;
-- the versions of the code that read the file and derived its metadata (pipelines/fingerprint.py), and
-- a digest of the metadata's inputs besides the text (path, sidecar or manifest row): a change to any
-- re-reads the file (reader) or re-derives the metadata from the stored text (the others)
ALTER TABLE documents ADD COLUMN IF NOT EXISTS reader_version VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS metadata_version VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS metadata_key VARCHAR;

-- Every report file present now and the document it holds (copies and renames share a doc_id).
-- bytes and mtime_ns let an unchanged file be recognised without reading it.
CREATE TABLE IF NOT EXISTS document_files (
    path      VARCHAR PRIMARY KEY,
    doc_id    VARCHAR NOT NULL,
    bytes     BIGINT,
    mtime_ns  BIGINT
);
ALTER TABLE document_files ADD COLUMN IF NOT EXISTS bytes BIGINT;
ALTER TABLE document_files ADD COLUMN IF NOT EXISTS mtime_ns BIGINT;

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
-- OCR'd blocks: where on the page (x0, top, x1, bottom in PDF points) and how sure the recogniser was (0–1)
ALTER TABLE document_blocks ADD COLUMN IF NOT EXISTS bbox DOUBLE[];
ALTER TABLE document_blocks ADD COLUMN IF NOT EXISTS ocr_confidence DOUBLE;

-- Files present now that could not become documents, and why. error_kind values: pipelines/ingest/errors.py.
-- An unchanged file (same bytes and mtime_ns) is not retried.
CREATE TABLE IF NOT EXISTS ingest_errors (
    path         VARCHAR PRIMARY KEY,
    bytes        BIGINT NOT NULL,
    sha256       VARCHAR,
    error_kind   VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    detected_at  TIMESTAMP NOT NULL,  -- first time this file content failed this way (UTC)
    mtime_ns     BIGINT
);
ALTER TABLE ingest_errors ADD COLUMN IF NOT EXISTS mtime_ns BIGINT;

-- One row per build that changed or checked the raw layer: what it found and what it did.
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id           VARCHAR PRIMARY KEY,
    started_at       TIMESTAMP NOT NULL,
    finished_at      TIMESTAMP NOT NULL,
    files_seen       INTEGER NOT NULL,
    new_files        INTEGER NOT NULL,   -- paths not seen before, with content not seen before
    changed_files    INTEGER NOT NULL,   -- paths seen before, now holding new content
    moved_files      INTEGER NOT NULL,   -- new paths whose content was already known (renamed, copied, touched)
    unchanged_files  INTEGER NOT NULL,
    removed_files    INTEGER NOT NULL,
    failed_files     INTEGER NOT NULL,   -- failing now (new failures and unchanged failed files)
    documents_parsed INTEGER NOT NULL,
    documents_retracted INTEGER NOT NULL,
    facts_added      INTEGER,            -- filled in by extraction
    facts_retracted  INTEGER,
    extraction_version VARCHAR,
    seconds          DOUBLE NOT NULL,
    input_fingerprint VARCHAR            -- raw folder + code, taken before reading (pipelines/build_state.py)
);
-- warehouses built before fingerprints were kept
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS input_fingerprint VARCHAR;
-- failed files read again although unchanged: their failure was transient (timeout, cannot read)
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS retried_files INTEGER;
-- stored documents parsed again (--full, a new reader version) and re-derived metadata (sidecar, manifest, detection)
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS documents_reparsed INTEGER;
ALTER TABLE ingest_runs ADD COLUMN IF NOT EXISTS metadata_rederived INTEGER;
