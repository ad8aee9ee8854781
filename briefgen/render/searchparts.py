"""The site search index in parts: which items each part holds, what it is made from, and the
small script that tells the search box where the parts are.

Pagefind keeps a whole index in memory while it builds it (about 240 KB a page) and has no
incremental mode, so one index of every item grows without bound and is made again whole for
any edit. Split instead, each part is a Pagefind bundle of its own, made again only when the
text of one of its items changes, and the browser merges the parts (Pagefind's mergeIndex)
into one list ordered by relevance:

- the primary part (the `pagefind/` folder, with Pagefind's scripts) holds the newest issues,
  where nearly every edit happens, so an edit re-indexes a hundred pages, not the archive;
- every older issue lies in the part of its calendar quarter (`pagefind/parts/2024-q3/`; an
  ISO week's by its Thursday), or, in a bulletin that writes more than PART_LIMIT items a
  quarter, of its month, or of itself.

A part's place depends only on its issues' dates, never on how many parts there are, so an
edit, a new week or a new year leaves every other part as it was. Pure: no I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefgen.bulletin.periods import chinese_date
from briefgen.model import Bulletin, Issue, Item

FOLDER = "pagefind"
PARTS = f"{FOLDER}/parts"
SCRIPT = f"{FOLDER}/parts.js"  # the list of the other parts, which every page loads
RECENT_ISSUES = 2  # issues in the primary part
PART_LIMIT = 600  # items a part may hold before it is split finer (Pagefind: ~150 MB at 600)


@dataclass(frozen=True)
class Part:
    """One Pagefind bundle: its name ("" for the primary part) and the items it indexes, each
    with the issue it appears in."""

    name: str
    entries: tuple[tuple[Item, Issue], ...]

    @property
    def folder(self) -> str:
        """Where its bundle lies, relative to the output folder."""
        return f"{PARTS}/{self.name}" if self.name else FOLDER

    def key(self, salt: str, tokens: Mapping[str, str]) -> str:
        """What the bundle is made from: the indexer (salt) and everything its pages show, each
        body standing for its item's token (which covers the body as rendered)."""
        digest = hashlib.sha256(f"{salt}\0{self.name}\0".encode())
        for item, issue in self.entries:
            fields = (item.slug, tokens[item.slug], item.title, item.unit, item.date.isoformat(), issue.title)
            digest.update("\0".join(fields).encode() + b"\0\0")
        return digest.hexdigest()

    def documents(self, bodies: Mapping[str, str]) -> list[tuple[str, str]]:
        """(source path, HTML) of a plain page per item, as Pagefind reads it."""
        return [(f"items/{item.slug}.html",
                 '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
                 f"<title>{html.escape(item.title)}</title></head><body>"
                 f'<h1 data-pagefind-meta="title">{html.escape(item.title)}</h1>'
                 f'<p data-pagefind-meta="来源">{html.escape(item.unit)} · {chinese_date(item.date)} · '
                 f"{html.escape(issue.title)}</p>"
                 f"{bodies[item.slug]}</body></html>")
                for item, issue in self.entries]


def search_parts(bulletin: Bulletin) -> tuple[Part, ...]:
    """The parts of the index: the primary one first, then the others, newest first. A bulletin
    with no items has only the primary part, with no pages."""
    issues = sorted(bulletin.issues, key=lambda issue: (issue.period.start, issue.id))
    recent, older = issues[len(issues) - RECENT_ISSUES:], issues[:max(len(issues) - RECENT_ISSUES, 0)]
    groups: dict[str, list[Issue]] = {}
    for issue in older:
        groups.setdefault(_quarter(issue), []).append(issue)
    named: list[tuple[str, list[Issue]]] = []
    for quarter, members in groups.items():
        named += _split(quarter, members)
    parts = [Part("", _entries(recent))]
    parts += [Part(name, _entries(members)) for name, members in reversed(named)]
    return tuple(parts)


def part_folder(rel: str) -> str | None:
    """The folder of the part a file of the output folder belongs to, or None for a file of no
    part (outside pagefind/, or the list of parts)."""
    if rel.startswith(f"{PARTS}/"):
        return "/".join(rel.split("/", 3)[:3])
    if rel.startswith(f"{FOLDER}/") and rel != SCRIPT:
        return FOLDER
    return None


def parts_script(parts: Iterable[Part]) -> bytes:
    """The script every page loads before the search box starts: the folders of the parts to
    merge into the primary one, relative to pagefind/, newest first."""
    folders = [f"parts/{part.name}/" for part in parts if part.name]
    return f"window.briefgenSearchParts = {json.dumps(folders)};\n".encode()


def _middle(issue: Issue) -> dt.date:
    """The day that places an issue in a quarter or month: an ISO week's Thursday (which
    decides its year), the middle of a month."""
    period = issue.period
    return period.start + (period.end - period.start) / 2


def _quarter(issue: Issue) -> str:
    middle = _middle(issue)
    return f"{middle.year}-q{(middle.month - 1) // 3 + 1}"


def _split(quarter: str, issues: list[Issue]) -> list[tuple[str, list[Issue]]]:
    """A quarter as one part, or by month, or by issue, whichever keeps parts within PART_LIMIT."""
    if _count(issues) <= PART_LIMIT:
        return [(quarter, issues)]
    months: dict[str, list[Issue]] = {}
    for issue in issues:
        months.setdefault(f"{_middle(issue):%Y-%m}", []).append(issue)
    named: list[tuple[str, list[Issue]]] = []
    for month, members in months.items():
        named += [(month, members)] if _count(members) <= PART_LIMIT else [(i.id.lower(), [i]) for i in members]
    return named


def _count(issues: list[Issue]) -> int:
    return sum(len(issue.items) for issue in issues)


def _entries(issues: Iterable[Issue]) -> tuple[tuple[Item, Issue], ...]:
    return tuple((item, issue) for issue in issues for item in issue.items)
