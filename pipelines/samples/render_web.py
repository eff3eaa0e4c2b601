"""A composed report as a county government site's article page, saved from the browser.

The page is what such sites serve: GBK bytes declared as gb2312 in the http-equiv form, the
site's name in the header, a menu, breadcrumbs, the article (title in ``<h1>``, a 发布时间 / 来源 /
字体 line, the body as ``<p>`` paragraphs with ``&nbsp;`` or text-indent indentation and
``<strong>`` headings, the table as an HTML ``<table>``), a sidebar of related articles naming
other counties, a footer with ICP number, site code, telephone and visit counter, and scripts.
Only the article holds figures of the truth file; the prose of the page around it is in the
``[web]`` table of templates.toml.  Deterministic: everything random comes from the document's
``rng_key``.
"""

from __future__ import annotations

import random
from datetime import timedelta
from html import escape

from .generate import Block, DocSpec, Document, load_counties, load_templates, unit_of

ENCODING = "gbk"  # what gb2312-labelled pages really are (browsers read the label as GBK)
ARTICLE_ID = "zoom"  # the body's container, as the 字体 links resize it


def _esc(text: str) -> str:
    return escape(text, quote=False)


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _hidden(spec: DocSpec) -> bool:
    """A report whose text must not tell its county (masked, anonymous): nor may its page."""
    return spec.masked or spec.anonymous


def _ctx(spec: DocSpec) -> dict[str, str]:
    c = spec.county
    name, short = c.name_in(spec.year), c.short_in(spec.year)
    if _hidden(spec):
        name, short = "**" + unit_of(name), "**"
    return {"county": name, "short": short, "city": c.city, "prov": c.province,
            "year": str(spec.year), "next_year": str(spec.year + 1)}


def site_name(spec: DocSpec) -> str:
    return load_templates()["web"]["site"].format_map(_ctx(spec))


def _digits(rng: random.Random, n: int, first_nonzero: bool = True) -> str:
    head = str(rng.randint(1, 9)) if first_nonzero else str(rng.randint(0, 9))
    return head + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _indent(rng: random.Random) -> tuple[str, str]:
    """How a paragraph is indented: (style attribute, leading text) - pages pasted from Word
    mix &nbsp; runs, full-width spaces and CSS."""
    x = rng.random()
    if x < 0.5:
        return "", "&nbsp;&nbsp;&nbsp;&nbsp;"
    if x < 0.75:
        return ' style="text-indent:2em;"', ""
    return "", "\u3000\u3000"


def _article(doc: Document, rng: random.Random) -> list[str]:
    out: list[str] = []
    for b in doc.blocks:
        if b.kind in ("title", "marker"):
            continue  # the title is the page's <h1>
        if b.kind == "blank":
            out.append("<p>&nbsp;</p>")
        elif b.kind == "h1":
            style, lead = ("", "&nbsp;&nbsp;&nbsp;&nbsp;") if rng.random() < 0.5 else ("", "")
            out.append(f"<p{style}>{lead}<strong>{_esc(b.text)}</strong></p>")
        elif b.kind == "h2":
            style, lead = _indent(rng)
            out.append(f"<p{style}>{lead}<strong>{_esc(b.text)}</strong></p>")
        elif b.kind == "p":
            style, lead = _indent(rng)
            if b.head:
                rest = b.text[len(b.head):]
                out.append(f"<p{style}>{lead}<strong>{_esc(b.head)}</strong>{_esc(rest)}</p>")
            else:
                out.append(f"<p{style}>{lead}{_esc(b.text)}</p>")
        elif b.kind == "caption":
            out.append(f'<p style="text-align:center;"><strong>{_esc(b.text)}</strong></p>')
        elif b.kind == "table":
            out.append(_table(b))
        elif b.kind == "sign":
            out.append(f'<p style="text-align:right;">{_esc(b.text)}</p>')
    return out


def _table(b: Block) -> str:
    rows = []
    for i, row in enumerate(b.rows):
        cells = []
        for j, text in enumerate(row):
            align = "center" if i == 0 or j > 0 else "left"
            inner = f"<strong>{_esc(text)}</strong>" if i == 0 else _esc(text)
            cells.append(f'<td style="border:1px solid #000;padding:4px 8px;text-align:{align};">'
                         f"{inner}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<table align="center" border="1" cellpadding="0" cellspacing="0" '
            'style="border-collapse:collapse;width:90%;">\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody>\n</table>")


SCRIPT = """<script type="text/javascript">
function doZoom(size) {
  var body = document.getElementById("%s");
  if (!body) { return; }
  body.style.fontSize = size + "px";
  var ps = body.getElementsByTagName("p");
  for (var i = 0; i < ps.length; i++) { ps[i].style.fontSize = size + "px"; }
}
function addFavorite() {
  try { window.external.addFavorite(location.href, document.title); }
  catch (e) { alert("请使用Ctrl+D将本页加入收藏"); }
}
(function () {
  var el = document.getElementById("visits");
  if (el && window.localStorage) {
    var seen = parseInt(localStorage.getItem("visits") || el.innerHTML, 10);
    el.innerHTML = String(seen + 1);
  }
})();
</script>""" % ARTICLE_ID


def render_html(doc: Document) -> bytes:
    s = doc.spec
    t = load_templates()["web"]
    rng = random.Random(f"{s.rng_key}:page")
    ctx = _ctx(s)
    site = t["site"].format_map(ctx)
    ctx["site"] = site

    def fill(template: str, **more: str) -> str:
        return template.format_map({**ctx, **more})

    published = doc.sign_date + timedelta(days=rng.randint(4, 20), hours=rng.randint(0, 7),
                                          minutes=rng.randint(0, 59))
    pub_day = published.strftime("%Y-%m-%d")
    pub_time = published.strftime("%Y-%m-%d %H:%M")
    source = fill(t["source"])
    column = t["column"]
    abbr = t["province_abbr"].get(s.county.province, s.county.province[0])
    area = t["area_codes"].get(s.county.city, "0" + _digits(rng, 3))
    code = s.county.code
    if _hidden(s):  # site code, area code and province would tell where the county is
        code, abbr, area = "******", "*", "0" + _digits(rng, 3)
    numbers = {
        "phone": f"{area}-{_digits(rng, 7)}",
        "site_id": code + _digits(rng, 4, first_nonzero=False),
        "icp": f"{_digits(rng, 8, first_nonzero=False)}号-{rng.randint(1, 3)}",
        "police": code + _digits(rng, 8, first_nonzero=False),
        "visits": _digits(rng, 7),
        "abbr": abbr,
    }
    path_of = {"首页": "/", "政务公开": "/zwgk/", column: "/zwgk/fzzfjs/"}

    others = [] if _hidden(s) else [c for c in load_counties() if c.code != s.county.code]
    rng.shuffle(others)
    related = []
    for c in others[:5]:
        title = fill(rng.choice(t["related"]), other=c.name_in(s.year))
        day = (published - timedelta(days=rng.randint(1, 40))).strftime("%Y-%m-%d")
        link = f"/zwgk/fzzfjs/{day[:7].replace('-', '')}/t{day.replace('-', '')}_{_digits(rng, 7)}.shtml"
        related.append((title, link, day))
    related.sort(key=lambda r: r[2], reverse=True)
    prev_title = fill(rng.choice(t["prev_titles"]))
    next_title = fill(rng.choice(t["next_titles"]))

    h: list[str] = []
    add = h.append
    add('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
    add('<html xmlns="http://www.w3.org/1999/xhtml">')
    add("<head>")
    add('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />')
    add('<meta http-equiv="X-UA-Compatible" content="IE=edge" />')
    add(f"<title>{_esc(fill(t['page_title'], title=doc.title))}</title>")
    add(f'<meta name="SiteName" content="{_attr(site)}" />')
    add(f'<meta name="SiteIDCode" content="{numbers["site_id"]}" />')
    add(f'<meta name="ColumnName" content="{_attr(column)}" />')
    add(f'<meta name="ArticleTitle" content="{_attr(doc.title)}" />')
    add(f'<meta name="PubDate" content="{pub_time}" />')
    add(f'<meta name="ContentSource" content="{_attr(source)}" />')
    add(f'<meta name="keywords" content="{_attr(column)},{_attr(ctx["county"])}" />')
    add('<link rel="stylesheet" type="text/css" href="/images/common.css" />')
    add('<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>')
    add("<style type=\"text/css\">\n"
        "body{margin:0;font-family:'Microsoft YaHei',SimSun,sans-serif;background:#f2f2f2;}\n"
        ".wrap{width:1200px;margin:0 auto;}\n"
        ".top{background:#b70f0f;color:#fff;height:120px;}\n"
        ".top .logo{font-size:36px;font-weight:bold;line-height:120px;float:left;}\n"
        ".nav{background:#8f0b0b;height:46px;}\n.nav li{float:left;list-style:none;width:150px;}\n"
        ".nav a{color:#fff;line-height:46px;font-size:18px;text-decoration:none;}\n"
        ".main{background:#fff;overflow:hidden;padding:20px;}\n"
        ".article{float:left;width:820px;}\n.article h1{font-size:26px;text-align:center;color:#b70f0f;}\n"
        ".info{text-align:center;color:#666;font-size:14px;border-bottom:1px dashed #ccc;padding:10px 0;}\n"
        "#zoom p{font-size:16px;line-height:2;margin:0;}\n"
        ".side{float:right;width:320px;}\n.footer{background:#333;color:#ccc;text-align:center;font-size:13px;padding:15px 0;}\n"
        "</style>")
    add("</head>")
    add("<body>")
    add('<div class="toolbar"><div class="wrap">')
    add("  " + "&nbsp;|&nbsp;".join(f'<a href="javascript:void(0);">{_esc(x)}</a>' for x in t["top_links"]))
    add("</div></div>")
    add('<div class="top"><div class="wrap">')
    add(f'  <div class="logo"><a href="/" title="{_attr(site)}">{_esc(site)}</a></div>')
    add('  <div class="search"><form action="/search/" method="get" target="_blank">')
    add(f'    <input type="text" name="q" class="text" placeholder="{_attr(t["search_placeholder"])}" />'
        f'<input type="submit" class="btn" value="{_attr(t["search_button"])}" />')
    add("  </form></div>")
    add("</div></div>")
    add('<div class="nav"><div class="wrap"><ul>')
    nav_paths = ["/", "/zjxq/", "/zwgk/", "/zwfw/", "/hdjl/", "/ztzl/", "/sjfb/"]
    for i, item in enumerate(t["nav"]):
        add(f'  <li><a href="{nav_paths[i % len(nav_paths)]}">{_esc(fill(item))}</a></li>')
    add("</ul></div></div>")
    add('<div class="wrap">')
    crumbs = " &gt; ".join(f'<a href="{path_of.get(x, "/")}">{_esc(x)}</a>' for x in t["breadcrumb"])
    add(f'<div class="position">{_esc(t["position_label"])}{crumbs}</div>')
    add('<div class="main">')
    add('<div class="article">')
    add(f"  <h1>{_esc(doc.title)}</h1>")
    sizes = zip(t["font_sizes"], (20, 16, 14))
    font_links = " ".join(f'<a href="javascript:doZoom({px})">{_esc(x)}</a>' for x, px in sizes)
    add(f'  <div class="info"><span>{_esc(t["published_label"])}{pub_day}</span>&nbsp;&nbsp;'
        f'<span>{_esc(t["source_label"])}{_esc(source)}</span>&nbsp;&nbsp;'
        f'<span>【{_esc(t["font_label"])}{font_links}】</span></div>')
    add(f'  <div class="content" id="{ARTICLE_ID}">')
    for line in _article(doc, rng):
        add(line)
    add("  </div>")
    tools = "".join(f'【<a href="javascript:{js}">{_esc(x)}</a>】'
                    for x, js in zip(t["tools"], ("window.print();", "window.close();")))
    add(f'  <div class="tools">{tools}</div>')
    add('  <div class="prevnext">')
    for label, title, days in ((t["prev_label"], prev_title, -rng.randint(1, 30)),
                               (t["next_label"], next_title, rng.randint(1, 30))):
        day = published + timedelta(days=days)
        add(f'    <p>{_esc(label)}<a href="../../{day:%Y%m}/t{day:%Y%m%d}_{_digits(rng, 7)}.shtml">'
            f"{_esc(title)}</a></p>")
    add("  </div>")
    add("</div>")
    add('<div class="side">')
    add(f'  <div class="box"><div class="box-title"><span>{_esc(t["related_title"])}</span>'
        f'<a class="more" href="/zwgk/fzzfjs/">{_esc(t["more"])}</a></div>')
    add("  <ul>")
    for title, link, day in related:
        add(f'    <li><a href="{link}" title="{_attr(title)}" target="_blank">{_esc(title)}</a>'
            f"<span>{day}</span></li>")
    add("  </ul></div>")
    add(f'  <div class="box"><div class="box-title"><span>{_esc(t["topics_title"])}</span></div>')
    add("  <ul>")
    for i, topic in enumerate(t["topics"]):
        add(f'    <li><a href="/ztzl/zt{i + 1:02d}/">{_esc(topic)}</a></li>')
    add("  </ul></div>")
    add("</div>")
    add("</div>")
    add("</div>")
    add('<div class="footer"><div class="wrap">')
    add("  <p>" + "&nbsp;|&nbsp;".join(f'<a href="/{x}/">{_esc(y)}</a>' for x, y in
                                      zip(("wzdt", "lxwm", "sybz", "yssm"), t["footer_links"])) + "</p>")
    add(f"  <p>{_esc(fill(t['host']))}&nbsp;&nbsp;&nbsp;{_esc(fill(t['maker']))}</p>")
    add(f"  <p>{_esc(fill(t['address']))}&nbsp;&nbsp;&nbsp;{_esc(fill(t['phone'], **numbers))}</p>")
    add(f"  <p>{_esc(fill(t['site_id'], **numbers))}&nbsp;&nbsp;&nbsp;"
        f'<a href="https://beian.miit.gov.cn/" target="_blank">{_esc(fill(t["icp"], **numbers))}</a>&nbsp;&nbsp;&nbsp;'
        f"{_esc(fill(t['police'], **numbers))}</p>")
    visits = _esc(fill(t["visits"], visits="\0")).replace(
        "\0", f'<span id="visits">{numbers["visits"]}</span>')
    add(f"  <p>{visits}&nbsp;&nbsp;&nbsp;{_esc(t['browser_hint'])}</p>")
    add("</div></div>")
    add(SCRIPT)
    add("</body>")
    add("</html>")
    return ("\r\n".join(h) + "\r\n").encode(ENCODING)
