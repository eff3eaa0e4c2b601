"""Speed at scale: full, no-op and 1%-changed builds of a 10,000+ report corpus, against the parsing floor.

    python bench/scale.py [--dir DIR] [--years 2021 2022 2023 2024] [--repeats 3]     (or: make bench)

1. generates (or reuses) a corpus of every county-level unit × the years, in docx, pdf and txt,
   under DIR/raw (default: $SHUFA_BENCH_DIR, else shufa-bench in the system temp folder) —
   outside the repository;
2. times bare parsing of every file with the reader libraries alone (pypdfium2 text per page,
   python-docx paragraphs and cells, a txt decode), on as many processes as the build uses: the floor
   (taken before and after the builds, and averaged: this machine's speed drifts by tens of percent);
3. runs `shufa build` into an empty warehouse (full build), again with nothing changed (no-op,
   median of --repeats), and after rewriting 1% of the reports with new figures; each build verbose,
   so that where its time went (reading, extraction, writing, each step) is recorded too;
4. times the README's example queries on the built warehouse (median of 20, in process);
5. builds a corpus twice as large (twice the years) from empty, to show peak memory staying flat;

and writes every figure, with the machine, to bench/results/scale.json. Peak memory is the
largest resident set of any one process of the build (the build or one of its parsing workers).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_corpus import change_share, ensure_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "scale.json"
SHUFA = Path(sys.executable).with_name("shufa")
TARGETS = {
    "noop_seconds_max": 5.0,
    "change_1pct_share_of_full_max": 0.10,
    "full_over_floor_max": 1.5,
    "query_ms_max": 100.0,
    "peak_rss_mib_max": 1024,
}


def bare_parse(path: str) -> int:
    """Characters of text in one file, read with the reader library alone (no layout, no metadata)."""
    data = Path(path).read_bytes()
    if path.endswith(".pdf"):
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        chars = sum(len(document[i].get_textpage().get_text_range()) for i in range(len(document)))
        document.close()
        return chars
    if path.endswith(".docx"):
        import docx

        document = docx.Document(io.BytesIO(data))
        chars = sum(len(p.text) for p in document.paragraphs)
        for table in document.tables:
            chars += sum(len(cell.text) for row in table.rows for cell in row.cells)
        return chars
    try:
        return len(data.decode("utf-8"))
    except UnicodeDecodeError:
        return len(data.decode("gb18030"))


def time_floor(paths: list[str], workers: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        chars = sum(pool.map(bare_parse, paths, chunksize=32))
    seconds = time.perf_counter() - start
    print(f"  bare parsing: {len(paths)} files, {chars:,} characters in {seconds:.1f} s", flush=True)
    return seconds


PARSING_LINE = re.compile(r"parsing: ([\d.]+) worker-s reading, ([\d.]+) worker-s extracting .*?([\d.]+) worker-s packing "
                          r"rows, ([\d.]+) s writing (\d+) batch\(es\) of Parquet, ([\d.]+) MB")
LOADING_LINE = re.compile(r"loading: ([\d.]+) s into the draft")


def _step_seconds() -> dict[str, float]:
    """Each step's wall seconds in the latest run of the run history `shufa build` writes (DAGSTER_HOME,
    else data/dagster_home), the longest first; {} without one."""
    home = Path(os.environ.get("DAGSTER_HOME") or ROOT / "data" / "dagster_home")
    if not home.is_dir():
        return {}
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            return {}
        stats = instance.get_run_step_stats(runs[0].run_id)
    seconds = {s.step_key: round(s.end_time - s.start_time, 2) for s in stats if s.start_time and s.end_time}
    return dict(sorted(seconds.items(), key=lambda kv: -kv[1]))


def _shares(output: str, workers: int, seconds: float) -> dict:
    """Where a verbose build's time went: worker-seconds reading and extracting (per worker: the wall
    time they stand for), writing and loading the batches, and each Dagster step's wall time."""
    parsing, loading = PARSING_LINE.search(output), LOADING_LINE.search(output)
    if not parsing or not loading:
        return {}
    read_s, extract_s, pack_s, write_s, batches, mb = (float(g) for g in parsing.groups())
    steps = _step_seconds()
    return {
        "reading_worker_seconds": round(read_s, 1), "extraction_worker_seconds": round(extract_s, 1),
        "extraction_over_reading": round(extract_s / read_s, 3),
        "reading_share": round(read_s / workers / seconds, 3), "extraction_share": round(extract_s / workers / seconds, 3),
        "packing_worker_seconds": round(pack_s, 1),  # the workers' turning documents into rows
        "batch_writing_seconds": round(write_s, 1), "loading_seconds": float(loading.group(1)),
        "writing_share": round((pack_s / workers + write_s + float(loading.group(1))) / seconds, 3),
        "batches": int(batches), "batch_mb": mb,
        "per_batch_core_seconds": round((read_s + extract_s) / batches, 2) if batches else None,
        "run_seconds": round(sum(steps.values()), 1),  # the steps' wall time; the rest is start-up and publishing
        "step_seconds": dict(list(steps.items())[:10]),
    }


def _remove_warehouse(warehouse: Path) -> None:
    """A previous run's warehouse and everything beside it (draft, lock, batch store), for a build from empty."""
    for stale in warehouse.parent.glob("warehouse*"):
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()


def run_build(raw: Path, warehouse: Path, label: str, workers: int = 1) -> dict:
    """One verbose `shufa build` subprocess: wall seconds, peak RSS (largest process, MiB), and where the
    time went (see _shares)."""
    start = time.perf_counter()
    process = subprocess.Popen([str(SHUFA), "build", "--verbose", "--raw", str(raw), "--warehouse", str(warehouse)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{label}: shufa build failed ({process.returncode}):\n{output[-3000:]}")
    peak_mib = usage.ru_maxrss / 1024  # Linux: the largest of the process and its waited-for descendants
    last = next((line for line in reversed(output.splitlines()) if line.startswith("this run:")), "")
    shares = _shares(output, workers, seconds)
    print(f"  {label}: {seconds:.1f} s, peak {peak_mib:.0f} MiB — {last} {shares}", flush=True)
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(peak_mib), **({"where_the_time_went": shares} if shares else {})}


def readme_queries() -> list[str]:
    """The example queries of docs/analysts.md, as analysts would paste them."""
    text = (ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", q).strip() for q in re.findall(r'shufa query "(SELECT.*?)"', text, re.DOTALL)]


def time_queries(warehouse: Path, repeats: int = 20) -> list[dict]:
    timings = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for sql in readme_queries():
            con.execute(sql).fetchall()  # warm-up
            samples = []
            for _ in range(repeats):
                start = time.perf_counter()
                rows = con.execute(sql).fetchall()
                samples.append(time.perf_counter() - start)
            timings.append({"sql": sql, "rows": len(rows), "median_ms": round(statistics.median(samples) * 1000, 2),
                            "max_ms": round(max(samples) * 1000, 2)})
            print(f"  query: {timings[-1]['median_ms']} ms median, {len(rows)} rows — {sql[:60]}…", flush=True)
    return timings


def warehouse_counts(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("documents", "document_blocks", "quantities", "indicator_facts", "indicator_values")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_dir = os.environ.get("SHUFA_BENCH_DIR") or str(Path(tempfile.gettempdir()) / "shufa-bench")
    parser.add_argument("--dir", type=Path, default=Path(default_dir), help="where the corpus and warehouse go")
    parser.add_argument("--years", type=int, nargs="+", default=[2021, 2022, 2023, 2024])
    parser.add_argument("--repeats", type=int, default=3, help="no-op builds to take the median of")
    parser.add_argument("--no-double", action="store_true",
                        help="skip the full build of a corpus twice as large (twice the years) that shows memory staying flat")
    parser.add_argument("--floor-only", action="store_true",
                        help="only time bare parsing (to pair with a build under farm-bench --vs)")
    args = parser.parse_args(argv)
    workers = int(os.environ.get("SHUFA_WORKERS") or 0) or os.cpu_count() or 1
    raw, warehouse = args.dir / "raw", args.dir / "warehouse" / "warehouse.duckdb"

    files = ensure_corpus(raw, args.years, workers)
    formats = {fmt: sum(f.endswith(f".{fmt}") for f in files) for fmt in ("docx", "pdf", "txt")}
    print(f"corpus: {len(files)} reports {formats}", flush=True)
    paths = [str(raw / f) for f in files]
    floor_before = time_floor(paths, workers)
    if args.floor_only:
        return 0

    _remove_warehouse(warehouse)
    full = run_build(raw, warehouse, "full build", workers)
    counts = warehouse_counts(warehouse)
    noops = [run_build(raw, warehouse, f"no-op build {i + 1}") for i in range(args.repeats)]
    changed = change_share(raw, files, args.years, 0.01, revision=f"rev{time.time_ns()}")
    change = run_build(raw, warehouse, f"build after {len(changed)} reports changed", workers)
    queries = time_queries(warehouse)
    floor_after = time_floor(paths, workers)  # the machine's speed drifts: the floor is taken on both sides
    double = None
    if not args.no_double:  # twice the years, so twice the reports: peak memory must not follow
        years2 = list(range(min(args.years) - len(args.years), max(args.years) + 1))
        files2 = ensure_corpus(args.dir / "raw2x", years2, workers)
        warehouse2 = args.dir / "warehouse2x" / "warehouse.duckdb"
        _remove_warehouse(warehouse2)
        double = {"documents": len(files2), "years": years2,
                  **run_build(args.dir / "raw2x", warehouse2, f"full build of {len(files2)} reports", workers)}
    floor = (floor_before + floor_after) / 2

    noop_seconds = statistics.median(n["seconds"] for n in noops)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
                   f"Python {platform.python_version()}, {platform.system()}",
        "corpus": {"documents": len(files), "formats": formats, "counties": len({f.split('/')[0] for f in files}),
                   "years": args.years},
        "workers": workers,
        "floor_seconds": round(floor, 2),
        "floor_seconds_before_and_after": [round(floor_before, 2), round(floor_after, 2)],
        "floor_docs_per_second": round(len(files) / floor, 1),
        "full_build": {**full, "docs_per_second": round(len(files) / full["seconds"], 1)},
        "full_over_floor": round(full["seconds"] / floor, 2),
        "full_build_2x": double,
        "peak_rss_2x_over_1x": round(double["peak_rss_mib"] / full["peak_rss_mib"], 2) if double else None,
        "warehouse_rows": counts,
        "noop_builds": noops,
        "noop_seconds_median": noop_seconds,
        "change_1pct": {**change, "files_changed": len(changed),
                        "share_of_full": round(change["seconds"] / full["seconds"], 3)},
        "queries": queries,
        "targets": TARGETS,
    }
    result["targets_met"] = {
        "noop_seconds_max": noop_seconds < TARGETS["noop_seconds_max"],
        "change_1pct_share_of_full_max": result["change_1pct"]["share_of_full"] < TARGETS["change_1pct_share_of_full_max"],
        "full_over_floor_max": result["full_over_floor"] <= TARGETS["full_over_floor_max"],
        "query_ms_max": all(q["median_ms"] < TARGETS["query_ms_max"] for q in queries),
        "peak_rss_mib_max": max(full["peak_rss_mib"], (double or full)["peak_rss_mib"]) <= TARGETS["peak_rss_mib_max"],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"full {full['seconds']} s ({result['full_build']['docs_per_second']} docs/s, "
          f"{result['full_over_floor']}x the parsing floor of {result['floor_seconds']} s); "
          f"no-op {noop_seconds} s; 1% changed {change['seconds']} s "
          f"({result['change_1pct']['share_of_full']:.1%} of full); peak {full['peak_rss_mib']} MiB")
    print(f"targets met: {result['targets_met']}")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
