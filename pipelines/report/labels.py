"""Chinese words for the English codes the warehouse stores (categories, polarity, coverage status).

The codes stay in the data because SQL and tests match on them; an analyst reads the Chinese. Kept in one
module so the profile and the notebook say the same thing. An unknown code falls back to itself, so a new
catalog category shows up (in English) instead of breaking a page.
"""

from __future__ import annotations

CATEGORY_ZH = {
    "leadership": "组织领导与学法",
    "decision": "依法决策",
    "enforcement": "行政执法",
    "reconsideration": "行政复议",
    "litigation": "行政应诉",
    "mediation": "矛盾纠纷化解",
    "legal_service": "公共法律服务",
    "publicity": "普法宣传",
    "oversight": "监督与政务公开",
    "service": "政务服务",
    "staff": "队伍与基层建设",
}

POLARITY_ZH = {
    "higher_better": "越高越好",
    "lower_better": "越低越好",
    "neutral": "中性（不排名）",
}

STATUS_ZH = {  # coverage_matrix.status
    "value": "有数值",
    "bounds": "仅有范围",
    "masked": "已隐去（***）",
    "missing": "未报告",
}

REPORT_FORMAT_ZH = {"docx": "Word", "doc": "Word 97", "pdf": "PDF", "txt": "文本", "html": "网页", "mht": "网页存档"}


def category_zh(code: str | None) -> str:
    return CATEGORY_ZH.get(code or "", code or "")


def polarity_zh(code: str | None) -> str:
    return POLARITY_ZH.get(code or "", code or "")


def status_zh(code: str | None) -> str:
    return STATUS_ZH.get(code or "", code or "")


def format_zh(code: str | None) -> str:
    return REPORT_FORMAT_ZH.get(code or "", code or "")

QUALIFIER_ZH = {"at_least": "不少于", "at_most": "不超过", "approx": "约", "range": "范围"}

SOURCE_ZH = {"extracted": "自动提取", "corrected": "分析员更正"}


def qualifier_zh(code: str | None) -> str:
    return QUALIFIER_ZH.get(code or "", code or "")


def source_zh(code: str | None) -> str:
    return SOURCE_ZH.get(code or "", code or "")
