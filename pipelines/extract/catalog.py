"""The indicator catalog (indicators.toml): what each code means and the words that find it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.resources import files


@dataclass(frozen=True)
class Cue:
    """One cue: all ``parts`` must stand in the figure's segment ("合同+审" → ("合同", "审")).

    A cue too generic to stand alone carries its own topic ("建议@人大/代表": 建议 counts as a
    deputies' suggestion only in a sentence that names 人大 or 代表).
    """

    parts: tuple[str, ...]
    topic: tuple[str, ...] = ()

    @cached_property
    def length(self) -> int:
        return sum(len(p) for p in self.parts)

    @cached_property
    def part_set(self) -> frozenset[str]:
        return frozenset(self.parts)

    @cached_property  # written into every match of the cue
    def text(self) -> str:
        return "+".join(self.parts) + ("@" + "/".join(self.topic) if self.topic else "")

    @classmethod
    def parse(cls, written: str) -> "Cue":
        words, _, topic = written.partition("@")
        return cls(tuple(words.split("+")), tuple(t for t in topic.split("/") if t))


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    name_zh: str
    name_en: str
    unit: str
    polarity: str
    units: tuple[str, ...]
    cues: tuple[Cue, ...]
    topic: tuple[str, ...]
    exclude: tuple[str, ...]
    topic_scope: str = "section"  # the widest scope a topic word may come from
    rivals: tuple[str, ...] = ()  # words of another domain: nearer to the figure than a topic word, they rule it out
    objects: tuple[str, ...] = ()  # nouns naming the thing counted; two indicators' objects on one figure = a combined count
    exclude_before: tuple[str, ...] = ()  # words that rule the indicator out anywhere in the sentence before the figure
    defining: tuple[str, ...] = ()  # words that make a count this indicator rather than a wider one (持证 for officers)

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    # Compiled once per indicator: a figure's head and the words before it are tested against these for
    # every candidate indicator of every figure, and one search of an alternation costs less than a
    # substring test per word.

    @cached_property
    def exclude_pattern(self) -> re.Pattern:
        """Finds any of ``exclude``: ``pattern.search(text)`` is ``any(word in text for word in exclude)``."""
        return _any_of(self.exclude)

    @cached_property
    def exclude_before_pattern(self) -> re.Pattern:
        """Finds any of ``exclude_before``."""
        return _any_of(self.exclude_before)

    @cached_property
    def _topic_beside(self) -> dict[Cue, tuple[str, ...]]:
        return {cue: _words_beside(self.topic, cue) for cue in self.cues}

    def topic_beside(self, cue: Cue | None) -> tuple[str, ...]:
        """The topic words that are not in a word of ``cue`` (a cue naming its topic does not prove it);
        all of them for no cue. Made once per cue of the indicator."""
        if cue is None:
            return self.topic
        kept = self._topic_beside.get(cue)
        return kept if kept is not None else _words_beside(self.topic, cue)


def _words_beside(topic: tuple[str, ...], cue: Cue) -> tuple[str, ...]:
    return tuple(w for w in topic if not any(w in part for part in cue.parts))


def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """One pattern that finds any of ``words`` (never anything for no words; an empty word is always found)."""
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    unit_conversions: dict[str, tuple[str, float]]

    def by_code(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    @cached_property
    def _cues_by_part(self) -> dict[str, list[tuple[int, frozenset[str]]]]:
        """Each cue word -> the (indicator position, all parts of the cue) of every cue using it."""
        index: dict[str, list[tuple[int, frozenset[str]]]] = {}
        for position, indicator in enumerate(self.indicators):
            for cue in indicator.cues:
                for part in set(cue.parts):
                    index.setdefault(part, []).append((position, frozenset(cue.parts)))
        return index

    @cached_property
    def with_objects(self) -> dict[str, tuple[Indicator, ...]]:
        """Per category, the indicators that name their counted nouns (``objects``): the combined-count check."""
        grouped: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            if indicator.objects:
                grouped.setdefault(indicator.category, []).append(indicator)
        return {category: tuple(found) for category, found in grouped.items()}

    @cached_property
    def _parts_by_first_char(self) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
        """Each first character of a cue word -> (word, every cue word inside it), longest word first.

        At a position of a text, the longest cue word starting there holds every shorter one that
        starts there too; with the words inside it, one hit per position gives all the words the text
        holds (see ``cue_words_in``).
        """
        words = sorted(self._cues_by_part, key=len, reverse=True)
        index: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for word in words:
            if word:
                index.setdefault(word[0], []).append((word, frozenset(w for w in words if w in word)))
        return {char: tuple(found) for char, found in index.items()}

    def cue_words_in(self, text: str) -> set[str]:
        """The cue words ``text`` holds: ``{part for part in cue words if part in text}``, found by reading
        the text once (a lookup per character) instead of a substring search per word."""
        present = {""} if "" in self._cues_by_part else set()
        by_first = self._parts_by_first_char
        for i, char in enumerate(text):
            for word, inside in by_first.get(char, ()):
                if text.startswith(word, i):
                    present |= inside
                    break
        return present

    @cached_property
    def _remembered(self):
        """``_candidates_and_cues`` remembered per text (bounded): segments such as 受理行政复议申请 recur
        in every report, and the answer depends on the text alone."""
        return lru_cache(maxsize=4096)(self._candidates_and_cues)

    def candidate_cues(self, text: str) -> tuple[tuple[Indicator, tuple[Cue, ...]], ...]:
        """``candidates(text)``, each with its cues whose parts all occur in ``text`` (the only cues of it
        that can stand by a figure whose segment is ``text``), remembered."""
        return self._remembered(text)[1]

    def candidates(self, text: str) -> tuple[Indicator, ...]:
        """Indicators with a cue whose parts all occur in ``text``: the only ones worth scoring.

        A read of the text for its cue words instead of scoring every indicator's every cue for every
        figure; extraction spent most of its time there otherwise. Catalog order is kept.
        """
        return self._remembered(text)[0]

    def _candidates_and_cues(self, text: str):
        present = self.cue_words_in(text)
        hits = {position for part in present for position, parts in self._cues_by_part[part] if parts <= present}
        candidates = tuple(self.indicators[position] for position in sorted(hits))
        cues = tuple((ind, tuple(cue for cue in ind.cues if cue.part_set <= present)) for ind in candidates)
        return candidates, cues


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    data = tomllib.loads(files(__package__).joinpath("indicators.toml").read_text("utf-8"))
    indicators = tuple(
        Indicator(
            code=i["code"],
            category=i["category"],
            name_zh=i["name_zh"],
            name_en=i["name_en"],
            unit=i["unit"],
            polarity=i["polarity"],
            units=tuple(i["units"]),
            cues=tuple(Cue.parse(c) for c in i["cues"]),
            topic=tuple(i.get("topic", ())),
            exclude=tuple(i.get("exclude", ())),
            topic_scope=i.get("topic_scope", "section"),
            rivals=tuple(i.get("rivals", ())),
            objects=tuple(i.get("objects", ())),
            exclude_before=tuple(i.get("exclude_before", ())),
            defining=tuple(i.get("defining", ())),
        )
        for i in data["indicator"]
    )
    conversions = {k: (v[0], float(v[1])) for k, v in data["unit_conversions"].items()}
    return Catalog(indicators, conversions)
