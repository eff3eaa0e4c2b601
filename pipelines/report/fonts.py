"""A CJK font for charts, so Chinese county and indicator names never come out as empty boxes.

matplotlib's bundled DejaVu Sans has no Chinese glyphs. The project relies on Debian's
``fonts-wqy-zenhei`` (one 16 MB file, Chinese glyph shapes; ``apt-get install -y fonts-wqy-zenhei``);
on an analyst's Mac or Windows machine the system's PingFang SC or Microsoft YaHei serve as well.
The same family names head the font-family list of the HTML report's SVG charts, for the browser.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

# In order of preference. Noto/Source Han are the same design under two names; WenQuanYi is what the
# project installs; YaHei and PingFang come with Windows and macOS.
CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
                "SimHei")
# Debian's files, registered explicitly: matplotlib's font cache does not notice fonts installed after it was built.
KNOWN_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
CSS_FONT_STACK = ", ".join([*(f"'{family}'" for family in CJK_FAMILIES), "sans-serif"])
# A few characters every chart here draws; a font missing any of them is no use.
PROBE_TEXT = "平阳县通州区法治政府述法报告柳江旗"


class MissingCjkFontError(RuntimeError):
    pass


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: Path


def has_glyphs(path: Path, text: str) -> bool:
    """True when the font file maps every character of TEXT to a real glyph (index 0 is the 'missing' box)."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(path))
    return all(font.get_char_index(ord(ch)) != 0 for ch in text if not ch.isspace())


def find_cjk_font() -> CjkFont:
    """The first family of CJK_FAMILIES that matplotlib can load and that draws PROBE_TEXT."""
    from matplotlib import font_manager

    _quiet_single_weight_notice()
    registered = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    for path in KNOWN_FONT_FILES:
        if path.is_file() and path not in registered:
            font_manager.fontManager.addfont(str(path))
    for family in CJK_FAMILIES:
        try:
            path = Path(font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False))
        except ValueError:
            continue
        if has_glyphs(path, PROBE_TEXT):
            return CjkFont(family, path)
    raise MissingCjkFontError(
        "no CJK font found for matplotlib (tried " + ", ".join(CJK_FAMILIES) + "). "
        "On Debian/Ubuntu: apt-get install -y fonts-wqy-zenhei; then restart the kernel."
    )


class _SingleWeightNotice(logging.Filter):
    """Drops matplotlib's "Failed to find font weight normal for <family>, now using 500" for our CJK families.

    WenQuanYi Zen Hei comes in one weight (500, Medium), so matplotlib logs that on every text it draws;
    using the one weight there is is exactly what is wanted.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("findfont: Failed to find font weight")
                    and any(f" for {family}," in message for family in CJK_FAMILIES))


def _quiet_single_weight_notice() -> None:
    logger = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _SingleWeightNotice) for f in logger.filters):
        logger.addFilter(_SingleWeightNotice())


def use_cjk_font() -> CjkFont:
    """Make matplotlib draw Chinese with a CJK font, falling back to its default for other scripts.

    Also draws minus signs as ASCII '-': CJK fonts often lack U+2212, which would warn and show a box.
    """
    import matplotlib

    font = find_cjk_font()
    matplotlib.rcParams["font.family"] = "sans-serif"
    rest = [name for name in matplotlib.rcParams["font.sans-serif"] if name != font.family]
    matplotlib.rcParams["font.sans-serif"] = [font.family, *rest]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return font
