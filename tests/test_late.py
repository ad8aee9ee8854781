"""Late items (迟报): an item dated in or before a published issue goes into the next unpublished
one with its true date, and nothing stops; an item may name its issue; new says so first."""

from __future__ import annotations

import datetime as dt

from conftest import (
    CONFIG,
    TODAY,
    build_ok,
    item,
    parse_html,
    write_bulletin,
)

from briefgen.bulletin.late import next_open, place
from briefgen.bulletin.ledger import Ledger, Publication, Release
from briefgen.bulletin.periods import period_named, period_of

FIRST, LATE, AHEAD = "content/2026/w46/a.md", "content/2026/w46/late.md", "content/2026/w48/b.md"
LATE_ITEM = item("市财政局补报的稿件", unit="市财政局", date="2026-11-11", submitted="2026-11-20")


def published_w46(tmp_path, run, files=None):
    root = write_bulletin(tmp_path / "repo", {FIRST: item("市教育局开展教研活动", date="2026-11-10")})
    assert run(root, "publish", "2026-W46").returncode == 0
    for rel, text in (files or {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_late_item_goes_into_the_next_unpublished_issue_and_check_notes_it(tmp_path, run):
    root = published_w46(tmp_path, run, {LATE: LATE_ITEM,
                                         AHEAD: item("江北区推进项目建设", unit="江北区人民政府", date="2026-11-24")})
    checked = run(root, "check", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == (f"{LATE}:4: note: 迟报：稿件日期 2026-11-11，所在的一期 2026-W46 已经发布，"
                              "编入 2026年第6期（2026-W48）\n")
    assert checked.stderr == "检查了 3 篇稿件：0 个错误，0 个警告。\n"
    build_ok(root, "--no-pdf", "--no-search", "--drafts")
    w48 = parse_html(root / "output" / "issues" / "2026-W48.html")
    assert [h.text() for h in w48.find_all("h3", cls="item-title")] == ["市财政局补报的稿件", "江北区推进项目建设"]
    w46 = parse_html(root / "output" / "issues" / "2026-W46.html")
    assert [h.text() for h in w46.find_all("h3", cls="item-title")] == ["市教育局开展教研活动"]
    page = parse_html(root / "output" / "items" / "late.html")
    assert "2026年11月11日" in page.find("p", cls="item-meta").text()  # its true date
    stats = run(root, "stats", "--period", "2026-11", "--format", "csv")
    lines = stats.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[-2:] == ["迟报", "时效（天）"]
    row = next(line for line in lines if "市财政局" in line).split(",")
    assert row[-2:] == ["1", "9.0"]  # counted late; from event to submission 9 days, never negative
    report = run(root, "stats", "--period", "2026-11", "--format", "html", "--out", str(tmp_path / "tb.html"))
    assert report.returncode == 0, report.stderr
    assert parse_html(tmp_path / "tb.html").find("p", cls="report-summary").text().startswith(
        "2026年11月，共收到各单位报送信息3篇（其中迟报1篇），采用3篇")


def test_with_nothing_unpublished_ahead_a_late_item_opens_the_current_period():
    ledger = Ledger({"2026-W46": Publication("2026-W46", 5, 105, Release(dt.date(2026, 11, 13), {FIRST: "0" * 64}))})
    from briefgen.model import Item

    first = Item(FIRST, "a", "甲", "市教育局", dt.date(2026, 11, 10), "工作动态", "正文", 8)
    late = Item(LATE, "late", "乙", "市财政局", dt.date(2026, 11, 9), "工作动态", "正文", 8)
    placed = place([first, late], "week", ledger, dt.date(2026, 12, 1))
    assert (placed.of(first).id, placed.of(late).id, [i.source for i in placed.late]) == (
        "2026-W46", "2026-W49", [LATE])
    newest = period_named("2026-W46", "week")
    assert newest is not None
    assert next_open(newest, [], dt.date(2026, 11, 14), "week").id == "2026-W47"  # today still in W46
    assert next_open(newest, [period_of(dt.date(2026, 11, 18), "week")], dt.date(2026, 12, 1), "week").id == "2026-W47"


def test_an_item_may_name_its_unpublished_issue_but_not_a_published_one(tmp_path, run):
    root = published_w46(tmp_path, run, {
        AHEAD: item("江北区推进项目建设", unit="江北区人民政府", date="2026-11-24"),
        "content/2026/w47/c.md": item("市财政局提前编入", unit="市财政局", date="2026-11-17", issue="2026-W48"),
        "content/2026/w47/d.md": item("市教育局编入已发布", date="2026-11-18", issue="2026-W46"),
        "content/2026/w47/e.md": item("市教育局期号写错", date="2026-11-19", issue="第48期"),
    })
    checked = run(root, "check")
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "content/2026/w47/d.md:6: error: 期号 2026-W46 的一期已经发布，稿件不能再编入；"
        "请删去 issue 一行（稿件会编入下一期），或写一个还未发布的期号",
        "content/2026/w47/e.md:6: error: 期号 '第48期' 无效；应写成 2026-W50（第50周）",
    ]
    for rel in ("content/2026/w47/d.md", "content/2026/w47/e.md"):
        (root / rel).unlink()
    build_ok(root, "--no-pdf", "--no-search", "--drafts")
    assert not (root / "output" / "issues" / "2026-W47.html").exists()
    titles = sorted(h.text() for h in parse_html(root / "output" / "issues" / "2026-W48.html")
                    .find_all("h3", cls="item-title"))
    assert titles == ["市财政局提前编入", "江北区推进项目建设"]


def test_new_says_before_writing_that_the_item_will_be_late(tmp_path, run):
    root = published_w46(tmp_path, run, {AHEAD: item("江北区推进项目建设", unit="江北区人民政府", date="2026-11-24")})
    result = run(root, "new", "市教育局补报稿件", "--unit", "市教育局", "--topic", "工作动态", "--date", "2026-11-12")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("注意：日期 2026-11-12 所在的一期（2026-W46）已经发布；"
                             "这篇稿件将作为迟报编入 2026年第6期（2026-W48），日期不变。\n")


def test_new_refuses_a_date_beyond_future_days(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", config=CONFIG.replace("future_days: 400", "future_days: 7"))
    ahead = TODAY + dt.timedelta(days=10)
    result = run(root, "new", "市教育局未来的稿件", "--unit", "市教育局", "--topic", "工作动态", "--date", ahead.isoformat())
    assert result.returncode == 1
    assert result.stderr == (f"briefgen: 日期 {ahead.isoformat()} 比今天（{TODAY.isoformat()}）晚 10 天，"
                             "超过了 briefgen.yaml 中 future_days 允许的 7 天；请检查日期\n")
    assert not list((root / "content").rglob("*.md"))
