"""Where each item goes: the issue of its own period, unless that issue is already published
without it, or lies behind the newest published issue. Such an item is late (迟报): it keeps its
true date and goes into the next unpublished issue, so that no issue is ever opened behind one
already distributed. An item that was published stays in the issue it was published in, and an
item may name an unpublished issue of its own choosing (`issue: 2026-W50`). Pure: data in, data out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.bulletin.ledger import Ledger
from briefgen.bulletin.periods import period_named, period_of
from briefgen.errors import Diagnostic, error, note
from briefgen.model import Issue, Item, Period


@dataclass(frozen=True)
class Placement:
    """Each item's period, and the items placed after their own period (late ones)."""

    periods: dict[str, Period]  # item file -> the period of the issue it goes into
    late: tuple[Item, ...]  # in file order
    newest: Period | None = None  # the newest published issue's period

    def of(self, item: Item) -> Period:
        return self.periods[item.source]


def place(items: Iterable[Item], kind: str, ledger: Ledger, today: dt.date) -> Placement:
    """Where each item goes (see the module's description)."""
    items = sorted(items, key=lambda i: i.source)
    published_in = {source: name for name, publication in ledger.publications.items()
                    for source in publication.release.items}
    published = [period for name in ledger.publications if (period := period_named(name, kind)) is not None]
    newest = max(published, key=lambda period: period.start, default=None)
    periods: dict[str, Period] = {}
    late = []
    for item in items:
        chosen = period_named(item.issue, kind) if item.issue else None
        if item.source in published_in and (period := period_named(published_in[item.source], kind)):
            periods[item.source] = period
        elif chosen is not None and chosen.id not in ledger.publications:
            periods[item.source] = chosen
        elif newest is not None and period_of(item.date, kind).start <= newest.start:
            late.append(item)
        else:
            periods[item.source] = period_of(item.date, kind)
    if late and newest is not None:
        target = next_open(newest, [periods[i.source] for i in items if i.source in periods and i.published],
                           today, kind)
        periods.update({item.source: target for item in late})
    return Placement(periods, tuple(late), newest)


def next_open(newest: Period, taken: list[Period], today: dt.date, kind: str) -> Period:
    """The first unpublished issue after the newest published one: the earliest that already has
    items, else this period, else the one right after the newest published."""
    ahead = sorted((period for period in taken if period.start > newest.start), key=lambda period: period.start)
    if ahead:
        return ahead[0]
    current = period_of(today, kind)
    return current if current.start > newest.start else period_of(newest.end + dt.timedelta(days=1), kind)


def late_notes(placement: Placement, issues: tuple[Issue, ...], ledger: Ledger) -> list[Diagnostic]:
    """A note, once, for each late item shown: where it goes, and why."""
    where = {item.source: issue for issue in issues for item in issue.items}
    notes = []
    for item in placement.late:
        issue = where.get(item.source)
        if issue is None:
            continue  # not adopted: it goes nowhere
        own = period_of(item.date, issue.period.kind)
        why = (f"所在的一期 {own.id} 已经发布" if own.id in ledger.publications
               else f"早于已发布的最新一期 {placement.newest.id if placement.newest else ''}")
        notes.append(note(item.source, item.field_lines.get("date", 1),
                          f"迟报：稿件日期 {item.date.isoformat()}，{why}，编入 {issue.title}（{issue.id}）"))
    return notes


def issue_field_problems(items: Iterable[Item], kind: str, ledger: Ledger) -> list[Diagnostic]:
    """An `issue:` that names no period, or one already published."""
    example = "2026-W50（第50周）" if kind == "week" else "2026-12（12月）"
    problems = []
    for item in items:
        if not item.issue:
            continue
        line = item.field_lines.get("issue", 1)
        if period_named(item.issue, kind) is None:
            problems.append(error(item.source, line, f"期号 '{item.issue}' 无效", f"应写成 {example}"))
        elif item.issue in ledger.publications:
            problems.append(error(item.source, line, f"期号 {item.issue} 的一期已经发布，稿件不能再编入",
                                  "请删去 issue 一行（稿件会编入下一期），或写一个还未发布的期号"))
    return problems
