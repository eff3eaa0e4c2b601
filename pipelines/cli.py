"""The ``shufa`` command: build the warehouse, or look at files before ingesting them.

    shufa build   [--raw DIR] [--warehouse PATH] [--full] [--wait] [--allow-mass-retraction] [--verbose]
    shufa inspect FILE_OR_DIR... [--json]
    shufa text    FILE [--blocks]
    shufa extract FILE... [--json] [--quantities | --explain]
    shufa indicators [--format table|csv|json]
    shufa query   "SQL" [--format table|csv|json] [--warehouse PATH] [--allow-files]
    shufa export  DIR [--format parquet|csv|xlsx] [--warehouse PATH]
    shufa report  --county NAME_OR_CODE [--out DIR] [--warehouse PATH]
    shufa test-data [--warehouse PATH]
    shufa correct confirm|reject DOC_ID CHAR_START INDICATOR [--note TEXT] [--author NAME]
    shufa correct set|add DOC_ID CHAR_START INDICATOR VALUE [--note TEXT] [--author NAME]
    shufa correct import review.csv
    shufa review  [--out DIR] [--county NAME_OR_CODE] [--year N]

    shufa --version

``--raw`` and ``--warehouse`` default to SHUFA_RAW and SHUFA_WAREHOUSE, then to
data/raw and data/warehouse/warehouse.duckdb. Tables printed or exported follow one cell convention
(booleans true/false, NULL empty; see pipelines/export.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import settings

# Commands import what they use when they run (reading files loads pandas, cn2an and the division
# table: seconds): `shufa --help`, `query` and `export` start without them.


def _recorded_path(arg: str) -> str:
    """The path as the user wrote it, without a root, so its folders can hint at county and year.

    A name that is not UTF-8 on disk is recorded as the build records it (corpus.recorded_path).
    """
    from .ingest.corpus import recorded_path

    path = PurePosixPath(Path(arg).as_posix())
    relative = Path(str(path.relative_to(path.anchor)) if path.anchor else str(path))
    return recorded_path(Path(path.anchor or "."), Path(path.anchor or ".") / relative)


def _read_file(path: Path, arg: str):
    """The file read as a build reads it: an IngestedDocument, or a FailedFile saying why not."""
    from .ingest.corpus import ingest_file

    return ingest_file(path, _recorded_path(arg), settings.read_limits())


def _failed(outcome) -> bool:
    from .ingest.corpus import FailedFile

    return isinstance(outcome, FailedFile)


def _shown(arg: str) -> str:
    """A path argument as printable UTF-8: bytes that are not UTF-8 on disk shown as \\xNN escapes."""
    return os.fsencode(arg).decode("utf-8", "backslashreplace")


def _executor_refusal() -> str | None:
    """Why SHUFA_EXECUTOR cannot be used, or None."""
    import importlib.util

    try:
        kind = settings.executor()
    except ValueError as exc:
        return str(exc)
    if kind == "dask" and importlib.util.find_spec("dagster_dask") is None:
        return "SHUFA_EXECUTOR=dask needs dagster-dask: pip install -e '.[dask]'"
    return None


EXIT_LOCKED = 75  # EX_TEMPFAIL: another build holds the warehouse; try again later


def cmd_build(args: argparse.Namespace) -> int:
    from .build_state import up_to_date
    from .warehouse.summary import summarise

    raw = args.raw or settings.raw_dir()
    warehouse = args.warehouse or settings.warehouse_path()
    if not raw.is_dir():
        print(f"shufa build: raw folder {raw} does not exist (use --raw DIR or set SHUFA_RAW)", file=sys.stderr)
        return 2
    refusal = _executor_refusal()
    if refusal:
        print(f"shufa build: {refusal}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    corrections = args.corrections or settings.corrections_path()
    current, finished_at = (False, None) if args.full else up_to_date(raw, warehouse, corrections)
    if current:
        print(f"{warehouse} is up to date: nothing in {raw} and no code changed since the build published at "
              f"{finished_at:%Y-%m-%d %H:%M:%S} UTC (--full rebuilds anyway)", flush=True)
        summary = summarise(warehouse)
    else:
        from .build import build  # Dagster is imported only when there is something to build

        print(f"building {warehouse} from {raw} ...", flush=True)
        summary = build(raw, warehouse, log_level="INFO" if args.verbose else "CRITICAL", full_refresh=args.full,
                        progress=True, wait=args.wait, allow_mass_retraction=args.allow_mass_retraction,
                        corrections=corrections)
    elapsed = time.perf_counter() - started
    if summary.locked:
        print(f"shufa build: not started: {summary.failure}", file=sys.stderr)
        return EXIT_LOCKED
    if not summary.success:
        print(f"shufa build: FAILED after {elapsed:.1f}s\n{summary.failure}", file=sys.stderr)
        return 1
    print(f"{'documents ingested:':<22}{summary.documents}")
    print(f"{'files failed:':<22}{summary.failed}")
    print(f"{'text blocks:':<22}{summary.blocks}")
    for table, rows in summary.figures.items():
        print(f"{table + ':':<22}{rows}")
    if summary.values_note:  # why documents gave no county-year value (all masked, no county named ...)
        print(summary.values_note)
    if summary.run:
        r = summary.run
        print(f"{'last build' if current else 'this run'}: {r['new_files']} new, {r['changed_files']} changed, {r['moved_files']} moved, "
              f"{r['unchanged_files']} unchanged, {r['removed_files']} removed, {r['failed_files']} failed files; "
              f"{r['documents_parsed']} parsed"
              + (f" ({r['documents_reparsed']} of them read again: --full or a new reader version)"
                 if r.get("documents_reparsed") else "")
              + (f", metadata derived again for {r['metadata_rederived']} (sidecar, manifest or detection changed)"
                 if r.get("metadata_rederived") else "")
              + f"; {r['facts_added'] or 0} facts added, {r['facts_retracted'] or 0} retracted"
              + (f"; {r['retried_files']} failed file(s) retried (their failure was transient)" if r.get("retried_files") else ""))
    if summary.corrections:
        c = summary.corrections
        print(f"{'corrections:':<22}" + ", ".join(f"{n} {status}" for status, n in c.items())
              + ("  (see stale_corrections: redo them with `shufa correct`)" if c.get("stale") else "")
              + ("  (unreadable lines: SELECT * FROM indicator_corrections WHERE status = 'invalid')" if c.get("invalid") else ""))
    for path, kind, reason in summary.errors:
        print(f"  failed  {path}: {kind}: {reason}")
    for check in summary.failed_checks:
        print(f"  check failed: {check}")
    print(f"done in {elapsed:.1f}s -> {warehouse}")
    return 0


INSPECT_FIELDS = ["file", "format", "county", "county_status", "county_code", "city", "province", "year",
                  "report_type", "issuer_role", "blocks", "chars", "error_kind", "error"]
INSPECT_PROGRESS_MIN_FILES = 10  # a folder with fewer files prints no progress
INSPECT_PROGRESS_EVERY_S = 2.0


@dataclass
class _InspectTarget:
    """One file to inspect: as shown, on disk, and the path recorded for it (whose folders hint at county and
    year); or an entry a folder walk refused (a link leaving the folder ...), with why."""

    shown: str
    path: Path | None = None
    recorded: str | None = None
    refused: tuple[str, str] | None = None  # (error_kind, reason)


def _inspect_targets(arg: str) -> list[_InspectTarget]:
    """The files ARG stands for: itself, or for a folder every file a build of that folder would read
    (walk_raw: hidden files, .meta.json sidecars and manifest.csv left out), recorded as the build records
    them, relative to the folder; entries the walk refuses come last, as failures."""
    from .ingest.corpus import recorded_path, walk_raw

    folder = Path(arg)
    if not folder.is_dir():
        return [_InspectTarget(_shown(arg), folder, _recorded_path(arg))]
    scan = walk_raw(folder)
    targets = [_InspectTarget(_shown(str(path)), path, recorded_path(folder, path)) for path in scan.paths]
    targets += [_InspectTarget(_shown(str(folder / f.path)), refused=(f.error_kind, f.reason)) for f in scan.refused]
    return targets


def _inspect_record(target: _InspectTarget) -> dict:
    """What shufa makes of one file: the fields of ``shufa inspect --json`` (README), null where unknown.

    county_status is the build's (documents.county_status): resolved, masked (the report hides its county's
    name: **县, ××县), ambiguous, not_found or unknown; null when the file cannot be read.
    """
    from .ingest.corpus import ingest_file

    record = dict.fromkeys(INSPECT_FIELDS)
    record["file"] = target.shown
    if target.refused:
        record.update(error_kind=target.refused[0], error=target.refused[1])
        return record
    path = target.path
    if not path.is_file():
        record.update(error_kind="read_failed", error="no such file")
        return record
    outcome = ingest_file(path, target.recorded, settings.read_limits())
    record["format"] = path.suffix.lower().lstrip(".") or None
    if _failed(outcome):
        record.update(error_kind=outcome.error_kind, error=outcome.reason)
        return record
    meta = outcome.metadata
    record.update(
        format=outcome.parsed.format, county=meta.county, county_status=meta.county_status,
        county_code=meta.county_code, city=meta.city, province=meta.province, year=meta.year,
        report_type=meta.report_type, issuer_role=meta.issuer_role,
        blocks=len(outcome.parsed.blocks), chars=outcome.parsed.chars,
    )
    return record


def _county_text(r: dict) -> str:
    """The county part of an inspect line: ``柳城县 450222 (柳州市, 广西壮族自治区)``, or what stands in its way."""
    status = r["county_status"]
    if status == "masked":
        return "county masked (the report hides its name)"
    if status in ("ambiguous", "not_found"):
        return f"{r['county'] or '?'} ({status.replace('_', ' ')})"
    if status == "unknown" or not r["county"]:
        return "county unknown"
    county = f"{r['county']} {r['county_code'] or ''}".strip()
    return f"{county} ({r['city'] or '?'}, {r['province'] or '?'})"


def _inspect_line(r: dict) -> str:
    if r["error_kind"]:
        return f"{r['file']}: ERROR {r['error_kind']}: {r['error']}"
    return (f"{r['file']}: {r['format']}, {_county_text(r)}, year {r['year'] or '?'}, {r['report_type']}, "
            f"issuer {r['issuer_role'] or '?'}, {r['blocks']} blocks, {r['chars']} chars")


class _Progress:
    """``inspect: 40/120 files read (12.3/s)`` on stderr for a long folder: at once, then at most every
    INSPECT_PROGRESS_EVERY_S, and when done. stdout keeps only the records, for pipes and --json."""

    def __init__(self, label: str, total: int):
        self.label, self.total = label, total
        self.on = total >= INSPECT_PROGRESS_MIN_FILES
        self.started = self.last = time.perf_counter()
        if self.on:
            print(f"inspect: {total} files in {label}", file=sys.stderr, flush=True)

    def tick(self, done: int, failed: int) -> None:
        now = time.perf_counter()
        final = done == self.total
        if not self.on or not (final or now - self.last >= INSPECT_PROGRESS_EVERY_S):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        print(f"inspect: {done}/{self.total} files read ({done / elapsed:.1f}/s, {failed} failed)"
              + (f" in {elapsed:.1f}s" if final else ""), file=sys.stderr, flush=True)


def cmd_inspect(args: argparse.Namespace) -> int:
    """One record per file, printed as soon as it is read (a long folder shows results as it goes)."""
    failed_anywhere = False
    for arg in args.files:
        targets = _inspect_targets(arg)
        is_folder = Path(arg).is_dir()
        if is_folder and not targets:
            print(f"inspect: no report files in {_shown(arg)}", file=sys.stderr)
        progress = _Progress(_shown(arg), len(targets)) if is_folder else None
        failed = 0
        for done, target in enumerate(targets, start=1):
            record = _inspect_record(target)
            failed += bool(record["error_kind"])
            print(json.dumps(record, ensure_ascii=False) if args.json else _inspect_line(record), flush=True)
            if progress:
                progress.tick(done, failed)
        failed_anywhere = failed_anywhere or failed > 0
    return 1 if failed_anywhere else 0


def cmd_text(args: argparse.Namespace) -> int:
    outcome = _read_file(Path(args.file), args.file) if Path(args.file).is_file() else None
    if outcome is None:
        print(f"shufa text: no such file: {_shown(args.file)}", file=sys.stderr)
        return 2
    if _failed(outcome):
        print(f"shufa text: {_shown(args.file)}: {outcome.error_kind}: {outcome.reason}", file=sys.stderr)
        return 1
    for block in outcome.parsed.blocks:
        if args.blocks:
            loc = block.location
            where = ",".join(f"{k}={v}" for k, v in (("page", loc.page), ("para", loc.paragraph), ("table", loc.table),
                                                     ("row", loc.row), ("col", loc.col)) if v is not None)
            print(f"[{block.block_no} {block.kind} {where}] {' > '.join(block.section_path)}")
        print(block.text)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract.extract import extract_blocks

    status = 0
    for arg in args.files:
        path, name = Path(arg), _shown(arg)
        outcome = _read_file(path, arg) if path.is_file() else None
        if outcome is None or _failed(outcome):
            reason = "no such file" if outcome is None else f"{outcome.error_kind}: {outcome.reason}"
            print(f"shufa extract: {name}: {reason}", file=sys.stderr)
            status = 1
            continue
        meta = outcome.metadata
        extraction = extract_blocks(outcome.parsed.blocks, meta.year)
        base = {"file": name, "county": meta.county, "county_code": meta.county_code, "year": meta.year}
        if args.explain:
            _explain(name, meta, extraction, args.json)
            continue
        if args.quantities:
            rows = [
                {**base, "text": q.text, "value": q.value, "lower": q.lower, "upper": q.upper, "unit": q.unit,
                 "qualifier": q.qualifier, "masked": q.masked, "role": q.role, "fact_year": q.fact_year,
                 "indicator": q.indicator_code, "reject_reason": q.reject_reason, "rule": q.rule, "cue": q.cue,
                 "char_start": q.char_start, "char_end": q.char_end, "context": q.context_before + "⟨" + q.text + "⟩" + q.context_after}
                for q in extraction.quantities
            ]
        else:
            rows = [
                {**base, "indicator": f.indicator_code, "value": f.value, "lower": f.lower, "upper": f.upper, "unit": f.unit,
                 "qualifier": f.qualifier, "masked": f.masked, "fact_year": f.fact_year,
                 "char_start": f.char_start, "char_end": f.char_end, "evidence": f.evidence,
                 "confidence": f.confidence, "needs_review": f.needs_review, "rule": f.rule, "cue": f.cue,
                 "topic_scope": f.topic_scope}
                for f in extraction.facts
            ]
        for row in rows:
            if args.json:
                print(json.dumps(row, ensure_ascii=False))
            else:
                shown = "masked" if row["masked"] else row["value"]
                label = row["indicator"] or "-"
                print(f"{name}\t{label}\t{shown}\t{row['unit']}\t{row['fact_year']}\t{row.get('evidence') or row.get('context')}")
    return status


_TOPIC_WHERE = {"segment": "next to the figure", "clause": "in its clause", "sentence": "in its sentence",
               "section": "in the section headings", "none": "no topic needed"}


def _explain(arg: str, meta, extraction, as_json: bool) -> None:
    """Every figure of a file and why it was, or was not, taken as an indicator value."""
    facts_by_quantity: dict[int, list] = {}
    for f in extraction.facts:
        facts_by_quantity.setdefault(f.quantity_no, []).append(f)
    if not as_json:
        print(f"{arg}: county {meta.county or '?'} ({meta.county_code or '-'}), year {meta.year or '?'}, "
              f"{len(extraction.quantities)} figures, {len(extraction.facts)} facts")
    for q in extraction.quantities:
        facts = facts_by_quantity.get(q.quantity_no, [])
        if q.reject_reason:
            verdict = f"not taken: {q.reject_reason}"
        elif not facts:
            verdict = "not taken: no catalog cue names what it counts"
        else:
            verdict = "taken"
        if as_json:
            print(json.dumps({
                "file": arg, "quantity_no": q.quantity_no, "text": q.text, "char_start": q.char_start,
                "char_end": q.char_end, "role": q.role, "fact_year": q.fact_year, "verdict": verdict,
                "cue": q.cue, "facts": [{"indicator": f.indicator_code, "value": f.value, "rule": f.rule, "cue": f.cue,
                                          "topic_scope": f.topic_scope, "confidence": f.confidence,
                                          "needs_review": f.needs_review} for f in facts],
                "context": q.context_before + "⟨" + q.text + "⟩" + q.context_after,
            }, ensure_ascii=False))
            continue
        print(f"\n[{q.quantity_no}] {q.text}  @{q.char_start}  …{q.context_before}⟨{q.text}⟩{q.context_after}…")
        role = {"prior": f"a previous year's value ({q.fact_year})", "change": "a change, not a level"}.get(q.role)
        if role:
            print(f"    role: {role}")
        for f in facts:
            value = "masked" if f.masked else f.value
            cue = f"cue “{f.cue}”" if f.cue else "indicator carried from the figure it refers to"
            topic = _TOPIC_WHERE.get(f.topic_scope, "")
            review = ", needs review" if f.needs_review else ""
            print(f"    → {f.indicator_code} = {value} {f.unit} ({f.fact_year}): rule {f.rule}, {cue}"
                  f"{', topic ' + topic if topic else ''}; confidence {f.confidence}{review}")
        if not facts:
            cue = f" (best candidate's cue “{q.cue}”)" if q.cue else ""
            print(f"    ✗ {verdict}{cue}")


def _published_path(args: argparse.Namespace, command: str) -> Path | None:
    """The published warehouse file, or None (after saying why) when there is none."""
    path = args.warehouse or settings.warehouse_path()
    if not path.is_file():
        what = "a folder, not a warehouse file," if path.is_dir() else "no warehouse"
        print(f"shufa {command}: {what} at {path}: run `shufa build` (or `make run`) first, or pass --warehouse",
              file=sys.stderr)
        return None
    return path


def _open_published(args: argparse.Namespace, command: str, export_dir: Path | None = None):
    """A read-only connection to the published warehouse (never blocks a running build) that reaches nothing
    else: external access off, no extension installed or loaded, configuration locked (see
    pipelines/report/connection.py). ``--allow-files`` (query only) keeps file access on; EXPORT_DIR gives a
    connection that may write only into that folder, for DuckDB's own writers."""
    import duckdb

    from .report.connection import connect_for_export, connect_read_only

    path = _published_path(args, command)
    if path is None:
        return None
    try:
        if export_dir is not None:
            return connect_for_export(path, export_dir)
        return connect_read_only(path, allow_files=getattr(args, "allow_files", False))
    except duckdb.Error as exc:
        print(f"shufa {command}: cannot open the warehouse {path}: {exc}", file=sys.stderr)
        return None


_QUERY_HINTS = {  # (words of DuckDB's message, what to tell the analyst)
    "file system operations are disabled": "shufa query reads only the warehouse; pass --allow-files to let SQL "
                                           "read and write files",
    "Loading external extensions is disabled": "shufa query cannot install or load extensions",
    "the configuration has been locked": "settings cannot be changed from shufa query",
}


def _started(rows):
    """ROWS with the query already run: an error surfaces before anything is printed, not after a ``[``."""
    from itertools import chain

    first = next(rows, None)
    return iter(()) if first is None else chain([first], rows)


def _print_rows(columns: list[str], rows, fmt: str) -> None:
    """Rows on stdout as csv (no BOM: a pipe or a terminal would take it for text) or one JSON array, with
    the cell convention of pipelines/export.py (booleans true/false, as the table format shows them)."""
    from .export import write_csv, write_json

    (write_csv if fmt == "csv" else write_json)(sys.stdout, list(columns), rows)


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    con = _open_published(args, "query")
    if con is None:
        return 2
    with con:
        try:
            relation = con.sql(args.sql)
            if relation is None:  # a statement without a result
                return 0
            if args.format == "table":
                relation.show(max_rows=args.max_rows, max_width=200)
            else:
                _print_rows(relation.columns, _started(relation.iter_rows()), args.format)
        except duckdb.Error as exc:
            print(f"shufa query: {exc}", file=sys.stderr)
            for words, hint in _QUERY_HINTS.items():
                if words in str(exc):
                    print(f"shufa query: {hint}", file=sys.stderr)
            return 1
    return 0


XLSX_WORKBOOK = "shufa.xlsx"


def _export_targets(folder: Path, tables: list[str], fmt: str) -> dict[str, Path]:
    """Table -> the file it goes to: ``<table>.<format>``, or for xlsx every table into one workbook."""
    if fmt == "xlsx":
        return {table: folder / XLSX_WORKBOOK for table in tables}
    return {table: folder / f"{table}.{fmt}" for table in tables}


def cmd_export(args: argparse.Namespace) -> int:
    """Each core and mart table to DIR/<table>.<format> (xlsx: one sheet each of DIR/shufa.xlsx), replacing
    files of those names already there.

    No SQL text is built from DIR or a table name. Parquet is written by DuckDB's relation writer on a
    connection that may write only inside DIR (see ``_open_published``); CSV (with a BOM, for Excel and WPS)
    and xlsx are written by pipelines/export.py from the rows of a connection that may write nothing.
    """
    import duckdb

    from .export import SheetTable, export_csv, write_xlsx
    from .models.project import load_models
    from .report import ReportOutputError, check_output_folder
    from .report.connection import quote_identifier

    if _published_path(args, "export") is None:
        return 2
    folder = args.dir
    # core then marts, by name: a stable order of files and sheets (the dependency order is not one)
    tables = [name for _, name in sorted((m.layer, m.name) for m in load_models() if m.layer in ("core", "marts"))]
    targets = _export_targets(folder, tables, args.format)
    try:
        check_output_folder(folder)
        for target in dict.fromkeys(targets.values()):
            if target.is_symlink() or (target.exists() and not target.is_file()):
                kind = "a symbolic link" if target.is_symlink() else "a folder"
                raise ReportOutputError(f"{target} is {kind}, not a file; move it away or export to another folder")
    except ReportOutputError as error:
        print(f"shufa export: {error}", file=sys.stderr)
        return 2
    con = _open_published(args, "export", export_dir=folder if args.format == "parquet" else None)
    if con is None:
        return 2
    with con:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            print(f"shufa export: cannot make {folder}: {error.strerror or error}", file=sys.stderr)
            return 2
        target = folder
        try:
            relations = {table: con.table(quote_identifier(table)) for table in tables}
            if args.format == "xlsx":
                target = folder / XLSX_WORKBOOK
                sheets = write_xlsx(target, (SheetTable(t, r.columns, r.iter_rows()) for t, r in relations.items()))
                for table, names in sheets.items():
                    print(f"{table:28} -> {target} (sheet{'s' if len(names) > 1 else ''} {', '.join(names)})")
                return 0
            for table, relation in relations.items():
                target = targets[table]
                if args.format == "parquet":
                    relation.write_parquet(str(target.resolve()))
                else:
                    export_csv(target, relation.columns, relation.iter_rows())
                print(f"{table:28} -> {target}")
        except BrokenPipeError:  # `shufa export … | head`: the reader left, not a failed write
            raise
        except (duckdb.Error, OSError) as exc:
            print(f"shufa export: cannot write {target}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import duckdb

    from .report import CountyLookupError, ReportOutputError, write_report

    warehouse = args.warehouse or settings.warehouse_path()
    try:
        path = write_report(warehouse, args.county, args.out)
    except (FileNotFoundError, CountyLookupError, ReportOutputError) as error:
        print(f"shufa report: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:
        print(f"shufa report: cannot read the warehouse {warehouse}: {error}", file=sys.stderr)
        return 2
    print(path)
    return 0


def _correction_defaults(args: argparse.Namespace) -> tuple[str, str]:
    """(author, date) for new corrections: --author, else $SHUFA_AUTHOR, else the login name; today."""
    import getpass
    from datetime import date

    author = args.author or os.environ.get("SHUFA_AUTHOR") or getpass.getuser()
    return author, date.today().isoformat()


def _append_checked(con, corrections_path: Path, row: dict) -> str:
    """Validate one correction row against the warehouse and append it; returns the line shown."""
    from .corrections.corrections_file import append_correction, format_value, parse_row
    from .corrections.validate import checked

    correction = checked(con, parse_row(row))
    append_correction(corrections_path, correction)
    value = f" = {format_value(correction.value)}" if correction.value is not None else ""
    return (f"{correction.action} {correction.doc_id} @{correction.char_start} “{correction.figure}” "
            f"{correction.indicator_code}{value}")


def cmd_correct(args: argparse.Namespace) -> int:
    from .corrections.corrections_file import CorrectionsFileError
    from .corrections.validate import CorrectionRefused

    corrections_path = args.corrections or settings.corrections_path()
    con = _open_published(args, "correct")
    if con is None:
        return 2
    author, today = _correction_defaults(args)
    with con:
        if args.action == "import":
            return _import_review(con, args.file, corrections_path, author, today)
        row = {"doc_id": args.doc_id, "char_start": str(args.char_start), "indicator_code": args.indicator_code,
               "action": args.action, "value": getattr(args, "value", None) or "", "note": args.note or "",
               "author": author, "date": today, "figure": getattr(args, "figure", None) or ""}
        try:
            shown = _append_checked(con, corrections_path, row)
        except (ValueError, CorrectionsFileError, CorrectionRefused) as exc:
            print(f"shufa correct: {exc}", file=sys.stderr)
            return 1
    print(f"added to {corrections_path}: {shown}\nrun `shufa build` to apply it")
    return 0


def _import_review(con, review: Path, corrections_path: Path, author: str, today: str) -> int:
    """Append every decided row of a review.csv (action filled in) to the corrections file; undecided rows
    are skipped, refused rows are listed and nothing of them is written."""
    import csv

    if not review.is_file():
        print(f"shufa correct import: no such file: {review}", file=sys.stderr)
        return 2
    with review.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    added, refused = 0, []
    for line, row in enumerate(rows, start=2):
        if not (row.get("action") or "").strip():
            continue
        row = {**row, "author": (row.get("author") or "").strip() or author,
               "date": (row.get("date") or "").strip() or today}
        try:
            print(f"  line {line}: {_append_checked(con, corrections_path, row)}")
            added += 1
        except ValueError as exc:  # parse problems and CorrectionRefused alike
            refused.append(f"  line {line}: {exc}")
    print(f"{added} correction(s) added to {corrections_path}; {len(refused)} refused; "
          f"{sum(1 for r in rows if not (r.get('action') or '').strip())} undecided row(s) left")
    for message in refused:
        print(message, file=sys.stderr)
    if added:
        print("run `shufa build` to apply them")
    return 1 if refused else 0


def cmd_review(args: argparse.Namespace) -> int:
    from datetime import datetime

    from .corrections.review_page import write_review_csv, write_review_html
    from .corrections.worklist import worklist

    out = args.out
    if out.exists() and not out.is_dir():
        print(f"shufa review: {out} is a file; --out needs a folder", file=sys.stderr)
        return 2
    con = _open_published(args, "review")
    if con is None:
        return 2
    with con:
        rows = worklist(con, args.county or "", args.year or 0)
    out.mkdir(parents=True, exist_ok=True)
    scope = " ".join(str(x) for x in (args.county, args.year) if x) or "all counties and years"
    write_review_csv(rows, out / "review.csv")
    write_review_html(rows, out / "review.html", title=f"shufa review: {scope}",
                      generated_at=datetime.now().strftime("%Y-%m-%d %H:%M"))
    print(f"{len(rows)} figure(s) to review ({scope}) -> {out / 'review.html'}, {out / 'review.csv'}")
    if rows:
        print("fill in the action column of review.csv (confirm, reject, set with a value, add) and run "
              f"`shufa correct import {out / 'review.csv'}`, then `shufa build`")
    return 0


INDICATOR_COLUMNS = ["code", "name_zh", "unit", "polarity", "category"]


def cmd_indicators(args: argparse.Namespace) -> int:
    """The indicator catalog (pipelines/extract/indicators.toml) as shufa extracts against it: read from the
    code, not a warehouse, so it is right before any build and names the codes `shufa correct` takes."""
    from .extract.catalog import catalog

    rows = [(i.code, i.name_zh, i.unit, i.polarity, i.category) for i in catalog().indicators]
    if args.format == "table":
        import duckdb
        import pandas as pd

        with duckdb.connect() as con:  # DuckDB's own table printer: the table format of `shufa query`
            con.from_df(pd.DataFrame(rows, columns=INDICATOR_COLUMNS)).show(max_rows=len(rows) + 1, max_width=200)
    else:
        _print_rows(INDICATOR_COLUMNS, iter(rows), args.format)
    return 0


def version_text() -> str:
    """``shufa 0.1.0 (extractor 1be746a1c82a)``: the package, and the extractor digest stored in
    ``extractions.extractor_version`` (a warehouse built by another extractor re-extracts on its next build)."""
    from importlib.metadata import PackageNotFoundError, version

    from .extract.extract import extraction_version

    try:
        package = version("shufa")
    except PackageNotFoundError:  # run from a checkout that was never installed
        package = "unknown (not installed)"
    return f"shufa {package} (extractor {extraction_version()})"


class _VersionAction(argparse.Action):
    """``--version``, worked out only when asked: the extractor digest reads the extractor's files."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def cmd_test_data(args: argparse.Namespace) -> int:
    from .defs.audit import audit_connection

    con = _open_published(args, "test-data")
    if con is None:
        return 2
    with con:
        results = audit_connection(con)
    failed = 0
    for r in results:
        status = "PASS" if r.passed else ("WARN" if r.severity == "warn" else "FAIL")
        failed += status == "FAIL"
        print(f"{status}  {r.name:45} {r.asset:26} {'' if r.passed else f'{r.offending_rows} offending row(s)'}")
        if not r.passed:
            print(f"      {r.description}")
            for row in r.sample[:3]:
                print(f"      {row}")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="shufa", description="Figures from Chinese county rule-of-law reports, into DuckDB.")
    p.add_argument("--version", action=_VersionAction, help="print the package version and the extractor version, and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND",
                           help="what to do (`shufa COMMAND --help` for its arguments)")

    b = sub.add_parser("build", help="ingest the raw folder into the warehouse (runs the Dagster assets in process)")
    b.add_argument("--raw", type=Path, help=f"folder of reports (default: $SHUFA_RAW or {settings.DEFAULT_RAW_DIR})")
    b.add_argument("--warehouse", type=Path, help=f"DuckDB file (default: $SHUFA_WAREHOUSE or {settings.DEFAULT_WAREHOUSE})")
    b.add_argument("--verbose", action="store_true", help="show Dagster's run log")
    b.add_argument("--full", action="store_true", help="re-read every file, not only new and changed ones")
    b.add_argument("--wait", action="store_true",
                   help=f"when another build of the warehouse is running, wait for it instead of exiting with {EXIT_LOCKED}")
    b.add_argument("--allow-mass-retraction", action="store_true",
                   help="let this build retract more than half of the published documents (refused by default: "
                        "an empty raw folder is usually an unmounted share)")
    b.add_argument("--corrections", type=Path,
                   help=f"the analysts' corrections file (default: $SHUFA_CORRECTIONS or {settings.DEFAULT_CORRECTIONS})")
    b.set_defaults(func=cmd_build)

    i = sub.add_parser("inspect", help="show what shufa makes of files or folders, without touching any warehouse",
                       description="One record per file: format, county (and whether it is masked), year, report "
                                   "type, issuer, size; or why the file cannot be read. Exits 1 if any cannot.")
    i.add_argument("files", nargs="+", metavar="FILE_OR_DIR",
                   help="report files, or folders: every file in a folder, as `shufa build --raw DIR` finds them "
                        "(hidden files, .meta.json sidecars and manifest.csv skipped); progress on stderr")
    i.add_argument("--json", action="store_true",
                   help="one JSON object per file (county_status: resolved, masked, ambiguous, not_found, unknown)")
    i.set_defaults(func=cmd_inspect)

    t = sub.add_parser("text", help="print a file's normalised text")
    t.add_argument("file", metavar="FILE", help="a report file (docx, pdf, txt, html, mht, doc, wps)")
    t.add_argument("--blocks", action="store_true", help="show each block's number, kind, location and section")
    t.set_defaults(func=cmd_text)

    e = sub.add_parser("extract", help="print the indicator facts found in files, without touching any warehouse")
    e.add_argument("files", nargs="+", metavar="FILE", help="report files")
    e.add_argument("--json", action="store_true", help="one JSON object per fact")
    e.add_argument("--quantities", action="store_true", help="every figure found, mapped or not, instead of facts")
    e.add_argument("--explain", action="store_true",
                   help="every figure and why it was taken (rule, cue, where the topic stood, confidence) or not")
    e.set_defaults(func=cmd_extract)

    warehouse_help = f"DuckDB file (default: $SHUFA_WAREHOUSE or {settings.DEFAULT_WAREHOUSE})"
    q = sub.add_parser("query", help="run SQL on the published warehouse (read-only) and print the result",
                       description="Run SQL on the published warehouse, read-only. The SQL can reach nothing but "
                                   "the warehouse: no files, URLs or other databases (COPY TO, ATTACH, read_csv, "
                                   "read_text ...), no extensions installed or loaded, and no SET can change that.")
    q.add_argument("sql", metavar="SQL", help="one SQL statement, quoted (tables: README, \"Querying the warehouse\")")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table (default, --max-rows rows), csv or a JSON array (every row); booleans are "
                        "true/false in all three, NULL is empty in csv and null in json")
    q.add_argument("--max-rows", type=int, default=100, help="rows shown in table format (default 100)")
    q.add_argument("--warehouse", type=Path, help=warehouse_help)
    q.add_argument("--allow-files", action="store_true",
                   help="let the SQL read and write files and other databases with your permissions (COPY TO, "
                        "read_csv, ATTACH ...); the warehouse stays read-only and settings stay locked")
    q.set_defaults(func=cmd_query)

    x = sub.add_parser("export", help="write the core and mart tables to a folder (parquet, csv or xlsx)")
    x.add_argument("dir", type=Path, metavar="DIR",
                   help="folder to write into, made if needed; table files of the same names are replaced")
    x.add_argument("--format", choices=["parquet", "csv", "xlsx"], default="parquet",
                   help="parquet (default): <table>.parquet; csv: <table>.csv in UTF-8 with a BOM, which Excel "
                        f"and WPS open as Chinese; xlsx: one workbook, {XLSX_WORKBOOK}, one sheet per table")
    x.add_argument("--warehouse", type=Path, help=warehouse_help)
    x.set_defaults(func=cmd_export)

    r = sub.add_parser("report", help="write a standalone HTML profile of one county")
    r.add_argument("--county", required=True, help="6-digit code or name (南通市通州区 when a name is ambiguous)")
    r.add_argument("--out", type=Path, default=Path("data/reports"), help="output folder (default: data/reports)")
    r.add_argument("--warehouse", type=Path, help=warehouse_help)
    r.set_defaults(func=cmd_report)

    v = sub.add_parser("review", help="write a worklist of doubtful figures (review.html, review.csv)")
    v.add_argument("--out", type=Path, default=Path("data/review"), help="folder to write to (default: data/review)")
    v.add_argument("--county", help="one county, by name or 6-digit code")
    v.add_argument("--year", type=int, help="one year")
    v.add_argument("--warehouse", type=Path, help="the published warehouse (default: $SHUFA_WAREHOUSE)")
    v.set_defaults(func=cmd_review)

    c = sub.add_parser("correct", help="record an analyst's decision about one figure in the corrections file",
                       description="Append a checked row to the corrections file; `shufa build` applies it. "
                                   "DOC_ID and CHAR_START are those shown by `shufa review` (review.csv).")
    actions = c.add_subparsers(dest="action", required=True, metavar="ACTION",
                               help="the decision (`shufa correct ACTION --help` for its arguments)")
    for action, helptext in (("confirm", "the extracted fact is right (it leaves the worklist)"),
                             ("reject", "the figure is not this indicator"),
                             ("set", "the figure is this indicator with this value (wrong value or indicator, or unmapped)"),
                             ("add", "a figure the extractor missed: this indicator with this value")):
        a = actions.add_parser(action, help=helptext)
        a.add_argument("doc_id", metavar="DOC_ID", help="the document (doc_id in review.csv: 16 hex characters)")
        a.add_argument("char_start", type=int, metavar="CHAR_START",
                       help="where the figure starts in the document's text (char_start in review.csv; "
                            "`shufa text FILE` prints that text)")
        a.add_argument("indicator_code", metavar="INDICATOR",
                       help="a catalog indicator code (`shufa indicators` lists them)")
        if action in ("set", "add"):
            a.add_argument("value", metavar="VALUE", help="in the indicator's catalog unit (件, 人次, %% as 98.6)")
        if action == "add":
            a.add_argument("--figure", help="the figure as written at CHAR_START (default: the number there)")
    imp = actions.add_parser("import", help="append the decided rows (action filled in) of a review.csv")
    imp.add_argument("file", type=Path, metavar="REVIEW_CSV",
                     help="a review.csv written by `shufa review`, with the action column filled in")
    for a in [*actions.choices.values()]:
        a.add_argument("--note", default="", help="why (kept beside the corrected value)")
        a.add_argument("--author", help="who decided (default: $SHUFA_AUTHOR, else your login name)")
        a.add_argument("--corrections", type=Path,
                       help=f"the corrections file (default: $SHUFA_CORRECTIONS or {settings.DEFAULT_CORRECTIONS})")
        a.add_argument("--warehouse", type=Path, help="the published warehouse to check against")
    c.set_defaults(func=cmd_correct)

    n = sub.add_parser("indicators", help="list the indicator catalog: code, 中文名, unit, polarity, category",
                       description="The indicators shufa extracts (pipelines/extract/indicators.toml); needs no "
                                   "warehouse. polarity: higher_better, lower_better or neutral (not ranked).")
    n.add_argument("--format", choices=["table", "csv", "json"], default="table",
                   help="table (default), csv or a JSON array, as in `shufa query`")
    n.set_defaults(func=cmd_indicators)

    d = sub.add_parser("test-data", help="run every data test and asset check on the published warehouse")
    d.add_argument("--warehouse", type=Path, help=warehouse_help)
    d.set_defaults(func=cmd_test_data)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `shufa extract … | head`: the reader left; not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
