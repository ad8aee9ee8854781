"""Shared helpers: build real bulletins in temporary folders and look at what comes out.

Everything here is independent of briefgen's own code where it checks results: the PDF
is read back with poppler (pdftotext, pdffonts, pdfinfo), the HTML with html.parser,
and the expected order of the sample bulletin is worked out from its files with PyYAML.

Two tiers: `pytest` runs every test; `pytest -m "not slow"` (make quick) leaves out those marked
slow -- PDF builds, serve, the browser, killed builds, the wheel, property tests -- for the
edit-test loop. The command line runs in-process (run_briefgen) unless a test needs a real
process (run_briefgen_process); builds that do not look at search use --no-search.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner

PROJECT = Path(__file__).resolve().parents[1]
# "Today" for the whole session, for briefgen (which honours SOURCE_DATE_EPOCH) and the tests
# alike, inherited by every worker and process: a run that crosses midnight in Asia/Shanghai
# (16:00 UTC) would otherwise see two different days.
os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
TODAY = dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), ZoneInfo("Asia/Shanghai")).date()

# A small valid briefgen.yaml. Line numbers matter to some tests: keep it as is.
CONFIG = """\
name: 测试简报
publisher: 测试市人民政府办公室
period: week
mark: 内部资料
topics:
  - 要情专报
  - 工作动态
  - 经验交流
units:
  - 市教育局
  - 市财政局
  - 江北区人民政府
distribution:
  报: 市委办公室
  送: 市人大办公室
  发: 各区人民政府
copies: 30
editor: 李编辑
numbering:
  first: 5
  first_total: 105
future_days: 400
"""

NAME = "测试简报"
PUBLISHER = "测试市人民政府办公室"


# --------------------------------------------------------------------------- writing bulletins


def item(title: str = "市教育局开展教研活动", unit: str = "市教育局", date: str = "2026-11-10",
         topic: str = "工作动态", body: str | None = None, **fields: object) -> str:
    """The text of an item file: front matter with these fields, then the body.

    The default body names the title, so that two items never share a body (a duplicate)."""
    if body is None:
        body = f"关于{title}的情况。\n"
    lines = ["---", f"title: {title}", f"unit: {unit}", f"date: {date}", f"topic: {topic}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


def write_bulletin(root: Path, files: Mapping[str, str | bytes] | None = None,
                   config: str | dict | None = None) -> Path:
    """Write briefgen.yaml and the given files (paths relative to root) under root."""
    root.mkdir(parents=True, exist_ok=True)
    if config is None:
        config = CONFIG
    if isinstance(config, dict):
        config = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    (root / "briefgen.yaml").write_text(config, encoding="utf-8")
    for rel, data in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def make_bulletin():
    """make_bulletin(folder, files={rel: text}, config=None) -> the bulletin's root folder."""
    return write_bulletin


# --------------------------------------------------------------------------- running the CLI


def run_briefgen_process(root: Path | None, *args: str, cwd: Path | None = None,
                         env: Mapping[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real entry point, `python -m briefgen [--root root] ARGS`, as a subprocess.

    For what only a process shows: the entry point itself, packaging, the locale and encoding
    of a real process, signals and timeouts. Everything else uses run_briefgen (in-process)."""
    command = [sys.executable, "-m", "briefgen"]
    if root is not None:
        command += ["--root", str(root)]
    command += list(args)
    return subprocess.run(command, cwd=cwd or root, capture_output=True, text=True,
                          env=dict(env) if env is not None else None, timeout=timeout)


def _decoded(data: bytes, errors: str = "strict") -> str:
    """Bytes as subprocess.run(text=True) gives them: UTF-8, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors=errors, newline=None).read()


# briefgen trusts what it knows of a file (its size and times) only once the file is 50 ms old
# (incremental/uptodate.settled): until then a write could leave its time as it was. A person
# saves, then types the command; a subprocess takes longer than that to start. An in-process
# build could start sooner after a test wrote its files, and would then neither record nor
# trust them, unlike any real run: it waits until they are this old.
SETTLED = 0.06


def _bulletin_of(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if (candidate / "briefgen.yaml").is_file():
            return candidate
    return folder


def _wait_until_settled(folder: Path) -> None:
    """Wait until every input of the bulletin at folder (all but its cache and output/) is
    SETTLED seconds old. A file a test dated ahead stays as new as it is in a real run."""
    now, newest = time.time_ns(), 0
    for top, dirs, files in os.walk(folder):
        if top == str(folder):
            dirs[:] = [d for d in dirs if d not in (".briefgen-cache", "output")]
        for name in [*files, *dirs]:
            try:
                mtime = os.lstat(os.path.join(top, name)).st_mtime_ns
            except OSError:
                continue
            if mtime <= now:
                newest = max(newest, mtime)
    delay = (newest - now) / 1e9 + SETTLED
    if delay > 0:
        time.sleep(delay)


def run_briefgen(root: Path | None, *args: str, cwd: Path | None = None,
                 env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real entry point, briefgen.cli.main(), in this process, as
    `briefgen [--root root] ARGS` would run (cwd defaults to root, env is the whole environment).

    Same exit codes and the same stdout and stderr text as run_briefgen_process, which costs a
    new interpreter and fresh imports of the renderer: main() runs with sys.argv, the working
    folder, os.environ and sys.std* of its own (stdin empty and not a terminal, stdout and stderr
    UTF-8 and not terminals, as with capture_output), and its SystemExit becomes the return code.
    Everything it changes is put back afterwards, also the SIGTERM handler main() installs.
    A build starts only once the bulletin's files are settled (see SETTLED), as in a real run.
    A build forks its worker processes from this process, as it forks them from a real one.
    Module-level caches (fc-list, the code fingerprint) stay warm between runs: they hold
    nothing that a test changes."""
    from briefgen.cli import main

    argv = ["briefgen"] + (["--root", str(root)] if root is not None else []) + list(args)
    workdir = cwd or root
    if "build" in args and workdir is not None:  # only a build records what it knows of files
        _wait_until_settled(Path(root) if root is not None else _bulletin_of(Path(workdir)))
    saved = (sys.argv, sys.stdin, sys.stdout, sys.stderr, os.getcwd(), dict(os.environ),
             signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    code: object = 0
    try:
        sys.argv = argv
        sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        sys.stdout, sys.stderr = stdout, stderr
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if workdir is not None:
            os.chdir(workdir)
        try:
            main()
        except SystemExit as exc:
            code = exc.code
        if code is None:
            code = 0
        elif not isinstance(code, int):  # sys.exit("message"), as the interpreter shows it
            print(code, file=sys.stderr)
            code = 1
        stdout.flush()
        stderr.flush()
    finally:
        sys.argv, sys.stdin, sys.stdout, sys.stderr = saved[:4]
        os.chdir(saved[4])
        if os.environ != saved[5]:
            os.environ.clear()
            os.environ.update(saved[5])
        signal.signal(signal.SIGTERM, saved[6])
        signal.signal(signal.SIGINT, saved[7])
    return subprocess.CompletedProcess(argv, code, _decoded(out.getvalue()),
                                       _decoded(err.getvalue(), "backslashreplace"))


@pytest.fixture(scope="session")
def run():
    """run(root, *args) -> CompletedProcess of `briefgen --root root ARGS` (cwd=root), in-process."""
    return run_briefgen


@pytest.fixture(scope="session")
def invoke():
    """invoke(root, *args) -> click Result of the `cli` group run in-process with CliRunner."""
    from briefgen.cli import cli

    def call(root: Path, *args: str):
        return CliRunner().invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
    return call


def build_ok(root: Path, *args: str, process: bool = False, **kwargs) -> subprocess.CompletedProcess:
    """Run a build that must succeed: in-process, or with process=True as a subprocess."""
    runner = run_briefgen_process if process else run_briefgen
    result = runner(root, "build", *args, **kwargs)
    assert result.returncode == 0, f"build failed:\nSTDOUT:\n{result.stdout}\nSTDERR:\n{result.stderr}"
    return result


# --------------------------------------------------------------------------- files and trees


def tree_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder, by path relative to it; the repository's write lock
    (whose only content is the last holder's process and time) left out."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.parts[-2:] != (".briefgen-cache", "lock")}


def leftovers(out: Path) -> list[str]:
    """Temporary folders a build left: in the repository's cache (when out is in the repository
    root), beside out, or inside it; and any in the old places beside out."""
    areas = (out.parent / ".briefgen-cache" / "staging", out.parent / ".briefgen-cache" / "scratch",
             out.parent / f".{out.name}.briefgen", out / ".briefgen-staging")
    found = [p.name for area in areas if area.is_dir() for p in area.iterdir() if p.name != ".briefgen-partial"]
    found += [p.name for p in out.parent.iterdir() if p.name.startswith((f".{out.name}.tmp-", f".{out.name}.old-"))]
    return sorted(found)


# --------------------------------------------------------------------------- PDF

# What a build that makes PDFs prints on standard error on a machine set up by
# scripts/system-packages: the free fonts it installs, none of the official ones.
FONTS_LINE = ("字体：标题（小标宋）用 Noto Serif CJK SC 代替方正小标宋简体，正文（仿宋）用 FandolFang 代替仿宋_GB2312，"
              "一级标题（黑体）用 Noto Sans CJK SC 代替黑体，编者按（楷体）用 FandolKai 代替楷体_GB2312；"
              "把正式字体文件放进 fonts/ 即可改用。\n")


def pdf_text(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    """Text without any whitespace and without the page numbers "— N —"."""
    text = re.sub(r"^\s*—\s*\d+\s*—\s*$", "", text, flags=re.M)
    return "".join(text.split())


def pdf_lines(path: Path) -> list[str]:
    """The non-empty lines of pdftotext's output, stripped (also of ideographic spaces)."""
    return [line.strip() for line in pdf_text(path).splitlines() if line.strip()]


@dataclass
class FontRow:
    name: str
    type: str
    emb: str


def pdf_fonts(path: Path) -> list[FontRow]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    header = lines[0]
    emb, type_, enc = header.index("emb"), header.index("type"), header.index("encoding")
    rows = []
    for line in lines[2:]:
        if line.strip():
            rows.append(FontRow(line[:type_].strip(), line[type_:enc].strip(), line[emb:emb + 3].strip()))
    return rows


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, text=True,
                         check=True).stdout
    info = {}
    for line in out.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


# --------------------------------------------------------------------------- HTML

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)
    parent: Node | None = None

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for node in self.iter():
            if node is self or (tag and node.tag != tag) or (cls and cls not in node.classes):
                continue
            if all(node.attrs.get(k) == v for k, v in attrs.items()):
                found.append(node)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.decl = ""

    def handle_decl(self, decl: str) -> None:
        self.decl = decl

    def handle_starttag(self, tag: str, attrs: list) -> None:
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(source: Path | str) -> Node:
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    builder.root.attrs["doctype"] = builder.decl
    return builder.root


def item_titles(page: Node) -> list[str]:
    """Titles of the items printed on an issue page, in document order."""
    return [node.find(cls="item-title").text() for node in page.find_all("article", cls="item")]


def link_problems(out: Path) -> list[str]:
    """Every href/src of every HTML page that is not a relative link to an existing file or id."""
    problems = []
    ids_cache: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids_cache:
            ids_cache[page] = {n.attrs["id"] for n in parse_html(page).iter() if "id" in n.attrs}
        return ids_cache[page]

    for page in sorted(out.rglob("*.html")):
        rel = page.relative_to(out).as_posix()
        for node in parse_html(page).iter():
            for attr in ("href", "src"):
                if attr not in node.attrs:
                    continue
                url = node.attrs[attr]
                parts = urlsplit(url)
                if parts.scheme or parts.netloc or url.startswith("/") or url.startswith("//"):
                    problems.append(f"{rel}: <{node.tag} {attr}={url!r}> is not relative")
                    continue
                target = page
                if parts.path:
                    target = (page.parent / unquote(parts.path)).resolve()
                    if not target.is_relative_to(out.resolve()):
                        problems.append(f"{rel}: {url!r} points outside the output folder")
                        continue
                    if not target.is_file():
                        problems.append(f"{rel}: {url!r} -> missing {target}")
                        continue
                if parts.fragment:
                    if target.suffix != ".html":
                        problems.append(f"{rel}: {url!r} has a fragment into a non-HTML file")
                    elif unquote(parts.fragment) not in ids_of(target):
                        problems.append(f"{rel}: {url!r} -> no id {unquote(parts.fragment)!r}")
                if not parts.path and not parts.fragment:
                    problems.append(f"{rel}: empty {attr} on <{node.tag}>")
    return problems


# --------------------------------------------------------------------------- the sample bulletin

ALIASES = {"标题": "title", "单位": "unit", "日期": "date", "栏目": "topic", "权重": "weight", "状态": "status"}
STATUS_ALIASES = {"采用": "adopted", "备用": "reserve", "退稿": "rejected", "草稿": "draft"}


@dataclass(frozen=True)
class ExpectedItem:
    slug: str
    title: str
    unit: str
    topic: str
    date: dt.date
    weight: int
    status: str


@dataclass
class ExpectedIssue:
    id: str
    number: int
    total: int
    date: dt.date
    items: list[ExpectedItem]  # in printed order
    settings: dict


def read_items(root: Path) -> list[ExpectedItem]:
    """Read a bulletin's items with PyYAML alone (an oracle independent of briefgen)."""
    items = []
    for path in sorted((root / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        _, front, _body = text.split("---\n", 2)
        data = {ALIASES.get(str(k), str(k)): v for k, v in yaml.safe_load(front).items()}
        date = data["date"]
        if not isinstance(date, dt.date):
            date = dt.date.fromisoformat(str(date)[:10])
        status = str(data.get("status", "adopted"))
        items.append(ExpectedItem(
            slug=path.stem, title=" ".join(str(data["title"]).split()), unit=str(data["unit"]),
            topic=str(data["topic"]), date=date, weight=int(data.get("weight", 0)),
            status=STATUS_ALIASES.get(status, status),
        ))
    return items


def expected_issues(root: Path) -> list[ExpectedIssue]:
    """The issues a weekly bulletin should have, in date order, worked out from its files."""
    config = yaml.safe_load((root / "briefgen.yaml").read_text(encoding="utf-8"))
    assert config.get("period", "week") == "week"
    topics = list(config["topics"])
    by_week: dict[tuple[int, int], list[ExpectedItem]] = {}
    for entry in read_items(root):
        if entry.status == "adopted":
            year, week, _ = entry.date.isocalendar()
            by_week.setdefault((year, week), []).append(entry)
    issues = []
    number, total = config["numbering"]["first"], config["numbering"]["first_total"]
    previous_year = None
    for (year, week) in sorted(by_week):
        if previous_year is not None and year != previous_year:
            number = 1
        previous_year = year
        issue_id = f"{year}-W{week:02d}"
        settings_file = root / "content" / "issues" / f"{issue_id}.yaml"
        settings = yaml.safe_load(settings_file.read_text(encoding="utf-8")) if settings_file.exists() else {}
        date = settings.get("date") or dt.date.fromisocalendar(year, week, 5)
        if not isinstance(date, dt.date):
            date = dt.date.fromisoformat(str(date))
        ordered = sorted(by_week[(year, week)],
                         key=lambda i: (topics.index(i.topic), i.weight, i.date, i.title))
        issues.append(ExpectedIssue(issue_id, number, total, date, ordered, settings or {}))
        number += 1
        total += 1
    return issues


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class SampleBuild:
    root: Path
    out: Path
    result: subprocess.CompletedProcess
    issues: list[ExpectedIssue]
    config: dict
    all_items: list[ExpectedItem]


def copy_sample(root: Path) -> Path:
    """A copy of the repository's sample bulletin (briefgen.yaml + content/) at root."""
    root.mkdir(parents=True)
    shutil.copy2(PROJECT / "briefgen.yaml", root / "briefgen.yaml")
    shutil.copytree(PROJECT / "content", root / "content")
    return root


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> SampleBuild:
    """The sample bulletin of the repository (briefgen.yaml + content/), built once into a copy.

    Built by a real process with PYTHONHASHSEED=1: test_sample_builds_are_byte_identical
    compares it with an independent build by another process with another hash seed."""
    root = copy_sample(tmp_path_factory.mktemp("sample") / "repo")
    result = build_ok(root, process=True, env=environ(PYTHONHASHSEED="1"))
    config = yaml.safe_load((root / "briefgen.yaml").read_text(encoding="utf-8"))
    return SampleBuild(root, root / "output", result, expected_issues(root), config, read_items(root))


# --------------------------------------------------------------------------- a small bulletin

def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid white PNG image."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


SMALL_PNG = png()

SMALL_ITEMS = {
    # 2026-W46: Monday 2026-11-09 .. Sunday 2026-11-15
    "content/2026/2026-W46/caizheng-yusuan.md": item(
        "市财政局加强预算执行管理", "市财政局", "2026-11-10", "工作动态",
        "按月通报各部门支出进度。\n"),
    "content/2026/2026-W46/anquan-huiyi.md": item(
        "江北区召开安全生产工作会议", "江北区人民政府", "2026-11-12", "要情专报",
        "会议部署冬季安全生产工作。\n"),
    "content/2026/2026-W46/xiaoyuan-anquan.md": item(
        "市教育局部署冬季校园安全工作", "市教育局", "2026-11-13", "工作动态",
        "开展校园隐患排查整治。\n", weight=-5),
    "content/2026/2026-W46/jiaoshi-peixun.md": item(
        "市教育局启动教师培训计划", "市教育局", "2026-11-10", "工作动态",
        "全年培训教师三千人次。\n"),
    "content/2026/2026-W46/banshi-wangong.md": item(
        "为民办实事项目全部完工", "江北区人民政府", "2026-11-11", "工作动态",
        "十件实事提前完成。\n"),
    "content/2026/2026-W46/beiyong.md": item(
        "备用稿件不应出现", "市教育局", "2026-11-11", "经验交流", "备用稿件正文。\n", status="备用"),
    "content/2026/2026-W46/tuigao.md": item(
        "退稿稿件不应出现", "市财政局", "2026-11-11", "工作动态", "退稿稿件正文。\n", status="rejected"),
    "content/2026/2026-W46/caogao.md": item(
        "草稿稿件不应出现", "市财政局", "2026-11-12", "要情专报", "草稿稿件正文。\n", status="draft"),
    # 2026-W47: Monday 2026-11-16 .. Sunday 2026-11-22
    "content/2026/2026-W47/jituan-banxue.md": item(
        "市教育局以集团化办学促进均衡发展", "市教育局", "2026-11-17", "经验交流",
        "各地区要加强组织\n领导，压实责任。\n\n"
        "## 一、强化组织领导\n\n"
        "成立工作专班[^1]，统筹推进。\n\n"
        "![现场照片](图片 1.png)\n\n"
        "[^1]: 专班由分管副局长牵头。\n"),
    "content/2026/2026-W47/图片 1.png": SMALL_PNG,
    "content/2026/2026-W47/fangxun.md": (
        "---\n标题: 江北区全力做好防汛准备\n单位: 江北区人民政府\n日期: 2026-11-18\n栏目: 要情专报\n状态: 采用\n---\n\n"
        "落实防汛物资和抢险队伍。\n"),
    "content/issues/2026-W47.yaml": "signer: 张签发\ncopies: 50\nextra: 市统计局\n",
}

SMALL_ORDER = {
    "2026-W46": ["江北区召开安全生产工作会议", "市教育局部署冬季校园安全工作", "市教育局启动教师培训计划",
                 "市财政局加强预算执行管理", "为民办实事项目全部完工"],
    "2026-W47": ["江北区全力做好防汛准备", "市教育局以集团化办学促进均衡发展"],
}
HIDDEN_TITLES = ["备用稿件不应出现", "退稿稿件不应出现", "草稿稿件不应出现"]


@dataclass
class SmallBuild:
    root: Path
    out: Path
    result: subprocess.CompletedProcess


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> SmallBuild:
    """A two-issue bulletin written by the tests, built once with PDFs and site."""
    root = write_bulletin(tmp_path_factory.mktemp("small") / "repo", SMALL_ITEMS)
    return SmallBuild(root, root / "output", build_ok(root))


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def environ(**changes: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(changes)
    return env


# --------------------------------------------------------------------------- site search (Pagefind)

# The inline script of every site page: the search box's initialiser, exactly as
# templates/site/base.html writes it right after <div id="search">, {root} standing for the way
# back to the site's top. It is the only inline script a page may hold, and holds nothing from
# any item.
SEARCH_INIT = (
    '\n    window.addEventListener("DOMContentLoaded", function () {\n'
    '      if (location.protocol === "file:") {  /* the browser will not load the index from a file */\n'
    '        document.getElementById("search").innerHTML = \'<p class="search-notice">直接打开本机文件时不能搜索。\' +\n'
    '          "请从内网网站打开本站；在简报仓库中预览时，运行 briefgen serve 后打开它给出的地址。</p>";\n'
    '        return;\n'
    '      }\n'
    '      var parts = new URL("{root}pagefind/", location.href);  /* older issues, merged into one list */\n'
    '      new PagefindUI({ element: "#search", showImages: false, showSubResults: false, resetStyles: false,\n'
    '                       translations: { placeholder: "搜索稿件标题和正文" },\n'
    '                       mergeIndex: (window.briefgenSearchParts || []).map(function (part) {\n'
    '                         return { bundlePath: new URL(part, parts).pathname };\n'
    '                       }) });\n'
    "    });\n  "
)


def page_root(out: Path, page: Path) -> str:
    """The relative path from a page back to the output folder ("", "../", ...)."""
    return "../" * (len(page.relative_to(out).parts) - 1)


def search_init(out: Path, page: Path) -> str:
    """The initialiser of the search box, as this page holds it."""
    return SEARCH_INIT.replace("{root}", page_root(out, page))


def search_script_tags(out: Path, page: Path) -> tuple[str, str, str]:
    """The source of the three scripts a site page holds: Pagefind's loader, the list of the
    index's other parts, and the initialiser."""
    return (f'<script src="{page_root(out, page)}pagefind/pagefind-ui.js"></script>',
            f'<script src="{page_root(out, page)}pagefind/parts.js"></script>',
            f"<script>{search_init(out, page)}</script>")


def without_search_scripts(out: Path, page: Path) -> str:
    """A page's source with its three search scripts (each there exactly once) cut out, so that
    any other script, handler or injected markup is still seen in what is left."""
    text = page.read_text(encoding="utf-8")
    for tag in search_script_tags(out, page):
        assert text.count(tag) == 1, (page, tag)
        text = text.replace(tag, "")
    return text


def check_scripts(out: Path, page: Path, doc: Node | None = None) -> None:
    """A site page's only scripts: Pagefind's loader and the list of the index's parts in <head>,
    and the initialiser as the element right after the empty search box in the site header (in
    that order)."""
    doc = doc if doc is not None else parse_html(page)
    scripts = doc.find_all("script")
    assert [(s.attrs, s.text()) for s in scripts] == [
        ({"src": f"{page_root(out, page)}pagefind/pagefind-ui.js"}, ""),
        ({"src": f"{page_root(out, page)}pagefind/parts.js"}, ""), ({}, search_init(out, page))], page
    loader, parts, init = scripts
    assert loader.parent is not None and loader.parent.tag == "head", page
    assert parts.parent is loader.parent, page
    header = init.parent
    assert header is not None and header.tag == "header" and header.classes == ["site-header"], page
    elements = [child for child in header.children if isinstance(child, Node)]
    at = next(i for i, child in enumerate(elements) if child is init)
    box = elements[at - 1] if at else None
    assert box is not None and (box.tag, box.attrs, box.children) == (
        "div", {"id": "search", "class": "site-search", "role": "search"}, []), page
    assert doc.find_all(id="search") == [box], page
