"""Per-issue settings: content/issues/<issue id>.yaml (编者按, 签发, 本期增发 …)."""

from __future__ import annotations

import difflib
import re
from datetime import tzinfo

from briefgen.bulletin.specials import KEYS as SPECIAL_KEYS
from briefgen.bulletin.specials import Special, parse_special
from briefgen.config.settings import Config
from briefgen.config.yamlsafe import YamlProblem, load_mapping
from briefgen.content.items import decode, encoding_error, message_and_hint, parse_date
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
        rel = path.relative_to(config.root).as_posix()
        try:
            loaded = load_mapping(decode(path.read_bytes()))
        except ValueError as exc:  # not UTF-8
            problems.append(encoding_error(rel, str(exc)))
            continue
        except YamlProblem as exc:
            problems.append(error(rel, exc.line, exc.message, exc.hint))
            continue
        problems += [error(rel, p.line, p.message, p.hint) for p in loaded.problems]
        data = loaded.data or {}
        special = isinstance(data, dict) and "special" in data
        if not special and not ISSUE_ID.match(path.stem):
            problems.append(error(rel, 1, f"文件名 '{path.name}' 不是期的编号",
                                  "应写成 2026-W48.yaml（周刊）或 2026-11.yaml（月刊）；专刊的设置里要有 special: 刊名"))
            continue
        settings = _parse(rel, data, loaded.key_lines, config.zone, problems, SPECIAL_KEYS if special else ())
        if settings is None:
            continue
        if special:
            parsed = parse_special(path.stem, rel, data, loaded.key_lines, config, settings, problems)
            if parsed is not None:
                specials.append(parsed)
        else:
            result[path.stem] = settings
    return result, specials, problems


def _parse(
    rel: str, data: object, lines: dict[str, int], zone: tzinfo, problems: list[Diagnostic],
    more_keys: tuple[str, ...] = (),
) -> IssueSettings | None:
    if not isinstance(data, dict):
        problems.append(error(rel, 1, "内容应是“键: 值”形式的设置"))
        return None
    start = len(problems)
    known = KEYS + more_keys
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            problems.append(error(rel, lines.get(str(key), 1), f"未知的设置项 '{key}'",
                                  f"是不是 '{close[0]}'？" if close else f"可用：{'、'.join(known)}"))
    texts = {}
    for key in ("note", "signer", "editor", "extra"):
        value = data.get(key) or ""
        if not isinstance(value, str):
            problems.append(error(rel, lines.get(key, 1), f"'{key}' 应是一段文字"))
        texts[key] = value.strip() if isinstance(value, str) else ""
    date = None
    if data.get("date") is not None:
        try:
            date = parse_date(data["date"], zone)
        except ValueError as exc:
            problems.append(error(rel, lines.get("date", 1), *message_and_hint(exc)))
    copies = data.get("copies")
    if copies is not None and (isinstance(copies, bool) or not isinstance(copies, int) or copies < 0):
        problems.append(error(rel, lines.get("copies", 1), f"copies 应是非负整数，而不是 '{copies}'"))
        copies = None
    order = data.get("order") or []
    if not isinstance(order, list) or not all(isinstance(name, str) for name in order):
        problems.append(error(rel, lines.get("order", 1), "order 应是稿件文件名的列表",
                              "如 order: [2026-11-24-jiaoyu, 2026-11-25-caizheng]，排在前面的先刊登"))
        order = []
    errata = _errata(data.get("errata") or [])
    if errata is None:
        problems.append(error(rel, lines.get("errata", 1),
                              "errata（更正）应是一个列表，每项写 item（稿件文件名）和 text（更正的文字）", ERRATUM_EXAMPLE))
    if len(problems) > start:
        return None
    return IssueSettings(date=date, copies=copies, order=tuple(name.strip().removesuffix(".md") for name in order),
                         order_line=lines.get("order", 0), errata=errata or (),
                         errata_line=lines.get("errata", 0), **texts)


def _errata(entries: object) -> tuple[Erratum, ...] | None:
    """The corrections listed, or None when they are not written as a list of {item, text}."""
    if not isinstance(entries, list):
        return None
    errata = []
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"item", "text"}:
            return None
        item, text = entry["item"], entry["text"]
        if not isinstance(item, str) or not isinstance(text, str) or not item.strip() or not text.strip():
            return None
        errata.append(Erratum(item.strip().removesuffix(".md"), " ".join(text.split())))
    return tuple(errata)
