"""Counts, scores, quotas and ranks of information work: pure functions over items."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from briefgen.config.rules import Rules
from briefgen.model import Call, Item
from briefgen.stats.calls import CallTally, call_tallies

BY = ("unit", "author", "topic")
NO_AUTHOR = "（未署名）"
PERIOD = re.compile(r"^(\d{4})(?:-W(\d{2})|-Q([1-4])|-H([12])|-(\d{2}))?$")
HINT = "应写成 2026-W48（周）、2026-11（月）、2026-Q4（季度）、2026-H1（上半年）或 2026（年）"


@dataclass(frozen=True)
class StatsPeriod:
    kind: str  # week, month, quarter, half (a half year) or year
    id: str
    start: dt.date
    end: dt.date

    @property
    def year(self) -> int:
        return int(self.id[:4])

    @property
    def label(self) -> str:
        if self.kind == "week":
            return f"{self.year}年第{int(self.id[6:])}周"
        if self.kind == "month":
            return f"{self.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[int(self.id[-1]) - 1]}季度"
        if self.kind == "half":
            return f"{self.year}年{'上下'[int(self.id[-1]) - 1]}半年"
        return f"{self.year}年"

    @property
    def number(self) -> int:
        """The 通报's number in its own yearly series: the week, month, quarter or half of the year."""
        if self.kind == "week":
            return int(self.id[6:])
        if self.kind == "month":
            return self.start.month
        if self.kind in ("quarter", "half"):
            return int(self.id[-1])
        return 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def quarters(self) -> tuple[StatsPeriod, ...]:
        """The quarters a year or a half year is scored by, in order; none for a shorter period."""
        if self.kind == "year":
            numbers: tuple[int, ...] = (1, 2, 3, 4)
        elif self.kind == "half":
            numbers = (2 * self.number - 1, 2 * self.number)
        else:
            return ()
        return tuple(parse_period(f"{self.year}-Q{q}") for q in numbers)


def parse_period(text: str) -> StatsPeriod:
    """2026-W48, 2026-11, 2026-Q4, 2026-H1 or 2026; ValueError says what to write."""
    text = text.strip()
    match = PERIOD.match(text)
    if not match:
        raise ValueError(f"统计期 '{text}' 无效；{HINT}")
    year, week, quarter, half, month = match.groups()
    y = int(year)
    try:
        if week:
            start = dt.date.fromisocalendar(y, int(week), 1)
            return StatsPeriod("week", text, start, start + dt.timedelta(days=6))
        if quarter:
            first = 3 * int(quarter) - 2
            return StatsPeriod("quarter", text, dt.date(y, first, 1),
                               dt.date(y, first + 2, calendar.monthrange(y, first + 2)[1]))
        if half:
            first = 6 * int(half) - 5
            return StatsPeriod("half", text, dt.date(y, first, 1),
                               dt.date(y, first + 5, calendar.monthrange(y, first + 5)[1]))
        if month:
            m = int(month)
            return StatsPeriod("month", text, dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]))
    except ValueError:
        raise ValueError(f"统计期 '{text}' 不存在；{HINT}") from None
    return StatsPeriod("year", text, dt.date(y, 1, 1), dt.date(y, 12, 31))


@dataclass(frozen=True)
class Figures:
    submitted: int = 0
    adopted: int = 0
    higher: int = 0
    instructions: int = 0
    premium: int = 0  # 精品
    featured: int = 0  # 特色
    score: float = 0
    delays: tuple[int, ...] = ()  # days from event to submission, per item where known
    calls_answered: int = 0  # 约稿 of the period the unit answered (by unit only)
    calls_missed: int = 0  # 约稿 of the period, past due, it sent nothing for
    late: int = 0  # items sent after their issue was published (迟报)

    @property
    def timeliness(self) -> float | None:
        """Average days from the event to the submission."""
        return round(sum(self.delays) / len(self.delays), 1) if self.delays else None


@dataclass(frozen=True)
class Row:
    key: str
    figures: Figures
    quota: int | None = None
    rank: int | None = None
    parent: str = ""
    quarters: tuple[Figures, ...] = ()  # for a year or a half year: one per quarter

    @property
    def completion(self) -> float | None:
        """Submitted items as a share of the quota."""
        if not self.quota:
            return None
        return round(self.figures.submitted / self.quota, 4)

    @property
    def below_quota(self) -> bool:
        return self.quota is not None and self.figures.submitted < self.quota


@dataclass(frozen=True)
class Report:
    period: StatsPeriod
    by: str
    rows: tuple[Row, ...]
    total: Figures
    premium_items: tuple[Item, ...] = ()
    higher_items: tuple[Item, ...] = ()
    idle_officers: tuple[tuple[str, str], ...] = ()  # (unit, officer) with nothing submitted
    remarks: tuple[Item, ...] = ()  # the period's items with an editor's remark (点评), by date
    calls: tuple[CallTally, ...] = ()  # the 约稿 due in the period
    notes: tuple[str, ...] = field(default=())

    @property
    def below_quota(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.below_quota)


def score_text(value: float) -> str:
    """A score as people write it: 25, not 25.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def item_score(item: Item, rules: Rules) -> float:
    """The points one submitted item earns its unit."""
    score = rules.submitted
    if item.published:
        score += rules.adopted + rules.grades.get(item.grade, 0)
    score += sum(rules.higher.get(entry.level, 0) for entry in item.adopted_by)
    score += sum(rules.instructions.get(entry.level, 0) for entry in item.instructions)
    return score


def figures(items: Iterable[Item], rules: Rules, submitted_on: Mapping[str, dt.date],
            late: frozenset[str] = frozenset()) -> Figures:
    """The totals of some submitted items; late names the files of the late ones (迟报)."""
    items = list(items)
    delays = []
    for item in items:
        when = item.submitted or submitted_on.get(item.source)
        if when is not None:
            delays.append((when - item.date).days)
    adopted = [i for i in items if i.published]
    return Figures(
        submitted=len(items),
        adopted=len(adopted),
        higher=sum(len(i.adopted_by) for i in items),
        instructions=sum(len(i.instructions) for i in items),
        premium=sum(i.grade == "精品" for i in adopted),
        featured=sum(i.grade == "特色" for i in adopted),
        score=sum(item_score(i, rules) for i in items),
        delays=tuple(delays),
        late=sum(item.source in late for item in items),
    )


def rank(rows: list[Row], order: Sequence[str] = ()) -> list[Row]:
    """Order rows by score, highest first; ties share a rank (1, 2, 2, 4) and stand in the order
    given (the office's own, from briefgen.yaml), then by name."""
    ordered = sorted(rows, key=lambda r: (-r.figures.score, *_place(order, r.key)))
    ranked, previous = [], None
    for position, row in enumerate(ordered, start=1):
        shared = previous is not None and previous.figures.score == row.figures.score
        number = previous.rank if shared and previous is not None else position
        row = Row(row.key, row.figures, row.quota, number, row.parent, row.quarters)
        ranked.append(row)
        previous = row
    return ranked


def _place(order: Sequence[str], key: str) -> tuple[int, str]:
    """Where key stands in order (those not in it after all that are), then its name."""
    return (order.index(key) if key in order else len(order), key)


def author_order(authors: Iterable[str], chosen: Iterable[Item], units: Sequence[str], rules: Rules) -> list[str]:
    """The authors in the office's order: by their unit's place in units (an officer's unit is the
    one listing them, anyone else's the first unit they wrote for), an officer by their place in
    that unit's officers and before the others, then by name; the unsigned come last."""
    last = len(units)
    officers: dict[str, tuple[int, int]] = {}
    for unit, info in rules.units.items():
        for index, officer in enumerate(info.officers):
            officers[officer] = min(officers.get(officer, (last, 0)), (_place(units, unit)[0], index))
    others: dict[str, int] = {}
    for item in chosen:
        for author in item.authors:
            if author not in officers:
                others[author] = min(others.get(author, last), _place(units, item.unit)[0])

    def place(author: str) -> tuple[int, int, int, str]:
        if author in officers:
            return (officers[author][0], 0, officers[author][1], author)
        return (others.get(author, last + 1), 1, 0, author)
    return sorted(authors, key=place)


def tally(items: Iterable[Item], units: tuple[str, ...], topics: tuple[str, ...], rules: Rules,
          period: StatsPeriod, by: str = "unit",
          submitted_on: Mapping[str, dt.date] | None = None,
          calls: tuple[Call, ...] = (), today: dt.date | None = None,
          late: frozenset[str] = frozenset()) -> Report:
    """The statistics of one period, one row per unit, officer or topic; with the calls (约稿) due
    in it, answered and (once past due by today) missed, scored by the rules for each unit."""
    submitted_on = submitted_on or {}
    items = list(items)
    chosen = [i for i in items if i.status != "draft" and period.contains(i.date)]
    asked = call_tallies(calls, items, period.start, period.end, today)

    def row_figures(members: list[Item]) -> tuple[Figures, tuple[Figures, ...]]:
        quarters = tuple(figures([i for i in members if q.contains(i.date)], rules, submitted_on, late)
                         for q in period.quarters())
        return figures(members, rules, submitted_on, late), quarters

    rows: list[Row] = []
    if by == "unit":
        for unit in units:
            family = set(rules.family(unit))
            total, quarters = row_figures([i for i in chosen if i.unit in family])
            total = _with_calls(total, unit, asked, rules)
            info = rules.units.get(unit)
            rows.append(Row(unit, total, rules.quota_of(unit).for_kind(period.kind),
                            parent=info.parent if info else "", quarters=quarters))
        top = rank([r for r in rows if not r.parent], units)
        rows = top + sorted((r for r in rows if r.parent),
                            key=lambda r: (_place(units, r.parent), -r.figures.score, *_place(units, r.key)))
    else:
        if by == "author":
            # Each co-author is credited with the whole item, as offices count them.
            keys = sorted({name for i in chosen for name in i.authors or (NO_AUTHOR,)}
                          | {o for info in rules.units.values() for o in info.officers})
            group = {key: [i for i in chosen if key in (i.authors or (NO_AUTHOR,))] for key in keys}
            order = author_order(keys, chosen, units, rules)
        else:
            group = {topic: [i for i in chosen if i.topic == topic] for topic in topics}
            order = list(topics)
        for key, members in group.items():
            total, quarters = row_figures(members)
            rows.append(Row(key, total, quarters=quarters))
        rows = rank(rows, order)

    authors = {name for i in chosen for name in i.authors}
    idle = tuple((unit, officer) for unit, info in rules.units.items()
                 for officer in info.officers if officer not in authors)
    return Report(
        period=period, by=by, rows=tuple(rows), total=figures(chosen, rules, submitted_on, late),
        premium_items=tuple(sorted((i for i in chosen if i.published and i.grade == "精品"),
                                   key=lambda i: (i.date, i.source))),
        higher_items=tuple(sorted((i for i in chosen if i.adopted_by or i.instructions),
                                  key=lambda i: (i.date, i.source))),
        idle_officers=idle,
        remarks=tuple(sorted((i for i in chosen if i.review), key=lambda i: (i.date, i.source))),
        calls=asked,
    )


def _with_calls(total: Figures, unit: str, asked: tuple[CallTally, ...], rules: Rules) -> Figures:
    """A unit's figures with the calls it answered and missed, and their points."""
    answered = sum(unit in entry.answered for entry in asked)
    missed = sum(unit in entry.missed for entry in asked)
    if not (answered or missed):
        return total
    score = total.score + answered * rules.call_answered - missed * rules.call_missed
    return dataclasses.replace(total, calls_answered=answered, calls_missed=missed, score=score)


def summary(report: Report) -> str:
    """The paragraph that opens a 通报: 本期共收到信息X篇，采用Y篇……"""
    t = report.total
    rate = f"，采用率{t.adopted / t.submitted:.1%}" if t.submitted else ""
    parts = [f"{report.period.label}，共收到各单位报送信息{t.submitted}篇（其中迟报{t.late}篇），"
             f"采用{t.adopted}篇{rate}" if t.late else
             f"{report.period.label}，共收到各单位报送信息{t.submitted}篇，采用{t.adopted}篇{rate}"]
    if t.higher or t.instructions:
        parts.append(f"被上级采用{t.higher}篇次，获领导批示{t.instructions}次")
    if t.premium:
        parts.append(f"评出精品信息{t.premium}篇")
    text = "；".join(parts) + "。"
    if report.by == "unit":
        leaders = [row.key for row in report.rows if row.rank == 1 and row.figures.score > 0]
        if leaders:
            text += f"综合得分居首位的是{'、'.join(leaders)}。"
        below = [row.key for row in report.below_quota]
        if below:
            text += f"{'、'.join(below)}未完成报送任务，请加强信息报送工作。"
        elif any(row.quota for row in report.rows):
            text += "各单位均完成了报送任务。"
    return text
