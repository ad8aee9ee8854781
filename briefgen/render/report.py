"""The 通报 (statistics report) as a site page or a print PDF, laid out like the bulletin."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from briefgen.config.settings import Config
from briefgen.render.chart import quota_chart, strip_size
from briefgen.render.env import template_source
from briefgen.stats.formats import columns
from briefgen.stats.tally import Report, summary


def report_context(report: Report) -> dict[str, Any]:
    """What the report templates are given, besides config."""
    cols = columns(report)
    chart = Markup(strip_size(quota_chart(report.rows))) if report.by == "unit" and report.rows else ""
    return dict(
        report=report, summary=summary(report), date=report.period.end,
        headers=[header for header, _ in cols], table=[[get(row) for _, get in cols] for row in report.rows],
        chart=chart,  # drawn by matplotlib from config names and numbers only
    )


def report_file(report: Report, config: Config, env: jinja2.Environment) -> str:
    """The 通报 as a single HTML file that needs nothing beside it."""
    return report_document(report, config, env, inline_css=template_source(env, "site/site.css"))


def report_document(report: Report, config: Config, env: jinja2.Environment, inline_css: str = "") -> str:
    """The 通报 as a print document: for the PDF renderer, or (with the site's CSS inline)
    as one self-contained HTML file to send around."""
    return env.get_template("print/report.html").render(config=config, inline_css=inline_css,
                                                         **report_context(report))
