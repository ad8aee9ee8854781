"""The slips officers make that `briefgen check` catches, each at its file and line with what to
do: co-authors, authors who are not the unit's officers, submitted dates that cannot be right,
spaces pasted from Word, and every problem of a file reported in one run.

Each test writes a small bulletin into tmp_path and runs the real CLI in-process."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import CONFIG, TODAY, build_ok, item, pdf_text, write_bulletin

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
        today = TODAY
        tomorrow = (today + dt.timedelta(days=1)).isoformat()
        root = write_bulletin(tmp_path / f"repo{attempt}", {
            P: item(date="2026-11-10", submitted=tomorrow),
            f"{W46}/b.md": item("今天报送", date="2026-11-10", submitted=today.isoformat()),
            f"{W46}/c.md": item("草稿", date="2026-11-10", submitted=tomorrow, status="draft"),
        })
        outcome = check(run, root)
        if TODAY == today:
            break
    assert outcome == (0, [
        f"{P}:6: warning: 报送日期 {tomorrow} 晚于今天（{today.isoformat()}）；"
        "报送日期是单位报送稿件的日期，请检查年份、月份和日",
    ], summary(3, 0, 1))


# --------------------------------------------------------------------------- spaces pasted from Word

SPACES_HINT = "请在原文中删去（汉字与字母、数字之间可留一个普通空格），以免在别处显示为空隙"
PASTED = ("综合科\u3000\u3000召开专题会议，\u00a0\u00a0\u00a0部署工作。\n\n"
          "第二段用 Word\u00a0文档\u200b。\n\n"
          "`甲\u00a0乙` 之外\u2003有\u2002空\u2009格\ufeff。\n"
          "\u3000\u3000缩进的段落。\n")


def pasted_line(line: int, kinds: str, done: str, where: str = "正文") -> str:
    return f"{P}:{line}: warning: {where}中有从 Word 粘贴来的特殊空格（{kinds}），简报中{done}；{SPACES_HINT}"


def test_special_spaces_in_the_body_are_reported_at_each_line(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {P: item(body=PASTED)})
    assert check(run, root) == (0, [
        pasted_line(8, "不间断空格 U+00A0 ×3、全角空格 U+3000 ×2", "已去掉"),
        pasted_line(10, "不间断空格 U+00A0 ×1、零宽空格 U+200B ×1", "已去掉或换成普通空格"),
        pasted_line(12, "全身空格 U+2003 ×1、半身空格 U+2002 ×1、窄空格 U+2009 ×1、零宽不换行空格 U+FEFF ×1",
                    "已去掉"),
    ], summary(1, 0, 3))
    assert check(run, root, "--strict")[0] == 1


def test_special_spaces_are_taken_out_of_the_page_but_not_the_file(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {P: item(body=PASTED)})
    before = (root / P).read_bytes()
    result = run(root, "build", "--no-pdf", "--no-search")
    assert result.returncode == 0, result.stderr
    page = (root / "output" / "items" / "a.html").read_text(encoding="utf-8")
    assert "<p>综合科召开专题会议，部署工作。</p>" in page
    assert "<p>第二段用 Word 文档。</p>" in page
    assert "<p><code>甲&nbsp;乙</code> 之外有空格。缩进的段落。</p>" in page  # inline code as written
    assert (root / P).read_bytes() == before


def test_a_word_and_a_space_between_latin_words_stay_one_space(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {P: item(body="共 12\u00a0\u00a0家 ABC \u00a0DEF\u200bGHI。\n")})
    assert check(run, root) == (0, [pasted_line(8, "不间断空格 U+00A0 ×3、零宽空格 U+200B ×1",
                                                "已去掉或换成普通空格")], summary(1, 0, 1))
    result = run(root, "build", "--no-pdf", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "<p>共 12 家 ABC DEFGHI。</p>" in (root / "output" / "items" / "a.html").read_text(encoding="utf-8")


def test_special_spaces_in_the_title_and_note_are_reported_at_their_lines(tmp_path, run):
    text = item(title="综合科\u3000召开专题会议", body="正文。\n", note="'按：\u00a0此文 \u00a0good\u200b，请参阅。'")
    root = write_bulletin(tmp_path / "repo", {P: text})
    assert check(run, root) == (0, [
        pasted_line(2, "全角空格 U+3000 ×1", "已去掉", "标题"),
        pasted_line(6, "不间断空格 U+00A0 ×2、零宽空格 U+200B ×1", "已去掉或换成普通空格", "按语"),
    ], summary(1, 0, 2))
    result = run(root, "build", "--no-pdf", "--no-search")
    assert result.returncode == 0, result.stderr
    page = (root / "output" / "items" / "a.html").read_text(encoding="utf-8")
    assert '<h1 class="item-title">综合科召开专题会议' in page
    assert '<p class="item-note">按：此文 good，请参阅。</p>' in page


@pytest.mark.slow
def test_pasted_spaces_between_chinese_characters_print_without_gaps(tmp_path):
    body = "综合科\u3000\u3000召开专题会议，\u00a0\u00a0\u00a0部署冬季安全工作。\n\n\u3000\u3000会议要求\u00a0各科室\u2003抓好落实。\n"
    root = write_bulletin(tmp_path / "repo", {P: item(body=body)})
    build_ok(root, "--no-search")
    text = pdf_text(root / "output" / "issues" / "2026-W46.pdf")
    assert "综合科召开专题会议，部署冬季安全工作。" in text
    assert "会议要求各科室抓好落实。" in text
    for page in (root / "output").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not any(mark in html for mark in ("\u3000", "\u00a0", "\u2003", "&nbsp;", "&#160;")), page


# --------------------------------------------------------------------------- every problem of a file at once

MISSING_HINT = "路径相对于本稿件所在的文件夹；请检查文件名，或把文件放到稿件旁边"


def test_every_independent_problem_of_a_file_is_reported_in_one_run(tmp_path, run):
    text = item(unit="市教育厅", grade="优秀", body="第一段。\n\n![](missing.png)\n")
    root = write_bulletin(tmp_path / "repo", {P: text})
    assert check(run, root) == (1, [
        f"{P}:3: error: 未知的单位 '市教育厅'；是不是 '市教育局'？",
        f"{P}:6: error: 等级 '优秀' 无效，可用：精品、特色",
        f"{P}:11: error: 引用的文件 missing.png 不存在；{MISSING_HINT}",
    ], summary(1, 3, 0))


def test_a_body_is_checked_when_the_front_matter_is_not_yaml(tmp_path, run):
    text = item(summary="[未闭合", body="见[附件](附件.docx)。\n\n综合科\u3000召开会议。\n")
    root = write_bulletin(tmp_path / "repo", {P: text})
    assert check(run, root) == (1, [
        f"{P}:7: error: YAML 格式错误（did not find expected ',' or ']'）",
        f"{P}:9: error: 引用的文件 附件.docx 不存在；{MISSING_HINT}",
        pasted_line(11, "全角空格 U+3000 ×1", "已去掉"),
    ], summary(1, 2, 1))


def test_a_file_with_errors_still_warns_of_a_remote_image_once_cached(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {P: item(grade="优秀", body="![图](http://example.com/a.png)\n")})
    expected = (1, [f"{P}:6: error: 等级 '优秀' 无效，可用：精品、特色",
                    f"{P}:9: warning: 不载入网络图片 http://example.com/a.png，只显示其说明文字"], summary(1, 1, 1))
    assert check(run, root) == expected
    assert run(root, "build", "--no-pdf", "--no-search").returncode == 1  # saves nothing, but reads the cache
    assert check(run, root) == expected
