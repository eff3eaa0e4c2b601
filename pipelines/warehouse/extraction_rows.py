"""The rows extraction writes, from the extractor's records: quantities, indicator_facts and
extractions per document, and the indicator catalog. Shared by the extraction layer (documents
extracted from their stored blocks) and the batch store (documents extracted where they were read)."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from operator import attrgetter

import pandas as pd

from ..extract.catalog import catalog
from ..extract.extract import Extraction, Fact, QuantityRecord


def _field_names(cls) -> list[str]:
    return [f.name for f in fields(cls)]


QUANTITY_COLUMNS = ["doc_id", *_field_names(QuantityRecord), "extractor_version"]
FACT_COLUMNS = ["doc_id", "fact_no", *_field_names(Fact), "extractor_version"]
EXTRACTION_COLUMNS = ["doc_id", "extractor_version", "extracted_at", "quantities", "facts", "doc_year", "reader_version",
                      "error"]
# Rows as plain tuples: dataclasses.asdict deep-copies every field and cost more than the
# extraction itself on a full build (all fields here are plain values).
_quantity_values = attrgetter(*_field_names(QuantityRecord))
_fact_values = attrgetter(*_field_names(Fact))


def extraction_rows(doc_id: str, extraction: Extraction | str, version: str, now: datetime,
                    inputs: tuple[int | None, str | None]) -> dict[str, list[tuple]]:
    """One document's quantities, indicator_facts and extractions rows (tuples in the *_COLUMNS
    order): ``extraction`` is its figures or, when extraction failed, the reason (an ``extractions``
    row with the error and no figures); ``inputs`` the (year, reader_version) it was extracted from."""
    failed = isinstance(extraction, str)
    return {
        "quantities": [] if failed else [(doc_id, *_quantity_values(q), version) for q in extraction.quantities],
        "indicator_facts": [] if failed else [(doc_id, n, *_fact_values(f), version)
                                              for n, f in enumerate(extraction.facts)],
        "extractions": [(doc_id, version, now, 0 if failed else len(extraction.quantities),
                         0 if failed else len(extraction.facts), inputs[0], inputs[1], extraction if failed else None)],
    }


COLUMNS = {"quantities": QUANTITY_COLUMNS, "indicator_facts": FACT_COLUMNS, "extractions": EXTRACTION_COLUMNS}


def extraction_frames(outcomes: list[tuple[str, Extraction | str]], version: str, now: datetime,
                      inputs: dict[str, tuple[int | None, str | None]]) -> dict[str, pd.DataFrame]:
    """The quantities, indicator_facts and extractions rows of extracted documents (``extraction_rows``
    of each outcome), as frames. ``inputs``: doc_id -> (year, reader_version) it was extracted from."""
    rows: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
    for doc_id, extraction in outcomes:
        for table, more in extraction_rows(doc_id, extraction, version, now, inputs[doc_id]).items():
            rows[table].extend(more)
    return {table: pd.DataFrame(rows[table], columns=columns) for table, columns in COLUMNS.items()}


def catalog_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"code": i.code, "category": i.category, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit, "polarity": i.polarity}
            for i in catalog().indicators
        ]
    )
