"""The output folder is replaced whole or not at all: bad input, killed builds, stale files, bad --out."""

from __future__ import annotations

import datetime as dt
import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import (
    build_ok,
    flat,
    item,
    leftovers,
    pdf_text,
    tree_hashes,
    write_bulletin,
)

PARAGRAPH = ("今年以来，各地各部门认真贯彻落实市委市政府决策部署，坚持稳中求进工作总基调，统筹推进各项工作，"
             "经济社会发展保持稳中有进、稳中向好的良好态势，为完成全年目标任务奠定了坚实基础。")


def many_issues(root: Path, weeks: int = 6, per_week: int = 3) -> Path:
    """A bulletin with enough issues and text that rendering its PDFs takes a few seconds."""
    files = {}
    start = dt.date(2026, 11, 16)  # a Monday: the first issue is 2026-W47
    for week in range(weeks):
        for number in range(per_week):
            day = start + dt.timedelta(days=7 * week + number)
            body = "\n\n".join(f"**{n}.** 第{week + 1}周第{number + 1}篇：{PARAGRAPH}" for n in range(1, 9)) + "\n"
            files[f"content/w{week}/item-{week}-{number}.md"] = item(
                f"第{week + 1}周第{number + 1}篇稿件", ("市教育局", "市财政局", "江北区人民政府")[number],
                day.isoformat(), ("要情专报", "工作动态", "经验交流")[number], body)
    return write_bulletin(root, files)


def retitle(root: Path, rel: str, new_title: str) -> None:
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = f"title: {new_title}"
    path.write_text("\n".join(lines), encoding="utf-8")


def start_build(command: list[str], root: Path) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def read_line(proc: subprocess.Popen, timeout: float = 60) -> str:
    """The next line the process prints on stdout (bounded wait; '' when it exits first)."""
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        remaining = deadline - time.monotonic()
        assert remaining > 0, "no output in time"
        if not selector.select(remaining):
            continue
        chunk = os.read(proc.stdout.fileno(), 1)
        if not chunk:
            break
        data += chunk
    selector.close()
    return data.decode("utf-8")


# --------------------------------------------------------------------------- bad input


@pytest.mark.slow
@pytest.mark.parametrize("name, text, message", [
    ("bad-unit.md", item("单位写错的稿件", unit="市教育厅"),
     "content/2026/bad-unit.md:3: error: 未知的单位 '市教育厅'；是不是 '市教育局'？"),
    ("no-title.md", "---\nunit: 市教育局\ndate: 2026-11-11\ntopic: 工作动态\n---\n正文。\n",
     "content/2026/no-title.md:2: error: 缺少必填字段 'title'；请在信息头中写 title: …"),
    ("bad-date.md", item("日期写错的稿件", date="2026-11-31"),
     "content/2026/bad-date.md:4: error: 日期 '2026-11-31' 不存在；请检查月份和日"),
])
def test_bad_item_leaves_previous_output_untouched(tmp_path, run, name, text, message):
    root = write_bulletin(tmp_path / "repo", {"content/2026/good.md": item("合格的稿件")})
    build_ok(root, "--no-search")
    out = root / "output"
    before = tree_hashes(out)
    assert "issues/2026-W46.pdf" in before

    (root / "content" / "2026" / name).write_text(text, encoding="utf-8")
    (root / "content" / "2026" / "good.md").write_text(item("改过标题的稿件"), encoding="utf-8")
    result = run(root, "build", "--no-search")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"{message}\n发现 1 个错误，未生成任何文件；output/ 保持上次的内容。\n"
    assert tree_hashes(out) == before
    assert leftovers(out) == []


def test_every_bad_item_is_listed(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/good.md": item("合格的稿件"),
        "content/2026/b.md": item("单位写错的稿件", unit="市教育厅"),
        "content/2026/a.md": "---\nunit: 市教育局\ndate: 2026-11-11\ntopic: 工作动态\n---\n正文。\n",
        "content/issues/2026-W46.yaml": "signer: 张三\ncopise: 3\n",
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 1
    assert result.stderr == (
        "content/2026/a.md:2: error: 缺少必填字段 'title'；请在信息头中写 title: …\n"
        "content/2026/b.md:3: error: 未知的单位 '市教育厅'；是不是 '市教育局'？\n"
        "content/issues/2026-W46.yaml:2: error: 未知的设置项 'copise'；是不是 'copies'？\n"
        "发现 3 个错误，未生成任何文件；output/ 保持上次的内容。\n")
    assert not (root / "output").exists()
    # Only the build cache remembers the parsed items (the good ones and the errors) for next time.
    assert sorted(p.name for p in root.iterdir()) == [".briefgen-cache", "briefgen.yaml", "content"]
    assert sorted(p.name for p in (root / ".briefgen-cache").iterdir()) == ["items", "lock"]


def test_duplicate_file_names_are_an_error(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/a/same.md": item("第一篇"),
        "content/b/same.md": item("第二篇"),
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 1
    assert result.stderr == (
        "content/b/same.md:1: error: 文件名与 content/a/same.md 相同，两篇稿件的网页会互相覆盖；请给其中一篇改个文件名\n"
        "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。\n")


# --------------------------------------------------------------------------- killed builds


@pytest.mark.slow
@pytest.mark.parametrize("sig, code", [(signal.SIGKILL, -signal.SIGKILL), (signal.SIGTERM, 143)])
def test_build_killed_while_rendering_pdfs(tmp_path, sig, code):
    # Twelve issues: rendering the eleven after the first takes a few seconds, and the
    # temporary folder is only made once every PDF is rendered.
    root = many_issues(tmp_path / "repo", weeks=12)
    build_ok(root, "--no-search", "--no-pdf")
    out = root / "output"
    before = tree_hashes(out)
    retitle(root, "content/w0/item-0-0.md", "改过标题的稿件")

    proc = start_build([sys.executable, "-m", "briefgen", "build"], root)
    try:
        first = read_line(proc)
        assert first.startswith("PDF  2026-W47  2026年第5期（总第105期）  3篇  "), first
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == code, stderr
    assert tree_hashes(out) == before
    assert leftovers(out) == []

    build_ok(root, "--no-search")
    assert leftovers(out) == []
    page = (out / "issues" / "2026-W47.html").read_text(encoding="utf-8")
    assert "改过标题的稿件" in page
    assert "改过标题的稿件" in flat(pdf_text(out / "issues" / "2026-W47.pdf"))
    assert len(list((out / "issues").glob("*.pdf"))) == 12
    assert "2027-W05.pdf" in {p.name for p in (out / "issues").glob("*.pdf")}


SLOW_DISK = textwrap.dedent('''\
    """Run briefgen on a "disk" that stops responding after a few files have been written into
    the build's staged tree, so that a test can kill the build in the middle of writing it."""
    import signal
    import sys

    from briefgen.storage import tree

    STOP_AFTER = int(sys.argv.pop(1))
    _create = tree._create  # how the staged tree's files are written
    _written = 0


    def create(*args):
        global _written
        result = _create(*args)
        _written += 1
        if _written == STOP_AFTER:
            while True:
                signal.pause()  # until killed; SIGTERM runs briefgen's own handler
        return result


    tree._create = create
    sys.argv[0] = "briefgen"
    from briefgen.cli import main

    main()
''')


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_build_killed_while_writing_its_temporary_folder(tmp_path, sig):
    root = many_issues(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    out = root / "output"
    before = tree_hashes(out)
    retitle(root, "content/w0/item-0-0.md", "改过标题的稿件")
    launcher = tmp_path / "slow_disk.py"
    launcher.write_text(SLOW_DISK, encoding="utf-8")

    proc = start_build([sys.executable, str(launcher), "5", "build"], root)
    try:
        deadline = time.monotonic() + 90
        while True:  # bounded poll: the new tree is staged in the cache and fills up
            temps = sorted((root / ".briefgen-cache" / "staging").glob("tree-*"))
            if temps and sum(1 for f in temps[0].rglob("*") if f.is_file()) >= 5:
                break
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.02)
        assert len(temps) == 1
        assert tree_hashes(out) == before  # nothing touched output/ so far
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    assert tree_hashes(out) == before
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        # Nobody could clean up after SIGKILL: the staged tree, and in the scratch area the rendered
        # pages and the search index's work folders the tree had not taken yet.
        left = leftovers(out)
        assert temps[0].name in left, left
        assert all(name.startswith(("pages-", "search-")) for name in left if name != temps[0].name), left
    elif sig == signal.SIGTERM:
        assert (proc.returncode, stderr) == (143, b"")
        assert leftovers(out) == []  # the build removed its temporary folder itself
    else:  # Ctrl-C
        assert (proc.returncode, stderr.decode("utf-8")) == (130, "\n已中止。\n")
        assert leftovers(out) == []
    assert stdout.decode("utf-8").count("PDF  2026-W") == 6  # it was killed after rendering

    build_ok(root, "--no-search")
    assert leftovers(out) == []
    assert "改过标题的稿件" in (out / "issues" / "2026-W47.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (out / "issues").glob("*.pdf")) == [
        f"2026-W{w}.pdf" for w in range(47, 53)]


def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path):
    """Leftovers are known by briefgen's mark inside their work area, never by their name."""
    root = write_bulletin(tmp_path / "repo", {"content/2026/a.md": item("稿件")})
    staging = root / ".briefgen-cache" / "staging"
    (staging / "tree-abc123" / "issues").mkdir(parents=True)
    (staging / "tree-abc123" / "issues" / "x.html").write_text("半截文件", encoding="utf-8")
    (staging / ".briefgen-partial").write_text("briefgen 的临时文件", encoding="utf-8")
    mine = {}
    for name in (".output.old-backup", ".output.tmp-abc123", ".output-notes"):
        (root / name).mkdir()
        (root / name / "备忘.txt").write_text(f"{name} 是用户自己的", encoding="utf-8")
        mine[name] = tree_hashes(root / name)

    build_ok(root, "--no-search", "--no-pdf")

    assert not (staging / "tree-abc123").exists()
    assert {name: tree_hashes(root / name) for name in mine} == mine


# --------------------------------------------------------------------------- stale files


@pytest.mark.slow
def test_deleted_item_leaves_no_stale_page(tmp_path):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/keep.md": item("保留的稿件", date="2026-11-10"),
        "content/2026/gone.md": item("删除的稿件", date="2026-11-11"),
        "content/2026/later.md": item("下一周的稿件", date="2026-11-17"),
    })
    build_ok(root, "--no-search")
    out = root / "output"
    assert {"items/gone.html", "issues/2026-W46.pdf", "issues/2026-W47.pdf"} <= set(tree_hashes(out))

    (root / "content" / "2026" / "gone.md").unlink()
    (root / "content" / "2026" / "later.md").unlink()
    build_ok(root, "--no-search")
    files = set(tree_hashes(out))
    assert "items/gone.html" not in files
    assert "items/later.html" not in files
    assert "issues/2026-W47.html" not in files and "issues/2026-W47.pdf" not in files
    assert {"items/keep.html", "issues/2026-W46.html", "issues/2026-W46.pdf"} <= files
    for path in out.rglob("*"):
        if path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "gone" not in text and "删除的稿件" not in text and "2026-W47" not in text, path


# --------------------------------------------------------------------------- where the output goes


@pytest.mark.parametrize("where, message", [
    (".", "输出目录 {root} 包含简报仓库本身，请换一个目录（默认是 output/）。"),
    ("..", "输出目录 {parent} 包含简报仓库本身，请换一个目录（默认是 output/）。"),
    ("content", "输出目录 {root}/content 位于 content/ 之内，会覆盖源文件，请换一个目录。"),
    ("content/2026", "输出目录 {root}/content/2026 位于 content/ 之内，会覆盖源文件，请换一个目录。"),
    ("templates", "输出目录 {root}/templates 位于 templates/ 之内，会覆盖源文件，请换一个目录。"),
])
def test_out_over_the_sources_is_refused(tmp_path, run, where, message):
    root = write_bulletin(tmp_path / "repo", {"content/2026/a.md": item("稿件"),
                                              "templates/site/item.html": '{% extends "!default/site/item.html" %}'})
    before = tree_hashes(tmp_path)
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    result = run(root, "build", "--no-search", "--out", where)
    (root / ".briefgen-cache" / "lock").unlink()  # the write lock, taken before the output was checked
    (root / ".briefgen-cache").rmdir()
    assert result.returncode == 1
    assert result.stdout == ""
    real = root.resolve()
    assert result.stderr == "briefgen: " + message.format(root=real, parent=real.parent) + "\n"
    assert tree_hashes(tmp_path) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing


def test_out_elsewhere(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {"content/2026/a.md": item("稿件")})
    result = run(root, "build", "--no-search", "--no-pdf", "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "items" / "a.html").is_file()
    assert not (root / "output").exists()
    assert leftovers(tmp_path / "site") == []


def test_out_over_a_folder_briefgen_did_not_write_is_refused(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {"content/2026/a.md": item("稿件")})
    other = tmp_path / "documents"
    other.mkdir()
    (other / "工作总结.docx").write_bytes(b"not ours")

    result = run(root, "build", "--no-search", "--no-pdf", "--out", str(other))

    assert result.returncode == 1
    assert result.stderr == (
        f"briefgen: 输出目录 {other.resolve()} 中有 1 个文件不是 briefgen 生成的（工作总结.docx）；"
        "生成时会整体替换这个目录，为免误删，没有生成。请把这些文件移到别处，或用 --out 指定一个空目录或新目录。\n"
    )
    assert sorted(p.name for p in other.iterdir()) == ["工作总结.docx"]


def test_out_written_by_an_earlier_build_is_replaced(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {"content/2026/a.md": item("稿件")})
    site = tmp_path / "site"
    assert run(root, "build", "--no-search", "--no-pdf", "--out", str(site)).returncode == 0
    (root / "content/2026/a.md").rename(root / "content/2026/b.md")

    result = run(root, "build", "--no-search", "--no-pdf", "--out", str(site))

    assert result.returncode == 0, result.stderr
    assert (site / "items" / "b.html").is_file()
    assert not (site / "items" / "a.html").exists()


@pytest.mark.parametrize("items", [1, 240], ids=["in-process", "on-worker-processes"])
def test_template_error_names_the_template_line_and_keeps_output(tmp_path, run, items):
    # 240 items make over 200 pages to render, which a build spreads over worker processes.
    days = [f"2026-11-{day:02d}" for day in range(2, 28)]
    root = write_bulletin(tmp_path / "repo", {
        f"content/2026/{n:03d}.md": item(f"稿件第{n}篇", date=days[n % len(days)]) for n in range(items)})
    assert run(root, "build", "--no-search", "--no-pdf").returncode == 0
    before = tree_hashes(root / "output")
    write_bulletin(root, {"templates/site/item.html":
                          '{% extends "!default/site/item.html" %}\n{% block main %}\n{{ item.missing }}\n{% endblock %}\n'})

    result = run(root, "build", "--no-search", "--no-pdf")

    assert result.returncode == 1
    assert result.stderr == (
        "briefgen: templates/site/item.html:3: error: 模板错误："
        "'briefgen.model.Item object' has no attribute 'missing'\n"
        "未生成任何文件；output/ 保持上次的内容。\n"
    )
    assert tree_hashes(root / "output") == before
    assert leftovers(root / "output") == []
