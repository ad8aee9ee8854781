"""`briefgen stats`: the statistics of a period, in the format asked for."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.bulletin.assemble import load_bulletin
from briefgen.config.settings import Config, load_config
from briefgen.errors import Diagnostic, InputError, error
from briefgen.model import Bulletin
from briefgen.render.env import make_environment
from briefgen.stats.formats import as_csv, as_json, as_table
from briefgen.stats.tally import Report, parse_period, tally
from briefgen.storage.atomic import atomic_write
from briefgen.storage.git import first_added

NO_REPORT = "未生成统计。"


def run_stats(root: Path, period: str | None, by: str, fmt: str, out: Path | None) -> None:
    """Print the report, or write it to out (html and pdf by default to a file named for it)."""
    config = load_config(root)
    report, bulletin, problems = make_report(config, period, by)
    for problem in sorted(problems):
        click.echo(str(problem), err=True)
    data = render(report, bulletin, fmt)
    if out is None and fmt in ("html", "pdf"):
        out = Path(default_name(report, config, fmt))
    if out is None:
        click.echo(data, nl=False)
        return
    atomic_write(out, data)  # never a half-written report
    click.echo(f"已生成 {report.period.label} 的{config.rules.report_name}：{out}", err=True)


def make_report(config: Config, period: str | None, by: str) -> tuple[Report, Bulletin, list[Diagnostic]]:
    """Check the repository, then count the chosen period (default: the latest month with items)."""
    try:
        checked = load_bulletin(config)
    except InputError as exc:
        raise InputError(exc.diagnostics, NO_REPORT) from None
    bulletin, problems = checked.bulletin, checked.problems
    if period is None:
        latest = max((item.date for item in bulletin.submitted), default=None)
        period = f"{latest.year}-{latest.month:02d}" if latest else "1970"
    try:
        chosen = parse_period(period)
    except ValueError as exc:
        raise InputError([error("--period", 0, str(exc))], NO_REPORT) from None
    report = tally(bulletin.submitted, config.units, config.topics, config.rules, chosen, by,
                   first_added(config.root, config.zone))
    return report, bulletin, problems


def render(report: Report, bulletin: Bulletin, fmt: str) -> bytes:
    """The report's bytes in fmt: table, csv, json, html or pdf."""
    config = bulletin.config
    if fmt == "table":
        return as_table(report).encode("utf-8")
    if fmt == "csv":
        return as_csv(report)
    if fmt == "json":
        return as_json(report).encode("utf-8")
    env = make_environment(config.templates_dir)
    if fmt == "html":
        from briefgen.render.report import report_file

        return report_file(report, config, env).encode("utf-8")
    from briefgen.render.pdf import PdfRenderer
    from briefgen.render.printdoc import print_stylesheet
    from briefgen.render.report import report_document

    data, _pages = PdfRenderer(config, print_stylesheet(config, env)).write(report_document(report, config, env))
    return data


def default_name(report: Report, config: Config, fmt: str) -> str:
    """信息工作通报-2026-11.pdf"""
    return f"{config.rules.report_name}-{report.period.id}.{fmt}"
