"""Issue numbers: 第N期 restarts every year, 总第M期 runs on."""

from __future__ import annotations

from briefgen.model import Period


def number(periods: list[Period], first: int = 1, first_total: int = 1) -> list[tuple[int, int]]:
    """Give each period, in date order, its (yearly number, running total).

    The earliest period in the repository gets `first` (第N期) and `first_total`
    (总第M期), so a repository can start in the middle of a year's series.
    """
    result = []
    year = None
    yearly = first - 1
    for index, period in enumerate(periods):
        if year is not None and period.year != year:
            yearly = 0
        year = period.year
        yearly += 1
        result.append((yearly, first_total + index))
    return result
