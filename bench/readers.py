"""Each reader's speed on the sample corpus: seconds per file by format, OCR in pages per second.

    python bench/readers.py          (part of: make bench)

Every file under data/raw is read with parse_document (the pipeline's entry point) in this one
process, ``REPEATS`` times for the fast formats and ``SLOW_REPEATS`` for the ones that start an
engine per file (OCR'd scans, LibreOffice conversions); the median time per file is kept. A
scanned PDF is reported as ``pdf (OCR)`` with its pages per second, apart from text-layer PDFs,
so the OCR cost never hides in, or inflates, the text readers' figures. The first OCR call of a
process loads the models: that load is timed on its own. Writes bench/results/readers.json.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from pipelines import settings
from pipelines.ingest.corpus import scan_raw
from pipelines.ingest.document import parse_document
from pipelines.ingest.errors import IngestError

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "readers.json"
REPEATS = 5
SLOW_REPEATS = 2


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> int:
    raw = ROOT / "data" / "raw"
    limits = settings.read_limits()
    per_label: dict[str, list[tuple[float, int]]] = defaultdict(list)  # label -> (median seconds, pages)
    failures: dict[str, str] = {}
    first_ocr_seconds = None
    for path in scan_raw(raw):
        data = path.read_bytes()
        try:
            seconds, parsed = _timed(lambda: parse_document(path.name, data, limits))
        except IngestError as exc:
            failures[path.relative_to(raw).as_posix()] = f"{exc.kind}: {exc.reason}"
            continue
        slow = parsed.ocr_pages > 0 or parsed.format == "doc"
        if parsed.ocr_pages and first_ocr_seconds is None:
            first_ocr_seconds = seconds  # includes loading the OCR models
        times = [_timed(lambda: parse_document(path.name, data, limits))[0] for _ in range(SLOW_REPEATS if slow else REPEATS)]
        label = f"{parsed.format} (OCR)" if parsed.ocr_pages else parsed.format
        per_label[label].append((statistics.median(times), parsed.ocr_pages or (parsed.pages or 0)))
    formats = {}
    for label, runs in sorted(per_label.items()):
        total = sum(s for s, _ in runs)
        entry = {"files": len(runs), "seconds_per_file": round(total / len(runs), 4),
                 "files_per_second": round(len(runs) / total, 2) if total else None}
        if label.endswith("(OCR)"):
            pages = sum(p for _, p in runs)
            entry.update(pages=pages, pages_per_second=round(pages / total, 3) if total else None)
        formats[label] = entry
    result = {
        "corpus": "data/raw (bundled sample)",
        "repeats": {"fast formats": REPEATS, "OCR and .doc": SLOW_REPEATS},
        "formats": formats,
        "first_ocr_file_seconds_with_model_load": round(first_ocr_seconds, 3) if first_ocr_seconds else None,
        "not_read": failures,
        "ocr": limits.ocr,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    for label, entry in formats.items():
        extra = f", {entry['pages_per_second']} pages/s" if "pages_per_second" in entry else ""
        print(f"{label:>10}: {entry['files']} files, {entry['seconds_per_file'] * 1000:.0f} ms a file{extra}")
    for rel, why in failures.items():
        print(f"not read: {rel}: {why}")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
