-- The extraction layer: every figure found in the blocks, and the catalog facts among them.

-- The indicator catalog (pipelines/extract/indicators.toml) as a table; dim_indicator (dbt_like_sql) is built on it.
CREATE TABLE IF NOT EXISTS indicator_catalog (
    code      VARCHAR PRIMARY KEY,
    category  VARCHAR NOT NULL,
    name_zh   VARCHAR NOT NULL,
    name_en   VARCHAR NOT NULL,
    unit      VARCHAR NOT NULL,
    polarity  VARCHAR NOT NULL   -- higher_better | lower_better | neutral
);

-- One row per figure in a document, mapped to an indicator or not.
CREATE TABLE IF NOT EXISTS quantities (
    doc_id          VARCHAR NOT NULL,
    quantity_no     INTEGER NOT NULL,
    block_no        INTEGER NOT NULL,
    char_start      INTEGER NOT NULL,   -- offsets into the document's normalised text (`shufa text FILE`)
    char_end        INTEGER NOT NULL,
    text            VARCHAR NOT NULL,   -- the figure as written: 12.5万余份
    value           DOUBLE,             -- NULL when masked or a range
    lower           DOUBLE,
    upper           DOUBLE,
    unit            VARCHAR,            -- as written
    qualifier       VARCHAR,            -- at_least | at_most | approx | range | NULL (exact)
    masked          BOOLEAN NOT NULL,
    role            VARCHAR NOT NULL,   -- value | prior (a previous year's value) | change (an increase, growth rate)
    fact_year       INTEGER,
    context_before  VARCHAR NOT NULL,
    context_after   VARCHAR NOT NULL,
    sentence        VARCHAR NOT NULL,
    indicator_code  VARCHAR,            -- set when the figure became a fact
    reject_reason   VARCHAR,            -- why an indicator-like figure is not a fact (unit_mismatch, percent_over_100, change_not_value, breakdown_of_total, share_of_total, per_unit, subset, combined, other_level, multi_year)
    rule            VARCHAR,            -- the rule that made it a fact (see indicator_facts.rule)
    cue             VARCHAR,            -- the cue of the best candidate indicator, taken or not
    extractor_version VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, quantity_no)
);

-- One row per (figure, indicator): the figures that report a catalog indicator, with provenance.
CREATE TABLE IF NOT EXISTS indicator_facts (
    doc_id          VARCHAR NOT NULL,
    fact_no         INTEGER NOT NULL,
    indicator_code  VARCHAR NOT NULL,
    value           DOUBLE,             -- in the catalog unit; NULL when masked or a range
    lower           DOUBLE,
    upper           DOUBLE,
    unit            VARCHAR NOT NULL,   -- the catalog unit
    qualifier       VARCHAR,
    masked          BOOLEAN NOT NULL,
    fact_year       INTEGER,            -- the year the figure is about (usually the report's year)
    block_no        INTEGER NOT NULL,
    char_start      INTEGER NOT NULL,
    char_end        INTEGER NOT NULL,
    evidence        VARCHAR NOT NULL,   -- the sentence (or table row) the figure stands in
    confidence      DOUBLE NOT NULL,
    quantity_no     INTEGER NOT NULL,
    rule            VARCHAR NOT NULL,   -- why it was taken: cue | carried_noun | shared_figure | prior_year | level_after_prior | parallel_year
    cue             VARCHAR NOT NULL,   -- the catalog cue that named the thing counted ('' when carried)
    topic_scope     VARCHAR NOT NULL,   -- where the topic word stood: segment | clause | sentence | section | none ('' when carried)
    needs_review    BOOLEAN NOT NULL,   -- confidence < 0.9: worth a human look
    extractor_version VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, fact_no)
);

-- Warehouses built before the extractor recorded its reasons gain the columns (every document is
-- extracted again then, since the extractor version changed with them).
ALTER TABLE quantities ADD COLUMN IF NOT EXISTS rule VARCHAR;
ALTER TABLE quantities ADD COLUMN IF NOT EXISTS cue VARCHAR;
ALTER TABLE indicator_facts ADD COLUMN IF NOT EXISTS rule VARCHAR DEFAULT 'cue';
ALTER TABLE indicator_facts ADD COLUMN IF NOT EXISTS cue VARCHAR DEFAULT '';
ALTER TABLE indicator_facts ADD COLUMN IF NOT EXISTS topic_scope VARCHAR DEFAULT '';
ALTER TABLE indicator_facts ADD COLUMN IF NOT EXISTS needs_review BOOLEAN DEFAULT false;

-- One row per document extracted: under which extractor version, and what it yielded. A document
-- whose version differs from the running extractor's is extracted again from its stored blocks.
CREATE TABLE IF NOT EXISTS extractions (
    doc_id             VARCHAR PRIMARY KEY,
    extractor_version  VARCHAR NOT NULL,
    extracted_at       TIMESTAMP NOT NULL,
    quantities         INTEGER NOT NULL,
    facts              INTEGER NOT NULL
);
-- Why a document's extraction failed (NULL when it did not); see extraction_layer.update_extraction_layer.
ALTER TABLE extractions ADD COLUMN IF NOT EXISTS error VARCHAR;
-- What the extraction read besides its own code: the document's year (it dates 今年, 上年) and the
-- version of the readers that made its blocks. A document whose year was re-derived or whose file
-- was read by a new reader version is extracted again.
ALTER TABLE extractions ADD COLUMN IF NOT EXISTS doc_year INTEGER;
ALTER TABLE extractions ADD COLUMN IF NOT EXISTS reader_version VARCHAR;
