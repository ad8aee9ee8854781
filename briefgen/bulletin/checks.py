"""Checks across items and against today: the same item twice, items dated or submitted in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from briefgen.bulletin.periods import period_of
from briefgen.content.loader import plain_digest
from briefgen.errors import Diagnostic, error, warning
from briefgen.model import Item


def duplicates(items: Iterable[Item], period_kind: str, plain: Mapping[str, str] | None = None) -> list[Diagnostic]:
    """The same title from the same unit in one period, or the same body, submitted twice.
    plain: item file -> content.loader.plain_digest of its body, known without reading it (a
    body not in it is read); only a repeated body is read again, for its first line."""
    problems = []
    by_title: dict[tuple[str, str, str], Item] = {}
    by_body: dict[str, Item] = {}
    periods: dict[dt.date, str] = {}  # ten thousand items fall on a few thousand days
    for item in sorted(items, key=lambda i: i.source):
        if item.status == "draft":
            continue
        period = periods.get(item.date)
        if period is None:
            period = periods[item.date] = period_of(item.date, period_kind).id
        key = (item.title, item.unit, period)
        if key in by_title:
            problems.append(error(item.source, item.field_lines.get("title", 1),
                                  f"与 {by_title[key].source} 是同一单位同一期的同名稿件",
                                  "如果是重复提交，请删去其中一篇"))
        else:
            by_title[key] = item
        body = plain.get(item.source) if plain is not None else None
        if body is None:
            body = plain_digest(item.body)
        if body in by_body:
            first_text = next((n for n, line in enumerate(item.body.split("\n"), item.body_line) if line.strip()),
                              item.body_line)
            problems.append(error(item.source, first_text,
                                  f"正文与 {by_body[body].source} 完全相同", "如果是重复提交，请删去其中一篇"))
        elif body:
            by_body[body] = item
    return problems


YEARS_AHEAD = 5  # no item, not even a draft, is written this far ahead: it is a mistyped year


def within_reach(items: Iterable[Item], today: dt.date) -> tuple[list[Item], list[Diagnostic]]:
    """The items dated at most YEARS_AHEAD years after today, and an error for each of the others,
    which are left out of the issues (a date near 9999-12-31 has no week after it)."""
    latest = _years_after(today, YEARS_AHEAD)
    kept, problems = [], []
    for item in items:
        if item.date > latest:
            problems.append(error(item.source, item.field_lines.get("date", 1),
                                  f"日期 {item.date.isoformat()} 比今天（{today.isoformat()}）晚 {YEARS_AHEAD} 年以上",
                                  "请检查年份"))
        else:
            kept.append(item)
    return kept, problems


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def future_dates(items: Iterable[Item], today: dt.date, margin_days: int) -> list[Diagnostic]:
    """Items dated more than margin_days after today: usually a mistyped year or month."""
    latest = today + dt.timedelta(days=margin_days)
    return [
        error(item.source, item.field_lines.get("date", 1),
              f"日期 {item.date.isoformat()} 晚于今天（{today.isoformat()}）{margin_days} 天以上",
              "请检查年份和月份；提前写好的稿件可以先设 status: draft")
        for item in items if item.date > latest and item.status != "draft"
    ]


def submitted_ahead(items: Iterable[Item], today: dt.date) -> list[Diagnostic]:
    """Items whose submitted date is after today: a date a unit submits on cannot be ahead (a
    draft, not yet submitted, may carry the date it is meant for)."""
    return [
        warning(item.source, item.field_lines.get("submitted", 1),
                f"报送日期 {item.submitted.isoformat()} 晚于今天（{today.isoformat()}）",
                "报送日期是单位报送稿件的日期，请检查年份、月份和日")
        for item in items if item.submitted is not None and item.submitted > today and item.status != "draft"
    ]
