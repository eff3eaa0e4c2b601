"""Plain-text reports: detect the encoding, split into lines.

Reports come as UTF-8 (with or without BOM) and, from older county sites, GB18030/GBK or
Big5. UTF-8 is tried strictly first because a clean decode is certain; anything else goes
to charset-normalizer, limited to the Chinese encodings such files actually use so that it
cannot "detect" a Western code page for Chinese bytes.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ..errors import IngestError
from ..model import Location, RawBlock, ReadResult

# gb18030 is a superset of GBK and GB2312, so one candidate covers the mainland family.
CHINESE_ENCODINGS = ["gb18030", "big5"]
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode report bytes; return (text, encoding name). Raises IngestError if it can't."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise IngestError(
                    "unreadable_encoding", f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}"
                ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise IngestError("unreadable_encoding", "binary content (NUL bytes) in a .txt file")
    best = from_bytes(data, cp_isolation=CHINESE_ENCODINGS).best()
    if best is None:
        raise IngestError(
            "unreadable_encoding", "not UTF-8, and no Chinese encoding (GB18030, Big5) decodes it cleanly"
        )
    return str(best), best.encoding


def read_txt(data: bytes) -> ReadResult:
    """Every non-empty line is a paragraph; its location is its 1-based line number."""
    text, encoding = decode_text(data)
    blocks = [
        RawBlock(text=line, location=Location(paragraph=number))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    return ReadResult(blocks=blocks, encoding=encoding)
