"""briefgen.yaml: the bulletin's settings as a typed, validated, frozen object."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from briefgen.config.rules import Rules, parse_rules
from briefgen.config.yamlsafe import YamlProblem, load_mapping
from briefgen.errors import ConfigError, Diagnostic, InputError, error

CONFIG_NAME = "briefgen.yaml"
PERIODS = ("week", "month")

KNOWN_KEYS = (
    "name", "publisher", "period", "timezone", "mark", "topics", "units",
    "distribution", "copies", "editor", "signer", "numbering", "site_url",
    "future_days", "remote_hosts", "scoring", "report",
)


@dataclass(frozen=True)
class Config:
    """Settings of one bulletin repository."""

    root: Path
    name: str
    publisher: str
    topics: tuple[str, ...]
    units: tuple[str, ...]
    period: str = "week"
    timezone: str = "Asia/Shanghai"
    mark: str = ""
    unit_details: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    distribution: tuple[tuple[str, str], ...] = ()
    copies: int | None = None
    editor: str = ""
    signer: str = ""
    first_number: int = 1
    first_total: int = 1
    site_url: str = ""
    future_days: int = 7  # how far ahead of today an item may be dated
    remote_hosts: tuple[str, ...] = ()  # hosts whose images may be loaded (e.g. the intranet's)
    rules: Rules = Rules()  # points, quotas, unit tree and officers for the statistics

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def find_root(start: Path) -> Path:
    """Walk up from start to the folder that holds briefgen.yaml, as git does."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"在 {start} 及其上级目录中找不到 {CONFIG_NAME}；"
        "请在简报仓库内运行，或用 --root 指定简报仓库的目录。"
    )


def load_config(root: Path) -> Config:
    """Read and validate root/briefgen.yaml; report every problem at once."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path} 不存在。") from None
    except UnicodeDecodeError:
        raise InputError([error(CONFIG_NAME, 1, "文件不是 UTF-8 编码", "请用 UTF-8 编码另存")]) from None
    try:
        loaded = load_mapping(text.replace("\r\n", "\n"))
    except YamlProblem as exc:
        raise InputError([error(CONFIG_NAME, exc.line, exc.message, exc.hint)]) from None
    data, lines = loaded.data, loaded.key_lines
    if not isinstance(data, dict):
        raise InputError([error(CONFIG_NAME, 1, "内容应是“键: 值”形式的设置")])
    problems = [error(CONFIG_NAME, p.line, p.message, p.hint) for p in loaded.problems]
    parsed = _parse(data, lines, problems)
    if any(p.is_error for p in problems):
        raise InputError(problems)
    return Config(root=root.resolve(), **parsed)


def _parse(data: dict, lines: dict[str, int], problems: list[Diagnostic]) -> dict[str, Any]:
    reported = {p.line for p in problems}  # one message a line: 'NO' is not also "not a number"

    def fail(key: str, message: str, hint: str = "") -> None:
        if lines.get(key, 1) not in reported:
            problems.append(error(CONFIG_NAME, lines.get(key, 1), message, hint))

    for key in data:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(str(key), KNOWN_KEYS, n=1)
            fail(str(key), f"未知的设置项 '{key}'", f"是不是 '{close[0]}'？" if close else "")

    def text(key: str, default: str = "", required: bool = False) -> str:
        value = data.get(key, default)
        if value is None:
            value = ""
        if required and not value:
            fail(key, f"缺少必填设置项 '{key}'")
        if not isinstance(value, str):
            fail(key, f"'{key}' 应是一段文字")
            return default
        return value.strip()

    def names(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if isinstance(value, dict):
            value = list(value)
        if not isinstance(value, list) or not value:
            fail(key, f"'{key}' 应是至少包含一项的列表")
            return ()
        result = []
        for entry in value:
            if not isinstance(entry, str) or not entry.strip():
                fail(key, f"'{key}' 中的每一项都应是名称文字，'{entry}' 不是")
            elif entry.strip() in result:
                fail(key, f"'{key}' 中 '{entry}' 出现了两次")
            else:
                result.append(entry.strip())
        return tuple(result)

    def integer(value: Any, key: str, default: int | None) -> int | None:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            fail(key, f"'{key}' 应是非负整数，而不是 '{value}'")
            return default
        return value

    period = text("period", "week")
    if period not in PERIODS:
        fail("period", f"period 应是 week（每周一期）或 month（每月一期），而不是 '{period}'")
    timezone = text("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Asia" is a folder of zones
        fail("timezone", f"未知的时区 '{timezone}'", "例如 Asia/Shanghai")

    units = data.get("units")
    details = {}
    if isinstance(units, dict):
        details = {str(k): v if isinstance(v, dict) else {} for k, v in units.items()}

    distribution = []
    raw = data.get("distribution") or {}
    if not isinstance(raw, dict):
        fail("distribution", "distribution 应是“报/送/发: 单位”形式的设置")
    else:
        for label, value in raw.items():
            if isinstance(value, list):
                value = "，".join(str(v) for v in value)
            if not isinstance(value, str):
                fail("distribution", f"distribution 中 '{label}' 的值应是文字")
                continue
            distribution.append((str(label), value.strip()))

    numbering = data.get("numbering") or {}
    if not isinstance(numbering, dict):
        fail("numbering", "numbering 应包含 first（首期期号）和 first_total（首期总期号）")
        numbering = {}
    for key in numbering:
        if key not in ("first", "first_total"):
            fail("numbering", f"numbering 中未知的设置项 '{key}'", "可用 first 和 first_total")
    first = integer(numbering.get("first"), "numbering", 1) or 1
    first_total = integer(numbering.get("first_total"), "numbering", first) or first

    mark = text("mark")
    if any(level in mark for level in ("秘密", "机密", "绝密")):
        fail("mark", f"报头标志“{mark}”是密级", "涉密信息不得进入本系统；内部资料可写“内部资料 注意保存”")

    unit_names = names("units")
    return dict(
        name=text("name", required=True),
        publisher=text("publisher", required=True),
        period=period,
        timezone=timezone,
        mark=mark,
        topics=names("topics"),
        units=unit_names,
        rules=parse_rules(data.get("scoring"), data.get("report"), data.get("units"), unit_names, fail),
        unit_details=details,
        distribution=tuple(distribution),
        copies=integer(data.get("copies"), "copies", None),
        editor=text("editor"),
        signer=text("signer"),
        first_number=first,
        first_total=first_total,
        site_url=text("site_url").rstrip("/"),
        future_days=integer(data.get("future_days"), "future_days", 7) or 0,
        remote_hosts=_hosts(data.get("remote_hosts"), fail),
    )


def _hosts(value: Any, fail: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail("remote_hosts", "remote_hosts 应是主机名的列表，如 [oa.example.gov.cn]")
        return ()
    return tuple(v.strip().lower() for v in value)
