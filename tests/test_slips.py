"""The slips officers make that `briefgen check` catches, each at its file and line with what to
do: co-authors, authors who are not the unit's officers, submitted dates that cannot be right,
spaces pasted from Word, and every problem of a file reported in one run.

Each test writes a small bulletin into tmp_path and runs the real CLI in-process."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import CONFIG, item, write_bulletin

W46 = "content/2026/2026-W46"
P = f"{W46}/a.md"
OFFICERS = CONFIG.replace("""units:
  - 市教育局
  - 市财政局
  - 江北区人民政府
""", """units:
  市教育局:
    officers: [王芳, 李华]
  市财政局:
  江北区人民政府:
""")
ROSTER_HINT = "信息员名单见 briefgen.yaml 中 units 的 officers"


def summary(checked: int, errors: int, warnings: int) -> str:
    return f"检查了 {checked} 篇稿件：{errors} 个错误，{warnings} 个警告。\n"


def check(run, root: Path, *args: str) -> tuple[int, list[str], str]:
    result = run(root, "check", *args)
    return result.returncode, result.stdout.splitlines(), result.stderr


def test_officers_config_differs_from_the_default():
    assert OFFICERS != CONFIG


# --------------------------------------------------------------------------- co-authors


@pytest.mark.parametrize("written", ["王芳，李华", "王芳、李华", "王芳,李华", "王芳 李华", "王芳；李华",
                                     "[王芳, 李华]", "'王芳、 李华，王芳'"])
def test_co_authors_are_each_an_officer(tmp_path, run, written):
    root = write_bulletin(tmp_path / "repo", {P: item(author=written)}, OFFICERS)
    assert check(run, root, "--strict") == (0, [], summary(1, 0, 0))


def test_co_authors_are_shown_joined_with_a_dunhao(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {P: item(author="王芳,  李华")})
    result = run(root, "build", "--no-pdf", "--no-search")
    assert result.returncode == 0, result.stderr
    page = (root / "output" / "items" / "a.html").read_text(encoding="utf-8")
    assert "信息员：王芳、李华" in page


def test_an_author_that_is_not_text_is_an_error(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {P: item(author="[王芳, {名: 李华}]")})
    assert check(run, root) == (1, [f"{P}:6: error: 作者应是姓名，或姓名的列表；如 author: 王芳、李华"],
                                summary(1, 1, 0))


def test_each_co_author_is_credited_with_the_whole_item(tmp_path, run):
    config = OFFICERS.replace("period: week", "period: month")
    root = write_bulletin(tmp_path / "repo", {
        f"{W46}/a.md": item("甲稿", author="王芳，李华", grade="精品"),
        f"{W46}/b.md": item("乙稿", author="李华"),
        f"{W46}/c.md": item("丙稿", unit="市财政局"),
    }, config)
    result = run(root, "stats", "--period", "2026-11", "--by", "author", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = {row["author"]: (row["submitted"], row["adopted"], row["premium"]) for row in json.loads(result.stdout)}
    assert rows == {"李华": (2, 2, 1), "王芳": (1, 1, 1), "（未署名）": (1, 1, 0)}


# --------------------------------------------------------------------------- officers of the unit


def test_author_not_among_the_units_officers_is_a_warning_with_a_suggestion(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        P: item(author="王芳、李桦、张三"),
        f"{W46}/b.md": item("市财政局稿件", unit="市财政局", author="赵六"),  # no roster: anyone
    }, OFFICERS)
    assert check(run, root) == (0, [
        f"{P}:6: warning: 作者“张三”不在市教育局的信息员名单中；{ROSTER_HINT}",
        f"{P}:6: warning: 作者“李桦”不在市教育局的信息员名单中；是不是 李华？",
    ], summary(2, 0, 2))
    assert check(run, root, "--strict")[0] == 1


def test_author_line_is_the_author_key_even_in_a_list(tmp_path, run):
    text = item(tags="[甲]", 作者="\n  - 王芳\n  - 赵四")
    root = write_bulletin(tmp_path / "repo", {P: text}, OFFICERS)
    assert check(run, root) == (0, [f"{P}:7: warning: 作者“赵四”不在市教育局的信息员名单中；{ROSTER_HINT}"],
                                summary(1, 0, 1))


# --------------------------------------------------------------------------- submitted dates


def test_submitted_before_the_event_is_a_warning_at_its_line(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        P: item(date="2026-11-10", author="王芳", submitted="2026-11-09"),
        f"{W46}/b.md": item("当天报送", date="2026-11-10", submitted="2026-11-10"),
    })
    assert check(run, root) == (0, [
        f"{P}:7: warning: 报送日期 2026-11-09 早于事件日期 2026-11-10；请检查 submitted 和 date 的年份、月份和日",
    ], summary(2, 0, 1))


def test_submitted_after_today_is_a_warning(tmp_path, run):
    for attempt in range(2):
        today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
        tomorrow = (today + dt.timedelta(days=1)).isoformat()
        root = write_bulletin(tmp_path / f"repo{attempt}", {
            P: item(date="2026-11-10", submitted=tomorrow),
            f"{W46}/b.md": item("今天报送", date="2026-11-10", submitted=today.isoformat()),
            f"{W46}/c.md": item("草稿", date="2026-11-10", submitted=tomorrow, status="draft"),
        })
        outcome = check(run, root)
        if dt.datetime.now(ZoneInfo("Asia/Shanghai")).date() == today:
            break
    assert outcome == (0, [
        f"{P}:6: warning: 报送日期 {tomorrow} 晚于今天（{today.isoformat()}）；"
        "报送日期是单位报送稿件的日期，请检查年份、月份和日",
    ], summary(3, 0, 1))
