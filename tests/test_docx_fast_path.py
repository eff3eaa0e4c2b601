"""The docx reader's fast route gives exactly what the python-docx route gives, and hands files over where it must.

Each case builds a real docx (builders.write_docx), optionally edits parts of it, and reads it both ways:
``read_docx_fast`` (lxml over the package's XML) and ``read_docx_python_docx`` (python-docx's object model,
the reference). Files the fast route declines must raise ``FastPathUnsupported`` there, and ``read_docx``
must then give what python-docx gives, errors included.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from builders import DocxTable, write_docx

from pipelines.ingest.errors import IngestError
from pipelines.ingest.readers import docx as reader

LIMIT = 200 * 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REPORT = [
    ("Title", "2022年平阳县法治政府建设年度报告"),
    ("Heading 1", "一、推进依法行政"),
    "全年受理行政复议申请26件。",
    DocxTable([["指标", "数值", "单位"], ["法律援助案件", "312", "件"]]),
    ("Heading 2", "(一)强化监督"),
    "办理人大代表建议45件。",
]


def _body(fragment: str):
    """An edit of document.xml putting ``fragment`` first in w:body."""
    return {"word/document.xml": lambda xml: xml.replace(b"<w:body>", b"<w:body>" + fragment.encode(), 1)}


def _sub(member: str, pattern: bytes, replacement: bytes, count: int = 1):
    def edit(xml: bytes) -> bytes:
        edited = re.sub(pattern, replacement, xml, count=count, flags=re.S)
        assert edited != xml, f"{pattern!r} not found in {member}"
        return edited

    return {member: edit}


def _vertical_merge(rows: range, col: int = 0):
    """An edit of document.xml merging cell ``col`` of the first table's ``rows`` (0-based) vertically."""
    def edit(xml: bytes) -> bytes:
        head, rest = xml.split(b"<w:tbl>", 1)
        table, tail = rest.split(b"</w:tbl>", 1)
        trs = table.split(b"<w:tr")
        for r in rows:
            cells = trs[r + 1].split(b"<w:tcPr>")
            mark = b'<w:vMerge w:val="restart"/>' if r == rows[0] else b"<w:vMerge/>"
            cells[col + 1] = mark + cells[col + 1]
            trs[r + 1] = b"<w:tcPr>".join(cells)
        return head + b"<w:tbl>" + b"<w:tr".join(trs) + b"</w:tbl>" + tail

    return {"word/document.xml": edit}


def _build(tmp_path, items, edits=None, drop=(), header=None, footer=None) -> bytes:
    """A docx of ``items`` with ``edits`` (member -> bytes -> bytes) applied and ``drop`` members left out."""
    source = write_docx(tmp_path / "source.docx", items, header=header, footer=footer).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in original.infolist():
            if info.filename not in drop:
                blob = original.read(info)
                target.writestr(info, (edits or {}).get(info.filename, lambda b: b)(blob))
    return out.getvalue()


def _outcome(read, data: bytes):
    """What a read gives: its ReadResult, or the error (python-docx's own errors escape some files)."""
    try:
        return ("ok", read(data))
    except IngestError as err:  # python-docx names the BytesIO it was given, at an address that differs per call
        return ("IngestError", err.kind, re.sub(r"0x[0-9a-f]+", "0x", err.reason))
    except Exception as exc:
        return (type(exc).__name__, str(exc))


TABLE_3X3 = DocxTable([["甲", "乙", "丙"], ["丁", "戊", "己"], ["庚", "辛", "壬"]])

SAME = {
    "report with title, headings, table, header and footer": dict(items=REPORT, header="平阳县人民政府", footer="第1页"),
    "merged first row": dict(items=["正文。", DocxTable([["主要指标", "", ""], ["调解成功率", "98.6", "%"]], merge_first_row=True)]),
    "vertically merged column": dict(items=[TABLE_3X3], edits=_vertical_merge(range(0, 3))),
    "vertical merge under a horizontal one": dict(
        items=[DocxTable([["合并", "", "丙"], ["丁", "戊", "己"]], merge_first_row=True)],
        edits=_sub("word/document.xml", rb"<w:tr>((?:(?!</w:tr>).)*?)</w:tr>\s*<w:tr>(<w:tc><w:tcPr>)",
                   rb'<w:tr>\1</w:tr><w:tr>\2<w:gridSpan w:val="2"/><w:vMerge/>'),
    ),
    "row starting late (gridBefore)": dict(
        items=[TABLE_3X3],
        edits=_sub("word/document.xml", rb"<w:tr>", rb'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>', count=2),
    ),
    "cell of several paragraphs, empty cells, whitespace cell": dict(
        items=[DocxTable([["第一段", "", "  "], ["x", "y", "z"]])],
        edits=_sub("word/document.xml", "第一段</w:t></w:r></w:p>".encode(),
                   "第一段</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>第二段</w:t></w:r></w:p>".encode()),
    ),
    "nested table (not read)": dict(
        items=[TABLE_3X3],
        edits=_sub("word/document.xml", "甲</w:t></w:r></w:p>".encode(),
                   "甲</w:t></w:r></w:p><w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc><w:p><w:r><w:t>嵌套</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/>".encode()),
    ),
    "tabs and line breaks in runs": dict(items=["制表\t符\n换行\r回车", "\t", "   ", "", "结尾。"]),
    "breaks, soft returns, hyphens and positional tabs": dict(items=["正文。"], edits=_body(
        '<w:p><w:r><w:t>a</w:t><w:br/><w:t>b</w:t><w:br w:type="page"/><w:br w:type="column"/><w:br w:type="textWrapping"/>'
        '<w:br w:type="bogus"/><w:cr/><w:noBreakHyphen/><w:softHyphen/><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>'
        '<w:tab/><w:t/><w:t xml:space="preserve"> c </w:t><w:sym w:font="Symbol" w:char="F020"/></w:r></w:p>')),
    "hyperlinks": dict(items=["正文。"], edits=_body(
        '<w:p><w:r><w:t xml:space="preserve">见 </w:t></w:r><w:hyperlink w:anchor="a"><w:r><w:t>司法局</w:t></w:r>'
        '<w:r><w:tab/><w:t>网站</w:t></w:r></w:hyperlink><w:r><w:t>。</w:t></w:r></w:p>')),
    "runs inside revisions, smart tags, fields, inline content controls (not read)": dict(items=["正文。"], edits=_body(
        '<w:p><w:r><w:t>正文</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
        '<w:smartTag w:uri="u" w:element="e"><w:r><w:t>智能</w:t></w:r></w:smartTag>'
        '<w:fldSimple w:instr="PAGE"><w:r><w:t>3</w:t></w:r></w:fldSimple>'
        '<w:sdt><w:sdtContent><w:r><w:t>行内控件</w:t></w:r></w:sdtContent></w:sdt></w:p>')),
    "body content controls, customXml and altChunk (not read)": dict(items=["正文。"], edits=_body(
        '<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件中的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>'
        '<w:customXml w:element="x"><w:p><w:r><w:t>customXml段落</w:t></w:r></w:p></w:customXml>'
        '<w:altChunk xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId99"/>')),
    "text box (not read)": dict(items=["正文。"], edits=_body(
        '<w:p><w:r><w:t>图前</w:t></w:r><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>文本框内文字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>')),
    "comments, processing instructions, CDATA": dict(
        items=["全年受理案件。"],
        edits=_sub("word/document.xml", "全年受理".encode(), "<![CDATA[全年<受]]><!-- c -->理<?pi x?>".encode()),
    ),
    "internal entity in a DOCTYPE (left unexpanded)": dict(
        items=["正文开始。"],
        edits={"word/document.xml": lambda xml: xml.replace(b"<w:document ", '<!DOCTYPE w:document [<!ENTITY e "内部">]><w:document '.encode(), 1)
               .replace("正文开始".encode(), "正文&e;开始".encode())},
    ),
    "custom paragraph style named 标题 1": dict(
        items=["正文。"],
        edits={
            **_sub("word/styles.xml", rb"</w:styles>",
                   '<w:style w:type="paragraph" w:customStyle="1" w:styleId="a1"><w:name w:val="标题 1"/></w:style>'
                   '<w:style w:type="paragraph" w:customStyle="1" w:styleId="a2"><w:name w:val="标题"/></w:style>'
                   '<w:style w:type="paragraph" w:styleId="a3"/></w:styles>'.encode()),
            **_body('<w:p><w:pPr><w:pStyle w:val="a1"/></w:pPr><w:r><w:t>一、自定义标题</w:t></w:r></w:p>'
                    '<w:p><w:pPr><w:pStyle w:val="a2"/></w:pPr><w:r><w:t>报告标题</w:t></w:r></w:p>'
                    '<w:p><w:pPr><w:pStyle w:val="a3"/></w:pPr><w:r><w:t>无名样式</w:t></w:r></w:p>'
                    '<w:p><w:pPr><w:pStyle w:val="NoSuchStyle"/></w:pPr><w:r><w:t>未知样式</w:t></w:r></w:p>'
                    '<w:p><w:pPr><w:pStyle w:val=""/></w:pPr><w:r><w:t>空样式</w:t></w:r></w:p>'),
        },
    ),
    "heading 1 as the default paragraph style": dict(
        items=["正文。", ("Heading 2", "二级")],
        edits=_sub("word/styles.xml", rb'w:styleId="Heading1"', b'w:styleId="Heading1" w:default="on"'),
    ),
    "no default paragraph style": dict(
        items=REPORT, edits=_sub("word/styles.xml", rb'w:type="paragraph" w:default="1"', b'w:type="paragraph"'),
    ),
    "two styles with one id": dict(
        items=REPORT, edits=_sub("word/styles.xml", rb'w:styleId="Heading2"', b'w:styleId="Heading1"'),
    ),
    "no text at all": dict(items=[]),
}


@pytest.mark.parametrize("case", SAME.values(), ids=SAME.keys())
def test_fast_route_gives_what_python_docx_gives(tmp_path, case):
    data = _build(tmp_path, **case)
    reader._check_archive(data, LIMIT)
    expected = reader.read_docx_python_docx(data)
    reader._STYLE_TABLES.clear()
    assert reader.read_docx_fast(data) == expected  # styles part parsed
    assert reader.read_docx_fast(data) == expected  # styles table from the cache
    assert reader.read_docx(data, LIMIT) == expected


HANDED_OVER = {
    "undeclared entity in document.xml (repaired by the python-docx route)": dict(
        items=["全县共建成法治文化公园九处。", "新增村级服务点。"],
        edits=_sub("word/document.xml", "新增村级".encode(), "新增&ldquo;村级&rdquo;&foo;".encode()),
    ),
    "undeclared entity in a header": dict(
        items=["正文。"], header="平阳县", edits=_sub("word/header1.xml", "平阳县".encode(), "平阳&nbsp;县".encode()),
    ),
    "damaged header (python-docx refuses the file)": dict(
        items=["正文。"], header="平阳县", edits=_sub("word/header1.xml", rb"</w:hdr>", b""),
    ),
    "no styles part (python-docx uses its template's styles)": dict(
        items=REPORT,
        edits=_sub("word/_rels/document.xml.rels", rb'<Relationship [^>]*/styles" Target="styles.xml"/>', b""),
    ),
    "styles part missing from the zip": dict(items=REPORT, drop=("word/styles.xml",)),
    "style without a type (python-docx fails)": dict(
        items=REPORT, edits=_sub("word/styles.xml", rb'w:type="paragraph" w:default="1"', b'w:default="1"'),
    ),
    "style name without a value (python-docx fails)": dict(
        items=REPORT, edits=_sub("word/styles.xml", rb'<w:name w:val="heading 1"/>', b"<w:name/>"),
    ),
    "pStyle without a value (python-docx fails)": dict(
        items=REPORT, edits=_sub("word/document.xml", rb'<w:pStyle w:val="Heading1"/>', b"<w:pStyle/>"),
    ),
    "main part of another content type": dict(
        items=REPORT,
        edits=_sub("[Content_Types].xml", rb"wordprocessingml.document.main\+xml", b"wordprocessingml.template.main+xml"),
    ),
    "document.xml in another namespace": dict(
        items=REPORT, edits=_sub("word/document.xml", W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
    ),
    "vertical merge continued in the first row (python-docx fails)": dict(
        items=[TABLE_3X3], edits=_sub("word/document.xml", rb"<w:tc><w:tcPr>", b"<w:tc><w:tcPr><w:vMerge/>"),
    ),
    "vertical merge with no cell above (python-docx fails)": dict(
        items=[DocxTable([["合并", "", "丙"], ["丁", "戊", "己"]], merge_first_row=True)],
        edits=_sub("word/document.xml", rb"(<w:tr>(?:(?!</w:tr>).)*?</w:tr>\s*<w:tr><w:tc><w:tcPr>(?:(?!</w:tc>).)*?</w:tc><w:tc><w:tcPr>)",
                   rb"\1<w:vMerge/>"),
    ),
    "gridSpan that is no number (python-docx fails)": dict(
        items=[DocxTable([["合并", "", "丙"], ["丁", "戊", "己"]], merge_first_row=True)],
        edits=_sub("word/document.xml", rb'<w:gridSpan w:val="3"/>', b'<w:gridSpan w:val="three"/>'),
    ),
}


@pytest.mark.parametrize("case", HANDED_OVER.values(), ids=HANDED_OVER.keys())
def test_fast_route_hands_over_what_it_cannot_vouch_for(tmp_path, case):
    data = _build(tmp_path, **case)
    reader._check_archive(data, LIMIT)
    with pytest.raises(reader.FastPathUnsupported):
        reader.read_docx_fast(data)
    expected = _outcome(reader.read_docx_python_docx, data)
    assert _outcome(lambda d: reader.read_docx(d, LIMIT), data) == expected


def test_long_vertical_merge_is_handed_over(tmp_path, monkeypatch):
    """python-docx follows a vertical merge up by recursion; past ``_MAX_MERGE_CHAIN`` rows its outcome is its own."""
    monkeypatch.setattr(reader, "_MAX_MERGE_CHAIN", 5)
    data = _build(tmp_path, [DocxTable([[f"{r}", "值"] for r in range(8)])], _vertical_merge(range(0, 8)))
    with pytest.raises(reader.FastPathUnsupported):
        reader.read_docx_fast(data)
    assert reader.read_docx(data, LIMIT) == reader.read_docx_python_docx(data)
    monkeypatch.setattr(reader, "_MAX_MERGE_CHAIN", 100)
    assert reader.read_docx_fast(data) == reader.read_docx_python_docx(data)


def test_damaged_part_python_docx_only_reads_is_handed_over(tmp_path):
    """A CRC error in a part nobody parses (stylesWithEffects.xml) still makes python-docx refuse the file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_build(tmp_path, REPORT))) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in original.infolist():
            target.writestr(info.filename, original.read(info))
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        offset = archive.getinfo("word/stylesWithEffects.xml").header_offset
    data[data.index(b"w:latentStyles", offset)] ^= 0x20
    data = bytes(data)
    with pytest.raises(reader.FastPathUnsupported):
        reader.read_docx_fast(data)
    with pytest.raises(IngestError) as err:
        reader.read_docx(data, LIMIT)
    assert err.value.kind == "corrupt_file" and "CRC" in err.value.reason


def test_read_docx_takes_the_fast_route(tmp_path, monkeypatch):
    data = _build(tmp_path, REPORT)
    expected = reader.read_docx_python_docx(data)

    def not_called(data):
        raise AssertionError("python-docx route taken")

    monkeypatch.setattr(reader, "read_docx_python_docx", not_called)
    assert reader.read_docx(data, LIMIT) == expected


def test_style_table_cache_is_bounded(tmp_path):
    cache = reader._StyleTables(entries=2, max_part_bytes=10)
    for blob in (b"a", b"b", b"c"):
        cache.put(blob, ({}, blob.decode()))
    assert cache.get(b"a") is None and cache.get(b"c") == ({}, "c")
    cache.put(b"x" * 11, ({}, "big"))
    assert cache.get(b"x" * 11) is None
