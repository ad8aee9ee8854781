"""Group validated items into numbered issues: period, then topic, then order."""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

from briefgen.config import Config
from briefgen.ledger import Ledger
from briefgen.model import Issue, IssueSettings, Item, Period, Section
from briefgen.numbering import number
from briefgen.periods import period_of, signoff_date


def item_order(item: Item) -> tuple:
    """Within a topic: by weight, then date, then title."""
    return (item.weight, item.date, item.title, item.source)


def build_issues(
    items: list[Item], config: Config, settings: Mapping[str, IssueSettings] | None = None,
    ledger: Ledger | None = None,
) -> tuple[Issue, ...]:
    """Every issue that has at least one adopted item, oldest first; published ones keep their numbers."""
    settings = settings or {}
    ledger = ledger or Ledger()
    by_period: dict[Period, list[Item]] = defaultdict(list)
    for item in items:
        if item.published:
            by_period[period_of(item.date, config.period)].append(item)
    periods = sorted(by_period, key=lambda p: p.start)
    issues = []
    numbers = number(periods, config.first_number, config.first_total, ledger.numbers())
    for period, (yearly, total) in zip(periods, numbers):
        chosen = settings.get(period.id, IssueSettings())
        sections = []
        for topic in config.topics:
            members = sorted((i for i in by_period[period] if i.topic == topic), key=item_order)
            if members:
                sections.append(Section(topic, tuple(members)))
        issues.append(Issue(
            period=period, number=yearly, total=total,
            date=chosen.date or signoff_date(period),
            sections=tuple(sections), settings=chosen,
            published=publication.date if (publication := ledger.publications.get(period.id)) else None,
        ))
    return tuple(issues)
