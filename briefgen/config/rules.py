"""The rules of an office's information work, from briefgen.yaml: points, quotas,
the unit tree and each unit's information officers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.config.fields import Fields

QUOTA_KINDS = ("month", "quarter", "year")
UNIT_KEYS = ("short", "officers", "quota", "parent")


@dataclass(frozen=True)
class Quota:
    """A submission quota; a quarter or year figure is derived from a monthly one if not given, a
    half year's from the quarter's or else the month's (a year's is never divided)."""

    month: int | None = None
    quarter: int | None = None
    year: int | None = None

    def for_kind(self, kind: str) -> int | None:
        """The quota for a period of this kind (week, month, quarter, half or year); None if there is none."""
        if kind == "month":
            return self.month
        if kind == "quarter":
            return self.quarter if self.quarter is not None else _times(self.month, 3)
        if kind == "half":
            return _times(self.quarter, 2) if self.quarter is not None else _times(self.month, 6)
        if kind == "year":
            if self.year is not None:
                return self.year
            return _times(self.quarter, 4) if self.quarter is not None else _times(self.month, 12)
        return None

    @property
    def empty(self) -> bool:
        return self.month is None and self.quarter is None and self.year is None


@dataclass(frozen=True)
class UnitInfo:
    officers: tuple[str, ...] = ()
    quota: Quota = Quota()  # empty: the default quota applies
    parent: str = ""


@dataclass(frozen=True)
class ReportColophon:
    """The 通报's own 报尾 settings (report: in briefgen.yaml); None takes the bulletin's."""

    distribution: tuple[tuple[str, str], ...] | None = None
    editor: str | None = None
    signer: str | None = None
    copies: int | None = None


@dataclass(frozen=True)
class Rules:
    submitted: float = 1
    adopted: float = 3
    grades: Mapping[str, float] = field(default_factory=lambda: {"精品": 5, "特色": 2})
    higher: Mapping[str, float] = field(default_factory=lambda: {"国家级": 20, "省级": 10, "市级": 5})
    instructions: Mapping[str, float] = field(default_factory=lambda: {"国家级": 30, "省级": 15, "市级": 8})
    quota: Quota = Quota()
    units: Mapping[str, UnitInfo] = field(default_factory=dict)
    call_answered: float = 0  # points for each 约稿 a unit answers
    call_missed: float = 0  # points taken off for each 约稿 a unit misses
    report_name: str = "信息工作通报"
    report_colophon: ReportColophon = ReportColophon()

    def quota_of(self, unit: str) -> Quota:
        info = self.units.get(unit)
        return info.quota if info is not None and not info.quota.empty else self.quota

    def children(self, unit: str) -> tuple[str, ...]:
        return tuple(name for name, info in self.units.items() if info.parent == unit)

    def family(self, unit: str) -> tuple[str, ...]:
        """The unit and every unit below it in the tree."""
        result = [unit]
        for child in self.children(unit):
            result.extend(self.family(child))
        return tuple(result)


def _times(value: int | None, factor: int) -> int | None:
    return None if value is None else value * factor


def parse_rules(fields: Fields, names: tuple[str, ...]) -> Rules:
    """Return the rules from the scoring:, report: and units: settings; problems are reported to fields."""
    scoring = fields.values.get("scoring")
    if scoring is None:
        scoring = {}
    if not isinstance(scoring, dict):
        fields.fail("scoring", "scoring 应是计分规则的设置", "见 README 中的“信息工作统计”")
        scoring = {}
    known = ("submitted", "adopted", "grades", "higher", "instructions", "quota", "call_answered", "call_missed")
    for key in scoring:
        if key not in known:
            fields.fail("scoring", f"scoring 中未知的设置项 '{key}'", f"可用：{'、'.join(known)}")
    defaults = Rules()
    report = fields.values.get("report") or {}
    if not isinstance(report, dict) or any(key not in REPORT_KEYS for key in report):
        fields.fail("report", f"report 中可用的设置：{'、'.join(REPORT_KEYS)}（通报的名称和报尾）",
                    "如 report: {name: 信息工作通报, signer: 王明}")
        report = {}
    return Rules(
        submitted=_points(scoring.get("submitted", defaults.submitted), "scoring", fields),
        adopted=_points(scoring.get("adopted", defaults.adopted), "scoring", fields),
        call_answered=_points(scoring.get("call_answered", defaults.call_answered), "scoring", fields),
        call_missed=_points(scoring.get("call_missed", defaults.call_missed), "scoring", fields),
        grades=_table(scoring.get("grades"), defaults.grades, "scoring", fields),
        higher=_table(scoring.get("higher"), defaults.higher, "scoring", fields),
        instructions=_table(scoring.get("instructions"), defaults.instructions, "scoring", fields),
        quota=_quota(scoring.get("quota"), "scoring", fields),
        units=_units(fields.values.get("units"), names, fields),
        report_name=str(report.get("name") or defaults.report_name),
        report_colophon=_report_colophon(report, fields),
    )


REPORT_KEYS = ("name", "distribution", "editor", "signer", "copies")


def _report_colophon(report: dict[str, Any], fields: Fields) -> ReportColophon:
    """The 通报's 报/送/发, editor, signer and copies, where report: sets them."""
    people: dict[str, str | None] = {}
    for key in ("editor", "signer"):
        value = report.get(key)
        if value is not None and not isinstance(value, str):
            fields.fail("report", f"report 中 {key} 应是文字，而不是 '{value}'")
            value = None
        people[key] = value.strip() if isinstance(value, str) else None
    copies = report.get("copies")
    if copies is not None and (isinstance(copies, bool) or not isinstance(copies, int) or copies < 1):
        fields.fail("report", f"report 中 copies 应是印数（正整数），而不是 '{copies}'")
        copies = None
    distribution = report.get("distribution")
    return ReportColophon(
        distribution=None if distribution is None else parse_distribution(distribution, "report", fields),
        editor=people["editor"], signer=people["signer"], copies=copies)


def parse_distribution(raw: Any, key: str, fields: Fields) -> tuple[tuple[str, str], ...]:
    """报/送/发 and the offices each goes to, in the order written."""
    if not raw:
        return ()
    where = "" if key == "distribution" else f"{key} 中的 "
    if not isinstance(raw, dict):
        fields.fail(key, f"{where}distribution 应是“报/送/发: 单位”形式的设置")
        return ()
    distribution = []
    for label, value in raw.items():
        if isinstance(value, list):
            value = "，".join(str(v) for v in value)
        if not isinstance(value, str):
            fields.fail(key, f"{where}distribution 中 '{label}' 的值应是文字")
            continue
        distribution.append((str(label), value.strip()))
    return tuple(distribution)


MAX_POINTS = 10_000  # a score far beyond any office's rules; also refuses .inf and .nan
MAX_QUOTA = 100_000


def _points(value: Any, key: str, fields: Fields) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_POINTS:
        fields.fail(key, f"分值应是 0 到 {MAX_POINTS:,} 之间的数，而不是 '{value}'")
        return 0
    return value


def _table(value: Any, default: Mapping[str, float], key: str, fields: Fields) -> Mapping[str, float]:
    if value is None:
        return default
    if not isinstance(value, dict):
        fields.fail(key, f"应是“名称: 分值”的设置，而不是 '{value}'", "如 {国家级: 20, 省级: 10}")
        return default
    return {str(name): _points(points, key, fields) for name, points in value.items()}


def _quota(value: Any, key: str, fields: Fields) -> Quota:
    if value is None:
        return Quota()
    if not isinstance(value, dict) or any(kind not in QUOTA_KINDS for kind in value):
        fields.fail(key, f"报送任务应写成 {{month: 4}}、{{quarter: 12}} 或 {{year: 48}}，而不是 '{value}'")
        return Quota()
    counts = {}
    for kind, count in value.items():
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_QUOTA:
            fields.fail(key, f"报送任务应是 0 到 {MAX_QUOTA:,} 之间的整数，而不是 '{count}'")
        else:
            counts[kind] = count
    return Quota(**counts)


def _units(value: Any, names: tuple[str, ...], fields: Fields) -> dict[str, UnitInfo]:
    if not isinstance(value, dict):
        return {}
    units = {}
    for name, details in value.items():
        if details is None:
            details = {}
        if not isinstance(details, dict) or any(k not in UNIT_KEYS for k in details):
            fields.fail("units", f"单位 '{name}' 的设置只能有 short（简称）、officers（信息员）、"
                                 "quota（报送任务）和 parent（上级单位）")
            continue
        officers = details.get("officers") or []
        if not isinstance(officers, list) or not all(isinstance(o, str) for o in officers):
            fields.fail("units", f"单位 '{name}' 的 officers 应是姓名列表")
            officers = []
        parent = str(details.get("parent") or "")
        if parent and parent not in names:
            fields.fail("units", f"单位 '{name}' 的上级单位 '{parent}' 不在 units 中")
            parent = ""
        units[str(name)] = UnitInfo(tuple(officers), _quota(details.get("quota"), "units", fields), parent)
    _break_cycles(units, fields)
    return units


def _break_cycles(units: dict[str, UnitInfo], fields: Fields) -> None:
    """Report a unit that is its own ancestor, and detach it from its parent."""
    for name in units:
        seen, current = {name}, units[name].parent
        while current:
            if current in seen:
                fields.fail("units", f"单位 '{name}' 的上级单位关系构成了循环")
                units[name] = UnitInfo(units[name].officers, units[name].quota, "")
                break
            seen.add(current)
            current = units.get(current, UnitInfo()).parent
