"""Starting a bulletin and writing items: `briefgen init` and `briefgen new`, as an officer uses them."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import (
    FONTS_LINE,
    TODAY,
    build_ok,
    flat,
    item,
    pdf_text,
    run_briefgen,
    write_bulletin,
)

YEAR, WEEK, _ = TODAY.isocalendar()
WEEK_ID = f"{YEAR}-W{WEEK:02d}"


@pytest.mark.slow
def test_init_makes_a_repository_that_builds_at_once(tmp_path):
    folder = tmp_path / "jianbao"

    result = run_briefgen(None, "init", str(folder), "--name", "教育信息", "--publisher", "市教育局办公室", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    examples = [f"content/{YEAR}/{WEEK_ID}/{TODAY}-全面推进信息报送工作规范化.md",
                f"content/{YEAR}/{WEEK_ID}/{TODAY}-综合科建立信息采编日碰头机制.md"]
    assert result.stdout.splitlines() == [
        f"已新建简报仓库 {folder}：",
        "  briefgen.yaml        设置（简报名称、栏目、单位、报尾等），请按本单位实际修改",
        *[f"  {rel}  示例稿件" for rel in examples],
        "  templates/、fonts/   自定义模板和公文字体（各有说明）",
        f"下一步：cd {folder} && briefgen review（审阅示例稿件，新稿件都是“待审”），然后 briefgen build",
    ]
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                   if p.is_file() and ".git/" not in p.relative_to(folder).as_posix() + "/")
    assert files == sorted([".gitattributes", ".gitignore", ".pre-commit-config.yaml", "README.md", "briefgen.yaml",
                            "ci/gitlab-ci.yml", "fonts/README.md", "templates/README.md", *examples])
    assert (folder / ".git").is_dir()
    assert "output/\n" in (folder / ".gitignore").read_text(encoding="utf-8")
    assert "* text=auto eol=lf\n" in (folder / ".gitattributes").read_text(encoding="utf-8")
    settings = yaml.safe_load((folder / "briefgen.yaml").read_text(encoding="utf-8"))
    assert (settings["name"], settings["publisher"], settings["period"]) == ("教育信息", "市教育局办公室", "week")
    assert "# 教育信息\n" in (folder / "README.md").read_text(encoding="utf-8")

    listed = run_briefgen(None, "review", cwd=folder)  # from inside the folder, as the message says
    assert listed.stdout.splitlines()[:3] == ["待审稿件 2 篇：", "办公室（1 篇）", f"  {examples[0]}  {TODAY}  全面推进信息报送工作规范化"]
    assert run_briefgen(None, "review", *examples, "--adopt", cwd=folder).returncode == 0
    built = run_briefgen(None, "build", cwd=folder)

    assert built.returncode == 0, built.stderr
    assert built.stderr == FONTS_LINE
    text = flat(pdf_text(folder / "output" / "issues" / f"{WEEK_ID}.pdf"))
    assert "教育信息" in text and "市教育局办公室" in text
    assert "全面推进信息报送工作规范化" in text and "综合科建立信息采编“日碰头”机制" in text


def test_init_refuses_a_folder_that_holds_files(tmp_path):
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "notes.txt").write_text("别动我", encoding="utf-8")

    result = run_briefgen(None, "init", str(folder), cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr == f"briefgen: {folder} 已存在且不是空目录；请指定一个新目录，briefgen 不会在已有文件旁边新建仓库。\n"
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_init_with_a_relative_folder(tmp_path):
    """`briefgen init jianbao`, as the README says, from the folder that will hold it."""
    result = run_briefgen(None, "init", "jianbao", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "已新建简报仓库 jianbao："
    assert result.stdout.splitlines()[2] == f"  content/{YEAR}/{WEEK_ID}/{TODAY}-全面推进信息报送工作规范化.md  示例稿件"
    assert result.stdout.splitlines()[-1] == "下一步：cd jianbao && briefgen review（审阅示例稿件，新稿件都是“待审”），然后 briefgen build"


def test_init_with_monthly_issues(tmp_path):
    folder = tmp_path / "monthly"
    assert run_briefgen(None, "init", str(folder), "--period", "month", cwd=tmp_path).returncode == 0
    month = f"{TODAY.year}-{TODAY.month:02d}"
    examples = sorted((folder / "content").rglob("*.md"))
    assert [p.parent.name for p in examples] == [month, month]
    build_ok(folder, "--no-search", "--no-pdf")
    assert not (folder / "output" / "issues" / f"{month}.html").exists()  # both examples await review
    assert run_briefgen(folder, "review", *map(str, examples), "--adopt").returncode == 0
    build_ok(folder, "--no-search", "--no-pdf")
    assert (folder / "output" / "issues" / f"{month}.html").is_file()


def bulletin(root: Path) -> Path:
    return write_bulletin(root, {"content/2026/w46/a.md": item("已有的稿件", date="2026-11-10")})


def test_new_writes_complete_front_matter_at_a_predictable_path(tmp_path):
    root = bulletin(tmp_path / "repo")

    result = run_briefgen(root, "new", "市财政局: 压减一般性支出 10%", "--unit", "市财政局", "--topic", "工作动态",
                          "--date", "2026-11-18", "--author", "吴敏")

    assert result.returncode == 0, result.stderr
    rel = "content/2026/2026-W47/2026-11-18-市财政局-压减一般性支出-10.md"
    assert result.stdout == (f"已新建 {rel}\n"
                             "请在第二个 --- 之后写正文（每段一行，段落之间空一行），写好后运行 briefgen check 检查。\n")
    assert (root / rel).read_text(encoding="utf-8") == (
        "---\n"
        'title: "市财政局: 压减一般性支出 10%"\n'
        "unit: 市财政局\n"
        "topic: 工作动态\n"
        "date: 2026-11-18\n"
        "author: 吴敏\n"
        f"submitted: {TODAY}\n"
        "tags: []\n"
        "status: 待审\n"
        "---\n"
        "\n"
    )
    # Until the body is written, check says where to write it.
    checked = run_briefgen(root, "check")
    assert checked.returncode == 1
    assert checked.stdout == f"{rel}:10: error: 正文是空的；请在第二个 --- 之后写稿件正文\n"

    with (root / rel).open("a", encoding="utf-8") as stream:
        stream.write("市财政局压减一般性支出，全年节约资金一千万元。\n")
    build_ok(root, "--no-search", "--no-pdf")
    assert not (root / "output" / "issues" / "2026-W47.html").exists()  # 待审: not printed until adopted
    assert run_briefgen(root, "review", rel, "--adopt").returncode == 0
    build_ok(root, "--no-search", "--no-pdf")
    page = (root / "output" / "issues" / "2026-W47.html").read_text(encoding="utf-8")
    assert "市财政局: 压减一般性支出 10%" in page and "全年节约资金一千万元" in page


def test_new_defaults_to_today_and_never_overwrites(tmp_path):
    root = bulletin(tmp_path / "repo")
    args = ("new", "市教育局开展教研活动", "--unit", "市教育局", "--topic", "工作动态")

    first = run_briefgen(root, *args)
    rel = f"content/{YEAR}/{WEEK_ID}/{TODAY}-市教育局开展教研活动.md"
    assert first.stdout.startswith(f"已新建 {rel}\n")
    (root / rel).write_text((root / rel).read_text(encoding="utf-8") + "正文已经写好。\n", encoding="utf-8")

    again = run_briefgen(root, *args)

    assert again.returncode == 1
    assert again.stderr == f"briefgen: {rel} 已经存在，没有改动它；同一天同名的稿件请换个标题。\n"
    assert (root / rel).read_text(encoding="utf-8").endswith("正文已经写好。\n")


def test_new_suggests_the_unit_or_topic_meant(tmp_path):
    root = bulletin(tmp_path / "repo")

    unit = run_briefgen(root, "new", "标题", "--unit", "市教育厅", "--topic", "工作动态")
    topic = run_briefgen(root, "new", "标题", "--unit", "市教育局", "--topic", "工作动向")
    day = run_briefgen(root, "new", "标题", "--unit", "市教育局", "--topic", "工作动态", "--date", "2026-02-30")

    assert (unit.returncode, unit.stderr) == (1, "briefgen: 未知的单位 '市教育厅'；是不是 '市教育局'？\n")
    assert (topic.returncode, topic.stderr) == (1, "briefgen: 未知的栏目 '工作动向'；是不是 '工作动态'？\n")
    assert (day.returncode, day.stderr) == (1, "briefgen: 日期 '2026-02-30' 不存在；请检查月份和日\n")
    assert sorted(p.name for p in (root / "content").rglob("*.md")) == ["a.md"]


def test_new_without_a_terminal_names_what_is_missing(tmp_path):
    root = bulletin(tmp_path / "repo")

    result = run_briefgen(root, "new", "--unit", "市教育局")

    assert result.returncode == 2
    assert result.stderr.endswith(
        "briefgen: 用法错误：缺少标题、--topic；例如 briefgen new \"稿件标题\" --unit 单位 --topic 栏目\n"
        "运行 briefgen new -h 查看帮助。\n")


def test_new_in_a_terminal_asks_with_the_choices_from_the_settings(tmp_path):
    root = bulletin(tmp_path / "repo")
    answers = ["江北区召开安全生产会议", "9", "江北区政府", "江北区人民政府", "工作动态"]

    output, code = run_in_terminal(root, ["new"], answers)

    assert code == 0, output
    rel = f"content/{YEAR}/{WEEK_ID}/{TODAY}-江北区召开安全生产会议.md"
    assert f"已新建 {rel}" in output
    assert "  1. 市教育局" in output and "  3. 江北区人民政府" in output  # the units, numbered
    assert "没有“9”这一项，请重新输入。" in output
    assert "没有“江北区政府”这一项，是不是 江北区人民政府？请重新输入。" in output
    text = (root / rel).read_text(encoding="utf-8")
    assert "title: 江北区召开安全生产会议\nunit: 江北区人民政府\ntopic: 工作动态\n" in text
    assert 'author: ""\n' in text


def run_in_terminal(root: Path, args: list[str], answers: list[str], timeout: float = 60) -> tuple[str, int]:
    """Run briefgen with a pseudo-terminal as its input, typing each answer after the next prompt."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "briefgen", "--root", str(root), *args], cwd=root,
                               stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    output, pending, deadline, answered = b"", list(answers), time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break  # the program ended and closed the terminal
            if not chunk:
                break
            output += chunk
            fresh = output[answered:].decode("utf-8", "replace").rstrip()
            if pending and fresh.endswith(("：", ":")):  # a new prompt since the last answer
                os.write(leader, (pending.pop(0) + "\n").encode("utf-8"))
                answered = len(output)
        elif process.poll() is not None:
            break
    code = process.wait(timeout=10)
    os.close(leader)
    return output.decode("utf-8", "replace").replace("\r\n", "\n"), code


def test_init_writes_every_scoring_default_into_its_settings(tmp_path):
    from briefgen.config.rules import Rules

    folder = tmp_path / "repo"
    assert run_briefgen(None, "init", str(folder), cwd=tmp_path).returncode == 0
    scoring = yaml.safe_load((folder / "briefgen.yaml").read_text(encoding="utf-8"))["scoring"]
    defaults = Rules()
    assert scoring == {"submitted": defaults.submitted, "adopted": defaults.adopted, "grades": dict(defaults.grades),
                       "higher": dict(defaults.higher), "instructions": dict(defaults.instructions),
                       "call_answered": defaults.call_answered, "call_missed": defaults.call_missed,
                       "quota": {"month": 2}}
