"""约稿 and 报送要点: content/calls/<id>.yaml, items that answer them (call:), briefgen calls, the
statistics and the 通报, and the site's page of calls."""

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

PAST, AHEAD = TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=5)


def repository(tmp_path, config=CONFIG):
    day = PAST - dt.timedelta(days=1)
    return write_bulletin(tmp_path / "repo", {
        "content/calls/dongchun.yaml": (f"title: 今冬明春安全生产工作情况\nunits: [市教育局, 江北区人民政府]\n"
                                        f"due: {PAST.isoformat()}\nnote: 重点报送隐患排查整治的做法\n"),
        "content/calls/yuandan.yaml": f"title: 元旦春节期间市场保供情况\ndue: {AHEAD.isoformat()}\n",
        "content/calls/yaodian.yaml": "title: 2027年信息报送要点\n",
        "content/a.md": item("市教育局开展校园安全排查", date=day.isoformat(), call="dongchun"),
        "content/b.md": item("市财政局保障节日供应", unit="市财政局", date=day.isoformat(), call="yuandan"),
        "content/c.md": item("市教育局谋划明年工作", date=day.isoformat(), call="yaodian"),
    }, config=config)


def test_calls_lists_who_answered_and_who_missed_once_past_due(tmp_path, run):
    root = repository(tmp_path)
    result = run(root, "calls")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"约稿 dongchun（{PAST.isoformat()} 已截止）：今冬明春安全生产工作情况",
        "  已报送：市教育局 1 篇",
        "  未报送：江北区人民政府",
        f"约稿 yuandan（截止 {AHEAD.isoformat()}，还有 5 天）：元旦春节期间市场保供情况",
        "  已报送：市财政局 1 篇",
        "  尚未报送：市教育局、江北区人民政府",
        "报送要点 yaodian：2027年信息报送要点",
        "  已报送：市教育局 1 篇",
    ]


def test_without_calls_it_says_how_to_write_one(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item()})
    assert run(root, "calls").stdout.startswith("还没有约稿。约稿写在 content/calls/<编号>.yaml 中")


def test_a_wrong_call_file_and_a_wrong_answer_name_their_lines(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/calls/bad.yaml": "title: 约稿\nunits: [市教育厅]\ndue: 2026-13-01\n",
        "content/calls/ok.yaml": "title: 冬季供暖保障情况\nunits: [市财政局]\n",
        "content/a.md": item(call="0k"),
        "content/b.md": item("市教育局响应未约的稿", date="2026-11-11", call="ok"),
    })
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "content/a.md:6: error: 没有编号为 '0k' 的约稿；是不是 ok？",
        "content/b.md:6: warning: 约稿“冬季供暖保障情况”没有向市教育局约稿；约稿的单位：市财政局",
    ]
    assert result.stdout.splitlines()[2].startswith("content/calls/bad.yaml:2: error: 未知的单位 '市教育厅'；是不是 市教育局？")
    assert result.stdout.splitlines()[3].startswith("content/calls/bad.yaml:3: error:")


def test_the_statistics_count_calls_answered_and_missed_with_their_points(tmp_path, run):
    config = CONFIG.replace("units:\n", "scoring: {call_answered: 2, call_missed: 3}\nunits:\n", 1)
    root = repository(tmp_path, config)
    period = f"{PAST.year}-{PAST.month:02d}"
    result = run(root, "stats", "--period", period, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = [line.split(",") for line in result.stdout.lstrip("\ufeff").splitlines()]
    header = rows[0]
    assert header[-3:] == ["响应约稿", "未响应约稿", "时效（天）"]
    by_unit = {row[1]: row for row in rows[1:]}
    answered, missed, score = header.index("响应约稿"), header.index("未响应约稿"), header.index("得分")
    # 报送 1 + 采用 3 each; 市教育局 has two items (4 + 4) and answered dongchun (+2);
    # 江北区人民政府 missed it (-3); yuandan is not yet due.
    assert (by_unit["市教育局"][answered], by_unit["市教育局"][missed], by_unit["市教育局"][score]) == ("1", "0", "10")
    assert (by_unit["江北区人民政府"][answered], by_unit["江北区人民政府"][missed],
            by_unit["江北区人民政府"][score]) == ("0", "1", "-3")
    report = run(root, "stats", "--period", period, "--format", "html", "--out", str(tmp_path / "tb.html"))
    assert report.returncode == 0, report.stderr
    section = parse_html(tmp_path / "tb.html").find("section", cls="calls")
    assert section.find("li").text() == (f"约稿“今冬明春安全生产工作情况”（{PAST.year}年{PAST.month}月{PAST.day}日截止）："
                                         "市教育局1篇已报送；江北区人民政府未报送。")


def test_the_site_shows_the_calls_on_a_page_every_page_links(tmp_path):
    root = repository(tmp_path)
    build_ok(root, "--no-pdf", "--no-search")
    page = parse_html(root / "output" / "calls.html")
    assert [h.text() for h in page.find_all("h2")] == [
        "报送要点：2027年信息报送要点", "约稿：元旦春节期间市场保供情况", "约稿：今冬明春安全生产工作情况"]
    index = parse_html(root / "output" / "index.html")
    assert [a.attrs.get("href") for a in index.find("nav").find_all("a")][-2:] == ["calls.html", "feed.xml"]
