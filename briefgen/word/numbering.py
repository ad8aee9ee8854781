"""Word's automatic numbering, counted as Word counts it: the marker each numbered paragraph
displays ("一、", "（二）", "3.", "（4）"), from word/numbering.xml.

A paragraph names a list (w:numId, from its own properties or its style's) and a level
(w:ilvl). Lists that share an abstract definition share their counters, as in Word, unless a
list overrides a level's start: that is how Word writes "restart numbering". A level restarts
when a higher level of the same definition is used (or after the level w:lvlRestart names)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefgen.word.counting import counted
from briefgen.word.xml import Element, W, attr

LEVELS = 9
PLACEHOLDER = re.compile(r"%([1-9])")


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart_after: int | None = None  # 1-based level; 0: never; None: after any higher level
    legal: bool = False  # w:isLgl: every placeholder in decimal
    style: str = ""  # w:pStyle: the paragraph style this level belongs to


@dataclass
class _Counters:
    values: list[int | None] = field(default_factory=lambda: [None] * LEVELS)


@dataclass(frozen=True)
class Marker:
    text: str  # what Word displays before the paragraph: "一、", "（一）", "•"
    bullet: bool
    level: int  # 0-based


class Numbering:
    """The lists of one document. marker() is called once per numbered paragraph, in order."""

    def __init__(self, root: Element | None, style_lists: dict[str, tuple[str, int | None]]) -> None:
        self._abstract: dict[str, list[Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = {}
        self._style_lists = style_lists  # style id -> (numId, ilvl) from styles.xml
        self._counters: dict[str, _Counters] = {}
        self._started: set[str] = set()
        if root is not None:
            self._read(root)

    def _read(self, root: Element) -> None:
        links: dict[str, str] = {}
        for abstract in root.iterfind(f"{W}abstractNum"):
            key = attr(abstract, "abstractNumId")
            self._abstract[key] = levels(abstract)
            link = abstract.find(f"{W}numStyleLink")
            if link is not None:
                links[key] = attr(link, "val")
        for num in root.iterfind(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            starts: dict[int, int] = {}
            replaced: dict[int, Level] = {}
            for override in num.iterfind(f"{W}lvlOverride"):
                ilvl = int(attr(override, "ilvl") or 0)
                start = override.find(f"{W}startOverride")
                if start is not None:
                    starts[ilvl] = int(attr(start, "val") or 0)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    replaced[ilvl] = level(lvl)
            self._nums[attr(num, "numId")] = (attr(ref, "val") if ref is not None else "", starts, replaced)
        for key, style in links.items():  # a definition that only points at a numbering style
            target = self._style_lists.get(style)
            if target and target[0] in self._nums:
                self._abstract[key] = self._abstract.get(self._nums[target[0]][0], [])

    def list_of_style(self, style: str) -> tuple[str, int | None] | None:
        return self._style_lists.get(style)

    def level_of_style(self, num_id: str, style: str) -> int | None:
        """The level whose w:pStyle is this style, in the list's definition."""
        found = self._nums.get(num_id)
        if found is None:
            return None
        for index, lvl in enumerate(self._abstract.get(found[0], [])):
            if lvl.style and lvl.style == style:
                return index
        return None

    def marker(self, num_id: str, ilvl: int) -> Marker | None:
        """The marker of the next paragraph of list num_id at level ilvl; None if unnumbered."""
        found = self._nums.get(num_id)
        if found is None or num_id == "0":
            return None
        abstract_id, starts, replaced = found
        defined = self._abstract.get(abstract_id, [])
        ilvl = min(max(ilvl, 0), LEVELS - 1)
        levels_now = [replaced.get(i) or (defined[i] if i < len(defined) else Level()) for i in range(LEVELS)]
        counters = self._counters.setdefault(abstract_id if not starts else f"{abstract_id}/{num_id}", _Counters())
        if num_id not in self._started:
            self._started.add(num_id)
            for index in starts:
                if 0 <= index < LEVELS:
                    counters.values[index] = None
        lvl = levels_now[ilvl]
        current = counters.values[ilvl]
        counters.values[ilvl] = (current + 1) if current is not None else _start(lvl, starts.get(ilvl))
        for deeper in range(ilvl + 1, LEVELS):
            after = levels_now[deeper].restart_after
            if after is None or (after and ilvl < after):
                counters.values[deeper] = None
        if lvl.fmt == "none" and not PLACEHOLDER.search(lvl.text):
            return Marker(lvl.text, False, ilvl) if lvl.text else None
        if lvl.fmt == "bullet":
            return Marker(lvl.text, True, ilvl)
        return Marker(_text(lvl, levels_now, counters, starts), False, ilvl)


def _start(lvl: Level, override: int | None) -> int:
    return override if override is not None else lvl.start


def _text(lvl: Level, levels_now: list[Level], counters: _Counters, starts: dict[int, int]) -> str:
    def value(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        number = counters.values[index]
        if number is None:
            number = _start(levels_now[index], starts.get(index))
        return counted(number, "decimal" if lvl.legal else levels_now[index].fmt)
    return PLACEHOLDER.sub(value, lvl.text)


def levels(abstract: Element) -> list[Level]:
    found = {int(attr(lvl, "ilvl") or 0): level(lvl) for lvl in abstract.iterfind(f"{W}lvl")}
    return [found.get(i, Level()) for i in range(LEVELS)]


def level(lvl: Element) -> Level:
    def value(name: str) -> str | None:
        child = lvl.find(f"{W}{name}")
        return attr(child, "val") if child is not None else None
    start = value("start")
    restart = value("lvlRestart")
    legal = lvl.find(f"{W}isLgl")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 0,
        fmt=value("numFmt") or "decimal",
        text=value("lvlText") or "",
        restart_after=int(restart) if restart and restart.isdigit() else None,
        legal=legal is not None and attr(legal, "val") not in ("0", "false"),
        style=value("pStyle") or "",
    )
