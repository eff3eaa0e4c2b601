"""Section paths: the chain of headings above each block.

Headings come from two places: a format's own heading styles (Word "Heading 1") and the
numbering conventions of Chinese reports (``一、`` → ``(一)`` → ``1.`` / ``一是``), listed in
``headings.toml``. Both give a level; a stack of open headings gives every block its path.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from .model import Block, RawBlock

# The heading title stops at the first sentence end; reports often write
# "(一)加强组织领导,强化支持保障。始终把……" as one paragraph.
_TITLE_END = re.compile(r"[。:!?;]")
MAX_TITLE_CHARS = 40


@dataclass(frozen=True)
class HeadingRule:
    name: str
    level: int
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def heading_rules() -> tuple[HeadingRule, ...]:
    data = tomllib.loads(files(__package__).joinpath("headings.toml").read_text("utf-8"))
    return tuple(
        HeadingRule(h["name"], int(h["level"]), re.compile(h["pattern"])) for h in data["heading"]
    )


def heading_level(text: str) -> int | None:
    """The level of the heading ``text`` starts with, or None for body text."""
    for rule in heading_rules():
        if rule.pattern.match(text):
            return rule.level
    return None


def heading_title(text: str) -> str:
    """The heading part of a block: up to the first sentence end, capped in length."""
    match = _TITLE_END.search(text)
    title = text[: match.start()] if match else text
    return title[:MAX_TITLE_CHARS].strip()


def assign_sections(raw_blocks: list[RawBlock]) -> list[Block]:
    """Number blocks in order and give each the section path it stands under.

    A heading's own path includes itself, so the body text run into a heading paragraph
    is attributed to that heading's section. Table cells never open a section.
    """
    stack: list[tuple[int, str]] = []
    path: tuple[str, ...] = ()  # the titles on the stack, rebuilt only when a heading changes it
    blocks: list[Block] = []
    for raw in raw_blocks:
        kind = raw.kind
        level = raw.heading_level
        if level is None and kind == "paragraph":
            level = heading_level(raw.text)
        if level is not None and kind != "table_cell":
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, heading_title(raw.text)))
            path = tuple(title for _, title in stack)
            if kind == "paragraph":
                kind = "heading"
        blocks.append(
            Block(
                block_no=len(blocks),
                kind=kind,
                text=raw.text,
                location=raw.location,
                section_path=path,
                confidence=raw.confidence,
            )
        )
    return blocks
