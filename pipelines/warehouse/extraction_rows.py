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


def _columns(cls) -> list[str]:
    return [f.name for f in fields(cls)]


def extraction_frames(outcomes: list[tuple[str, Extraction | str]], version: str, now: datetime,
                      inputs: dict[str, tuple[int | None, str | None]]) -> dict[str, pd.DataFrame]:
    """The quantities, indicator_facts and extractions rows of extracted documents: each outcome is
    an Extraction or, for a document whose extraction failed, the reason (an ``extractions`` row
    with the error and no figures). ``inputs``: doc_id -> (year, reader_version) it was extracted from."""
    results = [(doc_id, ex) for doc_id, ex in outcomes if not isinstance(ex, str)]
    # Rows as plain tuples: dataclasses.asdict deep-copies every field and cost more than the
    # extraction itself on a full build (all fields here are plain values).
    quantity_columns, fact_columns = _columns(QuantityRecord), _columns(Fact)
    quantity_values, fact_values = attrgetter(*quantity_columns), attrgetter(*fact_columns)
    quantities = pd.DataFrame(
        [(doc_id, *quantity_values(q)) for doc_id, ex in results for q in ex.quantities],
        columns=["doc_id", *quantity_columns],
    ).assign(extractor_version=version)
    facts = pd.DataFrame(
        [(doc_id, n, *fact_values(f)) for doc_id, ex in results for n, f in enumerate(ex.facts)],
        columns=["doc_id", "fact_no", *fact_columns],
    ).assign(extractor_version=version)
    extractions = pd.DataFrame(
        [(doc_id, version, now, 0 if isinstance(ex, str) else len(ex.quantities), 0 if isinstance(ex, str) else len(ex.facts),
          inputs[doc_id][0], inputs[doc_id][1], ex if isinstance(ex, str) else None)
         for doc_id, ex in outcomes],
        columns=["doc_id", "extractor_version", "extracted_at", "quantities", "facts", "doc_year", "reader_version",
                 "error"],
    )
    return {"quantities": quantities, "indicator_facts": facts, "extractions": extractions}


def catalog_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"code": i.code, "category": i.category, "name_zh": i.name_zh, "name_en": i.name_en, "unit": i.unit, "polarity": i.polarity}
            for i in catalog().indicators
        ]
    )
