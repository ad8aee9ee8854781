"""The floor: bare Python-Markdown converting every item body of a repository on all cores.

    .venv/bin/python benchmarks/markdown_floor.py REPO

Reads every content/**/*.md of REPO, drops its front matter (everything up to the second `---`
line) and converts the body with a markdown.Markdown configured exactly as briefgen configures
it, one instance per worker process, reset between items, in a pool of os.cpu_count() processes
(forked, as briefgen's are). No checking, no sanitising, no templates, no files written: what a
cold `build --no-pdf --no-search` cannot do faster than. Prints one line of JSON: the number of
items, the processes, and the wall seconds from just before the files are listed (and the pool
started) to the last result; run.py times the whole process as well, start-up included.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import time
from pathlib import Path

import markdown

FRONT_MATTER = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)

_md: markdown.Markdown | None = None  # the worker's converter


def configured_markdown() -> markdown.Markdown:
    """briefgen's converter for item bodies, with Python-Markdown's own inline and table-of-contents
    processors (quick=False): the engine as briefgen configures it, without briefgen's shortcuts
    past patterns a text cannot match. MarkdownRenderer builds and configures it in its
    constructor (extensions and their settings, the code block processor removed, briefgen's
    processors added); there is no separate list to import, and copying one here would drift."""
    from briefgen.content.markdown import MarkdownRenderer

    md = getattr(MarkdownRenderer(quick=False), "_md", None)
    if not isinstance(md, markdown.Markdown):
        raise SystemExit("briefgen.content.markdown.MarkdownRenderer 不再有 _md（markdown.Markdown）；"
                         "请按 briefgen 现在的写法修改 benchmarks/markdown_floor.py。")
    return md


def body(text: str) -> str:
    """What follows the second `---` line; the whole text when there is no front matter."""
    parts = FRONT_MATTER.split(text, maxsplit=2)
    return parts[2] if len(parts) == 3 and not parts[0].strip() else text


def _start() -> None:
    global _md
    _md = configured_markdown()


def _convert(paths: list[str]) -> int:
    """Convert the bodies of these files; the number of HTML characters made."""
    assert _md is not None
    made = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        _md.reset()
        made += len(_md.convert(body(text)))
    return made


def floor(repo: Path, processes: int) -> dict[str, object]:
    started = time.perf_counter()
    paths = [str(p) for p in sorted((repo / "content").rglob("*.md"))]
    # A few chunks a process: few messages, and no process left idle while another has a long tail.
    size = max(1, len(paths) // (processes * 8))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    with multiprocessing.get_context("fork").Pool(processes, _start) as pool:
        made = sum(pool.imap_unordered(_convert, chunks))
    seconds = time.perf_counter() - started
    return {"items": len(paths), "processes": processes, "seconds": seconds, "html_chars": made}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="下限：用 Python-Markdown（按 briefgen 的配置）在全部处理器核心上转换全部稿件正文。")
    parser.add_argument("repo", type=Path, help="简报仓库（content/ 下的 .md 文件）")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="进程数（默认 os.cpu_count()）")
    args = parser.parse_args(argv)
    configured_markdown()  # fail here, once, rather than in every worker
    print(json.dumps(floor(args.repo, args.processes)))


if __name__ == "__main__":
    main()
