"""briefgen review: the editor's decision and remark, written into the item's front matter and
nothing else; shown on the item's page and in the 通报."""

from __future__ import annotations

import pytest
from conftest import build_ok, item, parse_html, write_bulletin
from test_workflow import run_in_terminal

from briefgen.content.rewrite import set_fields

ALIASES = {"status": ("状态",), "review": ("点评",)}
A, B = "content/2026/2026-W46/a.md", "content/2026/2026-W46/b.md"


def pending(tmp_path):
    return write_bulletin(tmp_path / "repo", {
        A: item("市教育局开展教研活动", status="待审", submitted="2026-11-10"),
        B: item("市财政局强化预算执行", unit="市财政局", date="2026-11-11", status="待审"),
        "content/2026/2026-W46/c.md": item("江北区推进项目建设", unit="江北区人民政府", date="2026-11-12"),
    })


def test_set_fields_changes_only_the_fields_it_sets():
    raw = ("\ufeff---\r\ntitle: 标题\r\n状态: 待审\r\nreview: |\r\n  旧的点评\r\n  第二行\r\n\r\ntags: []\r\n---\r\n"
           "\r\n正文。\r\n").encode("utf-8")
    done = set_fields(raw, {"status": "采用", "review": "写得好：要素齐全"}, ALIASES)
    assert done.decode("utf-8") == ("\ufeff---\r\ntitle: 标题\r\n状态: 采用\r\nreview: 写得好：要素齐全\r\n\r\n"
                                    "tags: []\r\n---\r\n\r\n正文。\r\n")
    added = set_fields("---\ntitle: 标题\n---\n正文\n".encode(), {"status": "退稿", "review": "缺少数据: 请补充"}, ALIASES)
    assert added.decode("utf-8") == '---\ntitle: 标题\nstatus: 退稿\nreview: "缺少数据: 请补充"\n---\n正文\n'


def test_review_lists_the_items_awaiting_a_decision_by_unit(tmp_path, run):
    root = pending(tmp_path)
    result = run(root, "review")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "待审稿件 2 篇：",
        "市教育局（1 篇）",
        f"  {A}  2026-11-10  市教育局开展教研活动",
        "市财政局（1 篇）",
        f"  {B}  2026-11-11  市财政局强化预算执行",
        "用 briefgen review 文件… --adopt（采用）、--reserve（备用）或 --reject（退稿）记录审稿结论，"
        "--comment 写点评；在终端中直接运行 briefgen review 可以逐篇审阅。",
    ]


def test_a_decision_and_remark_change_two_lines_of_the_file_and_nothing_else(tmp_path, run):
    root = pending(tmp_path)
    before = (root / A).read_bytes()
    result = run(root, "review", A, "--adopt", "--comment", "要素齐全，数据翔实。")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已采用：{A}（市教育局，市教育局开展教研活动）；点评：要素齐全，数据翔实。\n"
    after = (root / A).read_bytes()
    assert after == before.replace(b"status: \xe5\xbe\x85\xe5\xae\xa1\n",
                                   "status: 采用\n".encode()).replace(b"\n---\n\n", "\nreview: 要素齐全，数据翔实。\n---\n\n".encode(), 1)
    assert run(root, "review").stdout.splitlines()[:2] == ["待审稿件 1 篇：", "市财政局（1 篇）"]


def test_a_rejection_needs_its_reason(tmp_path, run):
    root = pending(tmp_path)
    before = (root / B).read_bytes()
    result = run(root, "review", B, "--reject")
    assert result.returncode == 2
    assert "退稿请用 --comment 写明原因，供报送单位修改或参考" in result.stderr
    assert (root / B).read_bytes() == before
    result = run(root, "review", B, "--reject", "--comment", "只有工作安排，缺少成效")
    assert result.stdout == f"已退稿：{B}（市财政局，市财政局强化预算执行）；点评：只有工作安排，缺少成效\n"


@pytest.mark.slow
def test_awaiting_items_are_not_printed_and_remarks_show_on_the_site_and_in_the_report(tmp_path, run):
    root = pending(tmp_path)
    build_ok(root, "--no-pdf", "--no-search")
    issue = parse_html(root / "output" / "issues" / "2026-W46.html")
    assert [h.text() for h in issue.find_all("h3", cls="item-title")] == ["江北区推进项目建设"]
    assert run(root, "review", A, "--adopt", "--comment", "要素齐全，数据翔实。").returncode == 0
    assert run(root, "review", B, "--reject", "--comment", "缺少成效").returncode == 0
    build_ok(root, "--no-pdf", "--no-search")
    page = parse_html(root / "output" / "items" / "a.html")
    assert page.find("aside", cls="review").text() == "编辑点评：要素齐全，数据翔实。"
    report = run(root, "stats", "--period", "2026-11", "--format", "html", "--out", str(tmp_path / "tb.html"))
    assert report.returncode == 0, report.stderr
    section = parse_html(tmp_path / "tb.html").find("section", cls="remarks")
    assert [li.text() for li in section.find_all("li")] == [
        "市教育局开展教研活动（市教育局）：要素齐全，数据翔实。", "市财政局强化预算执行（市财政局，退稿）：缺少成效"]


def test_an_item_of_a_published_issue_is_not_reviewed_again(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {A: item("市教育局开展教研活动")})
    assert run(root, "publish", "2026-W46").returncode == 0
    result = run(root, "review", A, "--reserve")
    assert result.returncode == 1
    assert result.stderr == f"briefgen: {A} 已刊登在已发布的一期中，不能再改审稿结论；如需更正，请在下一期中刊登更正\n"


@pytest.mark.slow
def test_in_a_terminal_review_walks_through_the_items(tmp_path):
    root = pending(tmp_path)
    output, code = run_in_terminal(root, ["review"], ["a", "数据翔实", "x", "缺少成效"])
    assert code == 0, output
    assert "[1/2] 市教育局开展教研活动" in output and "[2/2] 市财政局强化预算执行" in output
    assert "status: 采用\nsubmitted: 2026-11-10\nreview: 数据翔实\n" in (root / A).read_text(encoding="utf-8")
    assert "status: 退稿\nreview: 缺少成效\n" in (root / B).read_text(encoding="utf-8")
