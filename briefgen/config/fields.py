"""Checking the fields of any settings or item file, one way for all of them.

A field's parser raises FieldError with its message and hint as separate values; Fields,
the checker of one file, turns it into a Diagnostic at the field's line. did_you_mean is
the one place the "是不是 …？" hint is made."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from briefgen.config.yamlsafe import Parsed
from briefgen.errors import Diagnostic, error

T = TypeVar("T")
D = TypeVar("D")  # a default need not be of the parsed type: None, or () for a tuple of names
Parser = Callable[[Any], T]  # a value as YAML read it -> the field's value; raises FieldError

FULL_WIDTH = re.compile(r"[０-９－／：　]")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$")


class FieldError(ValueError):
    """A value that is wrong: what is wrong (message), and what to write instead (hint)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def did_you_mean(written: str, choices: Iterable[str], otherwise: str = "", quote: bool = False,
                 cutoff: float = 0.6) -> str:
    """Return "是不是 X？" naming the choice closest to what was written, or otherwise when none is close."""
    close = difflib.get_close_matches(str(written), list(choices), n=1, cutoff=cutoff)
    if not close:
        return otherwise
    return f"是不是 '{close[0]}'？" if quote else f"是不是 {close[0]}？"


class Fields:
    """The top-level fields of one YAML file, and the problems found in them, each at its line."""

    def __init__(self, path: str, loaded: Parsed, problems: list[Diagnostic], first_line: int = 1) -> None:
        self.path = path
        self.key_lines = loaded.key_lines  # key as written -> its line within the YAML text
        self.problems = problems
        self.first_line = first_line  # file line of the YAML text's first line (front matter follows ---)
        data = loaded.data if isinstance(loaded.data, dict) else {}
        # Keys YAML did not read as text are reported by the YAML checks, at their line.
        self.values: dict[str, Any] = {key: value for key, value in data.items() if isinstance(key, str)}
        self.written: dict[str, str] = {key: key for key in self.values}  # field name -> its key as written
        # One message a line: a line the YAML checks reported ('NO' read as false) gets no second one.
        self.reported = {problem.line for problem in loaded.problems}
        for problem in loaded.problems:
            self.add(problem.line, problem.message, problem.hint)

    def line(self, name: str) -> int:
        """Return the file line of a field's key; the first line when it is not written."""
        return self.first_line + self.key_lines.get(self.written.get(name, name), 1) - 1

    def add(self, line: int, message: str, hint: str = "") -> None:
        """Report an error at a line of the YAML text."""
        self.problems.append(error(self.path, self.first_line + line - 1, message, hint))

    def fail(self, name: str, message: str, hint: str = "") -> None:
        """Report an error at a field's line, unless the YAML checks already reported that line."""
        line = self.key_lines.get(self.written.get(name, name), 1)
        if line not in self.reported:
            self.add(line, message, hint)

    def unknown_keys(self, known: Sequence[str], aliases: Mapping[str, str] | None = None, noun: str = "设置项",
                     otherwise: str = "") -> None:
        """Report keys that are not known fields, and fields written twice; keep the rest by field name."""
        aliases = aliases or {}
        values: dict[str, Any] = {}
        written: dict[str, str] = {}
        for key, value in self.values.items():
            name = aliases.get(key, key)
            if name not in known:
                self.fail(key, f"未知的{noun} '{key}'", did_you_mean(key, (*known, *aliases), otherwise, quote=True))
            elif name in values:
                self.fail(key, f"{noun} '{key}' 与 '{written[name]}' 重复")
            else:
                values[name], written[name] = value, key
        self.values, self.written = values, written

    def parse(self, name: str, value: Any, parser: Parser[T], default: D) -> T | D:
        """Return value parsed; default when it is null, or wrong (then reported at name's line)."""
        if value is None:
            return default
        try:
            return parser(value)
        except FieldError as exc:
            self.fail(name, exc.message, exc.hint)
            return default

    def field(self, name: str, parser: Parser[T], default: D) -> T | D:
        """Return the field parsed; default when it is absent, null, or wrong (then reported)."""
        return self.parse(name, self.values.get(name), parser, default)


def text(subject: str, one_line: bool = False) -> Parser[str]:
    """Parse text, trimmed, or with its spaces and line breaks made single spaces when one_line."""
    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError(f"{subject} 应是一段文字")
        return " ".join(value.split()) if one_line else value.strip()
    return parse


def count(subject: str, smallest: int = 0, largest: int = 1_000_000, why: str = "") -> Parser[int]:
    """Parse a whole number of at least smallest (0 or 1) and at most largest; why says where
    the largest comes from."""
    kind = "非负整数" if smallest == 0 else "正整数"

    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < smallest:
            raise FieldError(f"{subject} 应是{kind}，而不是 '{value}'")
        if value > largest:
            raise FieldError(f"{subject} 最大为 {largest:,}，而不是 {value:,}", why or "请检查是否多写了几位")
        return value
    return parse


def one_of(label: str, choices: Sequence[str]) -> Parser[str]:
    """Parse one of the names in choices; for another name, hint at the closest one."""
    def parse(value: Any) -> str:
        name = str(value)
        if name not in choices:
            raise FieldError(f"未知的{label} '{name}'",
                             did_you_mean(name, choices, f"可用的{label}见 briefgen.yaml", quote=True, cutoff=0.5))
        return name
    return parse


def date(zone: dt.tzinfo) -> Parser[dt.date]:
    """Parse a date as parse_date does, with times taken in zone."""
    return lambda value: parse_date(value, zone)


# No bulletin has issues before this: briefgen.yaml names no first issue's date (numbering gives
# only its numbers), and an earlier date is a mistyped year (0026 for 2026) that would make the
# earliest issue and renumber every other one. Dates too far ahead depend on today and are checked
# with the bulletin (bulletin/checks.py), not here, where what is found is kept in the item cache.
EARLIEST = dt.date(2000, 1, 1)


def parse_date(value: Any, zone: dt.tzinfo) -> dt.date:
    """Return the date written as 2026-11-27 (or with a time, taken in zone), not before EARLIEST;
    FieldError says how to write it."""
    day = _parse_date(value, zone)
    if day < EARLIEST:
        raise FieldError(f"日期 '{day.isoformat()}' 早于 {EARLIEST.isoformat()}",
                         "请检查年份，如是否把 2026 写成了 0026")
    return day


def _parse_date(value: Any, zone: dt.tzinfo) -> dt.date:
    written = str(value).strip()
    if FULL_WIDTH.search(written):
        raise FieldError(f"日期 '{written}' 中有全角数字或符号", "请在英文输入状态下输入，如 2026-11-27")
    if DATE_TEXT.match(written):
        try:
            moment = dt.datetime.fromisoformat(written)
        except ValueError:
            raise FieldError(f"日期 '{written}' 不存在", "请检查月份和日") from None
        if moment.tzinfo is None:
            return moment.date()
        try:
            return moment.astimezone(zone).date()
        except OverflowError:  # 0001-01-01T00:00+08:00 is before the first day Python knows
            return moment.date()
    raise FieldError(f"日期 '{written}' 无效", "应写成 2026-11-27 这样的格式")
