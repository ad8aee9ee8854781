"""Group validated items into numbered issues: period, then topic, then order."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping

from briefgen.bulletin.late import Placement, place
from briefgen.bulletin.ledger import Ledger
from briefgen.bulletin.numbering import number
from briefgen.bulletin.periods import signoff_date
from briefgen.config.settings import Config
from briefgen.model import Issue, IssueSettings, Item, Period, Section


def item_order(item: Item) -> tuple[int, dt.date, str, str]:
    """Within a topic: by weight, then date, then title."""
    return (item.weight, item.date, item.title, item.source)


def _placed_order(placed: Mapping[str, int], item: Item) -> tuple[int, int, dt.date, str, str]:
    """Within a topic of an issue: first the items its settings place, in that order, then the rest."""
    return (placed.get(item.slug, len(placed)), *item_order(item))


def build_issues(
    items: list[Item], config: Config, settings: Mapping[str, IssueSettings] | None = None,
    ledger: Ledger | None = None, drafts: bool = False, placement: Placement | None = None,
) -> tuple[Issue, ...]:
    """Every issue that has at least one adopted item, oldest first; published ones keep their numbers.

    Once the bulletin publishes (the ledger has an issue), the unpublished ones are marked as
    drafts. With drafts, items with status draft or 待审 join the unpublished issue of their period.
    Each item goes where the placement says (bulletin/late: a late item into the next open issue)."""
    settings = settings or {}
    ledger = ledger or Ledger()
    placement = placement or place(items, config.period, ledger, dt.date.min)  # min: today not known
    by_period: dict[Period, list[Item]] = defaultdict(list)
    for item in items:
        period = placement.of(item)
        awaiting = item.status in ("draft", "submitted")  # shown to the editor only, with drafts
        if item.published or (drafts and awaiting and period.id not in ledger.publications):
            by_period[period].append(item)
    periods = sorted(by_period, key=lambda p: p.start)
    issues = []
    numbers = number(periods, config.first_number, config.first_total, ledger.numbers())
    for period, (yearly, total) in zip(periods, numbers, strict=True):
        chosen = settings.get(period.id, IssueSettings())
        sections = []
        ordered = functools.partial(_placed_order, {slug: position for position, slug in enumerate(chosen.order)})
        for topic in config.topics:
            members = sorted((i for i in by_period[period] if i.topic == topic), key=ordered)
            if members:
                sections.append(Section(topic, tuple(members)))
        issues.append(Issue(
            period=period, number=yearly, total=total,
            date=chosen.date or signoff_date(period),
            sections=tuple(sections), settings=chosen,
            published=publication.date if (publication := ledger.publications.get(period.id)) else None,
            draft=bool(ledger.publications) and period.id not in ledger.publications,
        ))
    return tuple(issues)
