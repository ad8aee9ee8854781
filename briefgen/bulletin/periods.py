"""Week and month arithmetic: which period a date falls in, and its dates."""

from __future__ import annotations

import calendar
import datetime as dt
import os
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


def period_named(name: str, kind: str) -> Period | None:
    """The period an issue id names (2026-W50 for a week, 2026-12 for a month), or None."""
    try:
        if kind == "week" and len(name) == 8 and name[4:6] == "-W":
            return period_of(dt.date.fromisocalendar(int(name[:4]), int(name[6:]), 1), kind)
        if kind == "month" and len(name) == 7 and name[4] == "-":
            return period_of(dt.date(int(name[:4]), int(name[5:]), 1), kind)
    except ValueError:
        return None
    return None


def signoff_date(period: Period) -> dt.date:
    """The default masthead date: the Friday of a week, the last day of a month."""
    if period.kind == "week":
        return period.start + dt.timedelta(days=4)
    return period.end


def chinese_date(day: dt.date) -> str:
    """Write a date the way official documents do: 2026年11月27日."""
    return f"{day.year}年{day.month}月{day.day}日"


def today(timezone: str | dt.tzinfo) -> dt.date:
    """Today's date where the bulletin is made; SOURCE_DATE_EPOCH (the reproducible-builds
    convention: seconds since 1970) sets it, so that a build or check can be repeated as of a day."""
    zone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if pinned.isdigit():
        return dt.datetime.fromtimestamp(int(pinned), zone).date()
    return dt.datetime.now(zone).date()
