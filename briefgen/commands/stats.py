"""`briefgen stats`: the statistics of a period, in the format asked for."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.bulletin.assemble import load_bulletin
from briefgen.bulletin.periods import today
from briefgen.config.settings import Config, load_config
from briefgen.errors import Diagnostic, InputError, error, shown
from briefgen.model import Bulletin
from briefgen.render.env import make_environment
from briefgen.stats.formats import as_csv, as_json, as_table
from briefgen.stats.tally import Report, parse_period, tally
from briefgen.storage.git import first_added

NO_REPORT = "未生成统计。"
# Where html and pdf reports go by default: beside output/, not in it. A build replaces output/
# whole with exactly what it makes (storage/tree.py), so a report there would be deleted, or, being
# a file the build did not write, would stop it; reports/ is no input of a build either.
REPORTS = "reports"
# The folder's own .gitignore, so that `git add -A` leaves the reports out in any repository,
# also one whose .gitignore predates reports/.
REPORTS_IGNORE = "# briefgen stats 写的通报，不纳入版本库；要提交它们，删掉本文件即可。\n*\n"


def run_stats(root: Path, period: str | None, by: str, fmt: str, out: Path | None) -> None:
    """Print the report, or write it to out (html and pdf by default to a file named for it in reports/)."""
    config = load_config(root)
    report, bulletin, problems = make_report(config, period, by)
    for problem in sorted(problems):
        click.echo(str(problem), err=True)
    data = render(report, bulletin, fmt)
    if out is None and fmt in ("html", "pdf"):
        out = config.root / REPORTS / default_name(report, config, fmt)
    if out is None:
        click.echo(data, nl=False)
        return
    write_report(config, out, data)
    click.echo(f"已生成 {report.period.label} 的{config.rules.report_name}：{shown(out)}", err=True)


def write_report(config: Config, out: Path, data: bytes) -> None:
    """Write the report to out, never over a file briefgen did not write, nor into the sources
    or an output folder (the next build would delete it); reports/, made here, gets its .gitignore."""
    from briefgen.commands.outside import check_place, check_replace, write_outside
    from briefgen.storage.lock import repository_lock

    check_place(config, out, "统计", NO_REPORT)
    with repository_lock(config.root, "stats", say=lambda text: click.echo(text, err=True)):
        check_replace(config, out, data, "统计", NO_REPORT)
        reports = (config.root / REPORTS).resolve()
        if out.absolute().resolve().parent == reports and not reports.exists():
            write_outside(config, reports / ".gitignore", REPORTS_IGNORE.encode("utf-8"), NO_REPORT)
        write_outside(config, out, data, NO_REPORT)


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
                   first_added(config.root, config.zone), bulletin.calls, today(config.timezone), bulletin.late)
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

    return PdfRenderer(config, print_stylesheet(config, env)).write(report_document(report, config, env)).data


def default_name(report: Report, config: Config, fmt: str) -> str:
    """信息工作通报-2026-11.pdf"""
    return f"{config.rules.report_name}-{report.period.id}.{fmt}"
