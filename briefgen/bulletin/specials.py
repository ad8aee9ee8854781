"""Special issues (专刊、专题、增刊): a series of their own, made of items chosen by topic, unit,
tag and dates, or listed one by one, in content/issues/<name>.yaml with a `special:` key."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from briefgen.bulletin.group import item_order
from briefgen.config.fields import FieldError, Fields, count, date, did_you_mean, text
from briefgen.config.settings import Config
from briefgen.errors import Diagnostic, error, warning
from briefgen.model import Issue, IssueSettings, Item, Period, Section

KEYS = ("special", "title", "number", "tags", "topics", "units", "from", "to", "items")


@dataclass(frozen=True)
class Special:
    """What a special issue's file says."""

    id: str  # the file name, e.g. anquan-zhuankan-1
    source: str  # content/issues/anquan-zhuankan-1.yaml
    series: str  # 安全生产专刊: the masthead wording, and the numbering it follows
    title: str  # 冬季安全生产工作专题
    settings: IssueSettings  # 编者按, 签发, date … as for a regular issue
    number: int | None = None  # 第N期 when given; else counted within the series by date
    tags: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    items: tuple[str, ...] = ()  # item file names, in order: exactly these
    items_line: int = 0


def parse_special(issue_id: str, fields: Fields, config: Config, settings: IssueSettings) -> Special | None:
    """Return the special issue a file describes; None when it has problems, which go to fields."""
    start = len(fields.problems)
    special = Special(
        id=issue_id, source=fields.path, series=_text(fields, "special", True), title=_text(fields, "title", True),
        settings=settings, number=fields.field("number", count("number", smallest=1), None),
        tags=_names(fields, "tags", None), topics=_names(fields, "topics", config.topics),
        units=_names(fields, "units", config.units), start=fields.field("from", date(config.zone), None),
        end=fields.field("to", date(config.zone), None),
        items=tuple(name.removesuffix(".md") for name in _names(fields, "items", None)),
        items_line=fields.key_lines.get("items", 0),
    )
    if not (special.items or special.tags or special.topics or special.units or special.start or special.end):
        fields.fail("special", "专刊要写选稿的条件：tags、topics、units、from、to，或用 items 逐篇列出")
    return special if len(fields.problems) == start else None


def _text(fields: Fields, key: str, required: bool = False) -> str:
    if required and fields.values.get(key) in (None, ""):
        fields.fail(key, f"专刊要写 {key}", "如 special: 安全生产专刊（刊名）、title: 冬季安全生产工作专题（本期标题）")
    return fields.field(key, text(f"'{key}'", one_line=True), "")


def _names(fields: Fields, key: str, choices: tuple[str, ...] | None) -> tuple[str, ...]:
    """Return the names listed (one name alone is a list of one); each not in choices is reported."""
    def parse(value: Any) -> list[str]:
        value = value or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FieldError(f"'{key}' 应是一个列表，如 {key}: [甲, 乙]")
        return value

    names: list[str] = fields.field(key, parse, [])
    for name in names:
        if choices is not None and name not in choices:
            fields.fail(key, f"{key} 中的 '{name}' 不在 briefgen.yaml 中", did_you_mean(name, choices, quote=True))
    return tuple(name.strip() for name in names)


def build_specials(items: list[Item], config: Config, specials: list[Special]) -> tuple[tuple[Issue, ...],
                                                                                     list[Diagnostic]]:
    """Each special issue with its items, numbered within its series; and the problems found."""
    adopted = {item.slug: item for item in items if item.published}
    problems: list[Diagnostic] = []
    chosen: dict[str, list[Item]] = {}
    for special in specials:
        missing: list[str] = []
        if special.items:
            missing = [slug for slug in special.items if slug not in adopted]
            for slug in missing:
                problems.append(error(special.source, special.items_line, f"items 中的 '{slug}' 不是已采用的稿件",
                                      did_you_mean(slug, adopted, otherwise="请写稿件的文件名（不带 .md）")))
            chosen[special.id] = [adopted[slug] for slug in special.items if slug in adopted]
        else:
            chosen[special.id] = [item for item in adopted.values() if _selected(item, special)]
        if not chosen[special.id] and not missing:
            problems.append(warning(special.source, 1, f"专刊 {special.id} 没有选中任何已采用的稿件，不会生成"))
    by_series: dict[str, list[Special]] = defaultdict(list)
    for special in specials:
        if chosen[special.id]:
            by_series[special.series].append(special)
    issues = []
    for members in by_series.values():
        members.sort(key=lambda s: (_date(s, chosen[s.id]), s.id))
        for position, special in enumerate(members, start=1):
            issues.append(_issue(special, chosen[special.id], special.number or position, config))
    return tuple(sorted(issues, key=lambda i: (i.date, i.id))), problems


def _selected(item: Item, special: Special) -> bool:
    return ((not special.tags or any(tag in item.tags for tag in special.tags))
            and (not special.topics or item.topic in special.topics)
            and (not special.units or item.unit in special.units)
            and (special.start is None or item.date >= special.start)
            and (special.end is None or item.date <= special.end))


def _date(special: Special, members: list[Item]) -> dt.date:
    return special.settings.date or max(item.date for item in members)


def _issue(special: Special, members: list[Item], number: int, config: Config) -> Issue:
    placed = {slug: position for position, slug in enumerate(special.items)}
    sections = []
    for topic in config.topics:
        in_topic = sorted((i for i in members if i.topic == topic),
                          key=lambda i: (placed.get(i.slug, len(placed)), *item_order(i)))
        if in_topic:
            sections.append(Section(topic, tuple(in_topic)))
    dates = [item.date for item in members]
    period = Period("special", special.id, _date(special, members).year, special.start or min(dates),
                    special.end or max(dates))
    return Issue(period=period, number=number, total=0, date=_date(special, members), sections=tuple(sections),
                 settings=special.settings, series=special.series, heading=special.title)
