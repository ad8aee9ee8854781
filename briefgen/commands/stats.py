"""`briefgen stats`: the statistics of a period, in the format asked for."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.bulletin.assemble import load_bulletin
from briefgen.bulletin.ledger import LEDGER
from briefgen.bulletin.periods import today
from briefgen.config.settings import CONFIG_NAME, Config, load_config
from briefgen.errors import BriefgenError, Diagnostic, InputError, error, shown
from briefgen.model import Bulletin
from briefgen.render.env import make_environment
from briefgen.stats.formats import as_csv, as_json, as_table
from briefgen.stats.tally import Report, parse_period, tally
from briefgen.storage.atomic import atomic_write
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
    from briefgen.commands.build import source_folders
    from briefgen.errors import os_problem
    from briefgen.storage.lock import repository_lock
    from briefgen.storage.tree import MARKER
    from briefgen.storage.written import may_replace, remember

    target = out.absolute().resolve()
    where = shown(out)
    for name, folder in source_folders(config).items():
        if target.is_relative_to(folder.resolve()):
            raise BriefgenError(f"{where} 位于 {name} 之内，统计不能写在那里；{NO_REPORT}请换一个位置。")
    if target.parent == config.root.resolve() and target.name in (CONFIG_NAME, LEDGER):
        raise BriefgenError(f"{where} 是简报仓库的设置文件，不能被统计覆盖；{NO_REPORT}请换一个文件名。")
    if any((parent / MARKER).is_file() for parent in target.parents):
        raise BriefgenError(f"{where} 位于 briefgen 生成的输出目录之内，下次生成时会被删除；{NO_REPORT}请换一个位置。")
    with repository_lock(config.root, "stats", say=lambda text: click.echo(text, err=True)):
        if not may_replace(config.root, target, data):
            raise BriefgenError(f"{where} 已存在，而且不是 briefgen 写的统计；为免覆盖，{NO_REPORT}"
                                "请换一个文件名，或先把它移走。")
        try:
            reports = (config.root / REPORTS).resolve()
            if target.parent == reports and not reports.exists():
                atomic_write(reports / ".gitignore", REPORTS_IGNORE)
            atomic_write(target, data)  # never a half-written report
        except OSError as exc:
            problem = os_problem(exc)
            if problem is None:
                raise
            raise BriefgenError(f"{problem}。{NO_REPORT}") from exc
        remember(config.root, target, data)


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
