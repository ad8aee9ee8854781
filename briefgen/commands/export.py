"""`briefgen export`: item files as 信息 manuscripts in Word, to send upward. Each file is read
and checked as a build reads and checks it, and all of them before any is written: a file that
is not an item, or has an error, is refused with its problems, and nothing is exported."""

from __future__ import annotations

from pathlib import Path

import click

from briefgen.config.settings import Config, load_config
from briefgen.content.limits import MAX_FILE_BYTES
from briefgen.errors import Diagnostic, InputError, error, shown
from briefgen.model import Item

NOTHING = "未导出任何文件。"
KIND = "导出文件"


def run_export(root: Path, files: tuple[Path, ...], fmt: str, out: Path | None) -> None:
    """Write FILE.docx for each item file FILE.md into out (default: the current folder), printing
    a line for each; refuse them all if one is not an item, has errors, or would replace a file
    briefgen did not write."""
    from briefgen.commands.outside import check_place, check_replace, write_outside
    from briefgen.render.env import make_environment, template_source
    from briefgen.render.wordissue import item_docx
    from briefgen.storage.lock import repository_lock

    assert fmt == "docx", fmt  # the only format the command line accepts
    config = load_config(root)
    css = template_source(make_environment(config.templates_dir), "print/print.css")
    folder = out if out is not None else Path(".")
    problems: list[Diagnostic] = []
    made: dict[Path, bytes] = {}
    for file in files:
        found = manuscript(config, file, problems)
        if found is None:
            continue
        target = folder / f"{file.stem}.docx"
        if target in made:
            problems.append(error(shown(file), 0, f"与另一篇稿件都要导出为 {shown(target)}",
                                  "请分两次导出，各用一个 --out 目录"))
            continue
        made[target] = item_docx(config, *found, css)
    if any(problem.is_error for problem in problems):
        raise InputError(problems, NOTHING)
    for problem in sorted(problems):
        click.echo(str(problem), err=True)
    for target in made:
        check_place(config, target, KIND, NOTHING)
    with repository_lock(config.root, "export", say=lambda text: click.echo(text, err=True)):
        for target, data in made.items():
            check_replace(config, target, data, KIND, NOTHING)
        for target, data in made.items():
            write_outside(config, target, data, NOTHING)
            click.echo(f"已导出 {shown(target)}")


def manuscript(config: Config, file: Path, problems: list[Diagnostic]) -> tuple[Item, str] | None:
    """The item of an item file and its body as the site has it (its images' paths rewritten),
    or None, with why added to problems: a file that is not a .md of content/, or has errors."""
    from briefgen.content.assets import localise
    from briefgen.content.loader import parse_file, sanitised

    path = file.absolute()
    if not path.is_file():
        problems.append(error(shown(file), 0, "文件不存在" if not path.exists() else "不是文件",
                              "请写出稿件文件的路径，如 content/2026/2026-W48/稿件.md"))
        return None
    real, content = path.resolve(), config.content_dir.resolve()
    if path.suffix != ".md" or not real.is_relative_to(content):
        problems.append(error(shown(file), 0, "不是稿件：稿件是简报仓库 content/ 下的 .md 文件",
                              f"请写出 {shown(config.content_dir)}/ 下某篇稿件的路径"))
        return None
    rel = real.relative_to(config.root.resolve()).as_posix()
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.append(error(rel, 1, "文件太大了，没有读取", "稿件正文不能超过 1 MB"))
        return None
    parsed = parse_file(config, rel, path.read_bytes())
    problems += parsed.problems
    if parsed.item is None or parsed.html is None or any(p.is_error for p in parsed.problems):
        return None
    local = localise(str(sanitised(parsed.html)), parsed.item, config.root, config.remote_hosts)
    problems += local.problems
    if any(p.is_error for p in local.problems):
        return None
    return parsed.item, local.html
