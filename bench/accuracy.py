"""Score extraction against truth: real report pages, the sample corpus, the hand-annotated sets.

    python bench/accuracy.py            (or: make bench-accuracy)

Prints precision, recall and F1 overall and per indicator for each set, and writes them to
bench/results/accuracy.json. The real development set (excerpts of published report pages coded
by a careful reader) lives outside the repository in ../shared/realdev/ (SHUFA_REALDEV overrides);
it is scored with its own scorer, through the `shufa` command as a user runs it, and skipped with a
note when it is not there. A predicted fact is correct when a truth fact of the same
document/passage has the same indicator, the same fact_year and the same value (or, for a
masked figure, the same digit-count bounds); each truth fact is matched at most once.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

from pipelines.extract.extract import extract_blocks
from pipelines.ingest.corpus import ingest_corpus
from pipelines.ingest.model import Block, Location
from pipelines.ingest.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "accuracy.json"


def _key(indicator: str, fact_year, value, masked: bool, lower, upper=None) -> tuple:
    """What must agree for a fact to count as found: indicator, year, and value (or bounds)."""
    if masked:
        return (indicator, fact_year, "masked", None if lower is None else round(float(lower), 4))
    if value is None or value == "":  # a range: 3至5次
        return (indicator, fact_year, "range", lower, upper)
    return (indicator, fact_year, "value", round(float(value), 4))


def _masked_lower(as_written: str) -> float:
    """Digit-count lower bound of a masked figure: ***件 → 100, **.*% → 10, *万余份 → 10000."""
    integer_part = normalize_text(as_written).split(".")[0]
    stars = sum(1 for c in integer_part if c in "*×")
    multiplier = 10000 if "万" in as_written and "万元" not in as_written else 1
    return float(10 ** (stars - 1) * multiplier)


def score(predicted: dict[str, list[tuple]], truth: dict[str, list[tuple]]) -> dict:
    """Micro precision/recall/F1 overall and per indicator over keyed facts, grouped by document."""
    tp, fp, fn = Counter(), Counter(), Counter()
    errors = []
    for doc in set(predicted) | set(truth):
        remaining = Counter(truth.get(doc, []))
        for key in predicted.get(doc, []):
            if remaining[key] > 0:
                remaining[key] -= 1
                tp[key[0]] += 1
            else:
                fp[key[0]] += 1
                errors.append({"doc": doc, "kind": "false_positive", "fact": list(key)})
        for key, n in remaining.items():
            if n > 0:
                fn[key[0]] += n
                errors.extend({"doc": doc, "kind": "missed", "fact": list(key)} for _ in range(n))

    def prf(t, f_p, f_n):
        p = t / (t + f_p) if t + f_p else 1.0
        r = t / (t + f_n) if t + f_n else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), "tp": t, "fp": f_p, "fn": f_n}

    indicators = sorted(set(tp) | set(fp) | set(fn))
    return {
        "overall": prf(sum(tp.values()), sum(fp.values()), sum(fn.values())),
        "per_indicator": {i: prf(tp[i], fp[i], fn[i]) for i in indicators},
        "errors": sorted(errors, key=lambda e: (e["doc"], e["kind"], str(e["fact"]))),
    }


def sample_corpus(raw: Path, truth_csv: Path) -> dict:
    truth: dict[str, list[tuple]] = defaultdict(list)
    with truth_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            masked = row["masked"] == "true"
            lower = _masked_lower(row["as_written"]) if masked else None
            truth[row["file"]].append(_key(row["indicator_code"], int(row["fact_year"]), row["value"] or None, masked, lower))
    result = ingest_corpus(raw)
    predicted: dict[str, list[tuple]] = defaultdict(list)
    for doc in result.documents:
        paths = [p for p, d in result.files.items() if d == doc.doc_id]
        extraction = extract_blocks(doc.parsed.blocks, doc.metadata.year)
        keys = [_key(f.indicator_code, f.fact_year, f.value, f.masked, f.lower, f.upper) for f in extraction.facts]
        for path in paths:
            predicted[path] = keys
    return score(predicted, truth)


def hand_set(path: Path) -> dict:
    """Score the passages of a hand-annotated TOML set."""
    data = tomllib.loads(path.read_text("utf-8"))
    truth: dict[str, list[tuple]] = {}
    predicted: dict[str, list[tuple]] = {}
    for passage in data["passage"]:
        section = tuple(normalize_text(h) for h in passage.get("section", []))
        blocks = [
            Block(n, "paragraph", normalize_text(line), Location(paragraph=n + 1), section)
            for n, line in enumerate(l for l in passage["text"].splitlines() if l.strip())
        ]
        extraction = extract_blocks(blocks, passage["year"])
        predicted[passage["id"]] = [
            _key(f.indicator_code, f.fact_year, f.value, f.masked, f.lower, f.upper) for f in extraction.facts
        ]
        truth[passage["id"]] = [
            _key(f["indicator"], f.get("fact_year", passage["year"]), f.get("value"), f.get("masked", False),
                 f.get("lower"), f.get("upper"))
            for f in passage.get("fact", [])
        ]
    return score(predicted, truth)


def real_development_set(folder: Path) -> dict | None:
    """Figures of the real development set's own scorer (score.py --json), or None when it is absent."""
    scorer = folder / "score.py"
    if not scorer.exists():
        return None
    shufa = Path(sys.executable).with_name("shufa")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "realdev.json"
        run = subprocess.run([sys.executable, str(scorer), str(shufa), "--json", str(out)], capture_output=True, text=True)
        if run.returncode != 0 or not out.exists():
            raise RuntimeError(f"{scorer} failed: {run.stdout[-500:]} {run.stderr[-500:]}")
        figures = json.loads(out.read_text(encoding="utf-8"))
    figures["summary"] = run.stdout.strip().splitlines()[-1]
    return figures


def high_confidence_precision(folder: Path, threshold: float = 0.9) -> dict:
    """Precision of the facts at confidence >= threshold on the real development set.

    What ``confidence`` promises (README): facts at 0.9 or more are right at least 98% of the time;
    the rest carry needs_review. Matched per text as a multiset on (indicator, value), rows the
    coders marked unsure neither rewarded nor counted against, as the set's own scorer does.
    """
    def rows(pattern):
        found = []
        for path in sorted(folder.glob(pattern)):
            with path.open(encoding="utf-8") as handle:
                found += list(csv.DictReader(handle, delimiter="\t"))
        return found

    def value(v):
        text = str(v).strip()
        return "MASK" if text and set(text) <= set("*＊×Xx") else round(float(text), 4)

    ids = [r["id"] for r in rows("index_*.tsv")]
    gold, optional = defaultdict(Counter), defaultdict(Counter)
    for r in rows("annotations_*.tsv"):
        (optional if r.get("note", "").startswith("unsure") else gold)[r["id"]][(r["code"], value(r["value"]))] += 1
    files = {str((folder / "texts" / f"{i}.txt").resolve()): i for i in ids}
    shufa = Path(sys.executable).with_name("shufa")
    out = subprocess.run([str(shufa), "extract", *files, "--json"], capture_output=True, text=True).stdout
    confident = defaultdict(Counter)
    for line in out.splitlines():
        fact = json.loads(line)
        if fact["confidence"] >= threshold:
            key = (fact["indicator"], "MASK" if fact["masked"] else value(fact["value"]))
            confident[files[str(Path(fact["file"]).resolve())]][key] += 1
    tp = fp = 0
    for i, predicted in confident.items():
        hit = gold[i] & predicted
        tp += sum(hit.values())
        fp += sum(((predicted - hit) - optional[i]).values())
    n_facts = sum(sum(c.values()) for c in confident.values())
    return {"threshold": threshold, "facts": n_facts, "tp": tp, "fp": fp,
            "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0}


def _print(name: str, result: dict) -> None:
    o = result["overall"]
    print(f"\n== {name}: precision {o['precision']:.3f}  recall {o['recall']:.3f}  F1 {o['f1']:.3f}  "
          f"(tp {o['tp']}, fp {o['fp']}, fn {o['fn']})")
    for code, m in result["per_indicator"].items():
        if m["fp"] or m["fn"]:
            print(f"   {code:32} P {m['precision']:.2f} R {m['recall']:.2f}  fp {m['fp']} fn {m['fn']}")


def main() -> int:
    results = {}
    realdev = Path(os.environ.get("SHUFA_REALDEV", ROOT.parent / "shared" / "realdev"))
    real = real_development_set(realdev)
    if real is None:
        print(f"== real development set: not found at {realdev} (set SHUFA_REALDEV); skipped")
    else:
        results["real_development_set"] = real
        county, year = real["county"], real["year"]
        print(f"== real development set ({real['texts']} excerpts of published pages; used in development): "
              f"precision {real['precision']:.3f}  recall {real['recall']:.3f}  F1 {real['f1']:.3f}  "
              f"(gold {real['gold']}, predicted {real['predicted']}); county {county[0]}/{county[1]}, year {year[0]}/{year[1]}")
        real["high_confidence"] = high_confidence_precision(realdev)
        high = real["high_confidence"]
        print(f"   facts at confidence >= {high['threshold']}: {high['facts']}, precision {high['precision']:.3f} "
              f"(tp {high['tp']}, fp {high['fp']}); the rest are flagged needs_review")
    raw, truth_csv = ROOT / "data" / "raw", ROOT / "data" / "sample_truth.csv"
    if truth_csv.exists():
        results["sample_corpus"] = sample_corpus(raw, truth_csv)
        _print("sample corpus (generator truth)", results["sample_corpus"])
    for key, name, label in [
        ("hand_set", "handset.toml", "hand-annotated passages (used in development)"),
        ("holdout", "handset_holdout.toml", "hand-annotated passages held out until issue 11 (since read in development)"),
    ]:
        path = ROOT / "bench" / name
        if path.exists():
            results[key] = hand_set(path)
            _print(label, results[key])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
