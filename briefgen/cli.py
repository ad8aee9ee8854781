"""The command line: parse options, call one function, print the result."""

from __future__ import annotations

import gc
import os
import re
import signal
import sys
from pathlib import Path
from typing import NoReturn

import click

from briefgen import __version__
from briefgen.config.settings import find_root
from briefgen.stats.tally import BY

# Each command imports what it needs when it runs: `briefgen build` with nothing to do
# answers from the record of the last build, without loading the renderer.
REPORT_FORMATS = ("table", "csv", "json", "html", "pdf")

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
HEADINGS = {"Options": "选项", "Commands": "命令"}
# Click's own usage errors, in the words our users read.
USAGE_ERRORS = (
    (re.compile(r"No such option:? '?([^'.]+)'?\."), r"没有选项 \1。"),
    (re.compile(r"No such command '([^']+)'\."), r"没有命令 \1。"),
    (re.compile(r"\(Did you mean one of: '([^']+)', '([^']+)'\?\)"), r"是不是 \1 或 \2？"),
    (re.compile(r"Did you mean '?([^'?]+)'?\?"), r"是不是 \1？"),
    (re.compile(r"\(Possible options: ([^)]+)\)"), r"（可能是：\1）"),
    (re.compile(r"Option '([^']+)' requires an argument\."), r"选项 \1 后面要写一个值。"),
    (re.compile(r"Invalid value for '([^']+)':"), r"选项 \1 的值无效："),
    (re.compile(r"Missing command\."), r"缺少命令。"),
    (re.compile(r"Missing argument '([^']+)'\."), r"缺少参数 \1。"),
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


@click.group(context_settings=CONTEXT, help="briefgen：把信息稿件编成简报（PDF 与内网网页）。")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="简报仓库的目录（默认从当前目录向上查找 briefgen.yaml）。")
@click.version_option(__version__, "-V", "--version", message="briefgen %(version)s", help="显示版本并退出。")
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@cli.command(name="build", help="生成各期简报的 PDF、Word 版和网页，输出到 output/。")
@click.option("--period", "periods", multiple=True, metavar="期号",
              help="只生成这一期，如 2026-W48（周刊）或 2026-11（月刊）；可重复使用。")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF（Word 版随 PDF 一起生成，也不生成）。")
@click.option("--docx/--no-docx", "docx", default=None,
              help="生成（或不生成）各期的 Word 版（.docx）；不写时随 PDF 一起生成。")
@click.option("--no-html", is_flag=True, help="不生成网页。")
@click.option("--no-search", is_flag=True, help="不生成站内搜索索引（网页上也不显示搜索框），生成更快。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="输出目录（默认是简报仓库下的 output/）。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
              help="同时生成 PDF 的进程数（默认每个处理器核心一个）。")
@click.option("--drafts", is_flag=True,
              help="也生成还没发布的各期和草稿稿件（标明“未发布”“草稿”），供编辑预览；不要把这样的输出放到内网上。")
@click.pass_context
def build_command(ctx: click.Context, periods: tuple[str, ...], no_pdf: bool, docx: bool | None, no_html: bool,
                  no_search: bool, out: Path | None, jobs: int | None, drafts: bool) -> None:
    if no_pdf and no_html and not docx:
        raise click.UsageError("--no-pdf 与 --no-html 同时使用时什么也不会生成"
                               "（Word 版随 PDF 不生成；只要 Word 版时加 --docx）。")
    from briefgen.commands.build import BuildOptions, run_build

    run_build(_root(ctx), BuildOptions(periods=periods, pdf=not no_pdf, html=not no_html, out=out, jobs=jobs or 0,
                                       drafts=drafts, search=not no_search, docx=docx))


@cli.command(help="检查本机生成 PDF 的条件：排版引擎、字体子集化、各类字体、生成缓存。缺少必需条件时退出码为 1。")
@click.pass_context
def doctor(ctx: click.Context) -> None:
    from briefgen.commands.doctor import run_doctor

    root = ctx.obj.get("root")
    ctx.exit(run_doctor(Path(root) if root else Path.cwd()))


@cli.command(help="信息工作统计：各单位（或信息员、栏目）的报送、采用、得分、任务完成情况和排名。")
@click.option("--period", metavar="统计期",
              help="2026-W48（周）、2026-11（月）、2026-Q4（季度）、2026-H1 / 2026-H2（上半年 / 下半年，"
                   "含两个季度）或 2026（年，含各季度）；默认是最近有稿件的月份。")
@click.option("--by", type=click.Choice(BY), default="unit",
              help="按单位（unit，默认）、信息员（author）或栏目（topic）统计。")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="table",
              help="table（终端表格，默认）、csv（Excel 可直接打开）、json、html 或 pdf（通报）。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="文件",
              help="写入文件；html 和 pdf 默认写入简报仓库 reports/ 下的“通报名称-统计期”文件（不纳入版本库）。")
@click.pass_context
def stats(ctx: click.Context, period: str | None, by: str, fmt: str, out: Path | None) -> None:
    from briefgen.commands.stats import run_stats

    run_stats(_root(ctx), period, by, fmt, out)


@cli.command(help="检查全部稿件和设置，不生成任何文件；有错误时退出码为 1。")
@click.option("--strict", is_flag=True, help="把警告也当作错误。")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              help="输出格式：text（每个问题一行，默认）或 json（供持续集成使用）。")
@click.option("--fix-encoding", is_flag=True,
              help="把 GBK、UTF-16 编码的稿件转换为 UTF-8（先备份到 .briefgen-backup/）。")
@click.pass_context
def check(ctx: click.Context, strict: bool, output: str, fix_encoding: bool) -> None:
    from briefgen.commands.check import run_check

    ctx.exit(run_check(_root(ctx), strict, output, fix_encoding))


@cli.command(help="新建一个简报仓库：设置文件、两篇示例稿件和说明，进入该目录后即可 briefgen build。")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), metavar="目录")
@click.option("--name", default="信息简报", show_default=True, help="简报名称（报头红字）。")
@click.option("--publisher", default="办公室", show_default=True, help="编发单位。")
@click.option("--period", type=click.Choice(["week", "month"]), default="week", show_default=True,
              help="出刊周期：week（每周一期）或 month（每月一期）。")
def init(folder: Path, name: str, publisher: str, period: str) -> None:
    from briefgen.commands.init import run_init

    run_init(folder, name, publisher, period)


@cli.command(name="new", help="新建一篇稿件：写好信息头，在 content/ 下按期存放。不带选项时逐项询问。")
@click.argument("title", required=False, metavar="标题")
@click.option("--unit", metavar="单位", help="报送单位（须是 briefgen.yaml 中的单位）。")
@click.option("--topic", metavar="栏目", help="栏目（须是 briefgen.yaml 中的栏目）。")
@click.option("--date", "day", metavar="日期", help="事件日期，如 2026-11-27（默认今天）。")
@click.option("--author", metavar="作者", default=None, help="作者（信息员）。")
@click.pass_context
def new_item(ctx: click.Context, title: str | None, unit: str | None, topic: str | None, day: str | None,
             author: str | None) -> None:
    from briefgen.commands.new import run_new

    run_new(_root(ctx), title, unit, topic, day, author)


@cli.command(name="import", help="导入 Word 稿件：把 .docx（装有 LibreOffice 时还有 .doc、.wps、.odt、.rtf）"
                               "逐篇转成 content/ 下的稿件，图片存在旁边，然后检查。可以给文件，也可以给文件夹。")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件或文件夹...")
@click.option("--unit", metavar="单位", help="报送单位，代替文中写的（须是 briefgen.yaml 中的单位）。")
@click.option("--topic", metavar="栏目",
              help="栏目（须是 briefgen.yaml 中的栏目；不写时取文件所在的以栏目命名的文件夹）。")
@click.option("--date", "day", metavar="日期",
              help="事件日期，如 2026-11-27（默认取文末的落款日期、文中的日期或文件的日期）。")
@click.option("--author", metavar="作者", default=None, help="作者（信息员），代替文中写的。")
@click.option("--status", metavar="状态", default=None, help="待审（默认）、采用、备用、退稿或草稿。")
@click.option("--dry-run", is_flag=True,
              help="试运行：只列出每个文件会成为哪篇稿件（或为什么不能导入），不写入任何文件。")
@click.pass_context
def import_command(ctx: click.Context, paths: tuple[Path, ...], unit: str | None, topic: str | None,
                   day: str | None, author: str | None, status: str | None, dry_run: bool) -> None:
    from briefgen.commands.importing import Options, run_import

    ctx.exit(run_import(_root(ctx), paths, Options(unit, topic, day, status, author, dry_run)))


@cli.command(name="serve", help="预览：生成（含未发布的各期和草稿）并在本机浏览器中查看；修改稿件、模板或设置并保存后，"
                               "自动重新生成并刷新页面。按 Ctrl+C 停止。")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="本机端口。")
@click.option("--no-pdf", is_flag=True, help="不生成 PDF（更快）。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="预览文件放在哪里（默认 .briefgen-cache/preview/，不会混进 output/）。")
@click.pass_context
def serve_command(ctx: click.Context, port: int, no_pdf: bool, out: Path | None) -> None:
    from briefgen.commands.serve import run_serve

    run_serve(_root(ctx), port, not no_pdf, out)


@cli.command(help="约稿和报送要点：列出 content/calls/ 中的每项约稿，哪些单位已报送（稿件写 call: 编号），"
                  "截止后还有哪些单位没有报送。")
@click.pass_context
def calls(ctx: click.Context) -> None:
    from briefgen.commands.calls import run_calls

    run_calls(_root(ctx))


@cli.command(help="审稿：列出待审（status: 待审）的稿件；在终端中逐篇审阅，记录采用、备用或退稿和点评。"
                  "也可以指定稿件文件，用 --adopt、--reserve 或 --reject 直接记录。结论和点评写入稿件的信息头。")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="[稿件文件]...")
@click.option("--adopt", "decision", flag_value="采用", help="采用：编入简报。")
@click.option("--reserve", "decision", flag_value="备用", help="备用：暂不刊登，留待以后。")
@click.option("--reject", "decision", flag_value="退稿", help="退稿：不刊登（须用 --comment 写明原因）。")
@click.option("--comment", metavar="点评", default=None, help="编辑点评，显示在稿件网页和通报的稿件点评中。")
@click.pass_context
def review(ctx: click.Context, files: tuple[Path, ...], decision: str | None, comment: str | None) -> None:
    from briefgen.commands.review import run_review

    run_review(_root(ctx), files, decision, comment)


@cli.command(help="发布一期：把它的期号、稿件和每篇稿件的指纹记入 published.yaml。此后期号不再变动，"
                  "已发布稿件的改动会被 check 和 build 指出。")
@click.argument("issue_id", metavar="期号")
@click.option("--reissue", is_flag=True, help="按现在的稿件重新发布已发布的一期（期号不变，原记录保留在发布记录中）。")
@click.pass_context
def publish(ctx: click.Context, issue_id: str, reissue: bool) -> None:
    from briefgen.commands.publish import run_publish

    run_publish(_root(ctx), issue_id, reissue)


@cli.command(help="把稿件导出为 Word 文件，供报送上级：每篇一个 .docx（文件名同稿件），含标题、单位、正文、注释、"
                  "图片，末尾写明报送单位和撰稿人；版式、字体同简报。稿件有错误时什么也不导出，退出码为 1。")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="稿件文件...")
@click.option("--format", "fmt", type=click.Choice(["docx"]), default="docx",
              help="导出的格式：docx（Word 文件，默认）。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), metavar="目录",
              help="写到这个目录（默认是当前目录）。")
@click.pass_context
def export(ctx: click.Context, files: tuple[Path, ...], fmt: str, out: Path | None) -> None:
    if not files:
        raise click.UsageError("请写出要导出的稿件文件，如 briefgen export content/2026/2026-W48/稿件.md。")
    from briefgen.commands.export import run_export

    run_export(_root(ctx), files, fmt, out)


_help(cli)
cli.subcommand_metavar = "命令 [参数]..."
for _command in cli.commands.values():
    _help(_command)


# A build holds some hundred objects an item, nearly all of them to its end: with CPython's
# default threshold (700 new objects) it scanned them all again and again, a sixth of an edit's
# rebuild at 10,000 items.
GC_THRESHOLDS = (10_000, 10, 10)


def main() -> None:
    """Entry point: stop cleanly on SIGTERM so a killed build leaves nothing behind."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        _main()
    finally:
        gc.freeze()  # what is left is freed as the process ends, not searched for cycles first


def _main() -> None:
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
    except OSError as exc:
        from briefgen.errors import os_problem

        problem = os_problem(exc)
        if problem is None:
            _internal_error(exc)
        click.echo(f"briefgen: {problem}。", err=True)
        sys.exit(1)
    except Exception as exc:
        _internal_error(exc)


def _internal_error(exc: Exception) -> NoReturn:
    """A defect in briefgen: say so plainly instead of a traceback (BRIEFGEN_DEBUG=1 shows it)."""
    if os.environ.get("BRIEFGEN_DEBUG"):
        raise exc
    click.echo(f"briefgen: 内部错误（{type(exc).__name__}: {exc}）。"
               "这是 briefgen 的缺陷，请把这条信息和引起它的文件报告给维护者；"
               "设置环境变量 BRIEFGEN_DEBUG=1 可以看到详细信息。", err=True)
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
