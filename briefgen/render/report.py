"""The 通报 (statistics report) as a site page or a print PDF, laid out like the bulletin."""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from briefgen.config.settings import Config
from briefgen.render.chart import PRINT, SCREEN, Shape, quota_chart, strip_size
from briefgen.render.env import template_source
from briefgen.stats.formats import QUARTERS, columns
from briefgen.stats.tally import Report, summary

# Where the long headers of the ranking break: its columns then fit the 156 mm text block (a
# year's fifteen too) with room for a unit's name and its parent's, and a phone shows more of
# it, while every line of a header stays whole (never one character a line).
HEADER_LINES = {"报送任务": ("报送", "任务"), "上级采用": ("上级", "采用"), "领导批示": ("领导", "批示"),
                "响应约稿": ("响应", "约稿"), "未响应约稿": ("未响应", "约稿"),
                "时效（天）": ("时效", "（天）"), **{f"{name}得分": (name, "得分") for name in QUARTERS}}


def header_markup(header: str) -> Markup:
    """A header of the ranking as the table shows it: its lines, escaped, joined by <br>."""
    return Markup("<br>").join(HEADER_LINES.get(header, (header,)))


def table_cells(report: Report) -> list[list[Any]]:
    """The ranking's cells, row by row; a unit with a parent is named in two pieces that each
    stay whole, so that a column too narrow for both breaks the line between them."""
    cols = columns(report)
    table = []
    for row in report.rows:
        cells = [get(row) for _, get in cols]
        if row.parent:
            cells[1] = Markup('<span class="name">{}</span><span class="name">（{}）</span>').format(
                row.key, row.parent)
        table.append(cells)
    return table


def report_context(report: Report, shape: Shape = SCREEN) -> dict[str, Any]:
    """What the report templates are given, besides config; the chart drawn for a screen or for print."""
    chart = Markup(strip_size(quota_chart(report.rows, shape))) if report.by == "unit" and report.rows else ""
    return dict(
        report=report, summary=summary(report), date=report.period.end,
        headers=[header_markup(header) for header, _ in columns(report)],
        table=table_cells(report),
        chart=chart,  # drawn by matplotlib from config names and numbers only
    )


def report_file(report: Report, config: Config, env: jinja2.Environment) -> str:
    """The 通报 as a single HTML file that needs nothing beside it."""
    return report_document(report, config, env, inline_css=template_source(env, "site/site.css"))


def report_document(report: Report, config: Config, env: jinja2.Environment, inline_css: str = "") -> str:
    """The 通报 as a print document: for the PDF renderer, or (with the site's CSS inline)
    as one self-contained HTML file to send around."""
    return env.get_template("print/report.html").render(config=config, inline_css=inline_css, printing=not inline_css,
                                                         **report_context(report, SCREEN if inline_css else PRINT))
