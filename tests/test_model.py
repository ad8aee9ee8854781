"""The pure stages: periods, numbering, grouping and order, reading items, Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.bulletin.group import build_issues
from briefgen.bulletin.numbering import number
from briefgen.bulletin.periods import chinese_date, period_of, signoff_date
from briefgen.config.settings import Config
from briefgen.content.frontmatter import split
from briefgen.content.items import parse_item
from briefgen.content.markdown import MarkdownRenderer
from briefgen.errors import Diagnostic, InputError
from briefgen.model import IssueSettings, Item, Period

D = dt.date

CONFIG = Config(
    root=Path("/nonexistent/bulletin"), name="测试简报", publisher="测试市人民政府办公室",
    topics=("要情专报", "工作动态", "经验交流"), units=("市教育局", "市财政局", "江北区人民政府"),
    first_number=5, first_total=105,
)


def make_item(title: str, date: D, topic: str = "工作动态", weight: int = 0, status: str = "adopted",
              slug: str | None = None) -> Item:
    slug = slug or f"{date.isoformat()}-{abs(hash(title)) % 10**8}"
    return Item(source=f"content/{slug}.md", slug=slug, title=title, unit="市教育局", date=date,
                topic=topic, body="正文。", body_line=7, weight=weight, status=status)


def parse(text: str | bytes, config: Config = CONFIG, rel: str = "content/2026/x.md"):
    problems: list[Diagnostic] = []
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_item(rel, raw, config, problems), problems


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize("day, expected", [
    (D(2026, 11, 20), Period("week", "2026-W47", 2026, D(2026, 11, 16), D(2026, 11, 22))),
    (D(2026, 11, 16), Period("week", "2026-W47", 2026, D(2026, 11, 16), D(2026, 11, 22))),
    (D(2026, 11, 22), Period("week", "2026-W47", 2026, D(2026, 11, 16), D(2026, 11, 22))),
    # ISO years: 2026 has 53 weeks, and 1 January 2027 still belongs to 2026-W53.
    (D(2026, 12, 30), Period("week", "2026-W53", 2026, D(2026, 12, 28), D(2027, 1, 3))),
    (D(2027, 1, 1), Period("week", "2026-W53", 2026, D(2026, 12, 28), D(2027, 1, 3))),
    (D(2027, 1, 6), Period("week", "2027-W01", 2027, D(2027, 1, 4), D(2027, 1, 10))),
    (D(2025, 12, 29), Period("week", "2026-W01", 2026, D(2025, 12, 29), D(2026, 1, 4))),
])
def test_week_period_uses_iso_weeks(day, expected):
    assert period_of(day, "week") == expected


@pytest.mark.parametrize("day, expected", [
    (D(2026, 11, 5), Period("month", "2026-11", 2026, D(2026, 11, 1), D(2026, 11, 30))),
    (D(2026, 2, 14), Period("month", "2026-02", 2026, D(2026, 2, 1), D(2026, 2, 28))),
    (D(2028, 2, 29), Period("month", "2028-02", 2028, D(2028, 2, 1), D(2028, 2, 29))),
    (D(2026, 12, 31), Period("month", "2026-12", 2026, D(2026, 12, 1), D(2026, 12, 31))),
])
def test_month_period(day, expected):
    assert period_of(day, "month") == expected


def test_unknown_period_kind_is_refused():
    with pytest.raises(ValueError, match="unknown period kind 'day'"):
        period_of(D(2026, 1, 1), "day")


def test_period_labels():
    assert period_of(D(2026, 12, 30), "week").label == "2026年第53周"
    assert period_of(D(2027, 1, 6), "week").label == "2027年第1周"
    assert period_of(D(2026, 11, 5), "month").label == "2026年11月"


def test_signoff_date_is_friday_of_week_or_last_day_of_month():
    assert signoff_date(period_of(D(2026, 11, 16), "week")) == D(2026, 11, 20)
    assert signoff_date(period_of(D(2026, 11, 22), "week")) == D(2026, 11, 20)
    assert signoff_date(period_of(D(2026, 11, 5), "month")) == D(2026, 11, 30)
    assert signoff_date(period_of(D(2026, 2, 5), "month")) == D(2026, 2, 28)


def test_chinese_date_has_no_leading_zeros():
    assert chinese_date(D(2026, 11, 20)) == "2026年11月20日"
    assert chinese_date(D(2027, 1, 5)) == "2027年1月5日"


# --------------------------------------------------------------------------- numbering


def test_numbering_starts_from_config_and_restarts_each_iso_year():
    periods = [period_of(day, "week") for day in
               (D(2026, 12, 21), D(2026, 12, 30), D(2027, 1, 6), D(2027, 1, 13))]
    assert [p.id for p in periods] == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert number(periods, first=38, first_total=412) == [(38, 412), (39, 413), (1, 414), (2, 415)]


def test_numbering_defaults_to_one():
    periods = [period_of(day, "month") for day in (D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1))]
    assert number(periods) == [(1, 1), (2, 2), (1, 3)]


def test_numbering_of_nothing():
    assert number([], 7, 70) == []


# --------------------------------------------------------------------------- grouping and order


def test_issues_group_by_week_topics_in_config_order_then_weight_date_title():
    items = [
        make_item("市财政局加强预算执行管理", D(2026, 11, 10), "工作动态"),
        make_item("江北区召开安全生产工作会议", D(2026, 11, 12), "要情专报"),
        make_item("市教育局部署冬季校园安全工作", D(2026, 11, 13), "工作动态", weight=-5),
        make_item("市教育局启动教师培训计划", D(2026, 11, 10), "工作动态"),
        make_item("为民办实事项目全部完工", D(2026, 11, 11), "工作动态"),
        make_item("经验稿件", D(2026, 11, 15), "经验交流", weight=3),
        make_item("备用稿件", D(2026, 11, 11), "要情专报", status="reserve"),
        make_item("退稿稿件", D(2026, 11, 11), "要情专报", status="rejected"),
        make_item("草稿稿件", D(2026, 11, 11), "要情专报", status="draft"),
        make_item("下周稿件", D(2026, 11, 16), "经验交流"),
    ]
    issues = build_issues(items, CONFIG)
    assert [i.id for i in issues] == ["2026-W46", "2026-W47"]
    first = issues[0]
    assert [s.topic for s in first.sections] == ["要情专报", "工作动态", "经验交流"]
    assert [i.title for i in first.items] == [
        "江北区召开安全生产工作会议",
        "市教育局部署冬季校园安全工作",  # weight -5 first, though it is the latest
        "市教育局启动教师培训计划",  # same weight and date as the next: by title (教 < 财)
        "市财政局加强预算执行管理",
        "为民办实事项目全部完工",  # would be first by title, but is a day later
        "经验稿件",
    ]
    assert (first.number, first.total, first.date, first.title) == (5, 105, D(2026, 11, 13), "2026年第5期")
    second = issues[1]
    assert [s.topic for s in second.sections] == ["经验交流"]
    assert (second.number, second.total, second.date) == (6, 106, D(2026, 11, 20))


def test_weeks_without_adopted_items_get_no_issue_and_no_number():
    items = [
        make_item("第一周", D(2026, 11, 2)),
        make_item("只有备用稿", D(2026, 11, 10), status="reserve"),
        make_item("第三周", D(2026, 11, 17)),
    ]
    issues = build_issues(items, CONFIG)
    assert [(i.id, i.number, i.total) for i in issues] == [("2026-W45", 5, 105), ("2026-W47", 6, 106)]


def test_new_iso_year_restarts_numbers():
    items = [make_item("年末", D(2026, 12, 30)), make_item("年初", D(2027, 1, 6))]
    issues = build_issues(items, CONFIG)
    assert [(i.id, i.number, i.total, i.title) for i in issues] == [
        ("2026-W53", 5, 105, "2026年第5期"), ("2027-W01", 1, 106, "2027年第1期")]


def test_month_period_ids_and_dates():
    config = Config(root=CONFIG.root, name="月刊", publisher="办公室", topics=CONFIG.topics,
                    units=CONFIG.units, period="month")
    items = [make_item("十一月", D(2026, 11, 5)), make_item("十二月", D(2026, 12, 2)),
             make_item("也是十一月", D(2026, 11, 30))]
    issues = build_issues(items, config)
    assert [(i.id, i.number, i.total, i.date) for i in issues] == [
        ("2026-11", 1, 1, D(2026, 11, 30)), ("2026-12", 2, 2, D(2026, 12, 31))]
    assert [i.title for i in issues[0].items] == ["十一月", "也是十一月"]


def test_issue_settings_override_the_masthead_date():
    items = [make_item("稿件", D(2026, 11, 10))]
    settings = {"2026-W46": IssueSettings(date=D(2026, 11, 12), signer="张签发")}
    (issue,) = build_issues(items, CONFIG, settings)
    assert issue.date == D(2026, 11, 12)
    assert issue.settings.signer == "张签发"


# --------------------------------------------------------------------------- reading items

GOOD = """---
title: 市教育局开展教研活动
unit: 市教育局
date: 2026-11-10
topic: 工作动态
author: 李明
tags: [教研, 教育]
grade: 精品
weight: -3
summary: 一句话摘要
note: 按：特予刊发。
---

市教育局组织开展教研活动。
"""


def test_item_with_every_field():
    parsed, problems = parse(GOOD)
    assert problems == []
    assert parsed == Item(
        source="content/2026/x.md", slug="x", title="市教育局开展教研活动", unit="市教育局",
        date=D(2026, 11, 10), topic="工作动态", body="\n市教育局组织开展教研活动。\n", body_line=13,
        authors=("李明",), tags=("教研", "教育"), grade="精品", weight=-3, summary="一句话摘要",
        note="按：特予刊发。", status="adopted",
    )
    assert parsed.published


def test_chinese_keys_and_status_aliases():
    text = ("---\n标题: 江北区全力做好防汛准备\n单位: 江北区人民政府\n日期: 2026-11-18\n栏目: 要情专报\n"
            "作者: 王五\n标签: 防汛、应急，安全\n等级: 特色\n权重: 2\n摘要: 摘要文字\n按语: 按语文字\n状态: 备用\n---\n正文\n")
    parsed, problems = parse(text)
    assert problems == []
    assert (parsed.title, parsed.unit, parsed.date, parsed.topic, parsed.authors) == (
        "江北区全力做好防汛准备", "江北区人民政府", D(2026, 11, 18), "要情专报", ("王五",))
    assert (parsed.tags, parsed.grade, parsed.weight, parsed.summary, parsed.note) == (
        ("防汛", "应急", "安全"), "特色", 2, "摘要文字", "按语文字")
    assert parsed.status == "reserve"
    assert not parsed.published


@pytest.mark.parametrize("written, status", [
    ("采用", "adopted"), ("备用", "reserve"), ("退稿", "rejected"), ("草稿", "draft"),
    ("adopted", "adopted"), ("reserve", "reserve"), ("rejected", "rejected"), ("draft", "draft"),
])
def test_status_values(written, status):
    parsed, problems = parse(GOOD.replace("weight: -3\n", f"weight: -3\nstatus: {written}\n"))
    assert problems == []
    assert parsed.status == status
    assert parsed.published == (status == "adopted")


def test_bad_status_names_the_line():
    parsed, problems = parse(GOOD.replace("weight: -3\n", "weight: -3\nstatus: 发表\n"))
    assert parsed is None
    assert [str(p) for p in problems] == [
        "content/2026/x.md:10: error: 状态 '发表' 无效，可用：adopted、reserve、rejected、draft、submitted、采用、备用、退稿、草稿、待审"]


def test_unknown_unit_names_line_and_suggests():
    parsed, problems = parse(GOOD.replace("unit: 市教育局", "unit: 市教育厅"))
    assert parsed is None
    assert [str(p) for p in problems] == ["content/2026/x.md:3: error: 未知的单位 '市教育厅'；是不是 '市教育局'？"]


def test_unknown_topic_without_close_match():
    parsed, problems = parse(GOOD.replace("topic: 工作动态", "topic: 体育"))
    assert parsed is None
    assert [str(p) for p in problems] == ["content/2026/x.md:5: error: 未知的栏目 '体育'；可用的栏目见 briefgen.yaml"]


def test_missing_title_is_reported_at_the_front_matter():
    parsed, problems = parse(GOOD.replace("title: 市教育局开展教研活动\n", ""))
    assert parsed is None
    assert [str(p) for p in problems] == ["content/2026/x.md:2: error: 缺少必填字段 'title'；请在信息头中写 title: …"]


def test_every_problem_of_an_item_is_reported():
    text = "\n\n---\ntitel: 标题\nunit: 外星局\ndate: 2026-13-01\ntopic: 工作动态\nweight: 高\n---\n正文\n"
    parsed, problems = parse(text)
    assert parsed is None
    assert sorted(str(p) for p in problems) == sorted([
        "content/2026/x.md:4: error: 未知的字段 'titel'；是不是 'title'？",
        "content/2026/x.md:4: error: 缺少必填字段 'title'；请在信息头中写 title: …",
        "content/2026/x.md:5: error: 未知的单位 '外星局'；可用的单位见 briefgen.yaml",
        "content/2026/x.md:6: error: 日期 '2026-13-01' 不存在；请检查月份和日",
        "content/2026/x.md:8: error: 权重应是整数，而不是 '高'",
    ])


def test_chinese_and_english_key_for_the_same_field():
    parsed, problems = parse(GOOD.replace("unit: 市教育局\n", "unit: 市教育局\n单位: 市财政局\n"))
    assert parsed is None
    assert [str(p) for p in problems] == ["content/2026/x.md:4: error: 字段 '单位' 与 'unit' 重复"]


@pytest.mark.parametrize("written, expected", [
    ("2026-11-10", D(2026, 11, 10)),
    ("2026-11-10 09:30", D(2026, 11, 10)),
    ("'2026-11-10'", D(2026, 11, 10)),
    # With a zone the moment is taken in the bulletin's zone (Asia/Shanghai, UTC+8):
    ("2026-11-29T20:00:00Z", D(2026, 11, 30)),
    ("2026-11-29T20:00:00+08:00", D(2026, 11, 29)),
])
def test_dates(written, expected):
    parsed, problems = parse(GOOD.replace("date: 2026-11-10", f"date: {written}"))
    assert problems == []
    assert parsed.date == expected


@pytest.mark.parametrize("written, message", [
    ("2026-02-30", "日期 '2026-02-30' 不存在；请检查月份和日"),
    ("2026/11/10", "日期 '2026/11/10' 无效；应写成 2026-11-27 这样的格式"),
    ("十一月十日", "日期 '十一月十日' 无效；应写成 2026-11-27 这样的格式"),
])
def test_bad_dates_name_the_line(written, message):
    parsed, problems = parse(GOOD.replace("date: 2026-11-10", f"date: {written}"))
    assert parsed is None
    assert [str(p) for p in problems] == [f"content/2026/x.md:4: error: {message}"]


def test_title_whitespace_is_collapsed():
    parsed, _ = parse(GOOD.replace("title: 市教育局开展教研活动", "title: '  市教育局   开展\t教研活动 '"))
    assert parsed.title == "市教育局 开展 教研活动"


def test_bom_and_crlf_read_like_plain_utf8():
    plain, _ = parse(GOOD)
    windows, problems = parse(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode("utf-8"))
    assert problems == []
    assert windows == plain


def test_gbk_file_is_an_error_naming_the_file():
    parsed, problems = parse(GOOD.encode("gbk"))
    assert parsed is None
    assert [str(p) for p in problems] == [
        "content/2026/x.md:1: error: 文件是 GBK 编码，不是 UTF-8；运行 briefgen check --fix-encoding 自动转换（会先备份原文件），或在编辑器中另存为 UTF-8 编码"]


@pytest.mark.parametrize("text, expected", [
    ("", "content/2026/x.md:1: error: 文件是空的"),
    ("\n\n标题：无信息头\n", "content/2026/x.md:3: error: 缺少开头的 YAML 信息头；"
                          "文件第一行应是 ---，随后写 title、unit、date、topic 等，再以 --- 结束"),
    ("---\ntitle: 没有结束\n正文\n", "content/2026/x.md:1: error: 信息头没有结束；请在信息头最后单独写一行 ---"),
    ("---\ntitle: [未闭合\n---\n正文\n", "content/2026/x.md:3: error: YAML 格式错误（did not find expected ',' or ']'）"),
    ("---\n- 列表\n---\n正文\n", "content/2026/x.md:2: error: 信息头应是“键: 值”形式的若干行"),
])
def test_broken_front_matter(text, expected):
    parsed, problems = parse(text)
    assert parsed is None
    assert [str(p) for p in problems] == [expected]


def test_front_matter_split_lines():
    parts = split("\n---\ntitle: x\nunit: y\n---\n正文第一行\n正文第二行")
    assert (parts.yaml_text, parts.yaml_line, parts.body, parts.body_line) == (
        "title: x\nunit: y", 3, "正文第一行\n正文第二行", 6)


def test_diagnostic_format_and_input_error_summary():
    problems = [Diagnostic("b.md", 3, "error", "二"), Diagnostic("a.md", 0, "warning", "一", "提示")]
    assert str(problems[1]) == "a.md: warning: 一；提示"
    assert str(InputError(problems)).splitlines() == [
        "a.md: warning: 一；提示", "b.md:3: error: 二", "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。"]


# --------------------------------------------------------------------------- Markdown

md = MarkdownRenderer()


@pytest.mark.parametrize("source, html", [
    ("各地区要加强组织\n领导，压实责任。", "<p>各地区要加强组织领导，压实责任。</p>"),
    ("中文\n**加粗**文字", "<p>中文<strong>加粗</strong>文字</p>"),
    ("“引号”\n中文", "<p>“引号”中文</p>"),
    ("全角标点，\n下一行", "<p>全角标点，下一行</p>"),
    ("中文\n  缩进的续行", "<p>中文缩进的续行</p>"),
    ("中文\n\u3000\u3000全角缩进的续行", "<p>中文全角缩进的续行</p>"),
    ("中文\n[链接](a.html)文字", '<p>中文<a href="a.html">链接</a>文字</p>'),
    ("第一行。\r\n第二行", "<p>第一行。第二行</p>"),
    ("English\nwords", "<p>English\nwords</p>"),
    ("中文\nEnglish", "<p>中文\nEnglish</p>"),
    ("\u3000\u3000段首全角空格。", "<p>段首全角空格。</p>"),
    ("    四个空格缩进的段落不是代码。", "<p>四个空格缩进的段落不是代码。</p>"),
])
def test_markdown_joins_lines_between_cjk_characters(source, html):
    assert str(md.convert(source, "slug")) == html


def test_markdown_trailing_space_before_a_cjk_line_break_is_no_space_either():
    # Editors hide trailing spaces; the line break between 强 and 组 must still not become a space.
    assert str(md.convert("各地区要加强 \n组织领导", "slug")) == "<p>各地区要加强组织领导</p>"


def test_markdown_heading_anchors_carry_the_item_prefix_and_levels_shift_to_h4():
    html = str(md.convert("## 一、强化组织领导\n\n正文\n\n### （一）细化分工\n\n文字", "2026-11-24-jituan"))
    assert html == ('<h4 id="2026-11-24-jituan-一强化组织领导">一、强化组织领导</h4>\n<p>正文</p>\n'
                    '<h5 id="2026-11-24-jituan-一细化分工">（一）细化分工</h5>\n<p>文字</p>')


def test_markdown_repeated_heading_gets_unique_anchor():
    html = str(md.convert("# 小结\n\n# 小结", "a"))
    assert html == '<h4 id="a-小结">小结</h4>\n<h4 id="a-小结_1">小结</h4>'


def test_markdown_footnote_ids_are_prefixed_per_item():
    html = str(md.convert("正文[^1]。\n\n[^1]: 注释内容。", "slug"))
    assert html == (
        '<p>正<span class="fn-bind">文<sup id="fnref-slug-1"><a class="footnote-ref" href="#fn-slug-1">1</a></sup>。</span></p>\n'
        '<div class="footnote">\n<hr>\n<ol>\n<li id="fn-slug-1">\n'
        '<p>注释内容。&nbsp;<a class="footnote-backref" href="#fnref-slug-1" title="返回正文第 1 处注释">↩</a></p>\n'
        '</li>\n</ol>\n</div>')
    # A second item gets its own ids: the renderer is reset between items.
    assert 'id="fn-other-1"' in str(md.convert("另一篇[^1]。\n\n[^1]: 另一条。", "other"))


def test_markdown_sanitises_raw_html():
    source = ('<script>alert(1)</script>\n\n<p onclick="steal()">点我</p>\n\n'
              '<a href="javascript:alert(2)">链接</a>\n\n<iframe src="https://evil.example/"></iframe>\n\n'
              '[坏链接](javascript:alert(3))\n\n<form action="x"><input name="p"></form>\n\n'
              '<img src="x.png" onerror="alert(4)" alt="图">\n\n<style>body{display:none}</style>')
    html = str(md.convert(source, "slug"))
    for bad in ("<script", "alert", "onclick", "steal", "javascript:", "<iframe", "evil.example",
                "<form", "<input", "onerror", "<style", "display:none"):
        assert bad not in html
    assert "<p>点我</p>" in html
    assert "<p><a>链接</a></p>" in html
    assert "<p><a>坏链接</a></p>" in html
    assert '<img src="x.png" alt="图">' in html


def test_markdown_tables_keep_alignment_only():
    html = str(md.convert("| 区域 | 数量 |\n|:--|--:|\n| 江北区 | 14 |", "t"))
    assert html == ('<table>\n<thead>\n<tr>\n<th style="text-align:left">区域</th>\n'
                    '<th style="text-align:right">数量</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
                    '<td style="text-align:left">江北区</td>\n<td style="text-align:right">14</td>\n'
                    '</tr>\n</tbody>\n</table>')
