"""The indicator catalog (indicators.toml): what each code means and the words that find it."""

from __future__ import annotations

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

    @property
    def length(self) -> int:
        return sum(len(p) for p in self.parts)

    @property
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

    def candidates(self, text: str) -> tuple[Indicator, ...]:
        """Indicators with a cue whose parts all occur in ``text``: the only ones worth scoring.

        A few hundred substring tests instead of scoring every indicator's every cue for every
        figure; extraction spent most of its time there otherwise. Catalog order is kept.
        """
        present = {part for part in self._cues_by_part if part in text}
        hits = {position for part in present for position, parts in self._cues_by_part[part] if parts <= present}
        return tuple(self.indicators[position] for position in sorted(hits))


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
