"""Per-issue settings: content/issues/<issue id>.yaml (编者按, 签发, 本期增发 …)."""

from __future__ import annotations

import re
from datetime import tzinfo
from pathlib import Path
from typing import Any

from briefgen.bulletin.specials import KEYS as SPECIAL_KEYS
from briefgen.bulletin.specials import Special, parse_special
from briefgen.config.fields import FieldError, Fields, count, date, text
from briefgen.config.settings import Config
from briefgen.config.yamlsafe import YamlProblem, load_mapping
from briefgen.content.items import decode, encoding_error
from briefgen.errors import Diagnostic, error
from briefgen.model import Erratum, IssueSettings

FOLDER = "issues"
KEYS = ("note", "date", "signer", "editor", "extra", "copies", "order", "errata")
ERRATUM_EXAMPLE = "如 errata: [{item: 2026-11-10-jiaoyu, text: 本刊第6期《……》一文中“……”应为“……”。}]"
ISSUE_ID = re.compile(r"^\d{4}-(W\d{2}|\d{2})$")


def load_issue_settings(config: Config) -> tuple[dict[str, IssueSettings], list[Special], list[Diagnostic]]:
    """Read every content/issues/*.yaml: the settings of regular issues by id, the special issues
    (files with a `special:` key), and the problems."""
    folder = config.content_dir / FOLDER
    result: dict[str, IssueSettings] = {}
    specials: list[Special] = []
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        return result, specials, problems
    for path in sorted(folder.glob("*.yaml")):
        parsed = _load(path, config, problems)
        if isinstance(parsed, Special):
            specials.append(parsed)
        elif parsed is not None:
            result[path.stem] = parsed
    return result, specials, problems


def settings_fields(path: Path, config: Config, problems: list[Diagnostic]) -> tuple[Fields, Any] | None:
    """The fields of one YAML settings file under content/ (an issue's, a 约稿) and its data as YAML
    read it; None, with the problem reported, when it is not UTF-8 or not YAML."""
    rel = path.relative_to(config.root).as_posix()
    try:
        loaded = load_mapping(decode(path.read_bytes()))
    except ValueError as exc:  # not UTF-8
        problems.append(encoding_error(rel, str(exc)))
        return None
    except YamlProblem as exc:
        problems.append(error(rel, exc.line, exc.message, exc.hint))
        return None
    return Fields(rel, loaded, problems), loaded.data


def _load(path: Path, config: Config, problems: list[Diagnostic]) -> IssueSettings | Special | None:
    """Return what one file describes: a regular issue's settings or a special issue; None when wrong."""
    read = settings_fields(path, config, problems)
    if read is None:
        return None
    fields, data = read
    data = data or {}
    special = isinstance(data, dict) and "special" in data
    if not special and not ISSUE_ID.match(path.stem):
        fields.add(1, f"文件名 '{path.name}' 不是期的编号",
                   "应写成 2026-W48.yaml（周刊）或 2026-11.yaml（月刊）；专刊的设置里要有 special: 刊名")
        return None
    if not isinstance(data, dict):
        fields.add(1, "内容应是“键: 值”形式的设置")
        return None
    settings = _parse(fields, config.zone, SPECIAL_KEYS if special else ())
    if settings is None or not special:
        return settings
    return parse_special(path.stem, fields, config, settings)


def _parse(fields: Fields, zone: tzinfo, more_keys: tuple[str, ...] = ()) -> IssueSettings | None:
    start = len(fields.problems)
    known = KEYS + more_keys
    fields.unknown_keys(known, otherwise=f"可用：{'、'.join(known)}")
    texts = {key: fields.field(key, text(f"'{key}'"), "") for key in ("note", "signer", "editor", "extra")}
    settings = IssueSettings(
        date=fields.field("date", date(zone), None),
        copies=fields.field("copies", count("copies"), None),
        order=fields.field("order", _order, ()), order_line=fields.key_lines.get("order", 0),
        errata=fields.field("errata", _errata, ()), errata_line=fields.key_lines.get("errata", 0),
        **texts,
    )
    return settings if len(fields.problems) == start else None


def _order(value: Any) -> tuple[str, ...]:
    """Return the item file names listed, first to be printed first."""
    if not value:
        return ()
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise FieldError("order 应是稿件文件名的列表",
                         "如 order: [2026-11-24-jiaoyu, 2026-11-25-caizheng]，排在前面的先刊登")
    return tuple(name.strip().removesuffix(".md") for name in value)


def _errata(value: Any) -> tuple[Erratum, ...]:
    """Return the corrections listed, each an {item, text}."""
    if not value:
        return ()
    wrong = FieldError("errata（更正）应是一个列表，每项写 item（稿件文件名）和 text（更正的文字）", ERRATUM_EXAMPLE)
    if not isinstance(value, list):
        raise wrong
    errata = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"item", "text"}:
            raise wrong
        item, words = entry["item"], entry["text"]
        if not isinstance(item, str) or not isinstance(words, str) or not item.strip() or not words.strip():
            raise wrong
        errata.append(Erratum(item.strip().removesuffix(".md"), " ".join(words.split())))
    return tuple(errata)
