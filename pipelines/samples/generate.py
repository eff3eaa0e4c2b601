"""Deterministic generator of sample county rule-of-law reports and of their truth file.

Writes 法治政府建设年度报告 and 述法报告 in the style of real county reports, together with one
truth row per catalog figure written into them.  Text and truth come from the same records, so they
cannot disagree.  Formats (``--formats`` / ``--special-formats``):

    docx  Word 2007+ (python-docx, fixed zip timestamps)
    pdf   text-layer PDF (reportlab)
    txt   plain text (UTF-8, UTF-8 with BOM and CRLF, or GB18030)
    html  a county government site's article page as saved from the browser, GBK-encoded, with
          site header, menu, breadcrumbs, sidebar of other counties' reports and footer
          (render_web.py)
    scan  an image-only PDF: the document's lines drawn on 200 dpi A4 page images, no text layer,
          to be read by OCR (render_scan.py; Pillow and a CJK TrueType font)
    doc   Word 97 .doc: the docx converted by LibreOffice (render_doc.py; needs ``soffice``)

    python -m pipelines.samples.generate --out data/raw --truth data/sample_truth.csv

regenerates the bundled corpus (pipelines/samples/counties.csv x 2021-2023 as docx/pdf/txt, plus
special files: a masked report, a .meta.json sidecar, a manifest.csv, and one html, one scan and
one doc report) byte for byte.  The scan and the doc are made by outside tools (a font rasteriser,
LibreOffice) whose output may change with their version, so they are recorded in the hidden
``.tool-made.json`` at the corpus root with the hash of what they were made from; a run keeps such a
file when its source is unchanged and remakes it otherwise (see :func:`generate_corpus`).  The
library entry points are :func:`generate_corpus` and :func:`write_truth`; the prose lives in
``templates.toml`` next to this file.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import re
import struct
import time
import tomllib
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .tool_made import (TOOL_STAMPS, ToolMissing, read_tool_stamps, sha256_hex,  # noqa: F401
                        stored_tool_output, tool_source_key, write_tool_stamps)

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_PATH = PACKAGE_DIR / "templates.toml"
COUNTIES_PATH = PACKAGE_DIR / "counties.csv"
DEFAULT_YEARS = (2021, 2022, 2023)
DEFAULT_FORMATS = ("docx", "pdf", "txt")  # the main schedule of the bundled corpus
SPECIAL_FORMATS = ("html", "scan", "doc")  # one special document each (see plan_corpus)
ALL_FORMATS = DEFAULT_FORMATS + SPECIAL_FORMATS
EXTENSIONS = {"docx": "docx", "pdf": "pdf", "txt": "txt", "html": "html", "scan": "pdf", "doc": "doc"}
TOOL_MADE = ("scan", "doc")  # formats whose bytes come from an outside tool (see tool_made.py)
SPECIAL_DIR = "其他"  # files whose county cannot be told from their folder
REF_YEAR = 2020  # the value model's base year

TRUTH_FIELDS = (
    "file", "county_code", "year", "indicator_code", "value", "unit",
    "qualifier", "masked", "fact_year", "as_written",
)
MANIFEST_FIELDS = ("file", "county", "county_code", "year", "report_type", "issuer_role")
REPORT_TYPE_ZH = {"annual": "法治政府建设年度报告", "shufa": "述法报告"}

# Roles of 述法报告 issuers, cycled over the 述法 reports of a corpus (70% head of government,
# 20% party secretary, 10% head of the justice bureau).
SHUFA_ROLE_CYCLE = ("head", "secretary", "head", "head", "justice",
                    "head", "head", "secretary", "head", "head")


# --------------------------------------------------------------------------------------------
# Public data types


@dataclass(frozen=True)
class County:
    """A county-level division.  ``code`` is its current 6-digit admin code; the value model
    keys on it, so figures run on across a rename while the truth file carries the code in force
    in each report's year."""

    name: str
    city: str
    province: str
    code: str
    short: str = ""  # name used in phrases like 法治柳城; default: name minus its suffix
    former_name: str = ""  # name before ``renamed_year`` (e.g. 柳江县 before 2016)
    former_code: str = ""
    renamed_year: int | None = None
    years: tuple[int, ...] = ()  # overrides the corpus years for this county

    def name_in(self, year: int) -> str:
        if self.former_name and self.renamed_year and year < self.renamed_year:
            return self.former_name
        return self.name

    def code_in(self, year: int) -> str:
        """The admin code in force in ``year`` (450221 for 柳江县 before 2016)."""
        if self.former_code and self.renamed_year and year < self.renamed_year:
            return self.former_code
        return self.code

    def short_in(self, year: int) -> str:
        name = self.name_in(year)
        if name == self.name and self.short:
            return self.short
        return default_short(name)


@dataclass(frozen=True)
class TruthRow:
    file: str  # path relative to the corpus root, forward slashes
    county_code: str  # code in force in ``year`` (see County.code_in); empty when masked
    year: int  # year the report covers
    indicator_code: str
    value: str  # normalised number as text ("12000", "98.6"); empty when masked
    unit: str  # catalog unit
    qualifier: str  # at_least | approx | at_most | ""
    masked: bool
    fact_year: int
    as_written: str

    def as_record(self) -> dict[str, str]:
        return {
            "file": self.file, "county_code": self.county_code, "year": str(self.year),
            "indicator_code": self.indicator_code, "value": self.value, "unit": self.unit,
            "qualifier": self.qualifier, "masked": "true" if self.masked else "false",
            "fact_year": str(self.fact_year), "as_written": self.as_written,
        }


@dataclass
class DocSpec:
    """Everything that decides how one document looks (made by :func:`plan_corpus`)."""

    county: County
    year: int
    fmt: str  # docx | pdf | txt | html | scan | doc
    kind: str  # annual | shufa
    role: str  # gov | head | secretary | justice
    folder: str
    rng_key: str
    year_in_title: bool = True
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | gb18030 (txt only)
    newline: str = "\n"
    leading_blank: bool = False
    styled_headings: bool = False  # docx: Heading 1 / Heading 2 styles
    with_table: bool = False
    prev_mention: bool = False
    masked: bool = False  # county as **县, digits of figures as *
    anonymous: bool = False  # text says only 我县
    we_in_body: bool = False  # the title names the county, the rest says only 我县 (web page)
    has_title: bool = True
    paid_markers: bool = False
    sidecar: str = ""  # "" | meta | manifest


@dataclass
class Fig:
    code: str
    fact_year: int
    text: str
    value: Decimal | None
    qualifier: str
    masked: bool


@dataclass
class Block:
    kind: str  # title | h1 | h2 | p | caption | table | sign | marker | blank
    text: str = ""
    head: str = ""  # p: leading inline heading such as "（一）加强组织领导。"
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Document:
    spec: DocSpec
    title: str
    blocks: list[Block]
    figs: list[Fig]
    table_figs: list[Fig]
    sign_date: datetime


# --------------------------------------------------------------------------------------------
# Loading


@lru_cache(maxsize=4)
def load_templates(path: Path = TEMPLATES_PATH) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load_counties(path: Path = COUNTIES_PATH) -> list[County]:
    """Read a counties CSV (name, city, province, code [, short, former_name, former_code,
    renamed_year, years]); ``years`` is a space-separated list."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            years = tuple(int(y) for y in (row.get("years") or "").split())
            ry = (row.get("renamed_year") or "").strip()
            out.append(County(
                name=row["name"].strip(), city=row["city"].strip(),
                province=row["province"].strip(), code=row["code"].strip(),
                short=(row.get("short") or "").strip(),
                former_name=(row.get("former_name") or "").strip(),
                former_code=(row.get("former_code") or "").strip(),
                renamed_year=int(ry) if ry else None, years=years,
            ))
    return out


def default_short(name: str) -> str:
    for suffix in ("自治县", "自治旗", "县", "区", "市", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def unit_of(name: str) -> str:
    """The one-character level word used in 全县 / 县长 / 依法治县."""
    for suffix in ("旗", "区", "市"):
        if name.endswith(suffix):
            return suffix
    return "县"


def city_unit(city: str) -> str:
    if city.endswith("地区"):
        return "区"
    return city[-1] if city[-1] in "市州盟" else "市"


# --------------------------------------------------------------------------------------------
# Numbers


def fmt_dec(d: Decimal) -> str:
    """Decimal → shortest plain text: 12000, 98.6, 0.5."""
    s = format(d.normalize(), "f")
    return s


_CN = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (2 → 两, as used before a measure word)."""
    if n == 2:
        return "两"
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def cn_ordinal(n: int) -> str:
    """1..99 as used in headings: 一、二、十一."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def _quant(step: Decimal, d: Decimal, rounding) -> Decimal:
    return (d / step).to_integral_value(rounding=rounding) * step


def _round_step(v: Decimal | int) -> Decimal:
    """Rounding step keeping two significant digits (37 → 10, 399 → 10, 1280 → 100)."""
    v = Decimal(v)
    return Decimal(1).scaleb(max(0, v.adjusted() - 1))


def _close(r: Decimal | int, v: Decimal | int) -> bool:
    """A rounded figure written with 近/约/左右 stays within 5% of the true value."""
    return abs(Decimal(r) - Decimal(v)) <= Decimal(v) * Decimal("0.05")


def _weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    total = sum(w for _, w in options)
    x = rng.random() * total
    for name, w in options:
        x -= w
        if x < 0:
            return name
    return options[-1][0]


def render_count(v: int, measure: str, rng: random.Random, prefs: dict, plain: bool):
    """An integer count → (text, shown value, qualifier)."""
    if plain:
        return f"{v}{measure}", Decimal(v), ""
    if v >= 10000 and rng.random() < 0.55:
        q = Decimal(v) / 10000
        places = rng.choice((1, 1, 2)) if v < 100000 else 1
        step = Decimal(1).scaleb(-places)
        form = _weighted(rng, (("yu", 0.5), ("round", 0.35), ("jin", 0.15)))
        if form == "yu":
            r = _quant(step, q, ROUND_FLOOR)
            if r < q:
                return f"{fmt_dec(r)}万余{measure}", r * 10000, "at_least"
        elif form == "jin":
            r = _quant(step, q, ROUND_CEILING)
            if r > q and _close(r, q):
                return f"近{fmt_dec(r)}万{measure}", r * 10000, "approx"
        r = _quant(step, q, ROUND_HALF_UP)
        return f"{fmt_dec(r)}万{measure}", r * 10000, ""
    if 1 <= v <= 10 and rng.random() < prefs["cn"]:
        return f"{cn_number(v)}{measure}", Decimal(v), ""
    if 11 <= v <= 30 and rng.random() < prefs["cn"] / 8:
        return f"{cn_number(v)}{measure}", Decimal(v), ""
    if v >= 20 and rng.random() < prefs["qual"]:
        step = int(_round_step(v))
        form = _weighted(rng, (("余", 0.35), ("多", 0.12), ("以上", 0.15), ("超过", 0.08),
                               ("近", 0.12), ("约", 0.08), ("左右", 0.10)))
        if form in ("余", "多", "以上", "超过"):
            r = v // step * step
            if 0 < r < v:
                text = {"余": f"{r}余{measure}", "多": f"{r}多{measure}",
                        "以上": f"{r}{measure}以上", "超过": f"超过{r}{measure}"}[form]
                return text, Decimal(r), "at_least"
        elif form == "近":
            r = -(-v // step) * step
            if r > v and _close(r, v):
                return f"近{r}{measure}", Decimal(r), "approx"
        else:
            r = int(_quant(Decimal(step), Decimal(v), ROUND_HALF_UP))
            if r > 0 and r != v and _close(r, v):
                text = f"约{r}{measure}" if form == "约" else f"{r}{measure}左右"
                return text, Decimal(r), "approx"
    return f"{v}{measure}", Decimal(v), ""


def render_pct(v: Decimal, rng: random.Random, prefs: dict, plain: bool):
    sign = prefs["pct"]
    if plain or v == 100 or v == 0:
        return f"{fmt_dec(v)}{sign}", v, ""
    form = _weighted(rng, (("exact", 0.6), ("int", 0.25), ("above", 0.15)))
    if form == "int":
        r = _quant(Decimal(1), v, ROUND_HALF_UP)
        if r < 100:
            return f"{fmt_dec(r)}{sign}", r, ""
    elif form == "above":
        r = _quant(Decimal(1), v, ROUND_FLOOR)
        if 0 < r < v:
            return f"{fmt_dec(r)}{sign}以上", r, "at_least"
    return f"{fmt_dec(v)}{sign}", v, ""


def render_money(v: Decimal, measure: str, rng: random.Random, plain: bool):
    if not plain:
        form = _weighted(rng, (("exact", 0.6), ("yu", 0.25), ("jin", 0.15)))
        step = _round_step(v) if v >= 10 else Decimal(1)
        if form == "yu":
            r = _quant(step, v, ROUND_FLOOR)
            if 0 < r < v:
                return f"{fmt_dec(r)}余{measure}", r, "at_least"
        elif form == "jin":
            r = _quant(step, v, ROUND_CEILING)
            if r > v and _close(r, v):
                return f"近{fmt_dec(r)}{measure}", r, "approx"
    return f"{fmt_dec(v)}{measure}", v, ""


def render_days(v: Decimal, measure: str, rng: random.Random, plain: bool):
    if not plain:
        form = _weighted(rng, (("exact", 0.55), ("cn", 0.2), ("within", 0.25)))
        if form == "cn" and v == v.to_integral_value() and 1 <= v <= 5:
            return f"{cn_number(int(v))}{measure}", v, ""
        if form == "within":
            return f"{fmt_dec(v)}{measure}以内", v, "at_most"
    return f"{fmt_dec(v)}{measure}", v, ""


# --------------------------------------------------------------------------------------------
# Value model: value(county, indicator, year) is a pure function of (seed, code, indicator, year),
# so a previous-year figure quoted in a later report equals that year's own figure.


class ValueModel:
    def __init__(self, specs: dict, seed: int):
        self.specs = specs
        self.seed = seed
        self._cache: dict[tuple[str, str, int], Decimal] = {}

    def size(self, code: str) -> float:
        r = random.Random(f"{self.seed}:{code}:size")
        return min(2.5, max(0.4, r.lognormvariate(0.0, 0.4)))

    def value(self, code: str, ind: str, year: int) -> Decimal:
        key = (code, ind, year)
        if key not in self._cache:
            self._cache[key] = self._compute(code, ind, year)
        return self._cache[key]

    def _compute(self, code: str, ind: str, year: int) -> Decimal:
        spec = self.specs[ind]
        yr = random.Random(f"{self.seed}:{code}:{ind}:{year}")
        if "of" in spec:
            base = self.value(code, spec["of"], year)
            return Decimal(int(round(float(base) * yr.uniform(*spec["ratio"]))))
        if "rate" in spec:
            num = self.value(code, spec["rate"][0], year)
            den = self.value(code, spec["rate"][1], year)
            if den == 0:
                return Decimal(0)
            return (num * 100 / den).quantize(Decimal("0.1"), ROUND_HALF_UP)
        par = random.Random(f"{self.seed}:{code}:{ind}")
        base = par.uniform(*spec["base"])
        growth = par.uniform(*spec.get("growth", (0.0, 0.0)))
        noise = yr.gauss(0.0, spec.get("noise", 0.1))
        dt = year - REF_YEAR
        kind = spec["kind"]
        if kind == "pct":
            x = base + growth * dt + noise
            x = min(spec.get("max", 100), max(spec.get("min", 0), x))
            return Decimal(repr(round(x, 1))).quantize(Decimal("0.1"))
        x = base * (self.size(code) if spec.get("size") else 1.0)
        x *= (1.0 + growth) ** dt * max(0.2, 1.0 + noise)
        x = min(max(x, spec.get("min", 0)), spec.get("max", float("inf")))
        if kind == "money":
            places = spec.get("decimals", 1)
            return Decimal(repr(round(x, places))).quantize(Decimal(1).scaleb(-places))
        if kind == "days":
            return Decimal(max(spec.get("min", 0.5), round(x * 2) / 2)).quantize(Decimal("0.1"))
        return Decimal(int(round(x)))


# --------------------------------------------------------------------------------------------
# Planning


def _fmt_pick(formats: Sequence[str], want: str) -> str:
    return want if want in formats else formats[0]


def plan_corpus(counties: Sequence[County], years: Sequence[int], seed: int = 0,
                formats: Sequence[str] = DEFAULT_FORMATS, specials: bool = True,
                special_formats: Sequence[str] = SPECIAL_FORMATS) -> list[DocSpec]:
    """Decide type, format and peculiarities of every document (deterministic schedule).

    With ``specials``: a masked report, one with a .meta.json sidecar and one listed in a
    manifest.csv, then one document per format of ``special_formats`` (a web page, a scan, a
    legacy .doc), each for a county-year that has no report of its type yet."""
    formats = tuple(formats)
    specs: list[DocSpec] = []
    fmt_count = {f: 0 for f in formats}
    shufa_count = 0
    names = Counter(c.name for c in counties)
    city_names = Counter(c.city + c.name for c in counties)
    for ci, county in enumerate(counties):
        folder = county.name  # a repeated name (通州区 of 北京市 and of 南通市) gets its city
        if names[county.name] > 1:
            folder = county.city + county.name
            if city_names[folder] > 1:
                folder += county.code
        for yi, year in enumerate(county.years or tuple(years)):
            n = len(specs)
            t = ci + yi
            fmt = formats[t % len(formats)]
            k = fmt_count[fmt]
            fmt_count[fmt] += 1
            kind = "annual" if t % 2 == 0 else "shufa"
            role = "gov"
            if kind == "shufa":
                role = SHUFA_ROLE_CYCLE[shufa_count % len(SHUFA_ROLE_CYCLE)]
                shufa_count += 1
            spec = DocSpec(county=county, year=year, fmt=fmt, kind=kind, role=role,
                           folder=folder, rng_key=f"{seed}:{county.code}:{year}",
                           year_in_title=(n % 7 != 3), prev_mention=(n % 3 == 1))
            if fmt == "txt":
                if k % 12 == 0:
                    spec.encoding = "gb18030"
                elif k % 12 == 3:
                    spec.encoding, spec.newline = "utf-8-sig", "\r\n"
                spec.leading_blank = k % 4 == 2
            elif fmt == "docx":
                spec.with_table = k % 3 == 0
                spec.styled_headings = k % 2 == 0
            elif fmt == "pdf":
                spec.with_table = k % 3 == 1
            specs.append(spec)
    if specials and counties:
        n = len(counties)
        c0, c1, c2 = counties[0], counties[1 % n], counties[2 % n]
        y0 = c0.years or tuple(years)
        y1 = c1.years or tuple(years)
        y2 = c2.years or tuple(years)
        # 1. masked like the seeds: **县, one * per digit, no title line, year only in the body.
        specs.append(DocSpec(
            county=c0, year=y0[len(y0) // 2], fmt=_fmt_pick(formats, "txt"), kind="shufa",
            role="head", folder=SPECIAL_DIR, rng_key=f"{seed}:{c0.code}:{y0[len(y0) // 2]}:masked",
            year_in_title=False, masked=True, has_title=False, leading_blank=True,
            paid_markers=True, prev_mention=True))
        # 2. text names no county (我县); a sidecar <file>.meta.json tells.
        specs.append(DocSpec(
            county=c1, year=y1[-1], fmt=_fmt_pick(formats, "docx"), kind="annual", role="gov",
            folder=SPECIAL_DIR, rng_key=f"{seed}:{c1.code}:{y1[-1]}:meta",
            anonymous=True, sidecar="meta"))
        # 3. text names no county; manifest.csv in the folder tells.
        specs.append(DocSpec(
            county=c2, year=y2[0], fmt=_fmt_pick(formats, "pdf"), kind="shufa", role="head",
            folder=SPECIAL_DIR, rng_key=f"{seed}:{c2.code}:{y2[0]}:manifest",
            anonymous=True, sidecar="manifest"))
        specs.extend(_plan_format_specials(counties, years, seed, special_formats, specs))
    return specs


def _plan_format_specials(counties: Sequence[County], years: Sequence[int], seed: int,
                          special_formats: Sequence[str], planned: list[DocSpec]) -> list[DocSpec]:
    """One document per new input format, each for a (county, year, type) no other document of
    the corpus covers, so that every county-year has at most one report of each type."""
    taken = {(s.county.code, s.year, s.kind) for s in planned if not s.masked}
    out: list[DocSpec] = []

    def free_year(county: County, kind: str, latest: bool) -> int:
        ys = list(county.years or tuple(years))
        for y in (reversed(ys) if latest else ys):
            if (county.code, y, kind) not in taken:
                return y
        return ys[-1] if latest else ys[0]

    def add(spec: DocSpec) -> None:
        out.append(spec)
        taken.add((spec.county.code, spec.year, spec.kind))

    n = len(counties)
    if "html" in special_formats:  # a county site's article page; the title names the county
        c = counties[0]
        y = free_year(c, "annual", latest=False)
        add(DocSpec(county=c, year=y, fmt="html", kind="annual", role="gov", folder=SPECIAL_DIR,
                    rng_key=f"{seed}:{c.code}:{y}:web", with_table=True, we_in_body=True))
    if "scan" in special_formats:  # a signed 述法报告, scanned
        c = counties[-2 % n]
        y = free_year(c, "shufa", latest=True)
        add(DocSpec(county=c, year=y, fmt="scan", kind="shufa", role="secretary",
                    folder=SPECIAL_DIR, rng_key=f"{seed}:{c.code}:{y}:scan"))
    if "doc" in special_formats:  # an old Word 97 file: the earliest year without an annual report
        c = counties[1 % n]
        y = free_year(c, "annual", latest=False)
        add(DocSpec(county=c, year=y, fmt="doc", kind="annual", role="gov", folder=SPECIAL_DIR,
                    rng_key=f"{seed}:{c.code}:{y}:doc", styled_headings=True, with_table=True,
                    prev_mention=True))
    return out


# --------------------------------------------------------------------------------------------
# Composition

SLOT_RE = re.compile(r"\{([@a-z_][a-z0-9_]*)(?:\|([^|{}]*))?(?:\|([^{}]*))?\}")
ANON_BLOCKERS = ("{county}", "{short}", "{issuer}")


def slot_keys(template: str) -> set[tuple[str, int]]:
    """(indicator, year offset) pairs a template writes."""
    keys = set()
    for m in SLOT_RE.finditer(template):
        name, measure, flags = m.group(1), m.group(2), m.group(3) or ""
        if measure is None or name.startswith("@"):
            continue
        keys.add((name, -1 if "prev" in flags.split(",") else 0))
    return keys


MIN_BODY_CHARS = 1400  # estimated characters of the chosen item sentences
MAX_ITEMS_PER_GROUP = 5  # 一是…五是 at most under one heading of the summary layout


def _est_len(template: str) -> int:
    return len(re.sub(r"\{[^{}]*\}", "xxx", template)) + 6


class Composer:
    def __init__(self, spec: DocSpec, templates: dict, model: ValueModel):
        self.spec = spec
        self.t = templates
        self.model = model
        self.rng = random.Random(spec.rng_key)
        self.figs: list[Fig] = []
        self.anon = spec.anonymous  # pick only variants that do not name the county
        self.ctx = self.full_ctx = self._context(spec.anonymous)
        self.prefs = {
            "pct": "％" if self.rng.random() < 0.3 else "%",
            "cn": self.rng.choice((0.1, 0.3, 0.5)),
            "qual": self.rng.choice((0.15, 0.25, 0.35)),
        }

    # context ---------------------------------------------------------------------------
    def _context(self, anonymous: bool) -> dict[str, str]:
        s, c = self.spec, self.spec.county
        name = c.name_in(s.year)
        unit = unit_of(name)
        short = c.short_in(s.year)
        city, prov = c.city, c.province
        if s.masked:
            name, short = "**" + unit, "**"
            city = "**" + city_unit(c.city)
            prov = "**" + ("自治区" if prov.endswith("自治区") else prov[-1])
        role = role_text(s)
        issuer = {"gov": f"{name}人民政府", "head": f"{name}{unit}长",
                  "secretary": f"{name}委书记", "justice": f"{name}司法局局长"}[s.role]
        if anonymous:
            name, short, issuer = f"我{unit}", f"我{unit}", role
        return {
            "county": name, "short": short, "unit": unit, "city": city, "prov": prov,
            "cunit": city_unit(c.city), "year": str(s.year), "prev_year": str(s.year - 1),
            "next_year": str(s.year + 1), "gov": f"{unit}政府",
            "govfull": f"{unit}人民政府" if anonymous else f"{name}人民政府",
            "role": role, "issuer": issuer,
        }

    def pick(self, options: Sequence[str]) -> str:
        options = list(options)
        if self.anon:
            safe = [o for o in options if not any(b in o for b in ANON_BLOCKERS)]
            options = safe or options
        return self.rng.choice(options)

    # figures ---------------------------------------------------------------------------
    def figure(self, name: str, measure: str, flags: str) -> Fig | str:
        flagset = set(flags.split(",")) if flags else set()
        plain = "plain" in flagset
        if name.startswith("@"):
            lo, hi = self.t["extras"][name[1:]]
            v = self.rng.randint(lo, hi)
            text, _, _ = render_count(v, measure, self.rng, self.prefs, plain)
            return self._mask(text)
        spec = self.t["values"][name]
        fact_year = self.spec.year - 1 if "prev" in flagset else self.spec.year
        v = self.model.value(self.spec.county.code, name, fact_year)
        kind = spec["kind"]
        if kind in ("count", "hours"):
            text, shown, q = render_count(int(v), measure, self.rng, self.prefs, plain)
        elif kind == "pct":
            text, shown, q = render_pct(v, self.rng, self.prefs, plain)
        elif kind == "money":
            text, shown, q = render_money(v, measure, self.rng, plain)
        elif kind == "days":
            text, shown, q = render_days(v, measure, self.rng, plain)
        else:  # pragma: no cover - guarded by the templates test
            raise ValueError(f"unknown kind {kind!r} for {name}")
        masked_text = self._mask(text)
        if masked_text != text:
            return Fig(name, fact_year, masked_text, None, q, True)
        return Fig(name, fact_year, text, shown, q, False)

    def _mask(self, text: str) -> str:
        if self.spec.masked and re.search(r"\d", text) and self.rng.random() < 0.85:
            return re.sub(r"\d", "*", text)
        return text

    def render(self, template: str) -> tuple[str, list[Fig]]:
        out, figs, pos = [], [], 0
        for m in SLOT_RE.finditer(template):
            out.append(template[pos:m.start()])
            pos = m.end()
            name, measure, flags = m.group(1), m.group(2), m.group(3) or ""
            if measure is None:
                out.append(self.ctx[name])
                continue
            res = self.figure(name, measure, flags)
            if isinstance(res, Fig):
                figs.append(res)
                out.append(res.text)
            else:
                out.append(res)
        out.append(template[pos:])
        return "".join(out), figs

    def say(self, template: str) -> str:
        text, figs = self.render(template)
        self.figs.extend(figs)
        return text

    # selection -------------------------------------------------------------------------
    def _variants(self, item: dict) -> list[str]:
        return list(item.get("text", [])) + list(item.get(self.spec.kind, []))

    def select(self) -> dict[tuple[int, int, int], str]:
        """Choose items and their sentence variants: about 20-32 catalog figures, no
        (indicator, year) twice."""
        cands = [(si, bi, ii, item)
                 for si, sec in enumerate(self.t["section"])
                 for bi, sub in enumerate(sec["sub"])
                 for ii, item in enumerate(sub["item"])]
        order = list(range(len(cands)))
        self.rng.shuffle(order)
        target = self.rng.randint(22, 32)
        chosen: dict[tuple[int, int, int], str] = {}
        used: set[tuple[str, int]] = set()
        total = 0
        for idx in order:
            if total >= target:
                break
            si, bi, ii, item = cands[idx]
            pool = [v for v in self._variants(item)
                    if slot_keys(v) and not (slot_keys(v) & used)]
            if not pool:
                continue
            v = self.pick(pool)
            chosen[(si, bi, ii)] = v
            used |= slot_keys(v)
            total += len(slot_keys(v))
        if self.spec.prev_mention:
            self._force_prev(cands, chosen, used)
        # filler items (no catalog figure) in the sub-sections already present; more if the
        # body would be short
        subs_present = {(si, bi) for si, bi, _ in chosen}
        fillers = [(si, bi, ii, item) for si, bi, ii, item in cands
                   if (si, bi, ii) not in chosen and self._variants(item)
                   and not any(slot_keys(v) for v in self._variants(item))]
        spare = []
        for si, bi, ii, item in fillers:
            if (si, bi) in subs_present and self.rng.random() < 0.45:
                chosen[(si, bi, ii)] = self.pick(self._variants(item))
            else:
                spare.append((si, bi, ii, item))
        self.rng.shuffle(spare)
        spare.sort(key=lambda c: (c[0], c[1]) not in subs_present)
        body = sum(_est_len(v) for v in chosen.values())
        for si, bi, ii, item in spare:
            if body >= MIN_BODY_CHARS:
                break
            chosen[(si, bi, ii)] = v = self.pick(self._variants(item))
            body += _est_len(v)
        if not any("{@" in v for v in chosen.values()):  # at least one non-catalog figure
            for si, bi, ii, item in spare:
                with_extra = [v for v in self._variants(item) if "{@" in v]
                if (si, bi, ii) not in chosen and with_extra:
                    chosen[(si, bi, ii)] = self.pick(with_extra)
                    break
        self.used = used
        return chosen

    def _force_prev(self, cands, chosen, used) -> None:
        have = [(si, bi, ii) for si, bi, ii, item in cands
                if (si, bi, ii) in chosen and item.get("prev")]
        others = [(si, bi, ii) for si, bi, ii, item in cands
                  if (si, bi, ii) not in chosen and item.get("prev")]
        self.rng.shuffle(have)
        self.rng.shuffle(others)
        items = {(si, bi, ii): item for si, bi, ii, item in cands}
        for key in have + others:
            own = slot_keys(chosen.get(key, ""))
            free = used - own
            pool = [v for v in items[key]["prev"] if not (slot_keys(v) & free)]
            if pool:
                v = self.pick(pool)
                chosen[key] = v
                used.clear()
                used.update(free | slot_keys(v))
                return

    # document --------------------------------------------------------------------------
    def compose(self) -> Document:
        s, t = self.spec, self.t
        blocks: list[Block] = []
        title = self._title()
        if s.we_in_body:  # from here on 我县
            self.anon = True
            self.ctx = self._context(True)
        if s.leading_blank:
            blocks.append(Block("blank"))
        if s.has_title:
            blocks.append(Block("title", title))
        opening_pool = t["opening"]["justice" if s.role == "justice" else s.kind]
        blocks.append(Block("p", self.say(self.pick(opening_pool))))

        chosen = self.select()
        layout = "sections"
        if s.kind == "annual" and self.rng.random() < 0.5:
            layout = "summary"
        inline_h2 = not s.styled_headings and self.rng.random() < 0.6
        split_items = self.rng.random() < 0.35
        body = (self._layout_sections(chosen, inline_h2, split_items) if layout == "sections"
                else self._layout_summary(chosen, inline_h2, split_items))
        n_h1 = sum(1 for b in body if b.kind == "h1") + (1 if layout == "summary" else 0)
        if s.paid_markers and len(body) > 4:
            body.insert(len(body) // 3, Block("marker", "##paidbegin##"))
        blocks.extend(body)

        table_figs: list[Fig] = []
        if s.with_table:
            table_blocks, table_figs = self._table()
            blocks.extend(table_blocks)

        if s.kind == "annual":
            n = n_h1 + 1
            blocks.append(Block("h1", f"{cn_ordinal(n)}、{self.say(self.pick(t['closing']['problems_heading']))}"))
            blocks.append(Block("p", self.say(self.pick(t["closing"]["problems"]))))
            blocks.append(Block("h1", f"{cn_ordinal(n + 1)}、{self.say(self.pick(t['closing']['plans_heading']))}"))
            plans = self.rng.sample(t["closing"]["plans"], self.rng.randint(3, 4))
            text = self.say(self.pick(t["closing"]["plans_intro"])) + "；".join(
                f"{cn_ordinal(i + 1)}是{self.say(p)}" for i, p in enumerate(plans)) + "。"
            blocks.append(Block("p", text))
        else:
            blocks.append(Block("p", self.say(self.pick(t["closing"]["shufa"]))))
        if s.paid_markers:
            blocks.append(Block("marker", "##paidend##"))

        sign_date = datetime(s.year + 1, self.rng.randint(1, 3), self.rng.randint(1, 28), 9, 30, 0)
        if s.kind == "annual" and not s.anonymous and not s.masked:
            blocks.append(Block("sign", self.full_ctx["govfull"]))
            blocks.append(Block("sign", f"{sign_date.year}年{sign_date.month}月{sign_date.day}日"))
        return Document(s, title, blocks, self.figs, table_figs, sign_date)

    def _title(self) -> str:
        s, t = self.spec, self.t["titles"]
        if s.anonymous:
            pool = t["anon_" + s.kind]
        else:
            pool = t[s.kind + ("" if s.year_in_title else "_noyear")]
        return self.say(self.pick(pool))

    def _items_text(self, items: list[tuple[dict, str]]) -> list[str]:
        out = []
        for i, (item, variant) in enumerate(items):
            text = self.say(variant)
            if len(items) >= 2:
                text = f"{cn_ordinal(i + 1)}是{self.pick(item['label'])}。{text}"
            out.append(text)
        return out

    def _group(self, head: str, lead: str, items: list[tuple[dict, str]],
               inline_h2: bool, split_items: bool) -> list[Block]:
        texts = self._items_text(items)
        paras = ([lead] if lead else []) + texts if split_items else [lead + "".join(texts)]
        paras = [p for p in paras if p]
        blocks: list[Block] = []
        if inline_h2:
            blocks.append(Block("p", head + "。" + paras[0], head=head + "。"))
        else:
            blocks.append(Block("h2", head))
            blocks.append(Block("p", paras[0]))
        blocks.extend(Block("p", p) for p in paras[1:])
        return blocks

    def _layout_sections(self, chosen, inline_h2, split_items) -> list[Block]:
        blocks: list[Block] = []
        n1 = 0
        for si, sec in enumerate(self.t["section"]):
            subs = [(bi, sub) for bi, sub in enumerate(sec["sub"])
                    if any((si, bi, ii) in chosen for ii in range(len(sub["item"])))]
            if not subs:
                continue
            n1 += 1
            pool = sec.get("h1_shufa") if self.spec.kind == "shufa" and sec.get("h1_shufa") else sec["h1"]
            blocks.append(Block("h1", f"{cn_ordinal(n1)}、{self.say(self.pick(pool))}"))
            if self.rng.random() < 0.75:
                blocks.append(Block("p", self.say(self.pick(sec["intro"]))))
            for n2, (bi, sub) in enumerate(subs, start=1):
                items = [(item, chosen[(si, bi, ii)]) for ii, item in enumerate(sub["item"])
                         if (si, bi, ii) in chosen]
                head = f"（{cn_ordinal(n2)}）{self.say(self.pick(sub['h2']))}"
                lead = self.say(self.pick(sub["lead"])) if self.rng.random() < 0.9 else ""
                blocks.extend(self._group(head, lead, items, inline_h2, split_items))
        return blocks

    def _layout_summary(self, chosen, inline_h2, split_items) -> list[Block]:
        blocks = [Block("h1", f"一、{self.say(self.pick(self.t['summary_heading']['annual']))}")]
        n2 = 0
        for si, sec in enumerate(self.t["section"]):
            per_sub = [[(item, chosen[(si, bi, ii)]) for ii, item in enumerate(sub["item"])
                        if (si, bi, ii) in chosen] for bi, sub in enumerate(sec["sub"])]
            items = [x for group in per_sub for x in group]
            if not items:
                continue
            if len(items) <= MAX_ITEMS_PER_GROUP:  # one （n） per section
                n2 += 1
                head = f"（{cn_ordinal(n2)}）{self.say(self.pick(sec['h2']))}"
                lead = self.say(self.pick(sec["intro"])) if self.rng.random() < 0.7 else ""
                blocks.extend(self._group(head, lead, items, inline_h2, split_items))
                continue
            for sub, group in zip(sec["sub"], per_sub):  # too long: one （n） per sub-section
                if group:
                    n2 += 1
                    head = f"（{cn_ordinal(n2)}）{self.say(self.pick(sub['h2']))}"
                    lead = self.say(self.pick(sub["lead"])) if self.rng.random() < 0.7 else ""
                    blocks.extend(self._group(head, lead, group, inline_h2, split_items))
        return blocks

    def _table(self) -> tuple[list[Block], list[Fig]]:
        labels = self.t["table"]["labels"]
        free = [c for c in labels if (c, 0) not in self.used]
        codes = self.rng.sample(free, min(len(free), self.rng.randint(6, 9)))
        codes.sort(key=list(labels).index)
        rows = [list(self.t["table"]["header"])]
        figs = []
        for code in codes:
            v = self.model.value(self.spec.county.code, code, self.spec.year)
            unit = self.t["values"][code]["unit"]
            text = fmt_dec(v)
            rows.append([labels[code], text, unit])
            figs.append(Fig(code, self.spec.year, text, v, "", False))
        caption = self.say(self.pick(self.t["table"]["caption"]))
        return [Block("caption", caption), Block("table", rows=rows)], figs


def compose(spec: DocSpec, templates: dict | None = None, model: ValueModel | None = None,
            seed: int = 0) -> Document:
    templates = templates or load_templates()
    model = model or ValueModel(templates["values"], seed)
    return Composer(spec, templates, model).compose()


# --------------------------------------------------------------------------------------------
# Writers


def _flow_text(doc: Document) -> list[str]:
    """Plain-text lines of a document (txt writer; also used for length checks)."""
    lines = []
    for b in doc.blocks:
        if b.kind == "table":
            lines.extend("\t".join(r) for r in b.rows)
        else:
            lines.append(b.text)
    return lines


def render_txt(doc: Document) -> bytes:
    s = doc.spec
    text = s.newline.join(_flow_text(doc)) + s.newline
    return text.encode(s.encoding)


# -- docx --


_DEFLATE_CACHE: dict[bytes, bytes] = {}


def _deflate(data: bytes, cache: bool) -> bytes:
    key = hashlib.sha1(data).digest()
    comp = _DEFLATE_CACHE.get(key) if cache else None
    if comp is None:
        co = zlib.compressobj(6, zlib.DEFLATED, -15)
        comp = co.compress(data) + co.flush()
        if cache and len(_DEFLATE_CACHE) < 512:
            _DEFLATE_CACHE[key] = comp
    return comp


def write_zip(entries: Sequence[tuple[str, bytes]], when: datetime) -> bytes:
    """A deflated zip with fixed entry timestamps and attributes, so equal input gives equal
    bytes (python-docx stamps the current time on every entry).  Parts that repeat from
    document to document (styles, theme, ...) are compressed once per process."""
    dos_time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    dos_date = ((when.year - 1980) << 9) | (when.month << 5) | when.day
    out, central = bytearray(), bytearray()
    for name, data in entries:
        comp = _deflate(data, cache=name not in ("word/document.xml", "docProps/core.xml"))
        crc = zlib.crc32(data) & 0xFFFFFFFF
        fn = name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, dos_time, dos_date, crc,
                           len(comp), len(data), len(fn), 0) + fn + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, dos_time,
                               dos_date, crc, len(comp), len(data), len(fn), 0, 0, 0, 0, 0,
                               offset) + fn
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                       len(central), cd_offset, 0)
    return bytes(out)


class _EntryCollector:
    """Stands in for python-docx's zip writer and just collects (member name, bytes)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))


def _docx_bytes(d, when: datetime) -> bytes:
    try:
        from docx.opc.pkgwriter import PackageWriter

        pkg = d.part.package
        for part in pkg.parts:
            part.before_marshal()
        coll = _EntryCollector()
        PackageWriter._write_content_types_stream(coll, pkg.parts)
        PackageWriter._write_pkg_rels(coll, pkg.rels)
        PackageWriter._write_parts(coll, pkg.parts)
        entries = coll.entries
    except (ImportError, AttributeError):  # python-docx internals moved: go the slow way
        buf = io.BytesIO()
        d.save(buf)
        src = zipfile.ZipFile(buf)
        entries = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    return write_zip(entries, when)


def _set_east_asian(style_or_run, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def render_docx(doc: Document) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    s = doc.spec
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.size = Pt(14)
    _set_east_asian(normal, "仿宋_GB2312")
    for name, font in (("Heading 1", "黑体"), ("Heading 2", "楷体_GB2312"), ("Title", "方正小标宋简体")):
        _set_east_asian(d.styles[name], font)

    for b in doc.blocks:
        if b.kind == "blank":
            d.add_paragraph("")
        elif b.kind == "title":
            if s.styled_headings:
                p = d.add_paragraph(b.text, style="Title")
            else:
                p = d.add_paragraph()
                run = p.add_run(b.text)
                run.bold = True
                run.font.size = Pt(20)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind in ("h1", "h2"):
            if s.styled_headings:
                d.add_paragraph(b.text, style="Heading 1" if b.kind == "h1" else "Heading 2")
            else:
                p = d.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(28)
                run = p.add_run(b.text)
                run.bold = b.kind == "h1"
        elif b.kind == "p":
            p = d.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(28)
            if b.head:
                p.add_run(b.head).bold = True
                p.add_run(b.text[len(b.head):])
            else:
                p.add_run(b.text)
        elif b.kind == "caption":
            p = d.add_paragraph(b.text)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif b.kind == "table":
            table = d.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for row, texts in zip(table.rows, b.rows):
                for cell, text in zip(row.cells, texts):
                    cell.text = text
        elif b.kind == "sign":
            p = d.add_paragraph(b.text)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif b.kind == "marker":
            d.add_paragraph(b.text)

    cp = d.core_properties
    cp.title = doc.title if s.has_title else ""
    cp.author = "Administrator"
    cp.last_modified_by = "Administrator"
    cp.comments = ""
    cp.subject = ""
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    cp.created = doc.sign_date
    cp.modified = doc.sign_date
    cp.last_printed = doc.sign_date
    return _docx_bytes(d, doc.sign_date)


# -- pdf --

PDF_FONT = "STSong-Light"
NO_LINE_START = set("，。、；：？！）》」』”’%％…—·")
NO_LINE_END = set("（《「『“‘")
TOKEN_RE = re.compile(r"[0-9A-Za-z*]+(?:\.[0-9*]+)?[%％]?|.", re.S)


@lru_cache(maxsize=1)
def _register_pdf_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


@lru_cache(maxsize=65536)
def _width(token: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(token, PDF_FONT, size)


def wrap_cjk(text: str, width: float, size: float, indent: float = 0.0,
             measure: Callable[[str], float] | None = None) -> list[str]:
    """Break text into lines of at most ``width`` points at any character (Chinese has no
    spaces), keeping digit runs whole, never starting a line with closing punctuation and never
    ending one with an opening bracket or quote.  ``measure`` gives a token's width (default:
    the PDF font at ``size``)."""
    measure = measure or (lambda tok: _width(tok, size))
    lines: list[str] = []
    cur: list[str] = []
    used = indent
    for tok in TOKEN_RE.findall(text):
        w = measure(tok)
        if cur and used + w > width and tok not in NO_LINE_START:
            carry = []
            while cur and cur[-1] in NO_LINE_END:
                carry.insert(0, cur.pop())
            lines.append("".join(cur))
            cur, used = carry, sum(measure(c) for c in carry)
        cur.append(tok)
        used += w
    if cur or not lines:
        lines.append("".join(cur))
    return lines


def render_pdf(doc: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import (Flowable, KeepTogether, SimpleDocTemplate, Spacer, Table,
                                    TableStyle)

    _register_pdf_font()
    s = doc.spec
    page_w, page_h = A4
    left, right, top, bottom = 2.8 * cm, 2.6 * cm, 3.0 * cm, 2.6 * cm
    frame_w = page_w - left - right
    header = doc.title if s.has_title else ""

    class Line(Flowable):
        def __init__(self, text: str, size: float, leading: float, x: float = 0.0,
                     align: str = "left"):
            super().__init__()
            self.text, self.size, self.leading, self.x, self.align = text, size, leading, x, align

        def wrap(self, aw, ah):
            return aw, self.leading

        def draw(self):
            c = self.canv
            c.setFont(PDF_FONT, self.size)
            y = (self.leading - self.size) / 2 + self.size * 0.12
            if self.align == "center":
                c.drawCentredString(frame_w / 2, y, self.text)
            elif self.align == "right":
                c.drawRightString(frame_w, y, self.text)
            else:
                c.drawString(self.x, y, self.text)

    def para(text: str, size: float, leading: float, indent_chars: int = 2, align="left"):
        indent = size * indent_chars if align == "left" else 0.0
        out = []
        for i, line in enumerate(wrap_cjk(text, frame_w, size, indent)):
            out.append(Line(line, size, leading, indent if i == 0 else 0.0, align))
        return out

    story: list = []
    pending_caption: list = []
    for b in doc.blocks:
        if b.kind == "blank":
            story.append(Spacer(1, 12))
        elif b.kind == "title":
            story.extend(para(b.text, 18, 30, align="center"))
            story.append(Spacer(1, 10))
        elif b.kind == "h1":
            story.extend(para(b.text, 14, 24))
        elif b.kind == "h2":
            story.extend(para(b.text, 13, 22))
        elif b.kind in ("p", "marker"):
            story.extend(para(b.text, 12, 20))
        elif b.kind == "caption":
            pending_caption = [Spacer(1, 6), *para(b.text, 12, 20, align="center")]
        elif b.kind == "sign":
            story.extend(para(b.text, 12, 20, align="right"))
        elif b.kind == "table":
            col_w = [frame_w * 0.55, frame_w * 0.25, frame_w * 0.2]
            table = Table(b.rows, colWidths=col_w, rowHeights=22, hAlign="CENTER")
            table.setStyle(TableStyle([
                ("FONT", (0, 0), (-1, -1), PDF_FONT, 11),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                ("ALIGN", (0, 0), (0, 0), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
            ]))
            story.append(KeepTogether([*pending_caption, Spacer(1, 4), table]))
            pending_caption = []
            story.append(Spacer(1, 10))

    def on_page(canv, _doc):
        canv.saveState()
        canv.setFont(PDF_FONT, 9)
        if header:
            canv.drawCentredString(page_w / 2, page_h - 1.8 * cm, header)
            canv.setLineWidth(0.5)
            canv.line(left, page_h - 1.95 * cm, page_w - right, page_h - 1.95 * cm)
        canv.setFont(PDF_FONT, 10)
        canv.drawCentredString(page_w / 2, 1.5 * cm, f"- {canv.getPageNumber()} -")
        canv.restoreState()

    buf = io.BytesIO()
    pdf = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top,
        bottomMargin=bottom, title=doc.title if s.has_title else "", author="",
        subject="", creator="", invariant=1, pageCompression=0,
    )
    pdf.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()


def render_html(doc: Document) -> bytes:
    from .render_web import render_html as render

    return render(doc)


def render_scan(doc: Document) -> bytes:
    from .render_scan import render_scan as render

    return render(doc)


# What each format's document turns into.  A doc is converted from its docx by LibreOffice,
# all of a run's at once, in generate_corpus (render_doc.convert_docx_to_doc).
RENDERERS = {"txt": render_txt, "docx": render_docx, "pdf": render_pdf, "html": render_html,
             "scan": render_scan, "doc": render_docx}


# --------------------------------------------------------------------------------------------
# Corpus


_BAD_CHARS = re.compile(r'[\\/:*?"<>|\s]')


def file_stem(doc: Document) -> str:
    s = doc.spec
    if not s.has_title:
        return f"{role_text(s)}履行推进法治建设第一责任人职责情况报告"
    stem = _BAD_CHARS.sub("", doc.title)
    if s.fmt == "html" and not (s.anonymous or s.masked):  # as a browser saves a page: its <title>
        from .render_web import site_name

        stem += "_" + _BAD_CHARS.sub("", site_name(s))
    elif s.fmt == "scan":
        stem += "（扫描件）"
    return stem


def _truth_rows(doc: Document, rel: str) -> list[TruthRow]:
    s = doc.spec
    code = "" if s.masked else s.county.code_in(s.year)
    units = load_templates()["values"]
    rows = []
    for f in list(doc.figs) + list(doc.table_figs):
        rows.append(TruthRow(
            file=rel, county_code=code, year=s.year, indicator_code=f.code,
            value="" if f.value is None else fmt_dec(f.value), unit=units[f.code]["unit"],
            qualifier=f.qualifier, masked=f.masked, fact_year=f.fact_year, as_written=f.text,
        ))
    return rows


def role_text(spec: DocSpec) -> str:
    """The issuer role as written: 县人民政府, 区长, 旗委书记, 司法局局长."""
    unit = unit_of(spec.county.name_in(spec.year))
    return {"gov": f"{unit}人民政府", "head": f"{unit}长", "secretary": f"{unit}委书记",
            "justice": "司法局局长"}[spec.role]


def _meta(spec: DocSpec) -> dict:
    return {
        "county": spec.county.name_in(spec.year),
        "county_code": spec.county.code_in(spec.year),
        "year": spec.year,
        "report_type": REPORT_TYPE_ZH[spec.kind],
        "issuer_role": role_text(spec),
    }


def generate_corpus(out_dir: Path, counties: list[County], years: list[int], seed: int = 0,
                    formats: tuple[str, ...] = DEFAULT_FORMATS, *, specials: bool = True,
                    special_formats: tuple[str, ...] = SPECIAL_FORMATS,
                    written: list[str] | None = None,
                    reuse_from: Sequence[Path] = ()) -> list[TruthRow]:
    """Write the documents of ``counties`` x ``years`` in ``formats`` (plus, with ``specials``,
    a masked report, one with a .meta.json sidecar, one listed in a manifest.csv and one of each
    of ``special_formats``) under ``out_dir`` and return their truth rows.

    Deterministic for given arguments, with one proviso: scan and doc files come out of outside
    tools (Pillow/FreeType with a system font; LibreOffice), which may draw or write differently
    in another version.  Each is recorded in ``out_dir/.tool-made.json`` with the hash of its
    source (:func:`tool_source_key`); when ``out_dir`` (or one of ``reuse_from``, other corpus
    roots) already holds the file made from the same source, unaltered, that file is kept
    instead of made again.  So regenerating a corpus in place changes a tool-made file only when
    its content changes, and a doc can be regenerated without LibreOffice while its source is
    unchanged (else :class:`ToolMissing`).

    A county's own ``years`` (e.g. 柳江区: 2015-2017) replace ``years``.  ``written``, if
    given, receives the relative path of every file written."""
    out_dir = Path(out_dir)
    written = [] if written is None else written
    templates = load_templates()
    model = ValueModel(templates["values"], seed)
    rows: list[TruthRow] = []
    taken: set[str] = set()
    manifests: dict[str, list[dict]] = {}
    roots = [out_dir, *map(Path, reuse_from)]
    stored = [read_tool_stamps(r) for r in roots]  # read before anything is overwritten
    stamps: dict[str, dict[str, str]] = {}
    to_convert: dict[str, tuple[bytes, str]] = {}  # rel -> (docx bytes, source key)
    for spec in plan_corpus(counties, years, seed, formats, specials, special_formats):
        doc = Composer(spec, templates, model).compose()
        stem = file_stem(doc)
        ext = EXTENSIONS[spec.fmt]
        rel = f"{spec.folder}/{stem}.{ext}"
        i = 2
        while rel in taken:
            rel = f"{spec.folder}/{stem}_{i}.{ext}"
            i += 1
        taken.add(rel)
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = RENDERERS[spec.fmt](doc) if spec.fmt != "scan" else b""
        if spec.fmt in TOOL_MADE:
            key = tool_source_key(doc, data)
            kept = stored_tool_output(roots, stored, rel, key)
            if kept:
                if not path.is_file() or path.read_bytes() != kept[0]:
                    path.write_bytes(kept[0])
                stamps[rel] = dict(kept[1])
            elif spec.fmt == "doc":
                to_convert[rel] = (data, key)
            else:
                from .render_scan import scan_made_with

                data = RENDERERS[spec.fmt](doc)
                path.write_bytes(data)
                stamps[rel] = {"source_sha256": key, "sha256": sha256_hex(data),
                               "made_with": scan_made_with()}
        else:
            path.write_bytes(data)
        written.append(rel)
        rows.extend(_truth_rows(doc, rel))
        if spec.sidecar == "meta":
            meta = _meta(spec)
            (out_dir / f"{rel}.meta.json").write_text(
                json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            written.append(f"{rel}.meta.json")
        elif spec.sidecar == "manifest":
            meta = _meta(spec)
            manifests.setdefault(spec.folder, []).append({"file": Path(rel).name, **meta})
    for folder, entries in manifests.items():
        with open(out_dir / folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(entries)
        written.append(f"{folder}/manifest.csv")
    if to_convert:
        from .render_doc import convert_docx_to_doc, office_version, soffice_path

        if not soffice_path():
            raise ToolMissing(
                "LibreOffice (soffice) is needed to make " + ", ".join(sorted(to_convert))
                + ": install libreoffice-writer-nogui, or leave the doc out "
                  "(--special-formats html scan)")
        docs = convert_docx_to_doc({rel: d for rel, (d, _) in to_convert.items()})
        made_with = f"{office_version()}: soffice --convert-to 'doc:MS Word 97'"
        for rel, (_, key) in to_convert.items():
            (out_dir / rel).write_bytes(docs[rel])
            stamps[rel] = {"source_sha256": key, "sha256": sha256_hex(docs[rel]),
                           "made_with": made_with}
    write_tool_stamps(out_dir, stamps)
    return rows


def write_truth(rows: Iterable[TruthRow], path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=TRUTH_FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow(r.as_record())


def read_truth(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------------------------
# CLI


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m pipelines.samples.generate",
        description="Generate the deterministic sample corpus of county rule-of-law reports.")
    ap.add_argument("--out", type=Path, default=Path("data/raw"), help="corpus root (data/raw)")
    ap.add_argument("--truth", type=Path, default=Path("data/sample_truth.csv"))
    ap.add_argument("--counties", type=Path, default=COUNTIES_PATH,
                    help="counties CSV (default: the bundled six counties)")
    ap.add_argument("--years", type=int, nargs="+", default=list(DEFAULT_YEARS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--formats", nargs="+", default=list(DEFAULT_FORMATS),
                    choices=list(ALL_FORMATS),
                    help="formats the county x year documents cycle through (default: docx pdf "
                         "txt); html = saved county web page (GBK), scan = image-only PDF for "
                         "OCR, doc = Word 97 via LibreOffice")
    ap.add_argument("--special-formats", nargs="*", default=list(SPECIAL_FORMATS),
                    choices=list(SPECIAL_FORMATS),
                    help="one extra document in each of these formats (default: html scan doc; "
                         "doc needs LibreOffice unless the stored one is unchanged)")
    ap.add_argument("--no-specials", action="store_true",
                    help="skip the masked / sidecar / manifest / html / scan / doc documents")
    ap.add_argument("--clean", action="store_true",
                    help="delete files under --out that this run did not write")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    written: list[str] = []
    try:
        rows = generate_corpus(args.out, load_counties(args.counties), args.years,
                               seed=args.seed, formats=tuple(args.formats),
                               specials=not args.no_specials,
                               special_formats=tuple(args.special_formats), written=written)
    except ToolMissing as exc:
        print(f"error: {exc}")
        return 1
    write_truth(rows, args.truth)
    docs = sum(1 for w in written if w.endswith(tuple(f".{e}" for e in set(EXTENSIONS.values()))))
    print(f"wrote {docs} documents and {len(rows)} truth rows to {args.out} and {args.truth} "
          f"in {time.perf_counter() - t0:.1f}s")
    keep = set(written)
    stale = sorted(p for p in args.out.rglob("*") if p.is_file()
                   and not p.name.startswith(".")
                   and p.relative_to(args.out).as_posix() not in keep)
    for p in stale:
        if args.clean:
            p.unlink()
        else:
            print(f"stale (not written by this run; --clean deletes): {p}")
    if args.clean:
        for d in sorted((d for d in args.out.rglob("*") if d.is_dir()), reverse=True):
            if not any(d.iterdir()):
                d.rmdir()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
