"""Soak test: many short rounds of `shufa build` on real reports mixed with hostile files (make soak).

    python bench/soak.py [--rounds N] [--seed S] [--work DIR] [--skip KIND,...] [--only KIND,...]

The pipeline is meant to run every night, unattended, on a folder anyone can drop files into, while
analysts query the published warehouse and the odd second build gets started by hand. Unit tests
check each defence alone; this checks them together and over time. Each round:

1. mutates one raw folder, which persists across rounds like the real one: the sample reports of
   data/raw (a few removed, restored or renamed) and one fresh instance of every hostile kind in
   bench/hostile.py (kept, rewritten, renamed or deleted since the last round), all from a seeded RNG;
2. runs `shufa build` into one persistent warehouse while, at the same time, a thread appends to a
   report in the folder, another process queries the published warehouse in a loop (read-only
   DuckDB connections, as analysts' notebooks do), and competing `shufa build`s of the same
   warehouse are started (a refusal or a wait is the right answer; a traceback is a crash);
3. checks the published warehouse: `shufa test-data` passes; its documents, blocks, facts and
   county-year values for the good reports equal those of a clean build of the good reports alone
   (built once per distinct set of good files); no key is duplicated; every file in the folder is
   a document or an `ingest_errors` row (none silently missing); no path is listed that is not in
   the folder; and no text from outside the folder (a canary behind a symlink or an XML external
   entity) reached the warehouse.

Everything is written outside the repository ($SHUFA_SOAK_DIR, default shufa-soak in the temp
folder; wiped at start, kept at the end with each failed build's log under logs/), and the figures
go to bench/results/soak.json. The soak reports what it sees and exits 0: it measures, it does not
gate.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile  # noqa: E402  (bench/ is not a package)

from pipelines.ingest.corpus import recorded_path  # noqa: E402  (the README's rule for names not UTF-8 on disk)
from pipelines.settings import draft_pattern  # noqa: E402  (where a build writes before it publishes)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw"
RESULTS = ROOT / "bench" / "results" / "soak.json"
HOSTILE_FOLDER = "异常"
BUILD_TIMEOUT_S = 900  # a build still running after this is killed and counted as hung
EXAMPLES = 3  # examples kept per failure class

# Row sets that must come out the same as a clean build of the good files (run ids and times aside).
# `?` is the list of the good documents' ids; indicator_values is compared whole, since the hostile
# reports name no county and so cannot add county-year values.
COMPARE = {
    "documents": "SELECT doc_id, status, county_code, year, report_type FROM documents WHERE list_contains(?, doc_id)",
    "document_blocks": "SELECT doc_id, block_no, text FROM document_blocks WHERE list_contains(?, doc_id)",
    "indicator_facts": "SELECT doc_id, fact_no, indicator_code, value, fact_year FROM indicator_facts "
                       "WHERE list_contains(?, doc_id)",
    "indicator_values": "SELECT county_code, year, indicator_code, value, masked FROM indicator_values",
}
# Keys that must be unique in the whole warehouse (table, columns); the last one is the same figure
# taken twice under different fact numbers.
UNIQUE = {
    "documents": ("documents", "doc_id"),
    "document_files": ("document_files", "path"),
    "document_blocks": ("document_blocks", "doc_id, block_no"),
    "ingest_errors": ("ingest_errors", "path"),
    "quantities": ("quantities", "doc_id, quantity_no"),
    "indicator_facts": ("indicator_facts", "doc_id, fact_no"),
    "indicator_values": ("indicator_values", "county_code, year, indicator_code"),
    "yoy_trends": ("yoy_trends", "county_code, indicator_code, year"),
    "county_rankings": ("county_rankings", "year, indicator_code, county_code"),
    "county_scorecard": ("county_scorecard", "county_code, year"),
    "indicator_facts_same_figure": ("indicator_facts", "doc_id, indicator_code, char_start, char_end, fact_year"),
}
# What analysts run while builds publish (the README's example queries and two counts).
QUERIES = [
    "SELECT count(*) FROM documents",
    "SELECT count(*) FROM indicator_values",
    "SELECT t.year, t.value FROM yoy_trends t JOIN dim_county c ON c.code = t.county_code "
    "WHERE c.name = '平阳县' AND t.indicator_code = 'legal_aid_cases' ORDER BY t.year",
    "SELECT r.rank, c.name, r.value FROM county_rankings r JOIN dim_county c ON c.code = r.county_code "
    "WHERE r.indicator_code = 'enforcement_training' AND r.year = 2023 ORDER BY r.rank LIMIT 10",
    "SELECT c.name, r.indicator_code, r.year, r.rank, r.n_ranked, r.rank_change, r.n_ranked_both, r.percentile_change "
    "FROM county_rankings r JOIN dim_county c ON c.code = r.county_code WHERE r.rank_change IS NOT NULL "
    "ORDER BY r.rank_change DESC, r.percentile_change DESC, r.year DESC LIMIT 10",
]
# How a build that declined to run because another holds the warehouse says so (and one that queued).
REFUSED = re.compile(r"another build|already (?:running|being built)|build[^\n]{0,40}in progress", re.I)
WAITED = re.compile(r"waiting for (?:the|another) build", re.I)
CANARY_PREFIX = "SOAKCANARY"


# ---------------------------------------------------------------- running builds

@dataclass
class BuildRun:
    role: str  # main / competing / retry / reference
    outcome: str  # ok / waited / refused / crash
    rc: int | None
    seconds: float
    detail: str = ""  # the refusal or the crash's last words
    log: str | None = None  # where the output of a crashed build was kept


def shufa() -> list[str]:
    """The `shufa` console script beside this Python, else the module (same code either way)."""
    script = Path(sys.executable).with_name("shufa")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipelines.cli"]


def build_env(timeout_s: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SHUFA_RAW", "SHUFA_WAREHOUSE", "DAGSTER_HOME")}
    env.setdefault("SHUFA_TIMEOUT_S", str(timeout_s))
    return env


def supports_wait() -> bool:
    """Whether `shufa build` has --wait (queue behind a running build): then some competitors use it."""
    usage = subprocess.run([*shufa(), "build", "--help"], cwd=ROOT, capture_output=True, text=True).stdout
    return "--wait" in usage


def start_build(raw: Path, warehouse: Path, env: dict[str, str], wait: bool = False) -> subprocess.Popen:
    return subprocess.Popen([*shufa(), "build", "--raw", str(raw), "--warehouse", str(warehouse), *(["--wait"] if wait else [])],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, errors="replace", start_new_session=True)


def finish_build(process: subprocess.Popen, role: str, started: float, logs: Path, tag: str) -> BuildRun:
    """Wait for a build (killing its process group if it hangs), classify it, keep a crash's log."""
    try:
        out, err = process.communicate(timeout=BUILD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        out, err = process.communicate()
        err += f"\n[soak] hung: killed after {BUILD_TIMEOUT_S} s"
    outcome, detail = classify(process.returncode, out, err)
    run = BuildRun(role, outcome, process.returncode, round(time.perf_counter() - started, 2), detail)
    if outcome == "crash":
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"{tag}-{role}.log"
        log.write_text(f"$ rc={process.returncode}\n--- stdout\n{out}\n--- stderr\n{err}", encoding="utf-8")
        run.log = str(log)
    return run


def run_build(raw: Path, warehouse: Path, role: str, env: dict[str, str], logs: Path, tag: str,
              wait: bool = False) -> BuildRun:
    started = time.perf_counter()
    return finish_build(start_build(raw, warehouse, env, wait), role, started, logs, tag)


def classify(rc: int, out: str, err: str) -> tuple[str, str]:
    """ok / waited / refused / crash, and a one-line detail. A traceback is a crash whatever the exit code;
    a nonzero exit is a refusal only when the build says another build holds the warehouse."""
    if "Traceback (most recent call last)" in err:
        return "crash", "traceback: " + _last_exception(err)
    if rc == 0:
        return ("waited" if WAITED.search(out + err) else "ok"), ""
    if REFUSED.search(out + err):
        return "refused", next(line for line in (out + err).splitlines() if REFUSED.search(line))[:200]
    if "[soak] hung" in err:
        return "crash", f"hung: still running after {BUILD_TIMEOUT_S} s"
    if rc < 0:
        return "crash", f"killed by signal {-rc}"
    return "crash", _failure_message(out + "\n" + err)


def _last_exception(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith((" ", "\t"))]
    return (lines[-1] if lines else "?")[:300]


def _failure_message(text: str) -> str:
    """The CLI's `FAILED after …` message: the lines after it (Dagster's root causes), joined."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "FAILED" in line), -1)
    tail = [line.strip() for line in lines[start + 1:] if line.strip()] or [line.strip() for line in lines if line.strip()][-2:]
    return " | ".join(tail[:3])[:400]


def signature(detail: str) -> str:
    """A failure's class: its message with numbers, hex ids and quoted paths taken out."""
    detail = re.sub(r"(?<![A-Za-z])(['\"])[^'\"]{0,300}?\1", "'…'", detail)  # quoted, not an apostrophe
    detail = re.sub(r"/[^\s:,]+", "/…", detail)
    return re.sub(r"\b[0-9a-f]{8,}\b|\d+", "N", detail)[:160]


class Competitor(threading.Thread):
    """Starts competing `shufa build`s of the same warehouse while the round's build runs: usually once
    the main build has started its draft (so it holds the warehouse), sometimes at the same instant; a
    fifth of them with --wait when the CLI has it (they queue, then build)."""

    def __init__(self, raw: Path, warehouse: Path, main: subprocess.Popen, rng: random.Random,
                 env: dict[str, str], logs: Path, tag: str, max_builds: int = 1, can_wait: bool = False):
        super().__init__(daemon=True)
        self.raw, self.warehouse, self.main, self.rng = raw, warehouse, main, rng
        self.env, self.logs, self.tag, self.max_builds, self.can_wait = env, logs, tag, max_builds, can_wait
        self.runs: list[BuildRun] = []

    def _main_has_started(self) -> bool:
        deadline = time.monotonic() + 120
        while self.main.poll() is None and time.monotonic() < deadline:
            if any(self.warehouse.parent.glob(draft_pattern(self.warehouse))):
                return True
            time.sleep(0.1)
        return self.main.poll() is None

    def run(self) -> None:
        race = self.rng.random() < 0.25
        if not race and not self._main_has_started():
            return
        time.sleep(self.rng.uniform(0, 2))
        while len(self.runs) < self.max_builds and (self.main.poll() is None or (race and not self.runs)):
            tag = f"{self.tag}-c{len(self.runs) + 1}"
            wait = self.can_wait and self.rng.random() < 0.2
            self.runs.append(run_build(self.raw, self.warehouse, "competing", self.env, self.logs, tag, wait))
            time.sleep(self.rng.uniform(0.2, 1.5))


# ---------------------------------------------------------------- the analyst querying meanwhile

def query_loop(warehouse: str, stop, results) -> None:
    """In its own process: open the published warehouse read-only, run the analysts' queries, close,
    again and again until told to stop. Any error is a failure, except the warehouse not existing yet."""
    done, not_yet, failures = 0, 0, Counter()
    while not stop.is_set():
        if not os.path.exists(warehouse):
            not_yet += 1
            time.sleep(0.05)
            continue
        try:
            with duckdb.connect(warehouse, read_only=True) as con:
                for sql in QUERIES:
                    con.execute(sql).fetchall()
            done += 1
        except Exception as exc:  # noqa: BLE001 — every failure is what we are here to count
            if os.path.exists(warehouse):
                failures[f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:240]}"] += 1
            else:
                not_yet += 1
        time.sleep(0.2)  # an analyst's pace, not a benchmark: the builds need the cores
    results.put({"queries": done, "not_yet": not_yet, "failures": dict(failures)})


class Querier:
    """The query loop in a separate process (spawned: this process has threads)."""

    def __init__(self, warehouse: Path):
        context = multiprocessing.get_context("spawn")
        self.stop, self.results = context.Event(), context.Queue()
        self.process = context.Process(target=query_loop, args=(str(warehouse), self.stop, self.results), daemon=True)
        self.process.start()

    def finish(self) -> dict:
        self.stop.set()
        try:
            result = self.results.get(timeout=60)
        except Exception:  # noqa: BLE001 — the querier itself died
            result = {"queries": 0, "not_yet": 0, "failures": {"querier process died": 1}}
        self.process.join(timeout=10)
        return result


# ---------------------------------------------------------------- the raw folder

def is_report_file(relative: str) -> bool:
    """What the README says a build reads: not hidden, not a sidecar `.meta.json` or a `manifest.csv`."""
    parts = relative.split("/")
    return not any(p.startswith(".") for p in parts) and not parts[-1].endswith(".meta.json") and parts[-1] != "manifest.csv"


def sample_files() -> tuple[list[str], list[str]]:
    """(report files, metadata files) of the sample corpus, relative to data/raw."""
    everything = sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file())
    return [r for r in everything if is_report_file(r)], [r for r in everything if not is_report_file(r)]


@dataclass
class Instance:
    """One hostile kind's files in the folder this round."""

    kind: str
    roots: list[Path]  # top-level entries in the hostile folder (what to delete)
    files: list[str]  # files (links included) relative to the raw folder: what the warehouse should list

    def labels(self) -> dict[str, str]:
        """Each file's label in the report: the kind, with the extension when the files' extensions differ
        (副本.docx and 副本.doc are expected to fare differently)."""
        suffixes = {Path(f).suffix for f in self.files}
        return {f: self.kind if len(suffixes) <= 1 else f"{self.kind} [{Path(f).suffix}]" for f in self.files}


class Corpus:
    """The raw folder across rounds: good reports (copies of data/raw, at their relative paths, with the
    sidecar and manifest) and hostile instances in raw/异常, mutated each round."""

    def __init__(self, raw: Path, outside: Path, kinds: list[hostile.Kind]):
        self.raw, self.outside, self.kinds = raw, outside, kinds
        self.folder = raw / HOSTILE_FOLDER
        self.reports, self.metadata = sample_files()
        self.good: dict[str, str] = {}  # path in raw -> path in data/raw
        self.hostile: dict[str, Instance] = {}  # stem -> instance
        self.cache: dict = {}  # hostile's expensive bytes
        self.events: Counter = Counter()  # what the mutations did, over the soak

    def setup(self, rng: random.Random) -> None:
        """Copy the sample in, and choose the few good reports that will come and go or be renamed: a small
        pool keeps the number of distinct good sets, hence of reference builds, small."""
        self.removable = rng.sample(self.reports, 3)
        self.renamable = rng.sample([r for r in self.reports if not r.startswith("其他/")], 2)  # 其他/ has sidecars
        self.folder.mkdir(parents=True)
        self.outside.mkdir(parents=True, exist_ok=True)
        for relative in self.metadata:
            self._copy(relative, relative)
        for relative in self.reports:
            self._copy(relative, relative)

    def _copy(self, source: str, target: str) -> None:
        (self.raw / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLE / source, self.raw / target)
        if is_report_file(target):
            self.good[target] = source

    # -- good reports: one of the pool removed or restored, or renamed within its folder (metadata unchanged)

    def mutate_good(self, rng: random.Random) -> None:
        present = set(self.good.values())
        if rng.random() < 0.3:
            source = rng.choice(self.removable)
            if source in present:
                self._remove_good(source)
            else:
                self._copy(source, source)
                self.events["good restored"] += 1
        if rng.random() < 0.15:  # copied in again: same bytes, new modification time
            touch(self.raw / rng.choice(sorted(self.good)))
            self.events["good touched"] += 1
        renamable = [p for p, s in self.good.items() if s in self.renamable]
        if renamable and rng.random() < 0.15:
            path = rng.choice(renamable)
            source = self.good.pop(path)
            target = source if path != source else str(Path(source).with_name(Path(source).stem + "(重传)" + Path(source).suffix))
            (self.raw / path).rename(self.raw / target)
            self.good[target] = source
            self.events["good renamed"] += 1

    def _remove_good(self, source: str) -> None:
        path = next(p for p, s in self.good.items() if s == source)
        (self.raw / path).unlink()
        del self.good[path]
        self.events["good removed"] += 1

    # -- hostile files: each instance kept, touched, rewritten, renamed or deleted; missing kinds made afresh

    def mutate_hostile(self, ctx: hostile.Context) -> None:
        deleted = set()
        for stem, instance in list(self.hostile.items()):
            action = ctx.rng.choices(["keep", "touch", "rewrite", "rename", "delete"], [0.15, 0.1, 0.45, 0.15, 0.15])[0]
            if action == "rename" and not self._renamable(instance):
                action = "rewrite"
            self.events[f"hostile {action}"] += 1
            if action == "keep":
                continue
            if action == "touch":
                for root in instance.roots:
                    touch(root)
                continue
            if action == "rename":
                self._rename(stem, instance, ctx.round)
                continue
            self._delete(stem)
            if action == "delete":
                deleted.add(instance.kind)
        present = {i.kind for i in self.hostile.values()}
        for kind in self.kinds:
            if kind.name not in present and kind.name not in deleted:
                self._make(kind, ctx, f"{kind.name}_r{ctx.round}")

    def _renamable(self, instance: Instance) -> bool:
        """One plain file (not a link whose target is relative, not a folder)."""
        return len(instance.roots) == 1 and instance.roots[0].is_file() and not instance.roots[0].is_symlink()

    def _rename(self, stem: str, instance: Instance, round_no: int) -> None:
        old = instance.roots[0]
        new = old.with_name(f"{old.stem}_改名{round_no}{old.suffix}")
        old.rename(new)
        self.hostile[stem] = Instance(instance.kind, [new], [recorded_path(self.raw, new)])

    def _delete(self, stem: str) -> None:
        for root in self.hostile.pop(stem).roots:
            hostile.remove(root)

    def _make(self, kind: hostile.Kind, ctx: hostile.Context, stem: str) -> None:
        paths = kind.make(ctx, stem)
        roots = sorted({self.folder / p.relative_to(self.folder).parts[0] for p in paths})
        files = [recorded_path(self.raw, p) for p in paths if not os.path.isdir(p)]
        self.hostile[stem] = Instance(kind.name, roots, files)

    # -- what the warehouse should list

    def expected(self) -> dict[str, str]:
        """Every report file in the folder -> its kind, or "good".

        Walked without following links, so a link is itself a file to account for (dangling, looping or
        not); files inside an unlistable folder come from what the soak wrote there."""
        labels = {f: label for i in self.hostile.values() for f, label in i.labels().items()}
        labels.update(dict.fromkeys(self.good, "good"))
        unlistable: list[str] = []
        found: dict[str, str] = {}
        for folder, _, files in os.walk(self.raw, onerror=lambda e: unlistable.append(e.filename)):
            for name in files:
                relative = recorded_path(self.raw, Path(folder) / name)
                if is_report_file(relative):
                    found[relative] = labels.get(relative, "unknown")
        blocked = [recorded_path(self.raw, Path(d)) for d in unlistable]
        for relative, label in labels.items():
            if any(relative.startswith(b + "/") for b in blocked):
                found[relative] = label
        return found

    def quarantine(self, kind: str) -> None:
        """Take a kind out of the soak (its files out of the folder, and no new ones)."""
        self.kinds = [k for k in self.kinds if k.name != kind]
        for stem in [s for s, i in self.hostile.items() if i.kind == kind]:
            self._delete(stem)

    def appending_file(self) -> Path | None:
        return next((self.raw / i.files[0] for i in self.hostile.values() if i.kind == "appending"), None)

    def good_key(self, code: str) -> str:
        return hashlib.sha256(json.dumps([sorted(self.good.items()), code]).encode()).hexdigest()[:16]


def touch(path: Path) -> None:
    """A new modification time, same bytes (a file copied in again); a link is touched itself, a folder's files
    one by one (those that cannot be reached are left)."""
    try:
        if path.is_symlink():
            os.utime(path, follow_symlinks=False)
        elif path.is_dir():
            for child in path.iterdir():
                touch(child)
        else:
            os.utime(path)
    except OSError:
        pass


def copy_good(corpus: Corpus, raw: Path) -> None:
    """The good reports (and the sample's sidecar and manifest) at the paths they have in the soak's folder."""
    for target, source in [*((m, m) for m in corpus.metadata), *corpus.good.items()]:
        (raw / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLE / source, raw / target)


def copy_instances(instances: list[Instance], folder: Path) -> None:
    """Hostile instances copied as they are (links as links); what cannot be read (chmod 000, not root) is left out."""
    folder.mkdir(parents=True, exist_ok=True)
    for root in (r for i in instances for r in i.roots):
        try:
            if root.is_dir() and not root.is_symlink():
                shutil.copytree(root, folder / root.name, symlinks=True)
            else:
                shutil.copy2(root, folder / root.name, follow_symlinks=False)
        except OSError:
            pass


def code_digest() -> str:
    """A digest of the code and SQL a build runs: other people edit pipelines/ while the soak runs, and a
    reference built by other code is no reference."""
    digest = hashlib.sha256()
    for folder in (ROOT / "pipelines", ROOT / "dbt_like_sql"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".toml", ".sql", ".csv") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------- the clean reference builds

@dataclass
class Reference:
    ok: bool
    doc_ids: list[str] = field(default_factory=list)
    rows: dict[str, Counter] = field(default_factory=dict)
    duplicates: dict[str, int] = field(default_factory=dict)
    build: BuildRun | None = None


class References:
    """A clean build of each distinct set of good files (with the code as it is), built once and kept."""

    def __init__(self, work: Path, env: dict[str, str], logs: Path):
        self.work, self.env, self.logs = work, env, logs
        self.built: dict[str, Reference] = {}

    def get(self, corpus: Corpus, key: str, fresh: bool = False) -> tuple[Reference, bool]:
        """(the reference, whether it was built just now); ``fresh`` builds it again even if known."""
        if key in self.built and not fresh:
            return self.built[key], False
        folder = self.work / key
        shutil.rmtree(folder, ignore_errors=True)
        raw = folder / "raw"
        copy_good(corpus, raw)
        run = run_build(raw, folder / "warehouse.duckdb", "reference", self.env, self.logs, f"reference-{key}")
        reference = Reference(ok=run.outcome == "ok", build=run)
        if reference.ok:
            with duckdb.connect(str(folder / "warehouse.duckdb"), read_only=True) as con:
                reference.doc_ids = [d for (d,) in con.execute("SELECT doc_id FROM documents").fetchall()]
                reference.rows = compared_rows(con, reference.doc_ids)
                reference.duplicates = duplicate_counts(con)
        self.built[key] = reference
        return reference, True


# ---------------------------------------------------------------- checks on the published warehouse

def compared_rows(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> dict[str, Counter]:
    return {name: Counter(con.execute(sql, [doc_ids] if "?" in sql else []).fetchall()) for name, sql in COMPARE.items()}


def duplicate_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return {
        name: con.execute(f"SELECT count(*) - count(DISTINCT ({columns})) FROM {table}").fetchone()[0]
        for name, (table, columns) in UNIQUE.items() if table in tables
    }


def audit(warehouse: Path, env: dict[str, str]) -> tuple[bool, list[str]]:
    """`shufa test-data`: (passed, the FAIL lines or the error)."""
    result = subprocess.run([*shufa(), "test-data", "--warehouse", str(warehouse)], cwd=ROOT, env=env,
                            capture_output=True, text=True, errors="replace", timeout=600)
    if result.returncode == 0:
        return True, []
    fails = [line.strip() for line in result.stdout.splitlines() if line.startswith("FAIL")]
    return False, fails or [(result.stderr.strip().splitlines() or ["exit %d" % result.returncode])[-1][:300]]


def lenient(path: str) -> str:
    """A path as a UTF-8-only store can hold it (undecodable bytes replaced), to match names that were not UTF-8."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass
class Coverage:
    outcomes: dict[str, str]  # expected path -> document / error:KIND / missing
    unexpected: list[str]  # paths the warehouse lists that are not in the folder


def coverage(con: duckdb.DuckDBPyConnection, expected: dict[str, str]) -> Coverage:
    """Which expected files are documents, which are errors, which are missing; and which listed paths are
    not in the folder (a removed file still listed, a path through a looping link)."""
    files = {p for (p,) in con.execute("SELECT path FROM document_files").fetchall()}
    errors = dict(con.execute("SELECT path, error_kind FROM ingest_errors").fetchall())
    by_lenient = {lenient(p): p for p in [*files, *errors]}
    matched, outcomes = set(), {}
    for relative in expected:
        listed = relative if relative in files or relative in errors else by_lenient.get(lenient(relative))
        folder = next((e for e in errors if relative.startswith(e.rstrip("/") + "/")), None)
        if listed in files:
            outcomes[relative] = "document"
        elif listed in errors:
            outcomes[relative] = f"error:{errors[listed]}"
        elif folder is not None:
            outcomes[relative] = f"error:{errors[folder]} (its folder)"
            matched.add(folder)
        else:
            outcomes[relative] = "missing"
        matched.add(listed)
    unexpected = sorted(p for p in [*files, *errors] if p not in matched)
    return Coverage(outcomes, unexpected)


def canary_leaks(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(path, where) of every document or error whose text holds a canary: text from outside the raw folder."""
    pattern = f"%{CANARY_PREFIX}%"
    blocks = con.execute("SELECT DISTINCT d.path, 'document_blocks' FROM document_blocks b JOIN documents d USING (doc_id) "
                         "WHERE b.text LIKE ?", [pattern]).fetchall()
    reasons = con.execute("SELECT path, 'ingest_errors.reason' FROM ingest_errors WHERE reason LIKE ?", [pattern]).fetchall()
    return blocks + reasons


def ingest_error_summary(con: duckdb.DuckDBPyConnection) -> tuple[Counter, Counter]:
    """(rows by error_kind, rows by kind and reason class)."""
    rows = con.execute("SELECT error_kind, reason FROM ingest_errors").fetchall()
    return Counter(k for k, _ in rows), Counter(f"{k}: {signature(r or '')}" for k, r in rows)


# ---------------------------------------------------------------- one round

@dataclass
class Round:
    number: int
    files: int = 0
    good: int = 0
    hostile: int = 0
    builds: list[BuildRun] = field(default_factory=list)  # main first, then competing, then a retry
    reference: BuildRun | None = None  # the clean build of the good files, when this round needed a new one
    published: bool = False
    queries: dict = field(default_factory=dict)
    audit_passed: bool | None = None
    audit_failures: list[str] = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # table -> [reference rows, soak rows]
    lost: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    lost_examples: dict = field(default_factory=dict)
    duplicated: dict = field(default_factory=dict)
    outcomes: dict = field(default_factory=dict)  # path -> outcome
    labels: dict = field(default_factory=dict)  # path -> kind
    unexpected: list = field(default_factory=list)
    leaks: list = field(default_factory=list)
    errors_by_kind: Counter = field(default_factory=Counter)
    error_reasons: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    code_changed: bool = False
    bisect: dict = field(default_factory=dict)  # the crash, the kind found behind it, the builds it took
    reference_rebuilt: bool = False  # rows differed, so the reference was built again to confirm
    reference_drift: int = 0  # rows in which the two builds of the same reference differed
    appended_lines: int = 0
    note: str = ""


class Soak:
    """The work folder, the corpus, the references, and the rounds run on them."""

    def __init__(self, args: argparse.Namespace, kinds: list[hostile.Kind]):
        self.args, self.seed = args, args.seed
        self.work = args.work
        self.raw, self.warehouse = self.work / "raw", self.work / "warehouse" / "warehouse.duckdb"
        self.logs = self.work / "logs"
        self.env = build_env(args.timeout_s)
        self.corpus = Corpus(self.raw, self.work / "outside", kinds)
        self.references = References(self.work / "reference", self.env, self.logs)
        self.bisected: set[str] = set()  # crash signatures already traced to a kind (or found to have none)
        self.can_wait = supports_wait()

    def prepare(self) -> None:
        if self.work.exists():
            hostile.unlock(self.work)
            shutil.rmtree(self.work)
        self.warehouse.parent.mkdir(parents=True)
        self.corpus.setup(random.Random(f"{self.seed}:pool"))

    def mutate(self, rnd: Round, rng: random.Random) -> None:
        if rnd.number > 1:  # round 1 has every good report, so first-ingestion times match the reference's
            self.corpus.mutate_good(rng)
        canary = f"{CANARY_PREFIX}{rng.getrandbits(40):010x}"
        ctx = hostile.Context(rng, self.corpus.folder, self.corpus.outside, canary, rnd.number, self.corpus.cache)
        self.corpus.mutate_hostile(ctx)

    def run_round(self, number: int) -> Round:
        started = time.perf_counter()
        rnd = Round(number)
        rng = random.Random(f"{self.seed}:{number}")
        code = code_digest()
        self.mutate(rnd, rng)
        expected = self.corpus.expected()
        rnd.labels = expected
        rnd.files, rnd.good = len(expected), sum(1 for v in expected.values() if v == "good")
        rnd.hostile = rnd.files - rnd.good
        key = self.corpus.good_key(code)
        reference, built = self.references.get(self.corpus, key)
        if built:
            rnd.reference = reference.build
        self.build_under_load(rnd, rng)
        if self.quarantine_culprit(rnd):
            expected = self.corpus.expected()
            rnd.labels, rnd.files = expected, len(expected)
            rnd.hostile = rnd.files - rnd.good
        rnd.code_changed = code_digest() != code
        self.check(rnd, expected, reference, key)
        rnd.seconds = round(time.perf_counter() - started, 1)
        return rnd

    def build_under_load(self, rnd: Round, rng: random.Random) -> None:
        """The round's build, with the appender, the querier and the competing builds all running."""
        tag = f"round{rnd.number:03d}"
        appending = self.corpus.appending_file()
        appender = hostile.Appender(appending, random.Random(rng.random())) if appending else None
        querier = Querier(self.warehouse)
        if appender:
            appender.start()
        started = time.perf_counter()
        main = start_build(self.raw, self.warehouse, self.env)
        competitor = Competitor(self.raw, self.warehouse, main, random.Random(rng.random()), self.env, self.logs, tag,
                                max_builds=2 if rng.random() < 0.2 else 1, can_wait=self.can_wait)
        competitor.start()
        rnd.builds.append(finish_build(main, "main", started, self.logs, tag))
        if appender:
            appender.stop.set()
            appender.join()
            rnd.appended_lines = appender.lines
        competitor.join()
        rnd.builds.extend(competitor.runs)
        rnd.queries = querier.finish()
        if not self._published(rnd) and rnd.builds[0].outcome == "refused":  # a competitor won the race and crashed
            rnd.builds.append(run_build(self.raw, self.warehouse, "retry", self.env, self.logs, tag))
        rnd.published = self._published(rnd)

    def quarantine_culprit(self, rnd: Round) -> bool:
        """A kind that crashes every build would hide everything else for the rest of the soak. So when the
        round's build crashes in a way not seen before, find the kind behind it (bisecting the kinds present,
        on clean builds in a scratch folder), take it out of the soak, and build again. True if one was."""
        crash = rnd.builds[0]
        key = signature(crash.detail)
        if not self.args.quarantine or crash.outcome != "crash" or key in self.bisected or crash.detail.startswith("hung"):
            return False
        self.bisected.add(key)
        culprit, builds = self.bisect(key, list(self.corpus.hostile.values()), f"round{rnd.number:03d}")
        rnd.bisect = {"crash": crash.detail, "culprit": culprit, "builds": builds}
        if culprit is None:
            return False
        self.corpus.quarantine(culprit)
        rnd.builds.append(run_build(self.raw, self.warehouse, "retry", self.env, self.logs, f"round{rnd.number:03d}"))
        rnd.published = self._published(rnd)
        return True

    def bisect(self, key: str, instances: list[Instance], tag: str) -> tuple[str | None, int]:
        """(the one kind whose files alone crash a clean build with this signature, or None; builds run)."""
        builds = 0
        while len(instances) > 1:
            half = len(instances) // 2
            for part in (instances[:half], instances[half:]):
                builds += 1
                if self._crashes(part, key, f"{tag}-bisect{builds}"):
                    instances = part
                    break
            else:
                return None, builds  # neither half alone: an interaction, or not reproducible on a clean build
        return (instances[0].kind if instances else None), builds

    def _crashes(self, instances: list[Instance], key: str, tag: str) -> bool:
        scratch = self.work / "bisect"
        if scratch.exists():
            hostile.unlock(scratch)
            shutil.rmtree(scratch)
        copy_good(self.corpus, scratch / "raw")
        copy_instances(instances, scratch / "raw" / HOSTILE_FOLDER)
        run = run_build(scratch / "raw", scratch / "warehouse.duckdb", "bisect", self.env, self.logs, tag)
        return run.outcome == "crash" and signature(run.detail) == key

    @staticmethod
    def _published(rnd: Round) -> bool:
        return any(b.outcome in ("ok", "waited") for b in rnd.builds)

    def check(self, rnd: Round, expected: dict[str, str], reference: Reference, key: str) -> None:
        if not self.warehouse.exists():
            rnd.note = "no warehouse published yet"
            return
        rnd.audit_passed, rnd.audit_failures = audit(self.warehouse, self.env)
        if not rnd.published:
            rnd.note = "no build published this round: content checks skipped (the warehouse is an older round's)"
            return
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            if reference.ok:
                self.compare(rnd, con, reference)
                if any(rnd.lost.values()) or any(rnd.extra.values()):
                    self.confirm_with_fresh_reference(rnd, con, reference, key)
            else:
                rnd.note = "the reference build failed: content comparison skipped"
            found = coverage(con, expected)
            rnd.outcomes, rnd.unexpected = found.outcomes, found.unexpected
            rnd.leaks = canary_leaks(con)
            rnd.errors_by_kind, rnd.error_reasons = ingest_error_summary(con)

    def confirm_with_fresh_reference(self, rnd: Round, con, reference: Reference, key: str) -> None:
        """Rows lost or added are only a finding if the reference itself is reproducible: build it again
        from the same files. If the new one differs from the old, the code changed under the soak (or a
        reader is not deterministic): that is recorded as drift, and the warehouse compared with the new one."""
        again, _ = self.references.get(self.corpus, key, fresh=True)
        rnd.reference_rebuilt = True
        if not again.ok or again.rows == reference.rows:
            return
        rnd.reference_drift = sum(sum(((a - b) + (b - a)).values())
                                  for a, b in ((reference.rows[t], again.rows[t]) for t in COMPARE))
        rnd.note = ("a fresh reference build of the same files differs from the earlier one "
                    f"({rnd.reference_drift} rows): compared with the fresh one")
        self.compare(rnd, con, again)

    def compare(self, rnd: Round, con: duckdb.DuckDBPyConnection, reference: Reference) -> None:
        rnd.lost_examples = {}
        rows = compared_rows(con, reference.doc_ids)
        for table, expected_rows in reference.rows.items():
            lost, extra = expected_rows - rows[table], rows[table] - expected_rows
            rnd.counts[table] = [sum(expected_rows.values()), sum(rows[table].values())]
            rnd.lost[table], rnd.extra[table] = sum(lost.values()), sum(extra.values())
            if lost:
                rnd.lost_examples[table] = [repr(r)[:200] for r in list(lost)[:2]]
        duplicates = duplicate_counts(con)
        rnd.duplicated = {k: v - reference.duplicates.get(k, 0) for k, v in duplicates.items()
                          if v > reference.duplicates.get(k, 0)}


# ---------------------------------------------------------------- totals and the report

class Totals:
    """Everything the rounds found, summed, with a few examples of each failure class."""

    def __init__(self):
        self.rounds: list[Round] = []
        self.examples: dict[str, list] = defaultdict(list)
        self.crash_classes: Counter = Counter()
        self.missing_by_kind: Counter = Counter()
        self.outcomes_by_kind: dict[str, Counter] = defaultdict(Counter)
        self.query_failures: Counter = Counter()
        self.leaks: set = set()
        self.quarantined: dict[str, dict] = {}
        self.first_outcome: dict[str, str] = {}  # label -> outcome the first time it was seen
        self.history_dependent: dict[str, Counter] = defaultdict(Counter)
        self.unattributed: list[dict] = []

    def example(self, cls: str, value) -> None:
        if len(self.examples[cls]) < EXAMPLES and value not in self.examples[cls]:
            self.examples[cls].append(value)

    def add(self, rnd: Round) -> None:
        self.rounds.append(rnd)
        for b in [*rnd.builds, *([rnd.reference] if rnd.reference else [])]:
            if b.outcome == "crash":
                self.crash_classes[f"{b.role}: {signature(b.detail)}"] += 1
                self.example(f"crash {b.role}: {signature(b.detail)}", {"round": rnd.number, "detail": b.detail, "log": b.log})
        for message, n in rnd.queries.get("failures", {}).items():
            self.query_failures[message] += n
            self.example("query failure", {"round": rnd.number, "error": message})
        for path, outcome in rnd.outcomes.items():
            kind = rnd.labels.get(path, "unknown")
            self.outcomes_by_kind[kind][outcome] += 1
            self.note_history(kind, outcome, rnd.number, path)
            if outcome == "missing":
                self.missing_by_kind[kind] += 1
                self.example(f"missing {kind}", {"round": rnd.number, "path": path})
            elif kind == "good" and outcome != "document":
                self.example("good report not ingested", {"round": rnd.number, "path": path, "outcome": outcome})
        for path in rnd.unexpected:
            self.example("listed but not in the folder", {"round": rnd.number, "path": path})
        for table, examples in rnd.lost_examples.items():
            self.example(f"lost {table}", {"round": rnd.number, "rows": examples})
        for failure in rnd.audit_failures:
            self.example("audit failure", {"round": rnd.number, "test": failure})
        for table, n in rnd.duplicated.items():
            self.example("duplicated rows", {"round": rnd.number, "table": table, "rows": n})
        self.leaks.update(rnd.leaks)
        if rnd.bisect.get("culprit"):
            self.quarantined[rnd.bisect["culprit"]] = {"round": rnd.number, **rnd.bisect}
        elif rnd.bisect:
            self.unattributed.append({"round": rnd.number, **rnd.bisect})

    def note_history(self, label: str, outcome: str, round_no: int, path: str) -> None:
        """A kind whose files are all damaged alike should always fare alike; when one fares differently
        in a later round, the outcome depended on what the folder held before (an incremental-build bug)."""
        kind = hostile.KINDS_BY_NAME.get(label.split(" [")[0])
        first = self.first_outcome.setdefault(label, outcome)
        if outcome != first and (label == "good" or (kind is not None and not kind.varies)):
            self.history_dependent[label][f"{first} -> {outcome}"] += 1
            self.example(f"outcome changed {label}", {"round": round_no, "path": path, "first": first, "now": outcome})

    def builds(self, role: str) -> Counter:
        return Counter(b.outcome for r in self.rounds for b in r.builds if b.role == role)

    def summed(self, attribute: str) -> Counter:
        total = Counter()
        for r in self.rounds:
            total.update(getattr(r, attribute))
        return total

    def report(self, soak: Soak, seconds: float) -> dict:
        rounds = self.rounds
        hostile_outcomes = {k: dict(v) for k, v in sorted(self.outcomes_by_kind.items())}
        return {
            "rounds": len(rounds),
            "seed": soak.seed,
            "total_seconds": round(seconds, 1),
            "seconds_per_round": {"mean": round(seconds / max(1, len(rounds)), 1),
                                  "max": max((r.seconds for r in rounds), default=0),
                                  "main_build_mean": round(sum(r.builds[0].seconds for r in rounds if r.builds) / max(1, len(rounds)), 1),
                                  "reference_builds": sum(1 for r in rounds if r.reference)},
            "files_tried": sum(r.files for r in rounds),
            "good_files_tried": sum(r.good for r in rounds),
            "hostile_files_tried": sum(r.hostile for r in rounds),
            "rounds_published": sum(r.published for r in rounds),
            "builds": {"main": dict(self.builds("main")), "competing": dict(self.builds("competing")),
                       "retry": dict(self.builds("retry")),
                       "reference": dict(Counter(r.reference.outcome for r in rounds if r.reference))},
            "crashes": {"total": sum(self.crash_classes.values()), "by_class": dict(self.crash_classes.most_common()),
                        "kinds_quarantined": self.quarantined, "not_traced_to_one_kind": self.unattributed,
                        "note": "a main build's new kind of crash is bisected over the hostile kinds present (clean "
                                "builds in a scratch folder); the kind found is taken out of the rest of the soak"},
            "competing_builds": {"started": sum(self.builds("competing").values()),
                                 "refused": self.builds("competing")["refused"], "waited": self.builds("competing")["waited"],
                                 "ran": self.builds("competing")["ok"], "crashed": self.builds("competing")["crash"]},
            "audit": {"passed": sum(r.audit_passed is True for r in rounds), "failed": sum(r.audit_passed is False for r in rounds)},
            "failures_recorded": {"ingest_errors_by_kind": dict(self.summed("errors_by_kind").most_common()),
                                  "by_reason": dict(self.summed("error_reasons").most_common(40)),
                                  "note": "ingest_errors rows in the published warehouse after each round, summed over rounds"},
            "lost_rows": dict(self.summed("lost")),
            "reference_drift": {"rounds": [r.number for r in rounds if r.reference_drift],
                                "rows": sum(r.reference_drift for r in rounds),
                                "note": "lost/extra rows are confirmed against a second reference build of the same "
                                        "files; rows in which the two reference builds differ are counted here"},
            "extra_rows": dict(self.summed("extra")),
            "duplicated_rows": dict(self.summed("duplicated")),
            "queries": {"run": sum(r.queries.get("queries", 0) for r in rounds),
                        "failed": sum(self.query_failures.values()), "by_error": dict(self.query_failures.most_common(10))},
            "missing_files": {"total": sum(self.missing_by_kind.values()), "by_kind": dict(self.missing_by_kind.most_common())},
            "listed_but_not_in_folder": sum(len(r.unexpected) for r in rounds),
            "outside_text_in_warehouse": sorted(list(p) for p in self.leaks),
            "outcomes_by_kind": hostile_outcomes,
            "outcome_depends_on_history": {k: dict(v) for k, v in self.history_dependent.items()},
            "expected_by_kind": {k.name: k.expect + (f" ({k.error_kind})" if k.error_kind else "") for k in soak.corpus.kinds},
            "mutations": dict(soak.corpus.events),
            "examples": dict(self.examples),
            "per_round": [round_summary(r) for r in rounds],
            "settings": {"work": str(soak.work), "SHUFA_TIMEOUT_S": soak.env.get("SHUFA_TIMEOUT_S"),
                         "kinds": [k.name for k in soak.corpus.kinds]},
            "machine": machine(),
            "notes": notes(rounds),
        }


def round_summary(r: Round) -> dict:
    return {
        "round": r.number, "seconds": r.seconds, "files": r.files, "good": r.good, "hostile": r.hostile,
        "builds": [f"{b.role}:{b.outcome}:{b.seconds}s" for b in r.builds], "published": r.published,
        "queries": r.queries.get("queries", 0), "query_failures": sum(r.queries.get("failures", {}).values()),
        "audit": r.audit_passed, "lost": sum(r.lost.values()), "extra": sum(r.extra.values()),
        "duplicated": sum(r.duplicated.values()), "missing": sum(o == "missing" for o in r.outcomes.values()),
        "unexpected": len(r.unexpected), "leaks": len(r.leaks), "reference_seconds": r.reference.seconds if r.reference else 0,
        "counts": r.counts, "reference_rebuilt": r.reference_rebuilt, "reference_drift": r.reference_drift,
        "appended_lines": r.appended_lines, "code_changed": r.code_changed, "note": r.note,
        "quarantined": r.bisect.get("culprit"),
    }


def notes(rounds: list[Round]) -> list[str]:
    out = []
    if os.geteuid() == 0:
        out.append("ran as root: unreadable_file and unreadable_folder (chmod 000) are readable to root, so they test nothing here")
    changed = [r.number for r in rounds if r.code_changed]
    if changed:
        out.append(f"pipelines/ or dbt_like_sql/ changed during rounds {changed}: their comparisons may mix two versions of the code")
    return out


def machine() -> dict:
    memory = None
    try:
        kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "pipelines", "dbt_like_sql"], cwd=ROOT,
                           capture_output=True, text=True).stdout.splitlines()
    return {"machine": platform.machine(), "cores": os.cpu_count(), "memory_gib": memory, "system": platform.platform(),
            "python": platform.python_version(), "duckdb": duckdb.__version__, "euid": os.geteuid(),
            "git_head": head, "uncommitted_pipeline_files": len(dirty)}


def progress_line(r: Round, total: int) -> str:
    builds = Counter(f"{b.role} {b.outcome}" for b in r.builds)
    main = r.builds[0]
    crash = next((f"{b.role}: {b.detail}" for b in [*r.builds, *([r.reference] if r.reference else [])]
                  if b.outcome == "crash"), "")
    audit_text = {True: "PASS", False: f"FAIL({len(r.audit_failures)})", None: "-"}[r.audit_passed]
    missing = Counter(r.labels.get(p) for p, o in r.outcomes.items() if o == "missing")
    line = (f"round {r.number}/{total}: {r.files} files ({r.good} good, {r.hostile} hostile) | "
            f"main {main.outcome} {main.seconds:.0f}s; "
            f"{', '.join(f'{n} {k}' for k, n in sorted(builds.items()) if not k.startswith('main'))} | "
            f"queries {r.queries.get('queries', 0)} ok {sum(r.queries.get('failures', {}).values())} failed | "
            f"audit {audit_text} | lost {sum(r.lost.values())} dup {sum(r.duplicated.values())} "
            f"missing {sum(missing.values())} unlisted {len(r.unexpected)} leaks {len(r.leaks)} | {r.seconds:.0f}s"
            + (f" (reference {r.reference.seconds:.0f}s)" if r.reference else ""))
    if missing:
        line += f"\n    missing: {', '.join(f'{k}×{n}' for k, n in missing.most_common())}"
    if crash:
        line += f"\n    crash: {crash[:300]}"
    if r.bisect:
        found = r.bisect["culprit"]
        line += (f"\n    bisected in {r.bisect['builds']} builds: " +
                 (f"{found} crashes the build; quarantined for the rest of the soak, then built again" if found
                  else "no single kind reproduces it on a clean build"))
    if r.note:
        line += f"\n    note: {r.note}"
    return line


# ---------------------------------------------------------------- command line

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=30, help="rounds to run (default 30; about 15–20 min on a quiet 2-core machine, an estimate)")
    p.add_argument("--seed", type=int, default=None, help="RNG seed (default: from the clock; recorded in soak.json)")
    p.add_argument("--work", type=Path, default=None,
                   help="work folder, wiped at start (default $SHUFA_SOAK_DIR or shufa-soak in the temp folder)")
    p.add_argument("--timeout-s", type=float, default=30.0,
                   help="SHUFA_TIMEOUT_S for the builds, unless set in the environment (default 30)")
    p.add_argument("--skip", default="", help="comma-separated hostile kinds to leave out")
    p.add_argument("--only", default="", help="comma-separated hostile kinds to use (default: all)")
    p.add_argument("--no-quarantine", dest="quarantine", action="store_false",
                   help="keep a kind that crashes the build in the corpus (default: trace it and take it out)")
    p.add_argument("--results", type=Path, default=RESULTS, help=f"where to write the figures (default {RESULTS.relative_to(ROOT)})")
    args = p.parse_args(argv)
    args.seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    args.work = (args.work or Path(os.environ.get("SHUFA_SOAK_DIR") or Path(tempfile.gettempdir()) / "shufa-soak")).resolve()
    if args.work == ROOT or ROOT in args.work.parents:
        p.error(f"the work folder {args.work} is inside the repository; it is wiped at start")
    return args


def select_kinds(args: argparse.Namespace) -> list[hostile.Kind]:
    only = [k for k in args.only.split(",") if k]
    skip = [k for k in args.skip.split(",") if k]
    unknown = [k for k in only + skip if k not in hostile.KINDS_BY_NAME]
    if unknown:
        sys.exit(f"unknown hostile kind(s): {', '.join(unknown)}; known: {', '.join(hostile.KINDS_BY_NAME)}")
    return [k for k in hostile.KINDS if (not only or k.name in only) and k.name not in skip]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    soak = Soak(args, select_kinds(args))
    print(f"soak: {args.rounds} rounds, seed {soak.seed}, {len(soak.corpus.kinds)} hostile kinds, work folder {soak.work}"
          + (" (running as root: chmod-000 files are readable to root and test nothing)" if os.geteuid() == 0 else ""),
          flush=True)
    soak.prepare()
    totals, started = Totals(), time.perf_counter()
    for number in range(1, args.rounds + 1):
        rnd = soak.run_round(number)
        totals.add(rnd)
        print(progress_line(rnd, args.rounds), flush=True)
        write(args.results, totals.report(soak, time.perf_counter() - started))  # after every round: a killed soak keeps its figures
    report = totals.report(soak, time.perf_counter() - started)
    write(args.results, report)
    print_summary(report, args.results)
    return 0


def write(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def print_summary(report: dict, path: Path) -> None:
    print(f"\n{report['rounds']} rounds in {report['total_seconds']:.0f}s ({report['seconds_per_round']['mean']}s a round), "
          f"seed {report['seed']}: {report['files_tried']} files tried ({report['hostile_files_tried']} hostile)")
    print(f"crashes {report['crashes']['total']}, audit failures {report['audit']['failed']}, "
          f"lost rows {sum(report['lost_rows'].values())}, duplicated rows {sum(report['duplicated_rows'].values())}, "
          f"missing files {report['missing_files']['total']}, query failures {report['queries']['failed']}, "
          f"competing builds {report['competing_builds']['started']} ({report['competing_builds']['refused']} refused, "
          f"{report['competing_builds']['waited']} waited), outside text in the warehouse {len(report['outside_text_in_warehouse'])}")
    for cls, n in report["crashes"]["by_class"].items():
        print(f"  crash ×{n}: {cls}")
    for kind, found in report["crashes"]["kinds_quarantined"].items():
        print(f"  quarantined {kind} (round {found['round']}): {found['crash'][:200]}")
    for kind, n in report["missing_files"]["by_kind"].items():
        print(f"  missing ×{n}: {kind}")
    try:
        shown = path.relative_to(ROOT)
    except ValueError:
        shown = path
    print(f"written to {shown}")


if __name__ == "__main__":
    sys.exit(main())
