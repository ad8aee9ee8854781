"""The command line: parse options, call one function, print the result."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from briefgen import __version__, uptodate
from briefgen.config import Config, find_root, load_config
from briefgen.errors import BriefgenError, Diagnostic, InputError
from briefgen.stats import BY

# Everything else is imported by the command that needs it: `briefgen build` with nothing
# to do answers from uptodate alone, without loading the renderer.
REPORT_FORMATS = ("table", "csv", "json", "html", "pdf")

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
HEADINGS = {"Options": "选项", "Commands": "命令"}
# Click's own usage errors, in the words our users read.
USAGE_ERRORS = (
    (re.compile(r"No such option:? '?([^'.]+)'?\."), r"没有选项 \1。"),
    (re.compile(r"No such command '([^']+)'\."), r"没有命令 \1。"),
    (re.compile(r"Did you mean '?([^'?]+)'?\?"), r"是不是 \1？"),
    (re.compile(r"\(Possible options: ([^)]+)\)"), r"（可能是：\1）"),
    (re.compile(r"Option '([^']+)' requires an argument\."), r"选项 \1 后面要写一个值。"),
    (re.compile(r"Invalid value for '([^']+)':"), r"选项 \1 的值无效："),
    (re.compile(r"Missing command\."), r"缺少命令。"),
    (re.compile(r"Got unexpected extra arguments? \(([^)]+)\)"), r"多余的参数：\1"),
)


class ChineseHelpFormatter(click.HelpFormatter):
    """Help text with Chinese headings, for users who do not read English."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


def _help(command: click.Command) -> click.Command:
    """Give a command Chinese metavariables and a Chinese --help line."""
    command.context_class = ChineseContext
    command.options_metavar = "[选项]"
    command.params.append(click.Option(["-h", "--help"], is_flag=True, expose_value=False, is_eager=True,
                                       callback=_show_help, help="显示此帮助并退出。"))
    return command


def _show_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def _root(ctx: click.Context) -> Path:
    root = ctx.obj.get("root")
    return find_root(Path(root) if root else Path.cwd())


def _config(ctx: click.Context) -> Config:
    return load_config(_root(ctx))


@click.group(context_settings=CONTEXT, help="briefgen：把信息稿件编成简报（PDF 与内网网页）。")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="简报仓库的目录（默认从当前目录向上查找 briefgen.yaml）。")
@click.version_option(__version__, "-V", "--version", message="briefgen %(version)s", help="显示版本并退出。")
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@cli.command(help="生成各期简报的 PDF 和网页，输出到 output/。")
@click.option("--period", "periods", multiple=True, metavar="期号",
              help="只生成这一期，如 2026-W48（周刊）或 2026-11（月刊）；可重复使用。")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF。")
@click.option("--no-html", is_flag=True, help="不生成网页。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="输出目录（默认是简报仓库下的 output/）。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="同时生成 PDF 的进程数（默认每个处理器核心一个）。")
@click.option("--drafts", is_flag=True,
              help="也生成还没发布的各期和草稿稿件（标明“未发布”“草稿”），供编辑预览；不要把这样的输出放到内网上。")
@click.pass_context
def build_command(ctx: click.Context, periods: tuple[str, ...], no_pdf: bool, no_html: bool,
                  out: Path | None, jobs: int | None, drafts: bool) -> None:
    if no_pdf and no_html:
        raise click.UsageError("--no-pdf 与 --no-html 不能同时使用：那样什么也不会生成。")
    root = _root(ctx)
    target = (out or root / "output").absolute()
    started = time.perf_counter()
    options_text = (*sorted(periods), str(target), str(no_pdf), str(no_html), str(drafts))
    inputs = uptodate.inputs_digest(root, options_text, not no_pdf)
    recorded = uptodate.recorded_result(root, target, inputs)
    if recorded is not None:
        _report_build(recorded, target, time.perf_counter() - started, unchanged=True)
        return

    import jinja2

    from briefgen.build import BuildOptions, build
    from briefgen.progress import PdfProgress
    from briefgen.render.env import template_failure

    config = load_config(root)
    options = BuildOptions(periods=periods, pdf=not no_pdf, html=not no_html, out=out, jobs=jobs or 0,
                           drafts=drafts)
    try:
        with PdfProgress() as progress:
            result = build(config, options, progress=progress)
    except jinja2.TemplateError as exc:
        raise template_failure(exc, config.root) from None
    summary = {"issues": len(result.issues), "html_files": result.html_files, "pdf_pages": result.pdf_pages,
               "warnings": [asdict(problem) for problem in sorted(result.warnings)]}
    uptodate.record(root, target, inputs, uptodate.end_of_day(config.zone), summary)
    _report_build({**summary, "html_reused": result.html_reused, "pdf_reused": result.pdf_reused},
                  target, result.seconds, unchanged=False)


def _report_build(summary: dict[str, Any], out: Path, seconds: float, unchanged: bool) -> None:
    """The warnings, then one line: what the output folder holds and how much was made again."""
    for problem in summary["warnings"]:
        click.echo(str(Diagnostic(**problem)), err=True)
    click.echo(_summary_line(summary, out, seconds, unchanged))


def _summary_line(summary: dict[str, Any], out: Path, seconds: float, unchanged: bool) -> str:
    html_reused = summary["html_files"] if unchanged else summary["html_reused"]
    pdf_reused = len(summary["pdf_pages"]) if unchanged else summary["pdf_reused"]
    parts = [f"{summary['issues']} 期"]
    if summary["html_files"]:
        changed = summary["html_files"] - html_reused
        parts.append(f"网页文件 {summary['html_files']} 个" + (f"（重新生成 {changed} 个）" if html_reused else ""))
    if summary["pdf_pages"]:
        changed = len(summary["pdf_pages"]) - pdf_reused
        parts.append(f"PDF {len(summary['pdf_pages'])} 份（共 {sum(summary['pdf_pages'].values())} 页"
                     + (f"，重新排版 {changed} 份）" if pdf_reused else "）"))
    return f"已生成 {'，'.join(parts)}，输出到 {_shown(out)}，用时 {seconds:.1f} 秒。"


build_command.name = "build"


@cli.command(help="检查本机生成 PDF 的条件：排版引擎、字体子集化、各类字体、生成缓存。缺少必需条件时退出码为 1。")
@click.pass_context
def doctor(ctx: click.Context) -> None:
    from briefgen.cache import CACHE
    from briefgen.doctor import diagnose
    from briefgen.render.env import make_environment, template_source

    root = ctx.obj.get("root")
    try:
        config: Config | None = load_config(find_root(Path(root) if root else Path.cwd()))
    except BriefgenError:
        config = None  # outside a bulletin repository: check the machine with the built-in templates
    env = make_environment(config.templates_dir if config else Path("/nonexistent"))
    findings = diagnose(template_source(env, "print/print.css"), config.fonts_dir if config else None,
                        config.root / CACHE if config else None)
    for finding in findings:
        click.echo(str(finding))
    if any(not f.ok and f.needed for f in findings):
        ctx.exit(1)


@cli.command(help="信息工作统计：各单位（或信息员、栏目）的报送、采用、得分、任务完成情况和排名。")
@click.option("--period", metavar="统计期",
              help="2026-W48（周）、2026-11（月）、2026-Q4（季度）或 2026（年，含各季度）；默认是最近有稿件的月份。")
@click.option("--by", type=click.Choice(BY), default="unit", help="按单位（unit，默认）、信息员（author）或栏目（topic）统计。")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="table",
              help="table（终端表格，默认）、csv（Excel 可直接打开）、json、html 或 pdf（通报）。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="写入文件；html 和 pdf 默认写入当前目录下的“通报名称-统计期”文件。")
@click.pass_context
def stats(ctx: click.Context, period: str | None, by: str, fmt: str, out: Path | None) -> None:
    from briefgen.statsrun import default_name, make_report
    from briefgen.statsrun import render as render_report

    config = _config(ctx)
    report, bulletin, problems = make_report(config, period, by)
    for problem in sorted(problems):
        click.echo(str(problem), err=True)
    data = render_report(report, bulletin, fmt)
    if out is None and fmt in ("html", "pdf"):
        out = Path(default_name(report, config, fmt))
    if out is None:
        click.echo(data, nl=False)
        return
    partial = out.with_name(f".{out.name}.tmp")
    partial.write_bytes(data)
    partial.replace(out)  # never a half-written report
    click.echo(f"已生成 {report.period.label} 的{config.rules.report_name}：{out}", err=True)


@cli.command(help="检查全部稿件和设置，不生成任何文件；有错误时退出码为 1。")
@click.option("--strict", is_flag=True, help="把警告也当作错误。")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              help="输出格式：text（每个问题一行，默认）或 json（供持续集成使用）。")
@click.option("--fix-encoding", is_flag=True, help="把 GBK、UTF-16 编码的稿件转换为 UTF-8（先备份到 .briefgen-backup/）。")
@click.pass_context
def check(ctx: click.Context, strict: bool, output: str, fix_encoding: bool) -> None:
    from briefgen.build import check_bulletin, font_warnings
    from briefgen.encoding import fix_encodings
    from briefgen.loader import item_files

    root = _root(ctx)
    if fix_encoding:
        for rel, backup in fix_encodings(load_config(root)):
            click.echo(f"已转换为 UTF-8：{rel}（原文件备份为 {backup}）", err=True)
    try:
        config = load_config(root)
        bulletin, problems = check_bulletin(config, unpublished=True)
        problems += font_warnings(bulletin, bulletin.issues)
        found, outside = item_files(config)
        checked = len(found) + len(outside)
    except InputError as exc:
        problems, checked = list(exc.diagnostics), 0
    problems = sorted(problems)
    failed = [p for p in problems if p.is_error or strict]
    if output == "json":
        click.echo(json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        errors = sum(p.is_error for p in problems)
        click.echo(f"检查了 {checked} 篇稿件：{errors} 个错误，{len(problems) - errors} 个警告。", err=True)
    if failed:
        ctx.exit(1)
@cli.command(help="新建一个简报仓库：设置文件、两篇示例稿件和说明，进入该目录后即可 briefgen build。")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), metavar="目录")
@click.option("--name", default="信息简报", show_default=True, help="简报名称（报头红字）。")
@click.option("--publisher", default="办公室", show_default=True, help="编发单位。")
@click.option("--period", type=click.Choice(["week", "month"]), default="week", show_default=True,
              help="出刊周期：week（每周一期）或 month（每月一期）。")
def init(folder: Path, name: str, publisher: str, period: str) -> None:
    from briefgen.scaffold import init_repository

    examples = init_repository(folder, name, publisher, period, _today("Asia/Shanghai"))
    click.echo(f"已新建简报仓库 {folder}：")
    click.echo("  briefgen.yaml        设置（简报名称、栏目、单位、报尾等），请按本单位实际修改")
    for rel in examples:
        click.echo(f"  {rel}  示例稿件")
    click.echo("  templates/、fonts/   自定义模板和公文字体（各有说明）")
    click.echo(f"下一步：cd {folder} && briefgen build")


@cli.command(name="new", help="新建一篇稿件：写好信息头，在 content/ 下按期存放。不带选项时逐项询问。")
@click.argument("title", required=False, metavar="标题")
@click.option("--unit", metavar="单位", help="报送单位（须是 briefgen.yaml 中的单位）。")
@click.option("--topic", metavar="栏目", help="栏目（须是 briefgen.yaml 中的栏目）。")
@click.option("--date", "day", metavar="日期", help="事件日期，如 2026-11-27（默认今天）。")
@click.option("--author", metavar="作者", default=None, help="作者（信息员）。")
@click.pass_context
def new_item(ctx: click.Context, title: str | None, unit: str | None, topic: str | None, day: str | None,
             author: str | None) -> None:
    from briefgen.items import message_and_hint, parse_date
    from briefgen.newitem import create_item

    config = _config(ctx)
    today = _today(config.timezone)
    asking = sys.stdin.isatty()
    missing = [label for label, value in (("标题", title), ("--unit", unit), ("--topic", topic)) if not value]
    if missing and not asking:
        raise click.UsageError(f"缺少{'、'.join(missing)}；例如 briefgen new \"稿件标题\" --unit 单位 --topic 栏目")
    title = title or click.prompt("标题")
    unit = unit or _pick("单位", config.units)
    topic = topic or _pick("栏目", config.topics)
    if author is None:
        officers = config.rules.units.get(unit).officers if unit in config.rules.units else ()
        author = _pick("作者", officers, optional=True) if asking and officers else ""
    try:
        when = parse_date(day, config.zone) if day else today
    except ValueError as exc:
        message, hint = message_and_hint(exc)
        raise BriefgenError(f"{message}；{hint}") from None
    path = create_item(config, title, unit, topic, when, author, today)
    click.echo(f"已新建 {path.relative_to(config.root).as_posix()}")
    click.echo("请在第二个 --- 之后写正文（每段一行，段落之间空一行），写好后运行 briefgen check 检查。")


@cli.command(name="serve", help="预览：生成（含未发布的各期和草稿）并在本机浏览器中查看；修改稿件、模板或设置并保存后，"
                               "自动重新生成并刷新页面。按 Ctrl+C 停止。")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="本机端口。")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF（更快）。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="预览文件放在哪里（默认 .briefgen-cache/preview/，不会混进 output/）。")
@click.pass_context
def serve_command(ctx: click.Context, port: int, no_pdf: bool, out: Path | None) -> None:
    import jinja2

    from briefgen.build import BuildOptions, build
    from briefgen.render.env import template_failure
    from briefgen.serve import PREVIEW, serve

    root = _root(ctx)
    target = (out or root / PREVIEW).absolute()
    after_failure = "请修改后保存，预览会自动更新。"

    def build_once() -> str:
        config = load_config(root)
        try:
            result = build(config, BuildOptions(pdf=not no_pdf, out=target, drafts=True))
        except jinja2.TemplateError as exc:
            raise template_failure(exc, root, after_failure) from None
        except InputError as exc:
            raise InputError(exc.diagnostics, after_failure) from None
        for problem in sorted(result.warnings):
            click.echo(str(problem), err=True)
        summary = {"issues": len(result.issues), "html_files": result.html_files, "pdf_pages": result.pdf_pages,
                   "html_reused": result.html_reused, "pdf_reused": result.pdf_reused}
        return _summary_line(summary, target, result.seconds, unchanged=False)

    serve(root, target, port, build_once, lambda url: click.echo(f"预览地址：{url}（按 Ctrl+C 停止）"))
    click.echo("已停止预览。")


@cli.command(help="发布一期：把它的期号、稿件和每篇稿件的指纹记入 published.yaml。此后期号不再变动，"
                  "已发布稿件的改动会被 check 和 build 指出。")
@click.argument("issue_id", metavar="期号")
@click.option("--reissue", is_flag=True, help="按现在的稿件重新发布已发布的一期（期号不变，原记录保留在发布记录中）。")
@click.pass_context
def publish(ctx: click.Context, issue_id: str, reissue: bool) -> None:
    from briefgen.publish import publish as publish_issue

    config = _config(ctx)
    publication = publish_issue(config, issue_id, reissue, _today(config.timezone))
    verb = "重新发布" if reissue else "发布"
    click.echo(f"已{verb} {issue_id}：{publication.id[:4]}年第{publication.number}期（总第{publication.total}期），"
               f"稿件 {len(publication.release.items)} 篇，记入 published.yaml；请把它和稿件一起提交。")


def _pick(label: str, choices: tuple[str, ...], optional: bool = False) -> str:
    """Ask for one of choices, by number or by name; empty is allowed when optional."""
    for number, name in enumerate(choices, start=1):
        click.echo(f"  {number}. {name}", err=True)
    while True:
        answer = click.prompt(f"{label}（填序号或名称{'，可不填' if optional else ''}）", default="",
                              show_default=False, err=True).strip()
        if not answer and optional:
            return ""
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        if answer in choices:
            return answer
        click.echo(f"没有“{answer}”这一项，请重新输入。", err=True)


def _today(timezone: str) -> dt.date:
    return dt.datetime.now(ZoneInfo(timezone)).date()


_help(cli)
cli.subcommand_metavar = "命令 [参数]..."
for _command in cli.commands.values():
    _help(_command)


def _shown(path: Path) -> str:
    try:
        return f"{path.relative_to(Path.cwd())}/"
    except ValueError:
        return f"{path}/"


def main() -> None:
    """Entry point: stop cleanly on SIGTERM so a killed build leaves nothing behind."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        code = cli(standalone_mode=False, prog_name="briefgen")
        if isinstance(code, int) and code:
            sys.exit(code)  # ctx.exit(code) in a command, returned rather than raised in this mode
    except click.UsageError as exc:
        _show_usage_error(exc)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except Exception as exc:  # a defect in briefgen: say so plainly instead of a traceback
        if os.environ.get("BRIEFGEN_DEBUG"):
            raise
        click.echo(f"briefgen: 内部错误（{type(exc).__name__}: {exc}）。这是 briefgen 的缺陷，请把这条信息和引起它的文件"
                   "报告给维护者；设置环境变量 BRIEFGEN_DEBUG=1 可以看到详细信息。", err=True)
        sys.exit(70)


def _show_usage_error(exc: click.UsageError) -> None:
    message = exc.format_message()
    for pattern, replacement in USAGE_ERRORS:
        message = pattern.sub(replacement, message)
    message = re.sub(r"。\s+", "。", message)
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        command = exc.ctx.command_path
        click.echo(f"briefgen: 用法错误：{message}\n运行 {command} -h 查看帮助。", err=True)
    else:
        click.echo(f"briefgen: 用法错误：{message}", err=True)
