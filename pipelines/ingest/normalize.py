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
# A space between two CJK characters (ideographs or CJK punctuation) is layout, not text:
# justified PDFs and careless typing insert them. Spaces next to digits or Latin are kept.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\u201c\u201d\u2018\u2019"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
# The full-width punctuation Chinese prose is typed with, each with its NFKD form (, ( ) : ; ! ? % and a space).
_TYPED_FULL_WIDTH = tuple((char, unicodedata.normalize("NFKD", char)) for char in "，（）：；！？％\u3000")


def normalize_text(text: str) -> str:
    """Return ``text`` in shufa's canonical form (NFKC, folded whitespace, no site markers)."""
    text = nfkc(text)
    text = _SHARING_SITE_MARKERS.sub("", text)
    text = fold_whitespace(text)
    return _SPACE_BETWEEN_CJK.sub("", text) if " " in text else text  # the lookarounds cost at every character


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, several times faster on Chinese prose.

    NFKC depends only on the NFKD form, which decomposes character by character, so putting
    a character's NFKD in its place beforehand (``，`` → ``,``) changes nothing when that is one
    character that decomposes no further. A text typed with no other full-width or compatibility
    character then passes NFKC's quick check instead of being decomposed and recomposed whole.
    """
    for char, plain in _TYPED_FULL_WIDTH:
        if char in text:
            text = text.replace(char, plain)
    return unicodedata.normalize("NFKC", text)


def fold_whitespace(text: str) -> str:
    """Every run of whitespace as one space, none at the ends: ``\\s+`` → `` `` then ``strip()``.

    ``str.split()`` knows the same whitespace as ``\\s`` and ``strip()`` (Unicode's) and does
    it several times faster than the regex.
    """
    return " ".join(text.split())


@lru_cache(maxsize=1)
def t2s():
    """OpenCC's traditional → simplified converter, built once (metadata and extraction both match in simplified)."""
    import opencc  # a C extension: loaded only when a text is read

    return opencc.OpenCC("t2s")
