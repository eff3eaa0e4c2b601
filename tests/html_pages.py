"""Saved web pages in the style of Chinese county government sites, for the html/mht reader tests.

Each builder returns the page's bytes as a browser would have saved them: a site's chrome (top
bar, nav menu, breadcrumb 当前位置, a sidebar of 相关文章 naming OTHER counties' reports, a footer
with ICP备案号 / 网站标识码 / 联系电话 / a visit counter, scripts and styles) around an article.
The reader must keep the article and nothing else. All report text here was written for these
tests. ``gov_page`` assembles a page from parts so the tests can vary one part at a time.
"""

from __future__ import annotations

import quopri
import random
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email import encoders
from html import escape
from pathlib import Path

SITE = "平阳县人民政府"
# Counties named only by the site's sidebar and next-article links: none may reach the blocks.
OTHER_COUNTIES = ("苍南县", "泰顺县", "永嘉县", "文成县")
ICP = "浙ICP备05012345号-1"
SITE_CODE = "3303260001"

HEAD_SCRIPT = """<script type="text/javascript">
var _hmt = _hmt || [];
(function() { var hm = document.createElement("script"); hm.src = "https://hm.example.com/hm.js?abc";
  document.title = "平阳县2019年法治政府建设年度报告"; })();
</script>"""
STYLE = """<style type="text/css">
body { font-family: "微软雅黑"; } .nav li { float: left; } .content p { text-indent: 2em; }
.hidden-title:before { content: "泰顺县法治政府建设"; }
</style>"""

TOP_BAR = f"""<div class="top"><div class="w1200">
<span class="date"><script>document.write(new Date().toLocaleDateString());</script></span>
<a href="/">网站首页</a> | <a href="/wza/">无障碍浏览</a> | <a href="/elder/">长者模式</a> | <a href="/en/">English</a>
</div></div>
<div class="header"><img src="/images/logo.png" alt="{SITE}门户网站"></div>"""

NAV = """<div class="nav"><ul>
<li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjpy/">走进平阳</a></li><li><a href="/ztzl/">专题专栏</a></li>
</ul></div>"""

BREADCRUMB = """<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/fzzfjs/">法治政府建设</a> &gt; 正文</div>"""

SIDEBAR = """<div class="right">
<div class="box"><h3>相关文章</h3><ul>
<li><a href="/art/2024/1/10/art_1.html">苍南县2023年法治政府建设年度报告</a><span>2024-01-10</span></li>
<li><a href="/art/2024/1/9/art_2.html">泰顺县2023年度法治政府建设工作报告</a><span>2024-01-09</span></li>
<li><a href="/art/2023/12/29/art_3.html">永嘉县人民政府关于2023年法治政府建设情况的报告</a><span>2023-12-29</span></li>
</ul></div>
<div class="box"><h3>相关链接</h3><ul>
<li><a href="http://www.example.gov.cn/">中国政府网</a></li>
<li><a href="http://zj.example.gov.cn/">浙江省人民政府</a></li>
<li><a href="http://wz.example.gov.cn/">温州市人民政府</a></li>
</ul></div></div>"""

FOOTER = f"""<div class="footer">
<p><a href="/about/">关于我们</a> | <a href="/map/">网站地图</a> | <a href="/contact/">联系我们</a></p>
<p>主办单位：{SITE}办公室　承办单位：平阳县大数据发展管理中心</p>
<p>地址：平阳县昆阳镇示例路88号　联系电话：0577-63712345　邮编：325400</p>
<p><a href="https://beian.example.cn/">{ICP}</a>　浙公网安备 33032602000123号　网站标识码：{SITE_CODE}</p>
<p>您是本站第<span id="visits">1024316</span>位访问者　建议使用1366×768以上分辨率浏览</p>
</div>
<script type="text/javascript">document.getElementById("visits").innerHTML = "文成县访问统计";</script>"""

# The report body: headings written as 一、/(一), figures in the prose, a <br>-separated block.
REPORT_PARAGRAPHS = [
    "2023年，我县坚持以习近平法治思想为指导，认真落实法治政府建设实施纲要，各项工作取得新进展。现将有关情况报告如下：",
    "一、主要举措和成效",
    "（一）健全依法决策机制",
    "全年召开县政府常务会议24次，审议重大行政决策事项17项，均经过合法性审查和集体讨论。",
    "（二）规范行政执法行为",
    "全县行政执法机关办理行政处罚案件1862件，同比下降8.4%；行政许可事项平均办理时限压缩至3.2个工作日。",
    "（三）强化法律服务保障",
    "全年共办理法律援助案件356件，同比增长12%，为群众挽回经济损失420余万元。",
]
BR_LINES = [
    "人民调解组织调处矛盾纠纷2147件，调解成功率98.7%；",
    "新建村（社区）公共法律服务工作室26个；",
    "开展“法律进乡村”宣讲活动130场次，发放宣传资料3.6万份。",
]
CLOSING_PARAGRAPHS = [
    "二、存在的问题",
    "部分乡镇法治建设力量较为薄弱，基层执法人员的法律素养有待进一步提高。",
    "三、下一步工作打算",
    "我县将持续深化“放管服”改革，加快推进综合行政执法改革，不断提升依法行政水平。",
]
REPORT_TEXT = REPORT_PARAGRAPHS + BR_LINES + CLOSING_PARAGRAPHS


def paragraphs_html(paragraphs: list[str]) -> str:
    return "\n".join(f"<p style=\"text-indent:2em\">{escape(p)}</p>" for p in paragraphs)


def report_body_html() -> str:
    """The article body as a CMS writes it: <p>s, a <div> of <br> lines, <strong> heading runs."""
    first = REPORT_PARAGRAPHS[:2]
    rest = REPORT_PARAGRAPHS[2:]
    return "\n".join([
        paragraphs_html(first[:1]),
        f"<p><strong>{escape(first[1])}</strong></p>",
        paragraphs_html(rest),
        "<div>" + "<br>\n".join(f"&nbsp;&nbsp;{escape(line)}" for line in BR_LINES) + "<br></div>",
        paragraphs_html(CLOSING_PARAGRAPHS),
        "<p style=\"text-align:right\">平阳县人民政府</p>",
        "<p style=\"text-align:right\">2024年1月12日</p>",
    ])


def article_html(
    title: str | None,
    body: str,
    info: str | None = "发布时间：2024-01-15 09:30　来源：平阳县司法局　浏览次数：<span id=\"hits\">1286</span>",
    after: bool = True,
) -> str:
    """The article container: <h1>, the info line, the content div, then the page's own clutter."""
    parts = ['<div class="article">']
    if title is not None:
        parts.append(f'<h1 class="title">{escape(title)}</h1>')
    if info is not None:
        parts.append(f'<div class="info">{info}　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>')
    parts.append(f'<div class="content" id="zoom">\n{body}\n</div>')
    if after:
        parts.append("""<div class="editor">责任编辑：林晓</div>
<div class="share">分享到：<a href="#" class="wx">微信</a> <a href="#" class="wb">微博</a></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a>　<a href="javascript:window.close()">关闭窗口</a></div>
<div class="pager"><p>上一篇：<a href="/art/2024/1/8/art_9.html">文成县法治宣传教育工作情况通报</a></p>
<p>下一篇：<a href="/art/2024/1/16/art_11.html">关于开展2024年度行政执法案卷评查的通知</a></p></div>""")
    parts.append("</div>")
    return "\n".join(parts)


def gov_page(
    article: str,
    *,
    title: str = f"平阳县2023年法治政府建设年度报告_{SITE}",
    meta_charset: str | None = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
    extra_meta: str = '<meta name="PubDate" content="2024-01-15 09:30">',
    sidebar: str = SIDEBAR,
    footer: str = FOOTER,
) -> str:
    """A whole page around ``article``; encode the result with the charset it declares."""
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{meta_charset or ""}
<title>{escape(title)}</title>
<meta name="SiteName" content="{SITE}">
<meta name="SiteIDCode" content="{SITE_CODE}">
<meta name="ColumnName" content="法治政府建设">
{extra_meta}
<meta name="keywords" content="泰顺县,苍南县,法治政府">
<link rel="stylesheet" href="http://www.example.gov.cn/css/style.css">
{STYLE}
{HEAD_SCRIPT}
</head>
<body>
{TOP_BAR}
{NAV}
<div class="main w1200">
{BREADCRUMB}
<div class="left">
{article}
</div>
{sidebar}
</div>
<noscript>您的浏览器不支持JavaScript，苍南县部分功能无法使用</noscript>
{footer}
</body>
</html>
"""


def gbk_report_page() -> bytes:
    """The classic: a GB2312-declared page (bytes in GBK) with every kind of site clutter."""
    page = gov_page(article_html("平阳县2023年法治政府建设年度报告", report_body_html()))
    return page.encode("gbk")


# A figures table with a merged header: 指标 and 增幅 span two rows, 数量 spans two columns.
TABLE_HTML = """<table border="1" cellspacing="0" cellpadding="0" style="width:90%">
<caption>表1　2023年法治政府建设主要指标</caption>
<thead>
<tr><th rowspan="2">指标</th><th colspan="2">数量（件）</th><th rowspan="2">增幅</th></tr>
<tr><th>2022年</th><th>2023年</th></tr>
</thead>
<tbody>
<tr><td><p>行政复议案件</p></td><td>48</td><td>61</td><td>27.1%</td></tr>
<tr><td>行政诉讼案件</td><td>35</td><td>29</td><td>-17.1%</td></tr>
<tr><td>法律援助案件</td><td>298</td><td>356</td><td>19.5%</td></tr>
<tr><td>行政机关负责人出庭应诉率</td><td>&nbsp;</td><td colspan="2">100%</td></tr>
</tbody>
</table>"""

UTF8_TITLE = "海盐县2023年度法治政府建设工作报告"
UTF8_INTRO = "2023年，县政府高位推进法治政府建设，全县法治建设各项指标稳中有进，主要数据见下表。"
UTF8_AFTER = [
    "一、行政复议和应诉工作",
    "全年新收行政复议申请61件，审结58件，纠错率12.1%。",
    "二、公共法律服务",
    "建成县级公共法律服务中心1个、镇级工作站9个，实现全覆盖。",
]


def utf8_table_page() -> bytes:
    """A UTF-8 page from a TRS-style CMS: <meta charset>, <div><br> lines, a table of figures,
    no PubDate meta but a 发布日期 line in Chinese date form."""
    body = f"""<div class="TRS_Editor"><div class="Custom_UnionStyle">
<div>{escape(UTF8_INTRO)}</div>
{TABLE_HTML}
<div>{escape(UTF8_AFTER[0])}<br>{escape(UTF8_AFTER[1])}</div>
<h3>{escape(UTF8_AFTER[2])}</h3>
<p>{escape(UTF8_AFTER[3])}</p>
</div></div>"""
    info = "发布日期：2024年3月8日　信息来源：海盐县司法局"
    page = gov_page(
        article_html(UTF8_TITLE, body, info=info),
        title=f"{UTF8_TITLE}-海盐县人民政府",
        meta_charset='<meta charset="utf-8">',
        extra_meta='<meta name="ArticleTitle" content="海盐县2023年度法治政府建设工作报告">',
    )
    return page.encode("utf-8")


def lying_page() -> bytes:
    """Declares UTF-8 but was saved in GBK: the declaration must not win."""
    page = gov_page(
        article_html("平阳县2023年法治政府建设年度报告", report_body_html()),
        meta_charset='<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    )
    return page.encode("gbk")


def undeclared_gbk_page() -> bytes:
    """No charset declaration anywhere: detection has to find GBK."""
    return gov_page(article_html("平阳县2023年法治政府建设年度报告", report_body_html()), meta_charset=None).encode("gbk")


def metadata_page(title: str, pubdate: str = "2024-01-15 09:30") -> bytes:
    """A report whose text names neither the county nor the year: only 我县. The page title
    names the county (…_平阳县人民政府) and the PubDate meta dates it."""
    heading = title.split("_")[0]
    body = paragraphs_html([
        "今年以来，我县认真贯彻落实上级关于法治政府建设的决策部署，扎实推进依法行政。",
        "一、加强组织领导",
        "县政府常务会议专题研究法治政府建设工作6次，落实党政主要负责人法治建设第一责任人职责。",
        "二、推进严格规范公正文明执法",
        "组织开展行政执法案卷评查，抽查案卷210卷，优秀率达到83%。",
    ])
    page = gov_page(
        article_html(heading, body, info=f"发布时间：{pubdate}"),
        title=title,
        extra_meta=f'<meta name="PubDate" content="{pubdate}">',
    )
    return page.encode("gbk")


# --- single-file saves (.mht) ----------------------------------------------------------------

def mht(html: bytes, charset: str | None, encoding: str = "quoted-printable", with_image: bool = True,
        location: str = "http://www.pingyang.example.gov.cn/art/2024/1/15/art_10.html") -> bytes:
    """An .mht as a browser saves one: multipart/related, the page first, its resources after."""
    root = MIMEMultipart("related", type="text/html")
    root["From"] = "<由 Windows Internet Explorer 保存>"
    root["Subject"] = "平阳县2023年法治政府建设年度报告"
    root["Date"] = "Mon, 15 Jan 2024 10:02:11 +0800"
    part = MIMENonMultipart("text", "html")
    if charset:
        part.set_param("charset", charset)
    part["Content-Location"] = location
    if encoding == "quoted-printable":
        part.set_payload(quopri.encodestring(html).decode("ascii"))  # spaces kept, as IE and Chrome write it
        part["Content-Transfer-Encoding"] = "quoted-printable"
    else:
        part.set_payload(html)
        encoders.encode_base64(part)
    root.attach(part)
    if with_image:
        image = MIMEBase("image", "png")
        image.set_payload(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
        encoders.encode_base64(image)
        image["Content-Location"] = "http://www.pingyang.example.gov.cn/images/logo.png"
        root.attach(image)
    return root.as_bytes()


def mht_report(encoding: str = "quoted-printable") -> bytes:
    return mht(gbk_report_page(), "gb2312", encoding)


def mht_without_html() -> bytes:
    root = MIMEMultipart("related")
    image = MIMEBase("image", "jpeg")
    image.set_payload(b"\xff\xd8\xff\xe0" + bytes(500))
    encoders.encode_base64(image)
    root.attach(image)
    return root.as_bytes()


# --- pages that are not a report -----------------------------------------------------------------

def column_listing_page() -> bytes:
    """A 栏目 page saved by mistake: the site's chrome and a list of links to other articles."""
    items = "\n".join(
        f'<li><a href="/art/{2024 - i // 4}/{i % 12 + 1}/5/art_{i}.html">{escape(name)}</a><span>{2024 - i // 4}-0{i % 9 + 1}-05</span></li>'
        for i, name in enumerate([
            "平阳县2023年法治政府建设年度报告", "苍南县2023年法治政府建设年度报告", "关于公布行政规范性文件清理结果的通知",
            "平阳县2022年法治政府建设年度报告", "关于开展“八五”普法中期评估的通知", "泰顺县2022年度法治政府建设工作报告",
            "县司法局2023年政府信息公开工作年度报告", "关于印发重大行政决策事项目录的通知", "永嘉县2021年法治政府建设情况报告",
        ])
    )
    article = f'<div class="list"><h2>法治政府建设</h2><ul class="list-ul">{items}</ul>' \
              '<div class="page">共9条　首页 上一页 <a href="#">1</a> 下一页 尾页</div></div>'
    return gov_page(article, title=f"法治政府建设_{SITE}", extra_meta="").encode("gbk")


def nav_only_page() -> bytes:
    """Only the site chrome, no article container at all."""
    return gov_page("", title=f"{SITE}门户网站", extra_meta="").encode("utf-8")


def styled_error_page() -> bytes:
    """A site's own 404 page, in the site's chrome."""
    article = """<div class="error"><img src="/images/404.png" alt="404">
<p>抱歉，您访问的页面不存在或已被删除！</p>
<p><span id="sec">5</span>秒后自动返回<a href="/">首页</a></p></div>"""
    return gov_page(article, title=f"页面不存在_{SITE}", extra_meta="").encode("utf-8")


def nginx_404_page() -> bytes:
    return b"""<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def error_body_page() -> bytes:
    """An error page whose title still carries the site's name: only the body says it is an error."""
    article = '<div class="content"><h2>404</h2><p>对不起，您要访问的页面不存在，可能已被删除或移动。</p></div>'
    return gov_page(article, title=SITE, extra_meta="").encode("utf-8")


ATTACHMENT_NAME = "平阳县2023年法治政府建设年度报告.pdf"
ATTACHMENT_HREF = "/module/download/downfile.jsp?filename=P020240115392417.pdf"


def attachment_only_page() -> bytes:
    """The report is published as a PDF attachment; the page itself holds only the link."""
    body = f'<p>附件：<a href="/art/2024/1/15/P020240115392417.pdf">{ATTACHMENT_NAME}</a></p>'
    page = gov_page(article_html("平阳县2023年法治政府建设年度报告", body), title=f"平阳县2023年法治政府建设年度报告_{SITE}")
    return page.encode("gbk")


def docx_link_only_page() -> bytes:
    """Same, with the attachment link's text being only 附件1 and the file named by its href."""
    body = '<p style="text-align:center">附件下载：<a href="/uploads/2024/01/平阳县2023年述法报告.docx">附件1</a></p>'
    page = gov_page(article_html("平阳县2023年述法报告", body, after=False), title=f"平阳县2023年述法报告_{SITE}")
    return page.encode("utf-8")


def script_only_page() -> bytes:
    """A page whose content would have been rendered by JavaScript: nothing visible was saved."""
    return """<!DOCTYPE html><html><head><meta charset="utf-8"><title></title>
<script>window.__DATA__ = {"title": "平阳县2023年法治政府建设年度报告", "body": "全年共办理法律援助案件356件"};</script>
<style>#app { min-height: 600px; }</style></head>
<body><div id="app"></div><script src="/static/js/app.8f3a.js"></script></body></html>""".encode("utf-8")


def binary_garbage(size: int = 8192) -> bytes:
    return random.Random(20240115).randbytes(size)


def empty_page() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><title></title></head><body>\n</body></html>\n"


def hostile_page() -> bytes:
    """Things that would make a careless parser go to the network or show code as text."""
    return """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html [<!ENTITY remote SYSTEM "http://attacker.example/secret.txt"><!ENTITY lol "哈哈哈哈哈哈哈哈">]>
<html><head><title>泰顺县2023年法治政府建设年度报告_泰顺县人民政府</title>
<link rel="stylesheet" href="http://attacker.example/a.css"><base href="http://attacker.example/">
<script src="http://attacker.example/a.js"></script></head>
<body><div class="content">
<h1>泰顺县2023年法治政府建设年度报告</h1>
<p>全县各级行政机关共收到行政复议申请39件，依法受理36件，办结率达到100%。&remote;</p>
<img src="http://attacker.example/pixel.gif">
<iframe src="http://attacker.example/frame.html">框架内容不应出现</iframe>
<p>全年组织领导干部旁听庭审活动4场，参加人员累计560人次。&lol;</p>
<script>document.write("脚本文字不应出现");</script>
<style>p::after { content: "样式文字不应出现"; }</style>
<p>县政府法律顾问全年审查合同83份，提出修改意见152条，有效防范了法律风险。</p>
</div></body></html>""".encode("utf-8")


def huge_page(target_bytes: int = 5 * 1024 * 1024) -> bytes:
    """A ~5 MB report page: thousands of paragraphs and tables inside the usual chrome."""
    rng = random.Random(7)
    verbs = ["办理", "审结", "受理", "调处", "培训", "检查"]
    things = ["法律援助案件", "行政复议案件", "矛盾纠纷", "执法人员", "规范性文件", "行政许可事项"]
    pieces: list[str] = []
    size = 0
    n = 0
    while size < target_bytes:
        n += 1
        if n % 200 == 0:
            rows = "".join(
                f"<tr><td>{things[(n + r) % 6]}</td><td>{rng.randint(10, 999)}</td><td>{rng.randint(1, 30)}%</td></tr>"
                for r in range(8)
            )
            piece = f"<table><tr><th>项目</th><th>数量</th><th>增幅</th></tr>{rows}</table>"
        else:
            piece = (f"<p>第{n}项工作：全县{verbs[n % 6]}{things[n % 6]}{rng.randint(10, 9999)}件，"
                     f"同比增长{rng.randint(1, 40)}.{rng.randint(0, 9)}%，较上年有所提高。</p>")
        pieces.append(piece)
        size += len(piece.encode("utf-8"))
    page = gov_page(article_html("平阳县2023年法治政府建设年度报告", "\n".join(pieces)),
                    meta_charset='<meta charset="utf-8">')
    return page.encode("utf-8")


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def old_layout_page() -> bytes:
    """A county site built around 2010: the page laid out in nested tables, <font> tags, the body
    in one <td> as <br>-separated lines indented with &nbsp;, GB2312, no PubDate meta."""
    lines = [
        "2023年度，县人民政府深入推进依法行政，现将法治政府建设情况报告如下。",
        "一、完善行政决策程序",
        "全年制定重大行政决策事项目录，列入事项9项，全部履行公众参与、专家论证、风险评估等程序。",
        "二、加强行政复议工作",
        "县行政复议局全年收到复议申请73件，受理68件，审结65件，直接纠错9件。",
    ]
    content = "<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{escape(line)}" for line in lines)
    page = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>文成县人民政府门户网站</title></head>
<body topmargin="0">
<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td colspan="2"><img src="/images/banner.jpg"></td></tr>
<tr><td colspan="2" class="nav"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a> | <a href="/gzcy/">公众参与</a></td></tr>
<tr>
<td width="230" valign="top"><table width="100%">
<tr><td class="lm">相关文章</td></tr>
<tr><td><a href="/a1.html">苍南县2023年法治政府建设年度报告</a></td></tr>
<tr><td><a href="/a2.html">永嘉县2023年法治政府建设年度报告</a></td></tr>
<tr><td><a href="/a3.html">泰顺县法治政府建设工作报告</a></td></tr>
</table></td>
<td valign="top"><table width="100%" border="0">
<tr><td class="weizhi">您现在的位置：<a href="/">首页</a> &gt;&gt; <a href="/zwgk/">政务公开</a></td></tr>
<tr><td align="center" class="biaoti"><font size="4"><b>文成县2023年度法治政府建设情况报告</b></font></td></tr>
<tr><td align="center" class="time">发布日期：2024-02-06　　点击数：<script>document.write(382)</script></td></tr>
<tr><td class="zw" id="zoom"><font style="font-size:14px;line-height:28px">{content}</font></td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table></td></tr>
<tr><td colspan="2" class="foot" align="center">版权所有：文成县人民政府办公室　浙ICP备05099999号<br>网站标识码：3303280002　技术支持：某某网络科技有限公司</td></tr>
</table>
</body></html>"""
    return page.encode("gbk")


OLD_LAYOUT_LINES = [
    "2023年度，县人民政府深入推进依法行政，现将法治政府建设情况报告如下。",
    "一、完善行政决策程序",
    "全年制定重大行政决策事项目录，列入事项9项，全部履行公众参与、专家论证、风险评估等程序。",
    "二、加强行政复议工作",
    "县行政复议局全年收到复议申请73件，受理68件，审结65件，直接纠错9件。",
]


def headings_page() -> bytes:
    """Sections marked with <h2>/<h3> and no numbering: the tags give the levels."""
    body = """<h2>组织领导</h2>
<p>县委常委会会议听取法治建设工作汇报4次，研究解决重点难点问题11个。</p>
<h3>学法用法</h3>
<p>县政府常务会议会前学法12次，组织领导干部法治专题讲座3场。</p>
<h2>一、依法行政</h2>
<p>全年清理行政规范性文件58件，废止7件，修改12件。</p>"""
    page = gov_page(article_html("永嘉县2023年法治政府建设年度报告", body),
                    title="永嘉县2023年法治政府建设年度报告_永嘉县人民政府", meta_charset='<meta charset="utf-8">')
    return page.encode("utf-8")


def images_only_page() -> bytes:
    """The report published as scanned page images inside the article."""
    body = "\n".join(f'<p style="text-align:center"><img src="/uploads/2024/01/report_{n}.jpg" width="800"></p>'
                     for n in range(1, 5))
    return gov_page(article_html("平阳县2023年法治政府建设年度报告", body)).encode("gbk")


def utf8_declared_gbk() -> bytes:
    """The other lie: a site moved to UTF-8 and kept its old gb2312 meta."""
    return gov_page(article_html("平阳县2023年法治政府建设年度报告", report_body_html())).encode("utf-8")


def mht_chrome(page: bytes) -> bytes:
    """An .mhtml as Chrome writes it: Snapshot-Content-Location naming the page, the page as
    quoted-printable UTF-8 after an embedded frame's page, a stylesheet part last."""
    root = MIMEMultipart("related", type="text/html")
    root["From"] = "<Saved by Blink>"
    root["Snapshot-Content-Location"] = "https://www.example.gov.cn/art/2024/3/8/art_5.html"
    style = MIMENonMultipart("text", "css")
    style.set_payload(".content { color: #333; }")
    style["Content-Location"] = "https://www.example.gov.cn/css/a.css"
    frame = MIMENonMultipart("text", "html")
    frame.set_param("charset", "utf-8")
    frame["Content-Location"] = "https://www.example.gov.cn/ad/frame.html"
    ad = "<html><body><p>广告位招租，联系电话：0577-00000000，欢迎来电咨询合作事宜。</p></body></html>"
    frame.set_payload(quopri.encodestring(ad.encode("utf-8")).decode("ascii"))
    frame["Content-Transfer-Encoding"] = "quoted-printable"
    part = MIMENonMultipart("text", "html")
    part.set_param("charset", "utf-8")
    part["Content-Location"] = root["Snapshot-Content-Location"]
    part.set_payload(quopri.encodestring(page).decode("ascii"))
    part["Content-Transfer-Encoding"] = "quoted-printable"
    for p in (frame, part, style):  # the page is not the first html part: Snapshot-Content-Location names it
        root.attach(p)
    return root.as_bytes()
