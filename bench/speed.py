"""How much extraction adds to reading, on the sample corpus (documents per second).

    python bench/speed.py            (or: make bench)

Times, in one process, reading every report in data/raw into documents (parsing + metadata)
and then reading plus extracting quantities and facts; each stage is repeated and the median
kept. Scans read by OCR and legacy Word files converted by LibreOffice are left out: their engines
cost seconds a file and would drown what is measured here; bench/readers.py times them. Writes bench/results/speed.json with the machine it ran on. Whole-command timings of
`shufa build` belong to the larger benchmark that generates a 10,000-document corpus.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from pipelines.extract.extract import extract_blocks
from pipelines.ingest.corpus import ingest_corpus

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "speed.json"
REPEATS = 5


def _median_seconds(fn) -> float:
    fn()  # warm-up: imports, caches (admin divisions, catalog)
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    raw = ROOT / "data" / "raw"
    everything = ingest_corpus(raw)
    text_paths = [raw / d.path for d in everything.documents if not d.parsed.ocr_pages and d.parsed.format != "doc"]
    documents = len(text_paths)
    corpus = ingest_corpus(raw, paths=text_paths)

    def read() -> None:
        ingest_corpus(raw, paths=text_paths)

    def extract_only() -> None:
        for doc in corpus.documents:
            extract_blocks(doc.parsed.blocks, doc.metadata.year)

    reading = _median_seconds(read)
    extracting = _median_seconds(extract_only)
    result = {
        "corpus": "data/raw (bundled sample), text formats (no OCR, no .doc)",
        "documents": documents,
        "repeats": REPEATS,
        "read_seconds": round(reading, 4),
        "extract_seconds": round(extracting, 4),
        "read_docs_per_second": round(documents / reading, 1),
        "read_and_extract_docs_per_second": round(documents / (reading + extracting), 1),
        "extraction_overhead": round(extracting / reading, 4),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"{documents} documents: read {result['read_docs_per_second']} docs/s, "
          f"read+extract {result['read_and_extract_docs_per_second']} docs/s, "
          f"extraction adds {result['extraction_overhead']:.1%} to reading")
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
