"""The one text normalisation every reader's output goes through.

NFKC turns full-width digits, letters and ``％`` into ASCII so that the extractor sees
``98%`` however the author typed it (note it also turns full-width ``，（）：；`` into ASCII
punctuation: downstream patterns expect that). Whitespace is folded, and the markers that
document-sharing sites wrap paid content in are dropped while their content is kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SHARING_SITE_MARKERS = re.compile(r"##\s*paid\s*(?:begin|end)\s*##", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
# A space between two CJK characters (ideographs or CJK punctuation) is layout, not text:
# justified PDFs and careless typing insert them. Spaces next to digits or Latin are kept.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\u201c\u201d\u2018\u2019"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")


def normalize_text(text: str) -> str:
    """Return ``text`` in shufa's canonical form (NFKC, folded whitespace, no site markers)."""
    text = unicodedata.normalize("NFKC", text)
    text = _SHARING_SITE_MARKERS.sub("", text)
    text = _WHITESPACE.sub(" ", text).strip()
    return _SPACE_BETWEEN_CJK.sub("", text)


@lru_cache(maxsize=1)
def t2s():
    """OpenCC's traditional → simplified converter, built once (metadata and extraction both match in simplified)."""
    import opencc  # a C extension: loaded only when a text is read

    return opencc.OpenCC("t2s")
