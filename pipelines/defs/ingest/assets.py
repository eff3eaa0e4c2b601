"""The raw layer as Dagster assets: one step brings the four tables up to date with the folder.

The four tables are one multi-asset because they are written in one transaction: a
document without its blocks, or an error list from another run, would be a lie. Only what
changed since the last run is read (see pipelines/ingest/incremental.py).
"""

import time
from datetime import UTC, datetime

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...build_state import build_fingerprint
from ...ingest.corpus import FailedFile
from ...ingest.incremental import FileStat, plan_run, stat_folder
from ...warehouse.raw_layer import (
    apply_raw_changes, load_previous, metadata_to_rederive, rederive_metadata, summarise_run,
)
from ...warehouse.staging import StoredRows
from ..progress import ProgressLine
from ..resources import CorrectionsFile, ParsedBatches, RawCorpus, warehouse_connection

GROUP = "ingest"
DRAFT = ["warehouse_draft"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class _Progress(ProgressLine):
    """Files read / total, rate and errors so far; each failure is logged as it comes."""

    def __init__(self, context: dg.AssetExecutionContext, to_stderr: bool):
        super().__init__(context, to_stderr, first_at_once=True)
        self.errors = 0

    def __call__(self, done: int, total: int, outcome) -> None:
        if isinstance(outcome, FailedFile):
            self.errors += 1
            self.context.log.warning(f"{outcome.path}: {outcome.error_kind}: {outcome.reason}")
        if self.due(final=done == total):
            self.write(f"read {done}/{total} files, {self.rate(done):.1f}/s, {self.errors} error(s)")


def _refuse_mass_retraction(active_before: set[str], active_now: set[str], root, allowed: bool) -> None:
    """An empty or half-empty raw folder is far more often an unmounted share or a bad copy than
    a real withdrawal of reports: stop before retracting more than half of the published documents."""
    retracted = len(active_before - active_now)
    if not allowed and active_before and retracted * 2 > len(active_before):
        raise dg.Failure(
            f"this build would retract {retracted} of the {len(active_before)} published documents (their files are "
            f"gone from {root}); nothing was changed. If that is intended, rerun with --allow-mass-retraction "
            "(SHUFA_ALLOW_MASS_RETRACTION=1)."
        )


@dg.multi_asset(
    specs=[
        dg.AssetSpec("documents", group_name=GROUP, kinds={"duckdb"}, deps=DRAFT,
                     description="One row per distinct report, with county, year and type; retracted when its file goes."),
        dg.AssetSpec("document_files", group_name=GROUP, kinds={"duckdb"}, deps=DRAFT,
                     description="Every report file present and the document it holds."),
        dg.AssetSpec("document_blocks", group_name=GROUP, kinds={"duckdb"}, deps=DRAFT,
                     description="Normalised text blocks with location and section path."),
        dg.AssetSpec("ingest_errors", group_name=GROUP, kinds={"duckdb"}, deps=DRAFT,
                     description="Files that could not be ingested, with a stable kind and a reason."),
        dg.AssetSpec("ingest_runs", group_name=GROUP, kinds={"duckdb"}, deps=DRAFT,
                     description="One row per build: files new, changed, moved, unchanged, removed, failed."),
    ],
)
def raw_layer(context: dg.AssetExecutionContext, raw_corpus: RawCorpus, warehouse: DuckDBResource,
              corrections_file: CorrectionsFile, parsed_batches: ParsedBatches):
    root = raw_corpus.root
    if not root.is_dir():
        raise dg.Failure(f"raw folder {root} does not exist (set --raw or SHUFA_RAW)")
    started = _now()
    fingerprint = build_fingerprint(root, corrections_file.file)  # before reading: a file changed mid-run makes the next run differ
    stats, scan = stat_folder(root)
    with warehouse_connection(warehouse) as con:
        previous = load_previous(con)
        active_before = {d for (d,) in con.execute("SELECT doc_id FROM documents WHERE status = 'ingested'").fetchall()}
    plan = plan_run(stats, previous, full=raw_corpus.full_refresh, unreadable_dirs=scan.unreadable_dirs)
    seen = {s.path for s in stats}
    stats += [FileStat(p, *previous.files[p][1:]) for p in sorted(plan.unchanged) if p not in seen]  # kept, unlisted
    context.log.info(f"{len(stats)} files: {len(plan.unchanged)} unchanged, {len(plan.to_read)} to read, {len(plan.removed)} removed")
    store = parsed_batches.store
    read, batches = raw_corpus.read_into(store, plan.to_read, previous.to_reuse(raw_corpus.full_refresh),
                                         raw_corpus.workers or None, _Progress(context, raw_corpus.progress_to_stderr))
    if read.documents:
        context.log.info(f"parsing: {batches.read_s:.1f} worker-s reading, {batches.extract_s:.1f} worker-s extracting "
                         f"({batches.extract_s / max(batches.read_s, 1e-9):.0%} of reading), "
                         f"{batches.pack_s:.1f} worker-s packing rows, "
                         f"{batches.write_s:.1f} s writing {len(batches.written)} batch(es) of Parquet, "
                         f"{batches.bytes / 1e6:.1f} MB")
    if read.from_store:
        context.log.info(f"{read.from_store} document(s) taken from the batch store {store.root} (parsed before: "
                         "a parse job, or a build that did not finish)")
    read.failures.extend(scan.refused)
    _refuse_mass_retraction(active_before, set(plan.unchanged.values()) | set(read.files.values()), root,
                            raw_corpus.allow_mass_retraction)
    summary = summarise_run(context.run.run_id, stats, plan, read, previous, active_before, fingerprint)
    todo = metadata_to_rederive(root, stats, {**plan.unchanged, **read.files}, {d.doc_id for d in read.documents},
                                previous)
    with warehouse_connection(warehouse) as con:
        rederived = rederive_metadata(con, todo)
        summary.metadata_rederived = len(rederived)
        if len(rederived):
            context.log.info(f"metadata derived again for {len(rederived)} stored document(s) (sidecar, manifest "
                             "or metadata detection changed)")
        batch_of = {d.doc_id: d.batch for d in read.documents}
        parsed = {table: StoredRows(*store.picked(table, batch_of)) for table in ("documents", "document_blocks")}
        loading = time.perf_counter()
        apply_raw_changes(con, stats, plan, read, summary, started, _now(), parsed, rederived)
        context.log.info(f"loading: {time.perf_counter() - loading:.1f} s into the draft")

    run = {k: v for k, v in summary.__dict__.items() if k != "run_id"}
    yield dg.MaterializeResult(asset_key="documents", metadata={
        "read_worker_seconds": round(batches.read_s, 2), "extract_worker_seconds": round(batches.extract_s, 2),
        "pack_worker_seconds": round(batches.pack_s, 2), "batch_write_seconds": round(batches.write_s, 2),
        "parsed": summary.documents_parsed, "reparsed": summary.documents_reparsed,
        "metadata_rederived": summary.metadata_rederived, "retracted": summary.documents_retracted})
    yield dg.MaterializeResult(asset_key="document_files", metadata={"files": len(plan.unchanged) + len(read.files)})
    yield dg.MaterializeResult(asset_key="document_blocks", metadata={"blocks_added": sum(d.blocks for d in read.documents)})
    yield dg.MaterializeResult(asset_key="ingest_errors", metadata={"failed_files": summary.failed_files})
    yield dg.MaterializeResult(asset_key="ingest_runs", metadata=run)
