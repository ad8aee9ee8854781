"""Week and month arithmetic: which period a date falls in, and its dates."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from briefgen.model import Period


def period_of(day: dt.date, kind: str) -> Period:
    """The ISO week or calendar month that contains day."""
    if kind == "week":
        year, week, _ = day.isocalendar()
        start = dt.date.fromisocalendar(year, week, 1)
        return Period("week", f"{year}-W{week:02d}", year, start, start + dt.timedelta(days=6))
    if kind == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period("month", f"{day.year}-{day.month:02d}", day.year,
                      day.replace(day=1), day.replace(day=last))
    raise ValueError(f"unknown period kind {kind!r}")


def signoff_date(period: Period) -> dt.date:
    """The default masthead date: the Friday of a week, the last day of a month."""
    if period.kind == "week":
        return period.start + dt.timedelta(days=4)
    return period.end


def chinese_date(day: dt.date) -> str:
    """Write a date the way official documents do: 2026年11月27日."""
    return f"{day.year}年{day.month}月{day.day}日"


def today(timezone: str) -> dt.date:
    """Today's date where the bulletin is made."""
    return dt.datetime.now(ZoneInfo(timezone)).date()
