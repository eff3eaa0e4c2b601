"""Tests of the sample-corpus generator (pipelines/samples/generate.py) and of the bundled
corpus it made (data/raw, data/sample_truth.csv).

Besides .txt/.docx/.pdf the corpus holds a saved web page (.html, GBK), a scan (an image-only
.pdf: no text layer, so its pages are checked and it is read back by the pipeline's OCR) and a Word
97 .doc made by LibreOffice (read back with soffice; those checks skip, saying why, without it)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import sys
import warnings
import zipfile
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
try:
    from pipelines.samples import generate as gen
except ImportError:  # running without the package installed
    sys.path.insert(0, str(ROOT))
    from pipelines.samples import generate as gen
from pipelines.samples import render_doc

RAW = ROOT / "data" / "raw"
TRUTH = ROOT / "data" / "sample_truth.csv"
CATALOG = ROOT.parent / "shared" / "spec" / "indicators.tsv"  # optional cross-check
DOC_SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".doc")
MAIN_SUFFIXES = (".txt", ".docx", ".pdf")  # the county x year schedule
HAVE_SOFFICE = render_doc.soffice_path() is not None
NO_SOFFICE = ("LibreOffice (soffice) is not installed, so the sample .doc cannot be read back "
              "and is NOT checked: apt-get install libreoffice-writer-nogui")


# ---------------------------------------------------------------------------------------------
# helpers


def corpus_files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def docx_members(p: Path) -> list[tuple[str, tuple, bytes]]:
    with zipfile.ZipFile(p) as z:
        return [(i.filename, i.date_time, z.read(i.filename)) for i in z.infolist()]


def decode_txt(b: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return b.decode(enc)
        except UnicodeDecodeError:
            pass
    raise AssertionError("undecodable txt")


def docx_text(p: Path) -> str:
    import docx

    d = docx.Document(p)
    parts = [x.text for x in d.paragraphs]
    parts += [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def pdf_text(p: Path) -> str:
    """Body text of a PDF: page lines joined without newlines, minus the running header
    (the title, first line of every page) and the page-number footer."""
    import pdfplumber

    out = []
    with pdfplumber.open(p) as pdf:
        header = (pdf.metadata or {}).get("Title") or ""
        for page in pdf.pages:
            lines = (page.extract_text() or "").splitlines()
            if lines and re.fullmatch(r"- \d+ -", lines[-1].strip()):
                lines = lines[:-1]
            if header and lines and lines[0] == header:
                lines = lines[1:]
            out.append("".join(lines))
    return "".join(out)


class _ArticleText(HTMLParser):
    """The text of a saved article page's title (<h1>) and body (the element id="zoom"):
    one line per block, table cells separated by tabs, &nbsp; as U+00A0."""

    BLOCKS = {"p", "div", "h1", "tr", "table", "br", "li"}
    VOID = {"br", "img", "input", "hr", "meta", "link", "col", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # open elements inside the article body
        self.in_h1 = False

    def handle_starttag(self, tag, attrs):
        if self.depth:
            if tag not in self.VOID:
                self.depth += 1
            if tag in self.BLOCKS:
                self.parts.append("\n")
            elif tag == "td":
                self.parts.append("\t")
        elif dict(attrs).get("id") == "zoom":
            self.depth = 1
        elif tag == "h1":
            self.in_h1 = True

    def handle_startendtag(self, tag, attrs):  # <br />: no end tag to wait for
        if self.depth and tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth -= 1
        elif tag == "h1" and self.in_h1:
            self.in_h1 = False
            self.parts.append("\n")

    def handle_data(self, data):
        if self.depth or self.in_h1:
            self.parts.append(data)


def html_charset(b: bytes) -> str:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", b, re.I)
    label = m.group(1).decode("ascii").lower() if m else "utf-8"
    return "gbk" if label in ("gb2312", "gbk") else label  # browsers read gb2312 as GBK


def html_article_text(p: Path) -> str:
    b = p.read_bytes()
    parser = _ArticleText()
    parser.feed(b.decode(html_charset(b)))
    parser.close()
    return re.sub(r"\n\s*\n+", "\n", "".join(parser.parts)).strip()


def is_scan(p: Path) -> bool:
    """A PDF without a text layer on any page."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(p))
    try:
        return all(not page.get_textpage().get_text_range().strip() for page in pdf)
    finally:
        pdf.close()


def doc_text(p: Path) -> str:
    if p.suffix == ".txt":
        return decode_txt(p.read_bytes())
    if p.suffix == ".docx":
        return docx_text(p)
    if p.suffix == ".html":
        return html_article_text(p)
    if p.suffix == ".doc":
        return render_doc.doc_texts([p])[p]
    return pdf_text(p)


def read_texts(root: Path) -> dict[str, str]:
    """Text of every document under ``root`` that has text to read: scans have none, and
    .doc files are left out without LibreOffice."""
    files = {rel: p for rel, p in corpus_files(root).items() if p.suffix in DOC_SUFFIXES}
    out = {rel: doc_text(p) for rel, p in files.items()
           if p.suffix != ".doc" and not (p.suffix == ".pdf" and is_scan(p))}
    docs = [p for p in files.values() if p.suffix == ".doc"]
    if docs and HAVE_SOFFICE:
        read = render_doc.doc_texts(docs)  # one soffice run for all
        out.update({rel: read[p] for rel, p in files.items() if p in read})
    return out


_CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
       "八": 8, "九": 9}


def cn_to_int(s: str) -> int:
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)
    return _CN[s]


def read_figure(as_written: str, unit: str) -> tuple[Decimal, str]:
    """An independent reader of the generator's surface forms: (value, qualifier)."""
    m = re.search(r"\d+(?:\.\d+)?", as_written)
    if m:
        value = Decimal(m.group())
        if as_written[m.end():m.end() + 1] == "万" and unit != "万元":
            value *= 10000
    else:
        m = re.match(r"[零一二两三四五六七八九十]+", as_written)
        assert m, as_written
        value = Decimal(cn_to_int(m.group()))
    qualifier = ""
    if re.search(r"余|多|以上|超过", as_written):
        qualifier = "at_least"
    elif re.search(r"近|约|左右", as_written):
        qualifier = "approx"
    elif re.search(r"不足|以内", as_written):
        qualifier = "at_most"
    return value, qualifier


# ---------------------------------------------------------------------------------------------
# fixtures


SMALL_YEARS = [2022, 2023]


def small_counties() -> list[gen.County]:
    by_name = {c.name: c for c in gen.load_counties()}
    return [by_name["柳城县"], by_name["通州区"]]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """Two runs with the web page and the scan (the .doc, made by LibreOffice, is tested apart)."""
    runs = []
    for i in range(2):
        out = tmp_path_factory.mktemp(f"small{i}")
        rows = gen.generate_corpus(out / "raw", small_counties(), SMALL_YEARS, seed=3,
                                   special_formats=("html", "scan"))
        gen.write_truth(rows, out / "truth.csv")
        runs.append((out, rows))
    return runs


@pytest.fixture(scope="module")
def fresh_bundled(tmp_path_factory):
    """The bundled corpus generated from scratch.  Without LibreOffice the committed .doc stands
    in, which the generator allows only when it was made from the same docx."""
    out = tmp_path_factory.mktemp("bundled")
    if not HAVE_SOFFICE:
        warnings.warn(NO_SOFFICE)
    rows = gen.generate_corpus(out / "raw", gen.load_counties(), list(gen.DEFAULT_YEARS),
                               reuse_from=() if HAVE_SOFFICE else (RAW,))
    gen.write_truth(rows, out / "sample_truth.csv")
    return out, rows


@pytest.fixture(scope="module")
def truth() -> list[dict[str, str]]:
    return gen.read_truth(TRUTH)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return read_texts(RAW)


def scans(root: Path) -> dict[str, Path]:
    return {rel: p for rel, p in corpus_files(root).items() if p.suffix == ".pdf" and is_scan(p)}


# ---------------------------------------------------------------------------------------------
# generator


def test_two_runs_are_byte_identical(small_run):
    (a, rows_a), (b, rows_b) = small_run
    fa, fb = corpus_files(a), corpus_files(b)
    assert fa.keys() == fb.keys()
    assert {k: sha256(p) for k, p in fa.items()} == {k: sha256(p) for k, p in fb.items()}
    assert rows_a == rows_b


def test_small_run_contents(small_run):
    out, rows = small_run[0]
    files = corpus_files(out / "raw")
    docs = [k for k in files if k.endswith(DOC_SUFFIXES)]
    assert len(docs) == 2 * 2 + 3 + 2  # 2 counties x 2 years + masked, sidecar, manifest + web, scan
    assert {r.file for r in rows} == set(docs)
    assert sum(k.endswith(".html") for k in docs) == 1 and len(scans(out / "raw")) == 1
    gb = [files[k] for k in docs if k.endswith(".txt")
          and not _is_utf8(files[k].read_bytes())]
    assert len(gb) == 1 and "法治" in gb[0].read_bytes().decode("gb18030")
    import docx

    assert any(docx.Document(files[k]).tables for k in docs if k.endswith(".docx"))
    import pdfplumber

    for k in docs:
        if k.endswith(".pdf") and not is_scan(files[k]):
            with pdfplumber.open(files[k]) as pdf:
                assert len(pdf.pages) >= 2


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_bundled_corpus_matches_a_fresh_generation(fresh_bundled):
    """Byte for byte, except: docx by members (deflate output may differ between zlibs), and the
    files made by outside tools (.tool-made.json: the .doc by LibreOffice, the scan by
    Pillow/FreeType) by what they were made from and by content - their bytes may differ in
    another tool version.  The .doc is compared by its text as LibreOffice reads it, never by
    bytes; the scan by bytes when made with the same Pillow, FreeType, zlib and font."""
    out, _ = fresh_bundled
    fresh, committed = corpus_files(out / "raw"), corpus_files(RAW)
    assert fresh.keys() == committed.keys(), "data/raw drifted: rerun python -m pipelines.samples.generate"
    made_fresh, made_committed = gen.read_tool_stamps(out / "raw"), gen.read_tool_stamps(RAW)
    assert made_fresh.keys() == made_committed.keys()
    assert {Path(k).suffix for k in made_committed} == {".doc", ".pdf"}
    for rel, p in fresh.items():
        if rel.endswith(".docx"):  # compare members: deflate output may differ between zlibs
            assert docx_members(p) == docx_members(committed[rel]), rel
        elif rel in made_committed:
            now, then = made_fresh[rel], made_committed[rel]
            assert now["source_sha256"] == then["source_sha256"], \
                f"{rel} drifted: rerun python -m pipelines.samples.generate"
            assert then["sha256"] == sha256(committed[rel]), f"{rel} was changed after it was made"
            if rel.endswith(".doc"):
                if HAVE_SOFFICE:
                    read = render_doc.doc_texts([p, committed[rel]])
                    assert read[p] == read[committed[rel]], rel
                else:
                    warnings.warn(NO_SOFFICE)
            elif now["made_with"] == then["made_with"]:
                assert sha256(p) == sha256(committed[rel]), rel
            else:
                warnings.warn(f"{rel}: made with {then['made_with']}, here {now['made_with']}: "
                              "compared by source only")
        else:
            assert sha256(p) == sha256(committed[rel]), rel
    assert (out / "sample_truth.csv").read_bytes() == TRUTH.read_bytes()


def test_tool_made_files_are_kept_while_their_source_is_unchanged(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    made = gen.read_tool_stamps(raw)
    before = {rel: sha256(raw / rel) for rel in made}

    def no_soffice(*_):
        raise AssertionError("LibreOffice was run although the .doc's source is unchanged")

    monkeypatch.setattr(render_doc, "convert_docx_to_doc", no_soffice)
    gen.generate_corpus(raw, gen.load_counties(), list(gen.DEFAULT_YEARS))
    assert {rel: sha256(raw / rel) for rel in made} == before
    assert gen.read_tool_stamps(raw) == made

    doc = next(rel for rel in made if rel.endswith(".doc"))
    (raw / doc).write_bytes((raw / doc).read_bytes() + b"\0")  # altered by hand: not reused
    monkeypatch.setattr(render_doc, "soffice_path", lambda: None)
    with pytest.raises(gen.ToolMissing, match="LibreOffice"):
        gen.generate_corpus(raw, gen.load_counties(), list(gen.DEFAULT_YEARS))


def test_truth_file_format(truth):
    with open(TRUTH, encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == gen.TRUTH_FIELDS
    for r in truth:
        assert r["masked"] in ("true", "false")
        assert r["qualifier"] in ("", "at_least", "approx", "at_most")
        assert (r["value"] == "") == (r["masked"] == "true")
        assert int(r["fact_year"]) in (int(r["year"]), int(r["year"]) - 1)
        assert "\\" not in r["file"] and not r["file"].startswith("/")


def test_truth_values_follow_their_surface_text(truth):
    for r in truth:
        if r["masked"] == "true":
            assert "*" in r["as_written"]
            continue
        value, qualifier = read_figure(r["as_written"], r["unit"])
        assert value == Decimal(r["value"]), r
        assert qualifier == r["qualifier"], r


def test_every_as_written_occurs_in_its_file(truth, texts):
    unread = {r["file"] for r in truth} - texts.keys()
    expected = set(scans(RAW))  # no text layer: see test_scan
    if not HAVE_SOFFICE:
        warnings.warn(NO_SOFFICE)
        expected |= {r["file"] for r in truth if r["file"].endswith(".doc")}
    assert unread == expected
    missing = [(r["file"], r["as_written"]) for r in truth
               if r["file"] in texts and r["as_written"] not in texts[r["file"]]]
    assert not missing


def test_no_indicator_year_twice_in_a_file(truth):
    keys = Counter((r["file"], r["indicator_code"], r["fact_year"]) for r in truth)
    assert max(keys.values()) == 1


# ---------------------------------------------------------------------------------------------
# the bundled corpus


def test_bundled_layout_and_mix(truth, texts):
    docs = sorted(texts)
    main = [d for d in docs if not d.startswith(gen.SPECIAL_DIR + "/")]
    assert len(main) == 18
    for county in gen.load_counties():
        own = [d for d in main if d.startswith(county.name + "/")]
        assert len(own) == 3
        assert {Path(d).suffix for d in own} == set(MAIN_SUFFIXES), county.name
    titles = [texts[d].lstrip("\ufeff\r\n").splitlines()[0] for d in main]
    shufa = [t for t in titles if "述法" in t or "第一责任人" in t]
    assert 7 <= len(shufa) <= 11
    for role in ("县长", "县委书记", "区长", "市长", "旗长", "司法局局长"):
        assert any(role in t for t in shufa), role
    assert any(not re.search(r"20\d\d", d) for d in main), "a report without year in its title"
    assert any(r["fact_year"] != r["year"] for r in truth), "a previous-year figure"
    per_file = Counter(r["file"] for r in truth)
    assert all(20 <= n <= 45 for n in per_file.values()), per_file
    for d in docs:
        n = len(re.findall(r"[\u4e00-\u9fff]", texts[d]))
        assert 1500 <= n <= 4000, (d, n)


def test_year_without_title_is_in_the_body(texts):
    for d, text in texts.items():
        if re.search(r"20\d\d", Path(d).name):
            continue
        years = Counter(re.findall(r"(20\d\d)年", text))
        assert years and years.most_common(1)[0][1] >= 3, d


def test_txt_encodings():
    txts = {k: p.read_bytes() for k, p in corpus_files(RAW).items() if k.endswith(".txt")}
    gb = [k for k, b in txts.items() if not _is_utf8(b)]
    assert len(gb) == 1
    assert "法治" in txts[gb[0]].decode("gb18030")
    bom = [k for k, b in txts.items() if b.startswith(b"\xef\xbb\xbf")]
    assert len(bom) == 1 and b"\r\n" in txts[bom[0]]
    assert sum(b"\r\n" in b for b in txts.values()) == 1


def test_docx_headings_and_tables(truth):
    import docx

    table_rows = {r["file"] for r in truth if not re.search(r"[^\d.]", r["as_written"])}
    styled = plain = with_table = 0
    for rel, p in corpus_files(RAW).items():
        if not rel.endswith(".docx"):
            continue
        d = docx.Document(p)
        styles = {x.style.name for x in d.paragraphs}
        if "Heading 1" in styles:
            styled += 1
        elif any(x.text.startswith("一、") for x in d.paragraphs):
            plain += 1
        if d.tables:
            with_table += 1
            header = [c.text for c in d.tables[0].rows[0].cells]
            assert header == ["指标", "数值", "单位"]
            assert rel in table_rows
    assert styled and plain and with_table


def test_pdfs(texts):
    import pdfplumber

    tables = 0
    for rel, p in corpus_files(RAW).items():
        if not rel.endswith(".pdf") or is_scan(p):  # the scan: test_scan
            continue
        with pdfplumber.open(p) as pdf:
            assert len(pdf.pages) >= 2, rel
            for page in pdf.pages:
                assert re.fullmatch(r"- \d+ -", page.extract_text().splitlines()[-1].strip())
            tables += sum(bool(page.find_tables()) for page in pdf.pages)
    assert tables >= 1
    assert all("\ufffd" not in t for t in texts.values())


def test_tongzhou_names_its_city(texts):
    for d, text in texts.items():
        if d.startswith("通州区/"):
            head = "".join(text.lstrip("\ufeff\r\n").splitlines()[:2])
            assert "南通市" in head or "江苏省" in head, d


def test_liujiang_rename(texts):
    for d, text in texts.items():
        if d.startswith("柳江区/"):
            years = Counter(re.findall(r"(20\d\d)年", text)).most_common(1)[0][0]
            if years == "2015":
                assert "柳江县" in text and "柳江区" not in text, d
            else:
                assert "柳江区" in text and "柳江县" not in text, d
    codes = {(r["year"], r["county_code"]) for r in gen.read_truth(TRUTH)
             if r["file"].startswith("柳江区/")}
    assert codes == {("2015", "450221"), ("2016", "450206"), ("2017", "450206")}


def test_special_files(truth, texts):
    special = {k: p for k, p in corpus_files(RAW).items() if k.startswith(gen.SPECIAL_DIR + "/")}
    masked = [r for r in truth if r["masked"] == "true"]
    assert masked and all(r["county_code"] == "" for r in masked)
    masked_file = masked[0]["file"]
    assert "**县" in texts[masked_file]
    assert not re.search(r"柳城|柳江|平阳|宁乡|土默特|通州", texts[masked_file])

    metas = [k for k in special if k.endswith(".meta.json")]
    assert len(metas) == 1
    meta = json.loads(special[metas[0]].read_text(encoding="utf-8"))
    assert set(meta) == {"county", "county_code", "year", "report_type", "issuer_role"}
    described = metas[0][: -len(".meta.json")]
    assert described in texts and meta["county"] not in texts[described]
    assert {r["county_code"] for r in truth if r["file"] == described} == {meta["county_code"]}

    manifests = [k for k in corpus_files(RAW) if k.endswith("manifest.csv")]
    assert len(manifests) == 1
    folder = manifests[0].rsplit("/", 1)[0]
    with open(RAW / manifests[0], encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and tuple(rows[0]) == gen.MANIFEST_FIELDS
    listed = f"{folder}/{rows[0]['file']}"
    assert listed in texts and rows[0]["county"] not in texts[listed]


def test_one_report_per_county_year_and_type():
    specs = gen.plan_corpus(gen.load_counties(), gen.DEFAULT_YEARS)
    keys = Counter((s.county.code_in(s.year), s.year, s.kind) for s in specs if not s.masked)
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    assert {s.fmt for s in specs} == set(gen.ALL_FORMATS)


def _one(suffix: str, root: Path = RAW) -> tuple[str, Path]:
    found = [(rel, p) for rel, p in corpus_files(root).items() if rel.endswith(suffix)]
    assert len(found) == 1, found
    return found[0]


def test_web_page(truth, texts):
    rel, p = _one(".html")
    b = p.read_bytes()
    assert not _is_utf8(b) and html_charset(b) == "gbk"
    assert re.search(rb'<meta http-equiv="Content-Type" content="text/html; charset=gb2312"', b)
    page = b.decode("gbk")
    rows = [r for r in truth if r["file"] == rel]
    county = next(c for c in gen.load_counties() if c.code_in(int(rows[0]["year"])) == rows[0]["county_code"])
    name, year = county.name_in(int(rows[0]["year"])), rows[0]["year"]
    site = f"{name}人民政府"
    h1 = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert name in h1 and year in h1
    assert f'<a href="/" title="{site}">{site}</a>' in page  # the site's name in the header
    assert '<div class="nav">' in page and page.count("<li><a href=") >= 6
    assert re.search(r"当前位置：<a[^>]*>首页</a> &gt; <a[^>]*>政务公开</a> &gt; <a[^>]*>法治政府建设</a>", page)
    info = re.sub(r"<[^>]+>", "", re.search(r'<div class="info">(.*?)</div>', page).group(1))
    info = info.replace("&nbsp;", " ")
    assert re.fullmatch(rf"发布时间：{int(year) + 1}-\d\d-\d\d  来源：{name}司法局  【字体：大 中 小】", info), info
    assert re.search(r"<p>&nbsp;&nbsp;&nbsp;&nbsp;", page) and re.search(r"<strong>[一二三四]、", page)
    assert "<table" in page and re.search(r"<td[^>]*>\d+(\.\d+)?</td>", page)
    side = page[page.index('<div class="side">'):page.index('<div class="footer">')]
    assert "相关文章" in side
    others = {c.name for c in gen.load_counties()} - {name}
    named = {o for o in others if o in side}
    assert len(named) >= 3 and name not in side
    footer = page[page.index('<div class="footer">'):]
    for word in ("ICP备", "网站标识码：", "联系电话：", "访问者", "<script"):
        assert word in footer, word
    article = texts[rel]
    body = article.split("\n", 1)[1]
    assert body.count(f"我{name[-1]}") > body.count(name)  # the text says 我县; the title names it
    chrome = re.sub(r"<[^>]+>", "", page.replace(page[page.index('id="zoom"'):page.index('<div class="tools">')], ""))
    worded = [r["as_written"] for r in rows if not re.fullmatch(r"[\d.]+", r["as_written"])]
    assert not [w for w in worded if re.search(rf"(?<![\d.]){re.escape(w)}", chrome)]  # all in the article
    assert 20 <= len(rows) <= 45


def test_scan(truth):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found = scans(RAW)
    assert len(found) == 1
    rel, p = next(iter(found.items()))
    assert b"/Font" not in p.read_bytes()
    pdf = pdfium.PdfDocument(str(p))
    try:
        assert 1 <= len(pdf) <= 3
        for page in pdf:
            assert page.get_textpage().get_text_range() == ""  # no text layer
            objs = list(page.get_objects())
            assert [o.type for o in objs] == [pdfium_c.FPDF_PAGEOBJ_IMAGE]
            w, h = page.get_size()
            left, bottom, right, top = objs[0].get_bounds()
            assert (round(left), round(bottom), round(right), round(top)) == (0, 0, round(w), round(h))
            px_w, px_h = objs[0].get_px_size()
            assert 190 <= px_w / (w / 72) <= 210  # about 200 dpi
    finally:
        pdf.close()
    rows = [r for r in truth if r["file"] == rel]
    assert 20 <= len(rows) <= 45 and all(r["county_code"] for r in rows)
    assert gen.read_tool_stamps(RAW)[rel]["made_with"].startswith("Pillow")


def test_scan_reads_back_through_the_pipelines_ocr(truth):
    """Every figure written into the scan comes back from the reader the build uses (OCR at 200 dpi)."""
    import pypdfium2 as pdfium

    from pipelines.ingest.document import parse_document

    rel, p = next(iter(scans(RAW).items()))
    parsed = parse_document(p.name, p.read_bytes())
    assert parsed.ocr_pages == len(pdfium.PdfDocument(str(p))) and all(b.confidence for b in parsed.blocks)
    text = parsed.text
    missing = sorted({r["as_written"] for r in truth if r["file"] == rel} - {r["as_written"] for r in truth
                                                                            if r["file"] == rel and r["as_written"] in text})
    assert not missing


def test_word97_doc(truth, texts):
    rel, p = _one(".doc")
    assert p.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE compound file
    made = gen.read_tool_stamps(RAW)[rel]
    assert made["made_with"].startswith("LibreOffice") and made["sha256"] == sha256(p)
    rows = [r for r in truth if r["file"] == rel]
    assert 20 <= len(rows) <= 45
    if not HAVE_SOFFICE:
        pytest.skip(NO_SOFFICE)
    text = texts[rel]
    year = int(rows[0]["year"])
    county = next(c for c in gen.load_counties() if c.code_in(year) == rows[0]["county_code"])
    title = text.lstrip("\ufeff").splitlines()[0]
    assert str(year) in title and county.name_in(year) in title
    assert all(r["as_written"] in text for r in rows)


# ---------------------------------------------------------------------------------------------
# templates


def test_templates_are_consistent():
    t = gen.load_templates()
    for pool in t["opening"].values():
        assert all("{city}" in s for s in pool)
        assert any(not any(b in s for b in gen.ANON_BLOCKERS) for s in pool)
    slots = set()
    for sec in t["section"]:
        for sub in sec["sub"]:
            for item in sub["item"]:
                assert item["label"]
                for key in ("text", "annual", "shufa", "prev"):
                    for s in item.get(key, []):
                        for m in gen.SLOT_RE.finditer(s):
                            name, measure = m.group(1), m.group(2)
                            if measure is None:
                                continue
                            if name.startswith("@"):
                                assert name[1:] in t["extras"], name
                            else:
                                assert name in t["values"], name
                                slots.add(name)
                        if key == "prev":
                            assert any(k[1] == -1 for k in gen.slot_keys(s)), s
    assert slots == set(t["values"])  # every indicator can be written
    for code, spec in t["values"].items():
        for ref in [spec.get("of")] + list(spec.get("rate", [])):
            assert ref is None or ref in t["values"], code
    assert set(t["table"]["labels"]) <= set(t["values"])


@pytest.mark.skipif(not CATALOG.exists(), reason="indicator catalog not next to the repo")
def test_values_match_the_indicator_catalog():
    with open(CATALOG, encoding="utf-8", newline="") as fh:
        catalog = {r["code"]: r["unit"] for r in csv.DictReader(fh, delimiter="\t")}
    values = gen.load_templates()["values"]
    assert {k: v["unit"] for k, v in values.items()} == catalog


def test_values_match_the_package_catalog():
    try:
        from pipelines.extract.catalog import catalog
    except ImportError:
        pytest.skip("pipelines.extract.catalog is not available")
    values = gen.load_templates()["values"]
    assert {k: v["unit"] for k, v in values.items()} == {i.code: i.unit for i in catalog().indicators}
