"""The benchmark's table of medians, and the lines about the machine and versions above it."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from measure import Result

# (key of the result, label): every measured row, in the order of the table of times
MEASURED = (
    ("html", "冷生成网页 `build --no-pdf`"),
    ("bare", "冷生成网页、不建搜索索引 `build --no-pdf --no-search`"),
    ("floor", "下限：Python-Markdown 转换全部稿件正文（benchmarks/markdown_floor.py）"),
    ("full", "冷生成全部（含各期 PDF）`build`"),
    ("noop", "无改动重新生成"),  # build, or build --no-pdf (--no-pdf-at)
    ("edit", "改最新一期的一篇稿件后重新生成"),  # the same command
    ("old_edit", "改 {weeks} 周前（约两年前）一期的一篇稿件后重新生成 `build --no-pdf`"),
    ("hugo", "Hugo 冷生成"),
    ("pagefind", "Pagefind 索引 Hugo 的稿件页"),
)


def table(results: dict[int, dict], args: argparse.Namespace) -> str:
    """The table of times (and counts and ratios), then the table of peak memory."""
    sizes = list(results)

    def count(r: Result) -> str:
        return "" if len(r.samples) == args.runs else f"（{len(r.samples)} 次）"

    def median(r: dict, key: str) -> float | None:
        return r[key].median("seconds") if key in r else None

    def seconds(key: str, note=None) -> dict[int, str]:
        """Median seconds; note(r) adds a remark; "mode" marks the sizes built without PDFs."""
        cells = {}
        for size, r in results.items():
            res = r.get(key)
            if res is None:
                cells[size] = "—"
                continue
            extra = "（仅网页）" if note == "mode" and not r["pdf"] else note(r) if callable(note) else ""
            cells[size] = f"{res.median('seconds'):.2f} 秒{extra}{count(res)}"
        return cells

    def per_page(subtract: bool) -> dict[int, str]:
        cells = {}
        for size, r in results.items():
            if "full" not in r or not r.get("pages"):
                cells[size] = "—"
                continue
            total = r["full"].median("seconds") - (r["html"].median("seconds") if subtract else 0)
            cells[size] = f"{total / r['pages']:.3f} 秒"
        return cells

    def ratio(top, bottom, digits: int = 1) -> dict[int, str]:
        """top(r) / bottom(r), each a number of seconds or None."""
        cells = {}
        for size, r in results.items():
            a, b = top(r), bottom(r)
            cells[size] = "—" if a is None or not b else f"{a / b:.{digits}f} 倍"
        return cells

    def hugo_and_pagefind(r: dict) -> float | None:
        return None if "hugo" not in r or "pagefind" not in r else median(r, "hugo") + median(r, "pagefind")

    def fact(func) -> dict[int, str]:
        return {size: func(r) for size, r in results.items()}

    def old_issue(r: dict) -> str:
        return "" if r["old_weeks"] == args.old_weeks else f"（{r['old_issue']}，{r['old_weeks']} 周前，最早一期）"

    def floor(r: dict) -> str:
        return f"（{r['floor_processes']} 个进程；从列出文件、启动进程池起 {r['floor_inner']:.2f} 秒）"

    label = {key: text.format(weeks=args.old_weeks) for key, text in MEASURED}
    rows = [
        ("期数（周）", fact(lambda r: f"{r['issues']} 期（{r['weeks']} 周）")),
        ("网页文件数（briefgen）", fact(lambda r: str(r["html_files"]))),
        ("PDF 份数 / 总页数", fact(lambda r: f"{r['pdfs']} 份 / {r['pages']} 页" if "pages" in r else "未生成 PDF")),
        (label["html"], seconds("html")),
        (label["bare"], seconds("bare")),
        (label["full"], seconds("full")),
        (label["noop"] + " `build`", seconds("noop", "mode")),
        (label["edit"] + " `build`", seconds("edit", "mode")),
        (label["old_edit"], seconds("old_edit", old_issue)),
        ("预览 `serve --no-pdf`：保存最新一期的一篇稿件，到打开的页面收到重新载入（目标 ≤ 1.0）",
         fact(lambda r: f"{r['serve']:.2f} 秒（其中生成 {r['serve_builds']:.2f} 秒）" if "serve" in r else "—")),
        ("一期约 10 页的 PDF，进程已预热（benchmarks/warm_pdf.py）",
         fact(lambda r: f"{r['warm_pdf']['seconds']:.2f} 秒（{r['warm_pdf']['pages']} 页）"
              if "warm_pdf" in r else "—")),
        ("PDF 每页秒数：冷生成全部 ÷ 总页数", per_page(False)),
        ("PDF 每页秒数：（冷生成全部 − 冷生成网页）÷ 总页数", per_page(True)),
        ("冷生成全部的 CPU 秒（用户+系统，含子进程）",
         fact(lambda r: f"{r['full'].median('cpu'):.1f} 秒" if "full" in r else "—")),
        (label["floor"], seconds("floor", floor)),
        ("冷生成网页不建索引 ÷ 下限（目标 ≤ 1.5）",
         ratio(lambda r: median(r, "bare"), lambda r: median(r, "floor"), 2)),
    ]
    if any("hugo" in r for r in results.values()):
        rows += [
            (label["hugo"] + " `hugo --quiet`", seconds("hugo")),
            ("Hugo 生成的网页文件数", fact(lambda r: str(r.get("hugo_pages", "—")))),
            (label["pagefind"] + " `pagefind_extended --glob */*/*/index.html`",
             seconds("pagefind", lambda r: f"（{r['pagefind_pages']} 页）")),
            ("Hugo + Pagefind（两个中位数之和）", fact(lambda r: "—" if hugo_and_pagefind(r) is None
                                                  else f"{hugo_and_pagefind(r):.2f} 秒")),
            ("briefgen 冷生成网页（含搜索索引）÷（Hugo + Pagefind）",
             ratio(lambda r: median(r, "html"), hugo_and_pagefind)),
            ("briefgen 冷生成网页不建索引 ÷ Hugo 冷生成",
             ratio(lambda r: median(r, "bare"), lambda r: median(r, "hugo"))),
        ]
    header = "| 测量 | " + " | ".join(f"{s:,} 篇" for s in sizes) + " |"
    lines = [header, "|---|" + "---:|" * len(sizes)]
    for text, cells in rows:
        lines.append(f"| {text} | " + " | ".join(cells[s] for s in sizes) + " |")
    return "\n".join(lines) + "\n\n" + memory_table(results, args)


def memory_table(results: dict[int, dict], args: argparse.Namespace) -> str:
    """Peak memory of every measured row: the sampled PSS sum of the process tree, and the exact
    peak RSS of its largest single process (medians, like the times)."""
    sizes = list(results)
    header = ("| 峰值内存（中位数） | "
              + " | ".join(f"{s:,} 篇：进程树 PSS 之和 | {s:,} 篇：最大单进程 RSS" for s in sizes) + " |")
    lines = [header, "|---|" + "---:|---:|" * len(sizes)]
    for key, text in MEASURED:
        if not any(key in r for r in results.values()):
            continue
        cells = []
        for r in results.values():
            for attribute in ("tree_pss", "max_rss"):
                cells.append("—" if key not in r else f"{r[key].median(attribute) / 1024:.0f} MiB")
        lines.append(f"| {text.format(weeks=args.old_weeks)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- the machine and versions --------------------------------------------------------------------

def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "未知"


def machine(hugo: Path | None, pagefind: Path | None, briefgen_version: str, load_before: str) -> list[str]:
    cpu = "未知"
    memory = "未知"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    lines = [
        f"- 机器：{cores} 个处理器核心可用（nproc），CPU {cpu}，内存 {memory}，{platform.platform()}",
        f"- 并行能力：{cores} 个进程同时做纯计算，比一个进程依次做快 {_speedup(cores):.2f} 倍"
        "（理想值等于核心数；明显偏低说明虚拟机或容器实际给不了这么多处理器时间，PDF 的多进程生成也就快不了）",
        f"- 系统负载（1、5、15 分钟平均）：开始时 {load_before}，结束时 {load_average()}"
        "（测量期间机器上有别的程序在运行时，结果会偏慢、波动大）",
        f"- Python {platform.python_version()}（{sys.executable}）",
        f"- {briefgen_version}，WeasyPrint {_version('weasyprint')}，pydyf {_version('pydyf')}，"
        f"Markdown {_version('markdown')}，Jinja2 {_version('jinja2')}",
    ]
    if hugo:
        shown = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.strip()
        lines.append(f"- Hugo：{shown}（{hugo}）")
        if pagefind:
            shown = subprocess.run([str(pagefind), "--version"], capture_output=True, text=True).stdout.strip()
            lines.append(f"- 索引 Hugo 网页的 Pagefind：{shown}（{pagefind}）；briefgen 用的是 "
                         f"pagefind {_version('pagefind')}、pagefind_bin_extended {_version('pagefind_bin_extended')}")
        else:
            lines.append("- Pagefind：没有找到，没有 Hugo + Pagefind 的对比")
    else:
        lines.append("- Hugo：未安装或用了 --no-hugo，没有对比")
    return lines


def _burn(_: int) -> int:
    total = 0
    for i in range(5_000_000):
        total += i
    return total


def _speedup(processes: int) -> float:
    """How much faster `processes` CPU-bound processes finish than one process doing the same work."""
    import multiprocessing

    if processes < 2:
        return 1.0
    context = multiprocessing.get_context("fork")
    times = []
    for width in (1, processes):
        with context.Pool(width) as pool:
            pool.map(_burn, range(width))  # start the workers before timing
            started = time.perf_counter()
            pool.map(_burn, range(processes * 2), chunksize=1)
            times.append(time.perf_counter() - started)
    return times[0] / times[1]


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "未安装"


def commit(project: Path) -> str:
    """The briefgen commit, read-only (no git command here writes anything)."""
    git = shutil.which("git")
    if not git or not (project / ".git").exists():
        return ""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0")
    head = subprocess.run([git, "-C", str(project), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, env=env)
    if head.returncode != 0:
        return ""
    dirty = subprocess.run([git, "-C", str(project), "diff", "--quiet", "HEAD", "--", "briefgen", "templates"],
                           capture_output=True, env=env).returncode != 0
    return f"（提交 {head.stdout.strip()}{'，briefgen/ 或 templates/ 有未提交的改动' if dirty else ''}）"

