"""Extraction on the two seed reports: every masked figure found as masked, every real figure found."""

import re

import pytest

from pipelines.extract.extract import extract_blocks
from pipelines.ingest.corpus import ingest_file

# A masked figure as the seeds write them: stars (one per digit), maybe 万/余, then a unit.
MASKED = re.compile(r"(\*+)(?:\.\*+)?万?(?:余|多)?(?=\s?(?:个工作日|人次|万元|小时|[件次名人个项%条家场册份幅篇处]))")
SECOND_SEED_FIGURES = ["28个", "224项", "6个", "3个工作日", "4个", "10处", "160余场", "12.5万余份", "410篇", "98%以上"] + ["100%"] * 3


def _extract(seeds_dir, name):
    doc = ingest_file(seeds_dir / name, name)
    return doc, extract_blocks(doc.parsed.blocks, doc.metadata.year)


@pytest.mark.parametrize("name", ["000_89fdb8b83284fd56.txt", "002_f2a895eea4d4a3ab.txt"])
def test_every_masked_figure_is_found_with_bounds(seeds_dir, name):
    doc, extraction = _extract(seeds_dir, name)
    text = doc.parsed.text
    masked = {q.char_start: q for q in extraction.quantities if q.masked}
    expected = list(MASKED.finditer(text))
    assert expected, "the seed has masked figures"
    for m in expected:
        q = masked.get(m.start())
        assert q is not None, f"masked figure not found: {text[m.start():m.end() + 2]}"
        digits = len(m.group(1))
        scale = 10000 if re.search(r"万(?!元)", q.text) else 1
        assert q.value is None and q.lower == 10 ** (digits - 1) * scale
        if q.qualifier != "at_least":
            assert q.upper is not None and q.upper < 10**digits * scale
    assert len(masked) == len(expected)  # and nothing else was taken for a masked figure


def test_every_real_figure_of_the_second_seed_is_a_quantity(seeds_dir):
    _, extraction = _extract(seeds_dir, "002_f2a895eea4d4a3ab.txt")
    found = [q.text for q in extraction.quantities if not q.masked]
    assert sorted(found) == sorted(SECOND_SEED_FIGURES)


def test_catalog_figures_of_the_second_seed_become_facts(seeds_dir):
    _, extraction = _extract(seeds_dir, "002_f2a895eea4d4a3ab.txt")
    facts = {(f.indicator_code, f.value, f.qualifier, f.fact_year) for f in extraction.facts if not f.masked}
    assert {
        ("gov_service_items", 224, None, 2023),
        ("business_setup_days", 3, None, 2023),
        ("court_appearance_rate", 100, None, 2023),
        ("judicial_offices_standardized", 4, None, 2023),
        ("legal_culture_sites", 10, None, 2023),
        ("publicity_events", 160, "at_least", 2023),
        ("publicity_materials", 125000, "at_least", 2023),
        ("publicity_articles", 410, None, 2023),
        ("law_exam_pass_rate", 100, None, 2023),
    } <= facts
    # 28个部门 and 98%以上 (a participation rate) are quantities but no catalog indicator
    assert not any(f.value in (28, 98) for f in extraction.facts)
    # the 2022 figure inside the 2023 report keeps its year
    assert any(f.indicator_code == "enforcement_officers" and f.fact_year == 2022 and f.masked for f in extraction.facts)
