"""Issue numbers: 第N期 restarts every year, 总第M期 runs on; published numbers never change."""

from __future__ import annotations

from collections.abc import Mapping

from briefgen.model import Period


def number(periods: list[Period], first: int = 1, first_total: int = 1,
           published: Mapping[str, tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Give each period, in date order, its (yearly number, running total).

    A published period keeps the numbers it was published with. The others, in date order,
    continue after the highest number published in their year (第N期) and the highest
    total (总第M期). Without publications the earliest period gets `first` and
    `first_total`, so a repository can start in the middle of a year's series.
    """
    published = published or {}
    earliest = periods[0].year if periods else None
    yearly: dict[int, int] = {}
    for period in periods:
        if period.id in published:
            yearly[period.year] = max(yearly.get(period.year, 0), published[period.id][0])
    total = max((t for _, t in published.values()), default=first_total - 1)
    result = []
    for period in periods:
        if period.id in published:
            result.append(published[period.id])
            continue
        base = yearly.get(period.year, first - 1 if period.year == earliest else 0)
        yearly[period.year] = base + 1
        total += 1
        result.append((base + 1, total))
    return result
