"""How long one issue of about N pages takes to lay out and write as a PDF in a warm process.

Run by run.py with the code snapshot on PYTHONPATH: it reads a generated repository, takes
the newest issue, keeps as many of its items as make about --pages pages, renders that
document (which also warms the fonts), then --runs times more, and prints one JSON line:
{"pages": P, "items": K, "seconds": the median of those runs}."""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path

from briefgen.bulletin.assemble import check_bulletin
from briefgen.config.settings import load_config
from briefgen.model import Issue, Section
from briefgen.render.env import make_environment
from briefgen.render.pdf import PdfRenderer
from briefgen.render.printdoc import issue_document, print_stylesheet


def first_items(issue: Issue, count: int) -> Issue:
    """The issue with only its first count items (in issue order)."""
    sections, left = [], count
    for section in issue.sections:
        if left <= 0:
            break
        sections.append(Section(section.topic, section.items[:left]))
        left -= len(sections[-1].items)
    return dataclasses.replace(issue, sections=tuple(sections))


def main() -> None:
    parser = argparse.ArgumentParser(description="一期约 N 页的简报在预热过的进程中排版成 PDF 的用时。")
    parser.add_argument("repo", type=Path, help="简报仓库")
    parser.add_argument("--pages", type=int, default=10, help="目标页数（默认 10）")
    parser.add_argument("--runs", type=int, default=5, help="预热后测几次，取中位数（默认 5）")
    args = parser.parse_args()

    config = load_config(args.repo.resolve())
    bulletin = check_bulletin(config).bulletin
    env = make_environment(config.templates_dir)
    renderer = PdfRenderer(config, print_stylesheet(config, env))
    issue = bulletin.issues[-1]
    count, pages = 1, 0
    for count in range(1, len(issue.items) + 1):  # the fewest items that fill the pages asked for
        pages = renderer.write(issue_document(bulletin, env, first_items(issue, count))).pages
        if pages >= args.pages:
            break
    document = issue_document(bulletin, env, first_items(issue, count))
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        pages = renderer.write(document).pages
        times.append(time.perf_counter() - started)
    json.dump({"pages": pages, "items": count, "seconds": statistics.median(times)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
