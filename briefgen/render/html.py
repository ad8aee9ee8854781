"""The intranet site: index, issue, item, topic and unit pages, and an Atom feed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from itertools import groupby
from typing import Any, Iterator, Mapping

import jinja2

from briefgen.render.context import Bulletin
from briefgen.render.env import template_source
from briefgen.render.report import report_context
from briefgen.stats import parse_period, tally

FEED_ENTRIES = 20


def render_site(bulletin: Bulletin, env: jinja2.Environment, pdfs: frozenset[str],
                submitted_on: Mapping[str, dt.date] | None = None) -> dict[str, bytes]:
    """Every file of the HTML site, by path relative to the output folder; submitted_on
    gives the submission dates for the statistics page."""
    return {path: text.encode("utf-8") for path, text in _pages(bulletin, env, pdfs, submitted_on or {})}


def _pages(b: Bulletin, env: jinja2.Environment, pdfs: frozenset[str],
           submitted_on: Mapping[str, dt.date]) -> Iterator[tuple[str, str]]:
    config = b.config

    year = max((item.date.year for item in b.submitted), default=None)
    stats_page = f"stats/{year}.html" if year else ""

    def page(template: str, depth: int, **values: Any) -> str:
        return env.get_template(template).render(
            config=config, root="../" * depth, pdfs=pdfs, bodies=b.bodies, stats_page=stats_page,
            stats_year=year, **values
        )

    newest_first = tuple(reversed(b.issues))
    archive = [(year, list(group)) for year, group in groupby(newest_first, key=lambda i: i.period.year)]
    yield "index.html", page("site/index.html", 0, latest=newest_first[0] if newest_first else None,
                             archive=archive)
    yield "assets/site.css", template_source(env, "site/site.css")

    for index, issue in enumerate(b.issues):
        yield f"issues/{issue.id}.html", page(
            "site/issue.html", 1, issue=issue,
            previous=b.issues[index - 1] if index else None,
            next=b.issues[index + 1] if index + 1 < len(b.issues) else None,
        )
    for item in b.items:
        yield f"items/{item.slug}.html", page("site/item.html", 1, item=item,
                                              issue=b.issue_of(item), body=b.bodies[item.slug])

    for kind, heading, names, key in (
        ("topics", "栏目", config.topics, "topic"),
        ("units", "单位", config.units, "unit"),
    ):
        counts = Counter(getattr(item, key) for item in b.items)
        yield f"{kind}.html", page("site/names.html", 0, heading=heading, folder=kind,
                                   entries=[(n, counts[n]) for n in names])
        for name in names:
            members = sorted((i for i in b.items if getattr(i, key) == name),
                             key=lambda i: (i.date, i.title, i.slug))
            yield f"{kind}/{name}.html", page("site/list.html", 1, heading=name, items=members)

    if year:
        report = tally(b.submitted, config.units, config.topics, config.rules, parse_period(str(year)),
                       submitted_on=submitted_on)
        yield stats_page, page("site/report.html", 1, **report_context(report))
    yield "feed.xml", _feed(b, env)


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
