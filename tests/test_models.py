"""The analytics models on a small corpus whose every expected row was computed by hand.

Three counties (two in 广西, so province ranks differ from overall ranks), 2021-2023:
- 平阳县 has no 2022 report (a year missing in the middle);
- 柳城县 has no 2022 report either, but its 2023 report states a 2022 figure (attributed by fact_year);
- 柳江区 has two 2022 reports that disagree (annual report 120 vs 述法 report 130: a conflict the
  annual report wins), a masked 2022 rate, and its 2023 report quotes a third 2022 figure (125) that
  loses to the county's own 2022 reports;
- ties in 2021 and 2023; business_setup_days is lower_better; reconsideration_received is neutral.
"""

from __future__ import annotations

import duckdb
import pytest
from builders import write_txt

from pipelines.build import build

REPORTS = {
    "柳城县/2021.txt": ["柳城县2021年法治政府建设年度报告", "全年办理法律援助案件100件。", "企业开办时间压缩至5个工作日。",
                        "行政机关负责人出庭应诉率达90%。", "全年收到行政复议申请10件。"],
    "柳城县/2023.txt": ["柳城县2023年法治政府建设年度报告", "全年办理法律援助案件150件。", "2022年全县办理法律援助案件120件。",
                        "企业开办时间压缩至3个工作日。", "行政机关负责人出庭应诉率达100%。"],
    "柳江区/2021.txt": ["柳江区2021年法治政府建设年度报告", "全年办理法律援助案件150件。", "企业开办时间压缩至3个工作日。",
                        "行政机关负责人出庭应诉率达95%。"],
    "柳江区/2022.txt": ["柳江区2022年法治政府建设年度报告", "全年办理法律援助案件120件。", "企业开办时间压缩至4个工作日。",
                        "行政机关负责人出庭应诉率达**%。"],
    "柳江区/2022述法.txt": ["柳江区区长2022年度述法报告", "全年办理法律援助案件130件。"],
    "柳江区/2023.txt": ["柳江区2023年法治政府建设年度报告", "全年办理法律援助案件150件。", "2022年全区办理法律援助案件125件。",
                        "企业开办时间压缩至2个工作日。", "行政机关负责人出庭应诉率达100%。"],
    "平阳县/2021.txt": ["平阳县2021年法治政府建设年度报告", "全年办理法律援助案件150件。", "企业开办时间压缩至4个工作日。",
                        "行政机关负责人出庭应诉率达90%。"],
    "平阳县/2023.txt": ["平阳县2023年法治政府建设年度报告", "全年办理法律援助案件200件。", "企业开办时间压缩至2个工作日。",
                        "行政机关负责人出庭应诉率达98%。"],
}
LC, LJ, PY = "450222", "450206", "330326"  # 柳城县, 柳江区, 平阳县
AID, DAYS, RATE, RECON = "legal_aid_cases", "business_setup_days", "court_appearance_rate", "reconsideration_received"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    root = tmp_path_factory.mktemp("models")
    raw = root / "raw"
    for name, lines in REPORTS.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        write_txt(raw / name, lines)
    warehouse = root / "warehouse.duckdb"
    summary = build(raw, warehouse)
    assert summary.success, summary.failure
    assert not summary.failed_checks
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def rows(con, sql):
    return con.execute(sql).fetchall()


def same_rows(got, expected):
    """Order-insensitive comparison (expectations are listed in the order easiest to check by hand)."""

    def normal(row):
        return tuple(float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in row)

    return sorted(map(normal, got), key=repr) == sorted(map(normal, expected), key=repr)


def test_indicator_values(con):
    got = rows(con, f"SELECT county_code, year, indicator_code, value, masked, lower, upper, from_own_report FROM indicator_values "
                    f"WHERE indicator_code IN ('{AID}', '{RATE}', '{RECON}') ORDER BY ALL")
    assert same_rows(got, [
        (PY, 2021, AID, 150, False, 150, 150, True), (PY, 2021, RATE, 90, False, 90, 90, True),
        (PY, 2023, AID, 200, False, 200, 200, True), (PY, 2023, RATE, 98, False, 98, 98, True),
        (LJ, 2021, AID, 150, False, 150, 150, True), (LJ, 2021, RATE, 95, False, 95, 95, True),
        (LJ, 2022, AID, 120, False, 120, 120, True),  # the annual report beats the 述法 report and the quote
        (LJ, 2022, RATE, None, True, 10, 99, True),  # masked: no value, digit-count bounds
        (LJ, 2023, AID, 150, False, 150, 150, True), (LJ, 2023, RATE, 100, False, 100, 100, True),
        (LC, 2021, AID, 100, False, 100, 100, True), (LC, 2021, RATE, 90, False, 90, 90, True),
        (LC, 2021, RECON, 10, False, 10, 10, True),
        (LC, 2022, AID, 120, False, 120, 120, False),  # only known from the 2023 report
        (LC, 2023, AID, 150, False, 150, 150, True), (LC, 2023, RATE, 100, False, 100, 100, True),
    ])


def test_candidates_and_conflicts(con):
    candidates = rows(con, f"SELECT value, report_type, from_own_report, candidate_rank FROM indicator_value_candidates "
                           f"WHERE county_code = '{LJ}' AND year = 2022 AND indicator_code = '{AID}' ORDER BY candidate_rank")
    assert candidates == [(120, "法治政府建设年度报告", True, 1), (130, "述法报告", True, 2), (125, "法治政府建设年度报告", False, 3)]
    conflicts = rows(con, "SELECT county_code, year, indicator_code, n_candidates, n_distinct_values FROM indicator_conflicts")
    assert conflicts == [(LJ, 2022, AID, 3, 3)]
    assert rows(con, f"SELECT has_conflict FROM indicator_values WHERE county_code = '{LJ}' AND year = 2022 AND indicator_code = '{AID}'") == [(True,)]


def test_yoy_trends(con):
    got = rows(con, "SELECT county_code, indicator_code, year, value, prev_year, prev_value, gap_years, abs_change, pct_change, "
                    f"direction, improved FROM yoy_trends WHERE indicator_code IN ('{AID}', '{DAYS}', '{RATE}', '{RECON}') ORDER BY ALL")
    expected = [
        (PY, DAYS, 2021, 4, None, None, None, None, None, None, None),
        (PY, DAYS, 2023, 2, 2021, 4, 2, -2, -50.0, "down", True),  # lower_better: down is better
        (PY, AID, 2021, 150, None, None, None, None, None, None, None),
        (PY, AID, 2023, 200, 2021, 150, 2, 50, 33.33, "up", True),  # a year missing in the middle
        (PY, RATE, 2021, 90, None, None, None, None, None, None, None),
        (PY, RATE, 2023, 98, 2021, 90, 2, 8, 8.89, "up", True),
        (LJ, DAYS, 2021, 3, None, None, None, None, None, None, None),
        (LJ, DAYS, 2022, 4, 2021, 3, 1, 1, 33.33, "up", False),
        (LJ, DAYS, 2023, 2, 2022, 4, 1, -2, -50.0, "down", True),
        (LJ, AID, 2021, 150, None, None, None, None, None, None, None),
        (LJ, AID, 2022, 120, 2021, 150, 1, -30, -20.0, "down", False),
        (LJ, AID, 2023, 150, 2022, 120, 1, 30, 25.0, "up", True),
        (LJ, RATE, 2021, 95, None, None, None, None, None, None, None),
        (LJ, RATE, 2023, 100, 2021, 95, 2, 5, 5.26, "up", True),  # the masked 2022 is skipped
        (LC, DAYS, 2021, 5, None, None, None, None, None, None, None),
        (LC, DAYS, 2023, 3, 2021, 5, 2, -2, -40.0, "down", True),
        (LC, AID, 2021, 100, None, None, None, None, None, None, None),
        (LC, AID, 2022, 120, 2021, 100, 1, 20, 20.0, "up", True),
        (LC, AID, 2023, 150, 2022, 120, 1, 30, 25.0, "up", True),
        (LC, RATE, 2021, 90, None, None, None, None, None, None, None),
        (LC, RATE, 2023, 100, 2021, 90, 2, 10, 11.11, "up", True),
        (LC, RECON, 2021, 10, None, None, None, None, None, None, None),  # neutral: improved stays NULL
    ]
    assert same_rows(got, expected)


def test_county_rankings(con):
    got = rows(con, "SELECT year, indicator_code, county_code, rank, n_ranked, percentile, rank_change, percentile_change, "
                    "n_ranked_both, province_rank, province_n FROM county_rankings ORDER BY indicator_code, year, rank, county_code")
    assert same_rows(got, [
        (2021, DAYS, LJ, 1, 3, 1.0, None, None, None, 1, 2),  # lower_better ranks ascending
        (2021, DAYS, PY, 2, 3, 0.5, None, None, None, 1, 1),
        (2021, DAYS, LC, 3, 3, 0.0, None, None, None, 2, 2),
        (2022, DAYS, LJ, 1, 1, None, None, None, 1, 1, 1),  # alone: no percentile, and no field to move in
        (2023, DAYS, PY, 1, 3, 1.0, None, None, None, 1, 1),
        (2023, DAYS, LJ, 1, 3, 1.0, None, None, 1, 1, 2),  # a tie shares the best rank ...
        (2023, DAYS, LC, 3, 3, 0.0, None, None, None, 2, 2),  # ... and the next rank is skipped
        (2021, RATE, LJ, 1, 3, 1.0, None, None, None, 1, 2),
        (2021, RATE, PY, 2, 3, 0.5, None, None, None, 1, 1),
        (2021, RATE, LC, 2, 3, 0.5, None, None, None, 2, 2),
        (2023, RATE, LJ, 1, 3, 1.0, None, None, None, 1, 2),  # 2022 was masked: not ranked last year
        (2023, RATE, LC, 1, 3, 1.0, None, None, None, 1, 2),
        (2023, RATE, PY, 3, 3, 0.0, None, None, None, 1, 1),
        (2021, AID, LJ, 1, 3, 1.0, None, None, None, 1, 2),
        (2021, AID, PY, 1, 3, 1.0, None, None, None, 1, 1),
        (2021, AID, LC, 3, 3, 0.0, None, None, None, 2, 2),
        (2022, AID, LJ, 1, 2, 1.0, 0, 0.0, 2, 1, 2),
        (2022, AID, LC, 1, 2, 1.0, 1, 1.0, 2, 1, 2),  # 2nd of the two in 2021 (3rd of 3), joint 1st now: +1
        (2023, AID, PY, 1, 3, 1.0, None, None, None, 1, 1),  # not ranked in 2022
        (2023, AID, LJ, 2, 3, 0.5, 0, -0.5, 2, 1, 2),  # 平阳县 came back above them: no movement between the two
        (2023, AID, LC, 2, 3, 0.5, 0, -0.5, 2, 1, 2),
    ])
    # neutral indicators are never ranked
    assert rows(con, f"SELECT count(*) FROM county_rankings WHERE indicator_code = '{RECON}'") == [(0,)]


# Rank movement, case by case, on the county_rankings model alone (run in memory on hand-made inputs).
# Each case: the indicator's polarity, {county: {year: value}}, and the expected
# {(county, year): (rank, n_ranked, rank_change, percentile_change, n_ranked_both)} for every row.
RANK_MOVEMENT_CASES = {
    "last of five, then alone: no movement": (
        "higher_better",
        {"甲": {2021: 50}, "乙": {2021: 40}, "丙": {2021: 30}, "丁": {2021: 20}, "戊": {2021: 10, 2022: 5}},
        {("甲", 2021): (1, 5, None, None, None), ("乙", 2021): (2, 5, None, None, None),
         ("丙", 2021): (3, 5, None, None, None), ("丁", 2021): (4, 5, None, None, None),
         ("戊", 2021): (5, 5, None, None, None),
         ("戊", 2022): (1, 1, None, None, 1)},  # the old definition said +4
    ),
    "counties drop out, the rest keep their order": (
        "higher_better",
        {"甲": {2021: 50}, "乙": {2021: 40, 2022: 45}, "丙": {2021: 30}, "丁": {2021: 20, 2022: 25}, "戊": {2021: 10}},
        {("甲", 2021): (1, 5, None, None, None), ("乙", 2021): (2, 5, None, None, None),
         ("丙", 2021): (3, 5, None, None, None), ("丁", 2021): (4, 5, None, None, None),
         ("戊", 2021): (5, 5, None, None, None),
         ("乙", 2022): (1, 2, 0, 0.25, 2), ("丁", 2022): (2, 2, 0, -0.25, 2)},  # the old definition said +1 and +2
    ),
    "a county joins at the top, the others keep their order": (
        "higher_better",
        {"甲": {2021: 50, 2022: 50}, "乙": {2021: 40, 2022: 40}, "丙": {2022: 90}},
        {("甲", 2021): (1, 2, None, None, None), ("乙", 2021): (2, 2, None, None, None),
         ("丙", 2022): (1, 3, None, None, None),  # not ranked last year
         ("甲", 2022): (2, 3, 0, -0.5, 2), ("乙", 2022): (3, 3, 0, 0.0, 2)},
    ),
    "overtaking among the counties of both years, a newcomer aside": (
        "higher_better",
        {"甲": {2021: 30, 2022: 20}, "乙": {2021: 20, 2022: 10}, "丙": {2021: 10, 2022: 30}, "丁": {2022: 99}},
        {("甲", 2021): (1, 3, None, None, None), ("乙", 2021): (2, 3, None, None, None),
         ("丙", 2021): (3, 3, None, None, None),
         ("丁", 2022): (1, 4, None, None, None),
         ("丙", 2022): (2, 4, 2, 0.6667, 3), ("甲", 2022): (3, 4, -1, -0.6667, 3),
         ("乙", 2022): (4, 4, -1, -0.5, 3)},
    ),
    "lower is better: ranked ascending in both years": (
        "lower_better",
        {"甲": {2021: 5, 2022: 2}, "乙": {2021: 3, 2022: 4}},
        {("乙", 2021): (1, 2, None, None, None), ("甲", 2021): (2, 2, None, None, None),
         ("甲", 2022): (1, 2, 1, 1.0, 2), ("乙", 2022): (2, 2, -1, -1.0, 2)},
    ),
    "ties share the best common rank": (
        "higher_better",
        {"甲": {2021: 10, 2022: 8}, "乙": {2021: 10, 2022: 6}, "丙": {2021: 5, 2022: 8}},
        {("甲", 2021): (1, 3, None, None, None), ("乙", 2021): (1, 3, None, None, None),
         ("丙", 2021): (3, 3, None, None, None),
         ("甲", 2022): (1, 3, 0, 0.0, 3), ("丙", 2022): (1, 3, 2, 1.0, 3), ("乙", 2022): (3, 3, -2, -1.0, 3)},
    ),
    "a year missing between: the year before is not last year": (
        "higher_better",
        {"甲": {2021: 10, 2023: 30}, "乙": {2021: 20, 2023: 20}},
        {("乙", 2021): (1, 2, None, None, None), ("甲", 2021): (2, 2, None, None, None),
         ("甲", 2023): (1, 2, None, None, None), ("乙", 2023): (2, 2, None, None, None)},
    ),
}


def _rankings_of(polarity: str, values: dict[str, dict[int, float]]) -> dict:
    """county_rankings built by its own SQL file over an in-memory warehouse holding only VALUES."""
    from pipelines.models.project import PROJECT_DIR, build_model, load_model

    names = sorted(values)
    codes = {name: f"99{i:04d}" for i, name in enumerate(names)}
    with duckdb.connect() as memory:
        memory.execute("CREATE TABLE dim_indicator (code VARCHAR, polarity VARCHAR)")
        memory.execute("INSERT INTO dim_indicator VALUES ('指标', ?)", [polarity])
        memory.execute("CREATE TABLE dim_county (code VARCHAR, province VARCHAR)")
        memory.executemany("INSERT INTO dim_county VALUES (?, '某省')", [[codes[n]] for n in names])
        memory.execute("CREATE TABLE indicator_values (year INTEGER, indicator_code VARCHAR, county_code VARCHAR, value DOUBLE)")
        memory.executemany("INSERT INTO indicator_values VALUES (?, '指标', ?, ?)",
                           [[year, codes[name], value] for name, by_year in values.items() for year, value in by_year.items()])
        build_model(memory, load_model(PROJECT_DIR / "marts" / "county_rankings.sql", "marts"))
        got = memory.execute("SELECT county_code, year, rank, n_ranked, rank_change, percentile_change, n_ranked_both "
                             "FROM county_rankings").fetchall()
    by_code = {code: name for name, code in codes.items()}
    return {(by_code[code], year): tuple(rest) for code, year, *rest in got}


@pytest.mark.parametrize("polarity, values, expected", RANK_MOVEMENT_CASES.values(), ids=RANK_MOVEMENT_CASES.keys())
def test_rank_change_is_measured_among_counties_ranked_both_years(polarity, values, expected):
    assert _rankings_of(polarity, values) == expected


def test_county_scorecard(con):
    got = rows(con, "SELECT year, county_code, score, indicators_reported, indicators_ranked, coverage, score_rank "
                    "FROM county_scorecard ORDER BY year, score_rank, county_code")
    assert got == [
        (2021, LJ, 100.0, 3, 3, 1.0, 1),
        (2021, PY, 66.67, 3, 3, 1.0, 2),
        (2021, LC, 16.67, 3, 3, 1.0, 3),
        (2022, LJ, 100.0, 1, 1, 1.0, 1),  # only legal_aid_cases had two reporters in 2022
        (2022, LC, 100.0, 1, 1, 1.0, 1),
        (2023, LJ, 83.33, 3, 3, 1.0, 1),
        (2023, PY, 66.67, 3, 3, 1.0, 2),
        (2023, LC, 50.0, 3, 3, 1.0, 3),
    ]


def test_coverage_matrix(con):
    statuses = dict(
        ((c, y, i), s) for c, y, i, s in rows(con, "SELECT county_code, year, indicator_code, status FROM coverage_matrix")
    )
    assert statuses[(LJ, 2022, RATE)] == "masked"
    assert statuses[(LC, 2022, AID)] == "value"  # a county-year known only from a later report is a row
    assert statuses[(LC, 2022, DAYS)] == "missing"
    assert statuses[(PY, 2021, RECON)] == "missing"
    n_indicators = rows(con, "SELECT count(*) FROM dim_indicator")[0][0]
    county_years = {(c, y) for c, y, _ in statuses}
    assert county_years == {(LC, 2021), (LC, 2022), (LC, 2023), (LJ, 2021), (LJ, 2022), (LJ, 2023), (PY, 2021), (PY, 2023)}
    assert len(statuses) == len(county_years) * n_indicators


def test_dimensions(con):
    assert rows(con, f"SELECT code, name, city, province, level, former_codes FROM dim_county WHERE code IN ('{LJ}', '{LC}') ORDER BY code") == [
        (LJ, "柳江区", "柳州市", "广西壮族自治区", "市辖区", ["450221", "452221"]),
        (LC, "柳城县", "柳州市", "广西壮族自治区", "县", ["452222"]),
    ]
    assert rows(con, f"SELECT unit, polarity FROM dim_indicator WHERE code = '{DAYS}'") == [("工作日", "lower_better")]
    assert rows(con, "SELECT count(*) >= 2800 FROM dim_county WHERE valid_until = (SELECT max(valid_until) FROM dim_county)") == [(True,)]
