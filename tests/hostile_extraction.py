"""A reader whose extraction fails on purpose: texts with 爆炸 make it raise, texts with 漫长 make it
hang. Its own module, so that spawned worker processes can import it (see test_extraction_failures)."""

import time

import pipelines.extract.from_file as from_file
from pipelines.warehouse.batch_rows import packed

REAL_EXTRACT = from_file.extract_blocks


def hostile_extract(blocks, year):
    text = "".join(b.text for b in blocks)
    if "爆炸" in text:
        raise OverflowError("int too large to convert to float")
    if "漫长" in text:
        time.sleep(30)
    return REAL_EXTRACT(blocks, year)


def read_and_pack(path, relative, limits):
    from_file.extract_blocks = hostile_extract  # in the worker process only
    return packed(from_file.ingest_and_extract(path, relative, limits))


def read_only(path, relative, limits):
    """Reading without extracting, as the documents of an older extractor were stored."""
    from pipelines.ingest.corpus import ingest_file

    return packed(ingest_file(path, relative, limits))
