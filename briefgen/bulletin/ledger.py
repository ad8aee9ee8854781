"""The publication ledger, published.yaml: what each published issue was, so it never changes.

`briefgen publish` writes it and it is committed with the content. For each published issue
it keeps the number, the period, the date, and each item's file with a hash of its bytes;
a republication (--reissue) keeps the earlier record under `history`. Builds take published
issues' numbers from it, and a published item that changed, went missing or was joined by a
new one in the same period is an error until the issue is republished."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.config.fields import parse_date
from briefgen.config.yamlsafe import YamlProblem, load_mapping
from briefgen.content.items import decode, encoding_error
from briefgen.errors import Diagnostic, error, warning
from briefgen.model import Issue, Item
from briefgen.storage.atomic import atomic_write

LEDGER = "published.yaml"
ARCHIVE = "archive"  # the published PDFs, committed with the ledger
ARCHIVED = re.compile(r"(?P<pending>\.)?(?P<id>\d{4}-[A-Z0-9]+)(?:\.(?P<version>[1-9]\d*))?\.pdf(?(pending)\.new)")
PARTIAL = re.compile(r"\.(?P<name>.+)\.\d+\.tmp")  # what atomic_write writes before its rename
HEADER = "# 发布记录：由 briefgen publish 写入，随稿件一起提交；请勿手工修改。\n"


@dataclass(frozen=True)
class Release:
    """One publication of an issue: when, and exactly which item files (by hash)."""

    date: dt.date
    items: Mapping[str, str]  # item file (relative to the root) -> SHA-256 of its bytes
    pdf: str = ""  # SHA-256 of the PDF kept in archive/ as it was published
    pages: int = 0


@dataclass(frozen=True)
class Publication:
    id: str  # the period, e.g. 2026-W47
    number: int  # 第N期
    total: int  # 总第M期
    release: Release  # the one in force
    history: tuple[Release, ...] = ()  # earlier ones, oldest first
    line: int = 0  # where it is in published.yaml, for messages

    @property
    def date(self) -> dt.date:
        return self.release.date


@dataclass
class Ledger:
    publications: dict[str, Publication] = field(default_factory=dict)

    def numbers(self) -> dict[str, tuple[int, int]]:
        """Issue id -> (第N期, 总第M期) of every published issue."""
        return {p.id: (p.number, p.total) for p in self.publications.values()}


def load_ledger(root: Path, zone: dt.tzinfo) -> tuple[Ledger, list[Diagnostic]]:
    """Read published.yaml (an empty ledger when there is none), with a problem for anything wrong."""
    path = root / LEDGER
    if not path.is_file():
        return Ledger(), []
    try:
        parsed = load_mapping(decode(path.read_bytes()))
    except ValueError as exc:
        return Ledger(), [encoding_error(LEDGER, str(exc))]
    except YamlProblem as exc:
        return Ledger(), [error(LEDGER, exc.line, exc.message, exc.hint)]
    problems = [error(LEDGER, p.line, p.message, p.hint) for p in parsed.problems]
    ledger = Ledger()
    entries = (parsed.data or {}).get("issues", []) if isinstance(parsed.data, dict) else None
    if not isinstance(entries, list):
        return ledger, problems + [error(LEDGER, 1, "发布记录的格式不对", "它由 briefgen publish 写入，请从版本库恢复")]
    lines = _entry_lines(path.read_text(encoding="utf-8", errors="replace"))
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 1
        try:
            publication = _publication(entry, zone, line)
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.append(error(LEDGER, line, "这一条发布记录不完整或格式不对",
                                  "它由 briefgen publish 写入，请从版本库恢复"))
            continue
        if publication.id in ledger.publications:
            problems.append(error(LEDGER, line, f"{publication.id} 的发布记录重复"))
            continue
        ledger.publications[publication.id] = publication
    return ledger, problems


def save_ledger(root: Path, ledger: Ledger) -> None:
    """Write published.yaml in a stable form (oldest issue first), through a temporary file."""
    lines = [HEADER.rstrip("\n"), "issues:"]
    for publication in sorted(ledger.publications.values(), key=lambda p: p.id):
        lines += [f"  - id: {publication.id}", f"    number: {publication.number}",
                  f"    total: {publication.total}"]
        lines += _release_lines(publication.release, "    ")
        if publication.history:
            lines.append("    history:")
            for release in publication.history:
                first, *rest = _release_lines(release, "        ")
                lines += ["      - " + first.strip(), *rest]
    atomic_write(root / LEDGER, "\n".join(lines) + "\n")


def archive_path(root: Path, issue_id: str, version: int = 0) -> Path:
    """archive/2026-W47.pdf as published now; archive/2026-W47.1.pdf for the first of earlier releases."""
    return root / ARCHIVE / (f"{issue_id}.{version}.pdf" if version else f"{issue_id}.pdf")


def pending_path(root: Path, issue_id: str) -> Path:
    """Where a republication puts the new PDF until the ledger names it: archive/.2026-W47.pdf.new"""
    return root / ARCHIVE / f".{issue_id}.pdf.new"


def complete_pending(root: Path, ledger: Ledger) -> list[str]:
    """Move each new PDF that the ledger already names into its place; the issues completed."""
    completed = []
    for publication in ledger.publications.values():
        pending = pending_path(root, publication.id)
        if publication.release.pdf and file_digest(pending) == publication.release.pdf:
            pending.replace(archive_path(root, publication.id))
            completed.append(publication.id)
    return completed


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def archived_pdfs(root: Path, ledger: Ledger) -> tuple[dict[str, tuple[Path, int]], list[Diagnostic]]:
    """The published PDF of each published issue (path, pages), and an error for one that is
    missing or no longer the file that was published."""
    found: dict[str, tuple[Path, int]] = {}
    problems = []
    for publication in ledger.publications.values():
        if not publication.release.pdf:
            continue
        path = archive_path(root, publication.id)
        rel = path.relative_to(root).as_posix()
        hint = f"已发布的 PDF 不应改动；请从版本库恢复：git checkout -- {rel}"
        pending = pending_path(root, publication.id)
        if file_digest(pending) == publication.release.pdf:  # a republication stopped before its last step
            problems.append(warning(LEDGER, publication.line, f"{publication.id} 的重新发布没有完成",
                                    f"请再运行 briefgen publish {publication.id} --reissue 完成它"))
            found[publication.id] = (pending, publication.release.pages)
            continue
        data = file_digest(path)
        if data is None:
            problems.append(error(LEDGER, publication.line, f"{publication.id} 发布时的 PDF（{rel}）不见了", hint))
            continue
        if data != publication.release.pdf:
            problems.append(error(rel, 0, f"{publication.id} 发布时的 PDF 被改动了", hint))
            continue
        found[publication.id] = (path, publication.release.pages)
    return found, problems


def unrecorded_pdfs(root: Path, ledger: Ledger) -> list[Diagnostic]:
    """A warning for each PDF in archive/ under a name publish uses that the ledger does not
    record: what a publish killed before its last step leaves, or a file put there by hand."""
    problems = []
    folder = root / ARCHIVE
    names = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
    for name in names:
        match = ARCHIVED.fullmatch(name)
        if match is None:
            continue
        issue_id, version, pending = match["id"], int(match["version"] or 0), bool(match["pending"])
        publication = ledger.publications.get(issue_id)
        rel = f"{ARCHIVE}/{name}"
        if publication is None and not version and not pending:
            problems.append(warning(rel, 0, f"这个 PDF 不在发布记录中：可能是上次发布 {issue_id} 时中断了",
                                    f"请再运行 briefgen publish {issue_id} 完成发布；如果它是手工放入的，"
                                    "请把它移出 archive/"))
        elif publication is not None and (version > len(publication.history)
                                          or pending and file_digest(folder / name) != publication.release.pdf):
            problems.append(warning(rel, 0, f"这个 PDF 不在发布记录中：可能是上次重新发布 {issue_id} 时中断了",
                                    f"请再运行 briefgen publish {issue_id} --reissue 完成它；如果它是手工放入的，"
                                    "请把它移出 archive/"))
    return problems


def partial_files(root: Path) -> list[Path]:
    """The temporary files of the ledger and of archived PDFs that a killed publish left (a
    publish removes them: it holds the repository's write lock, so none is being written)."""
    found = [path for path in sorted(root.glob(f".{LEDGER}.*.tmp")) if PARTIAL.fullmatch(path.name)]
    folder = root / ARCHIVE
    if folder.is_dir():
        found += [path for path in sorted(folder.glob(".*.tmp"))
                  if (match := PARTIAL.fullmatch(path.name)) and ARCHIVED.fullmatch(match["name"])]
    return found


def partial_problems(root: Path) -> list[Diagnostic]:
    return [warning(path.relative_to(root).as_posix(), 0, "这是上次发布中断时留下的临时文件",
                    "下次运行 briefgen publish 时会自动删除；请不要提交它") for path in partial_files(root)]


def published_problems(issues: tuple[Issue, ...], items: list[Item], digests: Mapping[str, str],
                       ledger: Ledger, corrected: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Errors for published issues whose items are no longer exactly the ones published; an edit to
    an item in corrected (files a later issue carries an erratum for) is accepted."""
    problems = []
    by_id = {issue.id: issue for issue in issues}
    located = {item.source: item for item in items}
    for publication in ledger.publications.values():
        issue = by_id.get(publication.id)
        shown = {item.source for item in issue.items} if issue else set()
        released = publication.date.isoformat()
        name = f"{publication.id[:4]}年第{publication.number}期（{publication.id}，{released} 发布）"
        hint = f"如确需改动，请运行 briefgen publish {publication.id} --reissue 重新发布（原记录保留在发布记录中）"
        for source, digest in sorted(publication.release.items.items()):
            if source not in shown:
                where = (source, 1) if source in located else (LEDGER, publication.line)
                problems.append(error(*where, f"已发布的 {name}中的稿件 {source} 已删除、改名或不再采用", hint))
            elif digests.get(source) != digest and source not in corrected:
                problems.append(error(source, 1, f"这篇稿件已在 {name}刊出，发布后又改动了",
                                      f"{hint}；或者在下一期的设置中写更正（errata）"))
        for source in sorted(shown - set(publication.release.items)):
            problems.append(error(source, located[source].field_lines.get("date", 1),
                                  f"稿件日期在已发布的 {name}之内，但它不在该期中",
                                  f"请把日期改到还未发布的一期，或运行 briefgen publish {publication.id} --reissue"))
    return problems


def _publication(entry: Mapping[str, Any], zone: dt.tzinfo, line: int) -> Publication:
    history = tuple(_release(old, zone) for old in entry.get("history", []) or [])
    return Publication(str(entry["id"]), int(entry["number"]), int(entry["total"]), _release(entry, zone),
                       history, line)


def _release(entry: Mapping[str, Any], zone: dt.tzinfo) -> Release:
    items = entry["items"]
    if not isinstance(items, dict):
        raise TypeError("items")
    return Release(parse_date(entry["date"], zone), {str(k): str(v) for k, v in items.items()},
                   str(entry.get("pdf", "")), int(entry.get("pages", 0)))


def _release_lines(release: Release, indent: str) -> list[str]:
    lines = [f"{indent}date: {release.date.isoformat()}"]
    if release.pdf:
        lines += [f"{indent}pdf: {json.dumps(release.pdf)}", f"{indent}pages: {release.pages}"]
    lines.append(f"{indent}items:")
    lines += [f"{indent}  {json.dumps(source, ensure_ascii=False)}: {json.dumps(digest)}"
              for source, digest in sorted(release.items.items())]
    return lines


def _entry_lines(text: str) -> list[int]:
    """The line of each `  - id:` entry, in order."""
    return [number for number, line in enumerate(text.split("\n"), start=1) if line.startswith("  - id:")]
