"""The intranet site: index, issue, item, topic and unit pages, and an Atom feed."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

import jinja2

from briefgen.bulletin.periods import today
from briefgen.incremental.fingerprint import Fingerprinter
from briefgen.incremental.keys import front_matter_digest
from briefgen.model import Bulletin, Item
from briefgen.render.env import template_failure, template_source
from briefgen.render.report import report_context
from briefgen.stats.calls import answers
from briefgen.stats.tally import parse_period, tally
from briefgen.workers import ordered_map

FEED_ENTRIES = 20


@dataclass(frozen=True)
class Page:
    """One file of the site: its key (a digest of everything it is made from) and how to make it."""

    path: str
    key: str
    render: Callable[[], str]


def site_pages(b: Bulletin, env: jinja2.Environment, pdfs: frozenset[str], base: str, tokens: Mapping[str, str],
               submitted_on: Mapping[str, dt.date], search: bool = True,
               docxs: frozenset[str] = frozenset()) -> Iterator[Page]:
    """Every file of the HTML site, by path relative to the output folder; pdfs and docxs: the
    issues whose PDF and Word file the site links to. A page's key covers
    base (keys.pages_base) and the values its template is given, with each item standing for its
    token (slug -> token in tokens); submitted_on gives the submission dates for the statistics
    page; without search, no page offers the search box."""
    fp = Fingerprinter(tokens)
    year = max((item.date.year for item in b.submitted), default=None)
    stats_page = f"stats/{year}.html" if year else ""
    calls_page = "calls.html" if b.calls else ""
    common: dict[str, Any] = dict(pdfs=pdfs, docxs=docxs, stats_page=stats_page, stats_year=year, search=search,
                                  calls_page=calls_page)
    site = _Site(b, env, fp, fp.digest(base, common), common)
    yield from _front_pages(site)
    yield from _issue_pages(site)
    yield from _name_pages(site)
    if year:
        yield _stats_page(site, stats_page, year, submitted_on)
    if calls_page:
        # Standing 报送要点 first, then each 约稿, the latest due first; with the units that answered.
        ordered = sorted(b.calls, key=lambda c: (c.due is not None, -(c.due.toordinal() if c.due else 0), c.id))
        yield site.page(calls_page, "site/calls.html", 0,
                        calls=[(call, answers(call, b.submitted)) for call in ordered])
    yield Page("feed.xml", site.key("feed.xml", tuple(reversed(b.issues))[:FEED_ENTRIES]), lambda: _feed(b, env))


@dataclass(frozen=True)
class _Site:
    """What every page of one site shares: the bulletin, the templates, and the base of the keys."""

    b: Bulletin
    env: jinja2.Environment
    fp: Fingerprinter
    base: str  # the digest of the caller's base and the values common to every page
    common: Mapping[str, Any]

    def key(self, path: str, *values: Any) -> str:
        return self.fp.digest(self.base, path, *values)

    def page(self, path: str, template: str, depth: int, body: str = "", **values: Any) -> Page:
        """body: the slug of an item whose body the page is also given as `body` (its token,
        among the values, accounts for it); asked for only when the page is rendered."""
        b, env, common = self.b, self.env, self.common

        def render() -> str:
            covered = {"body": b.bodies[body]} if body else {}
            return env.get_template(template).render(
                config=b.config, root="../" * depth, bodies=b.bodies, **common, **values, **covered)
        return Page(path, self.key(path, template, depth, values), render)


def _front_pages(site: _Site) -> Iterator[Page]:
    """The index page, and the site's stylesheet and icon."""
    b = site.b
    newest_first = tuple(reversed(b.issues))
    archive = [(year, list(group)) for year, group in groupby(newest_first, key=lambda i: i.period.year)]
    yield site.page("index.html", "site/index.html", 0, latest=newest_first[0] if newest_first else None,
                    archive=archive, specials=tuple(reversed(b.specials)))
    for asset in ("site.css", "favicon.svg"):
        yield Page(f"assets/{asset}", site.key(f"assets/{asset}"),
                   functools.partial(template_source, site.env, f"site/{asset}"))


def _issue_pages(site: _Site) -> Iterator[Page]:
    """A page for each issue, each special issue and each item."""
    b = site.b
    for index, issue in enumerate(b.issues):
        yield site.page(f"issues/{issue.id}.html", "site/issue.html", 1, issue=issue,
                        previous=b.issues[index - 1] if index else None,
                        next=b.issues[index + 1] if index + 1 < len(b.issues) else None)
    for special in b.specials:
        yield site.page(f"issues/{special.id}.html", "site/issue.html", 1, issue=special, previous=None, next=None)
    for item in b.items:
        yield site.page(f"items/{item.slug}.html", "site/item.html", 1, item=item, issue=b.issue_of(item),
                        body=item.slug)  # the item's token covers its body


def _name_pages(site: _Site) -> Iterator[Page]:
    """The list of topics and of units, and a page of the items of each."""
    config = site.b.config
    for kind, heading, names, field_name in (
        ("topics", "栏目", config.topics, "topic"),
        ("units", "单位", config.units, "unit"),
    ):
        members: dict[str, list[Item]] = {name: [] for name in names}
        for item in site.b.items:
            members[getattr(item, field_name)].append(item)
        yield site.page(f"{kind}.html", "site/names.html", 0, heading=heading, folder=kind,
                        entries=[(name, len(members[name])) for name in names])
        for name in names:
            chosen = sorted(members[name], key=lambda i: (i.date, i.title, i.slug))
            yield site.page(f"{kind}/{name}.html", "site/list.html", 1, heading=name, items=chosen)


def _stats_page(site: _Site, stats_page: str, year: int, submitted_on: Mapping[str, dt.date]) -> Page:
    """The statistics of the latest year with submitted items."""
    b, config = site.b, site.b.config

    now = today(config.timezone) if b.calls else None  # whether a 约稿 is past due, and so missed

    def report() -> str:
        counted = tally(b.submitted, config.units, config.topics, config.rules, parse_period(str(year)),
                        submitted_on=submitted_on, calls=b.calls, today=now, late=b.late)
        return site.page(stats_page, "site/report.html", 1, **report_context(counted)).render()
    # The statistics read the items' front matter, never their bodies: an edited body leaves it be.
    meta = front_matter_digest((item, submitted_on.get(item.source)) for item in b.submitted)
    return Page(stats_page, site.key(stats_page, year, meta, b.calls, now, sorted(b.late)), report)


PARALLEL_FROM = 200  # fewer pages render faster than a pool of processes starts
_pages: list[Page] = []
_root = Path()


def render_pages(pages: list[Page], root: Path, jobs: int) -> Iterator[bytes]:
    """Each page's bytes, in order; many pages are rendered on up to `jobs` forked processes,
    which inherit the pages (and the bulletin behind them) instead of receiving them."""
    return ordered_map(_render, range(len(pages)), jobs if len(pages) >= PARALLEL_FROM else 1,
                       _keep_pages, (pages, root), chunksize=64)


def _keep_pages(pages: list[Page], root: Path) -> None:
    global _pages, _root
    _pages, _root = pages, root


def _render(index: int) -> bytes:
    try:
        return _pages[index].render().encode("utf-8")
    except jinja2.TemplateError as exc:
        # Described here, where the traceback still leads to the template's line.
        raise template_failure(exc, _root) from None


def _feed(b: Bulletin, env: jinja2.Environment) -> str:
    config = b.config
    issues = tuple(reversed(b.issues))[:FEED_ENTRIES]
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"briefgen:{config.publisher}:{config.name}")
    newest = issues[0].date if issues else dt.date(1970, 1, 1)
    offset = dt.datetime.combine(newest, dt.time(), config.zone).strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}"
    return env.get_template("feed.xml").render(
        config=config, issues=issues, offset=offset,
        updated=f"{newest.isoformat()}T00:00:00{offset}",
        feed_id=namespace.urn,
        entry_ids={i.id: uuid.uuid5(namespace, i.id).urn for i in issues},
    )
