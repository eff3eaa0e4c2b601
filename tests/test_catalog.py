"""The indicator catalog honours the shared contract and is well formed."""

import csv
from pathlib import Path

import pytest

from pipelines.extract.catalog import catalog

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "indicators.tsv"


def test_contract_codes_units_and_polarity_unchanged():
    if not SPEC.exists():
        pytest.skip("../shared/spec/indicators.tsv is not present")
    with SPEC.open(encoding="utf-8") as handle:
        spec = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    ours = {i.code: i for i in catalog().indicators}
    for row in spec:
        indicator = ours[row["code"]]
        assert (indicator.unit, indicator.polarity, indicator.category, indicator.name_zh) == (
            row["unit"], row["polarity"], row["category"], row["name_zh"],
        ), row["code"]


def test_entries_are_well_formed():
    indicators = catalog().indicators
    assert len({i.code for i in indicators}) == len(indicators)
    for i in indicators:
        assert i.cues and i.name_en, i.code
        assert i.unit in i.units or i.unit in {u for u, _ in catalog().unit_conversions.values()}, i.code
        assert i.polarity in {"higher_better", "lower_better", "neutral"}, i.code
        assert i.topic_scope in {"segment", "clause", "sentence", "section"}, i.code
        assert not (i.is_rate and set(i.units) - {"%"}), i.code  # a rate is never written as a count
