"""`briefgen check`: every problem of every item and settings file, and nothing written."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from briefgen.bulletin.assemble import check_bulletin
from briefgen.config.settings import load_config
from briefgen.content.encoding import fix_encodings
from briefgen.content.loader import item_files
from briefgen.errors import InputError
from briefgen.render.coverage import font_warnings


def run_check(root: Path, strict: bool, output: str, fix_encoding: bool) -> int:
    """Print every problem (as text or JSON) and a count; the exit code is 1 when any is an error,
    or with strict any at all."""
    if fix_encoding:
        from briefgen.storage.lock import repository_lock

        with repository_lock(root, "check --fix-encoding", say=lambda text: click.echo(text, err=True)):
            for rel, backup in fix_encodings(load_config(root)):
                click.echo(f"已转换为 UTF-8：{rel}（原文件备份为 {backup}）", err=True)
    try:
        config = load_config(root)
        checked = check_bulletin(config, unpublished=True)
        problems = checked.problems + font_warnings(checked.bulletin, checked.bulletin.issues)
        found, refused = item_files(config)
        count = len(found) + sum(p.path.endswith(".md") for p in refused)  # files, not unreadable folders
    except InputError as exc:
        problems, count = list(exc.diagnostics), 0
    problems = sorted(problems)
    if output == "json":
        click.echo(json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(str(problem))
        errors = sum(p.is_error for p in problems)
        warnings = sum(p.severity == "warning" for p in problems)
        click.echo(f"检查了 {count} 篇稿件：{errors} 个错误，{warnings} 个警告。", err=True)
    return 1 if any(p.is_error or (strict and p.severity == "warning") for p in problems) else 0
