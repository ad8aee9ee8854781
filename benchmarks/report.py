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


def table(results: dict[int, dict], args: argparse.Namespace) -> str:
    sizes = list(results)

    def count(r: Result) -> str:
        return "" if len(r.samples) == args.runs else f"（{len(r.samples)} 次）"

    def seconds(key: str, note: str = "") -> dict[int, str]:
        cells = {}
        for size, r in results.items():
            res = r.get(key)
            if res is None:
                cells[size] = "—"
            else:
                extra = "（仅网页）" if note and not r["pdf"] else ""
                cells[size] = f"{res.median('seconds'):.2f} 秒{extra}{count(res)}"
        return cells

    def memory(key: str, attribute: str) -> dict[int, str]:
        return {size: "—" if r.get(key) is None else f"{r[key].median(attribute) / 1024:.0f} MiB"
                for size, r in results.items()}

    def per_page(subtract: bool) -> dict[int, str]:
        cells = {}
        for size, r in results.items():
            if "full" not in r or not r.get("pages"):
                cells[size] = "—"
                continue
            total = r["full"].median("seconds") - (r["html"].median("seconds") if subtract else 0)
            cells[size] = f"{total / r['pages']:.3f} 秒"
        return cells

    def ratio() -> dict[int, str]:
        return {size: "—" if "hugo" not in r else f"{r['html'].median('seconds') / r['hugo'].median('seconds'):.1f} 倍"
                for size, r in results.items()}

    def fact(func) -> dict[int, str]:
        return {size: func(r) for size, r in results.items()}

    rows = [
        ("期数（周）", fact(lambda r: f"{r['issues']} 期（{r['weeks']} 周）")),
        ("网页文件数（briefgen）", fact(lambda r: str(r["html_files"]))),
        ("PDF 份数 / 总页数", fact(lambda r: f"{r['pdfs']} 份 / {r['pages']} 页" if "pages" in r else "未生成 PDF")),
        ("冷生成网页 `build --no-pdf`", seconds("html")),
        ("冷生成全部（含各期 PDF）`build`", seconds("full")),
        ("无改动重新生成 `build`", seconds("noop", "mode")),
        ("改一篇稿件后重新生成 `build`", seconds("edit", "mode")),
        ("一期约 10 页的 PDF，进程已预热（benchmarks/warm_pdf.py）",
         fact(lambda r: f"{r['warm_pdf']['seconds']:.2f} 秒（{r['warm_pdf']['pages']} 页）"
              if "warm_pdf" in r else "—")),
        ("PDF 每页秒数：冷生成全部 ÷ 总页数", per_page(False)),
        ("PDF 每页秒数：（冷生成全部 − 冷生成网页）÷ 总页数", per_page(True)),
        ("冷生成全部的 CPU 秒（用户+系统，含子进程）",
         fact(lambda r: f"{r['full'].median('cpu'):.1f} 秒" if "full" in r else "—")),
        ("峰值内存，冷生成网页：最大单进程 RSS", memory("html", "max_rss")),
        ("峰值内存，冷生成网页：进程树 PSS 之和", memory("html", "tree_pss")),
        ("峰值内存，冷生成全部：最大单进程 RSS", memory("full", "max_rss")),
        ("峰值内存，冷生成全部：进程树 PSS 之和", memory("full", "tree_pss")),
    ]
    if any("hugo" in r for r in results.values()):
        rows += [
            ("Hugo 冷生成 `hugo --quiet`", seconds("hugo")),
            ("Hugo 生成的网页文件数", fact(lambda r: str(r.get("hugo_pages", "—")))),
            ("峰值内存，Hugo：最大单进程 RSS", memory("hugo", "max_rss")),
            ("briefgen 冷生成网页 ÷ Hugo 冷生成", ratio()),
        ]
    header = "| 测量 | " + " | ".join(f"{s:,} 篇" for s in sizes) + " |"
    lines = [header, "|---|" + "---:|" * len(sizes)]
    for label, cells in rows:
        lines.append(f"| {label} | " + " | ".join(cells[s] for s in sizes) + " |")
    return "\n".join(lines)


# --- the machine and versions --------------------------------------------------------------------

def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "未知"


def machine(hugo: Path | None, briefgen_version: str, load_before: str) -> list[str]:
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

