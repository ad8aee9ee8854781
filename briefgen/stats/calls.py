"""How units answered the requests for items (约稿) of a period: who sent items, who missed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from briefgen.model import Call, Item


def answers(call: Call, items: Iterable[Item]) -> dict[str, int]:
    """The units that answered a call, in the call's order, with how many items each (drafts
    do not count)."""
    counts = {unit: 0 for unit in call.units}
    for item in items:
        if item.call == call.id and item.unit in counts and item.status != "draft":
            counts[item.unit] += 1
    return {unit: n for unit, n in counts.items() if n}


def missing(call: Call, items: Iterable[Item]) -> tuple[str, ...]:
    """The units asked that sent nothing."""
    answered = answers(call, items)
    return tuple(unit for unit in call.units if unit not in answered)


@dataclass(frozen=True)
class CallTally:
    """One call of the period: who answered, and who missed it (only once it is past due)."""

    call: Call
    answered: dict[str, int]
    missed: tuple[str, ...]
    due_passed: bool


def call_tallies(calls: Iterable[Call], items: Iterable[Item], start: dt.date, end: dt.date,
                 today: dt.date | None) -> tuple[CallTally, ...]:
    """The calls due within [start, end]; a unit misses one only once its due date is before today
    (without today, none is missed yet)."""
    items = list(items)
    tallies = []
    for call in calls:
        if call.due is None or not start <= call.due <= end:
            continue
        passed = today is not None and call.due < today
        tallies.append(CallTally(call, answers(call, items), missing(call, items) if passed else (), passed))
    return tuple(tallies)
