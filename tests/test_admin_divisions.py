from pipelines.metadata.admin_divisions import admin_index, admin_units_frame


def test_covers_every_current_county_level_unit():
    frame = admin_units_frame()
    latest = frame["last_year"].max()
    assert latest >= 2024
    assert (frame["last_year"] == latest).sum() >= 2800


def test_liucheng_resolves_with_parents():
    (current,) = [u for u in admin_index().by_name["柳城县"] if u.valid_in(2023)]
    assert (current.code, current.city, current.province) == ("450222", "柳州市", "广西壮族自治区")


def test_county_turned_district_shares_a_lineage():
    index = admin_index()
    (county,) = [u for u in index.by_name["柳江县"] if u.valid_in(2015)]
    (district,) = [u for u in index.by_name["柳江区"] if u.valid_in(2016)]
    assert (county.code, district.code) == ("450221", "450206")
    assert county.lineage_code == district.lineage_code == "450206"
    assert county.last_year == 2015 and district.first_year == 2016


def test_municipal_districts_have_no_pseudo_city():
    beijing = [u for u in admin_index().by_name["通州区"] if u.province == "北京市"]
    assert beijing and all(u.city is None for u in beijing)


def test_cache_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("SHUFA_CACHE", str(tmp_path))
    first = admin_units_frame()
    assert list(tmp_path.glob("admin_units-*.csv"))
    second = admin_units_frame()
    assert first.equals(second)
