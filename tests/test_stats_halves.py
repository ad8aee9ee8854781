"""The mid-year check: `briefgen stats --period 2026-H1` (and H2), in every format.

Every expected figure is worked out by hand from the bulletin written below (never with
briefgen's own functions); the working is in the comments next to the items.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import flat, item, parse_html, pdf_text, run_briefgen, write_bulletin
from test_stats import pdf_header_cells, table_rows

CONFIG = """\
name: 测试简报
publisher: 测试市人民政府办公室
period: month
topics: [工作动态, 经验交流]
units:
  市教育局: {quota: {month: 2}}
  市财政局: {quota: {quarter: 5}}
  江北区人民政府:
  江北区教育局: {parent: 江北区人民政府}
  市审计局: {quota: {year: 30}}
scoring:
  submitted: 1
  adopted: 2
  grades: {精品: 3, 特色: 1}
  quota: {month: 1}
report: {name: 政务信息通报}
future_days: 400
"""
# Points: submitted 1; adopted +2; 精品 +3, 特色 +1. Half-year quotas: 市教育局 6 x month 2 = 12;
# 市财政局 2 x quarter 5 = 10; 江北区人民政府 and 江北区教育局 6 x the default month 1 = 6;
# 市审计局 sets only a year's quota, which is never divided: none.
ITEMS = {
    # H1, Q1: adopted 精品: 1+2+3 = 6; submitted 2 days later.
    "content/2026/02/edu-kaixue.md": item("市教育局做好春季开学工作", "市教育局", "2026-02-10", "工作动态",
                                          grade="精品", submitted="2026-02-12"),
    # H1, Q2: reserve: 1; no submission date, no timeliness (outside git).
    "content/2026/05/edu-kaoshi.md": item("市教育局部署中考组织工作", "市教育局", "2026-05-20", "工作动态",
                                          status="reserve"),
    # H1, Q2: a draft counts nowhere.
    "content/2026/05/edu-caogao.md": item("市教育局草拟暑期工作要点", "市教育局", "2026-05-21", "工作动态",
                                          status="draft"),
    # H1, Q2: adopted: 3; submitted 1 day later.
    "content/2026/05/fin-jixiao.md": item("市财政局开展预算绩效评价", "市财政局", "2026-05-06", "工作动态",
                                          submitted="2026-05-07"),
    # 2026-06-30 16:30 UTC is 2026-07-01 00:30 in Shanghai: H2, Q3. adopted: 3; submitted 1 day later.
    "content/2026/07/jb-fangxun.md": item("江北区全力做好防汛工作", "江北区人民政府", "2026-06-30T16:30:00Z",
                                          "工作动态", submitted="2026-07-02"),
    # H2, Q3: adopted 特色: 1+2+1 = 4; submitted 2 days later.
    "content/2026/08/fin-zhuanxiang.md": item("市财政局加快专项债券发行", "市财政局", "2026-08-03", "工作动态",
                                              grade="特色", submitted="2026-08-05"),
    # H2, Q3: the child unit, counted in its parent's row too. adopted: 3.
    "content/2026/08/jbe-tuoguan.md": item("江北区教育局暑期托管服务受好评", "江北区教育局", "2026-08-18",
                                           "经验交流"),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return write_bulletin(tmp_path_factory.mktemp("halves") / "repo", ITEMS, CONFIG)


def stats(root: Path, *args: str) -> str:
    result = run_briefgen(root, "stats", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


HEADERS = ["排名", "单位", "得分", "完成率", "报送任务", "报送", "采用", "上级采用", "领导批示", "精品", "时效（天）"]
H1_HEADERS = [*HEADERS, "一季度得分", "二季度得分"]
H2_HEADERS = [*HEADERS, "三季度得分", "四季度得分"]

# H1 = February and May. 教育 6 + 1 = 7, 2 of 12 (17%), timeliness 2 (the reserve has none);
# 财政 3, 1 of 10; 江北 and 审计 0 share rank 3, in the order of units (though 市 U+5E02 < 江 U+6C5F).
H1_CELLS = [
    ["1", "市教育局", "7", "17%", "12", "2", "1", "0", "0", "1", "2.0", "6", "1"],
    ["2", "市财政局", "3", "10%", "10", "1", "1", "0", "0", "0", "1.0", "0", "3"],
    ["3", "江北区人民政府", "0", "0%", "6", "0", "0", "0", "0", "0", "", "0", "0"],
    ["3", "市审计局", "0", "", "", "0", "0", "0", "0", "0", "", "0", "0"],
    ["", "江北区教育局（江北区人民政府）", "0", "0%", "6", "0", "0", "0", "0", "0", "", "0", "0"],
]
# H2 = July and August, all in Q3. 江北 3 + its child's 3 = 6, 2 of 6, timeliness 1 (the child's
# item has none); 财政 4, 1 of 10; 教育 and 审计 0 share rank 3, in the order of units.
H2_CELLS = [
    ["1", "江北区人民政府", "6", "33%", "6", "2", "2", "0", "0", "0", "1.0", "6", "0"],
    ["2", "市财政局", "4", "10%", "10", "1", "1", "0", "0", "0", "2.0", "4", "0"],
    ["3", "市教育局", "0", "0%", "12", "0", "0", "0", "0", "0", "", "0", "0"],
    ["3", "市审计局", "0", "", "", "0", "0", "0", "0", "0", "", "0", "0"],
    ["", "江北区教育局（江北区人民政府）", "3", "17%", "6", "1", "1", "0", "0", "0", "", "3", "0"],
]
H1_TABLE = """\
排名  单位                            得分  完成率  报送任务  报送  采用  上级采用  领导批示  精品  时效（天）  一季度得分  二季度得分
────  ──────────────────────────────  ────  ──────  ────────  ────  ────  ────────  ────────  ────  ──────────  ──────────  ──────────
1     市教育局                           7     17%        12     2     1         0         0     1         2.0           6           1
2     市财政局                           3     10%        10     1     1         0         0     0         1.0           0           3
3     江北区人民政府                     0      0%         6     0     0         0         0     0                       0           0
3     市审计局                           0                       0     0         0         0     0                       0           0
      江北区教育局（江北区人民政府）     0      0%         6     0     0         0         0     0                       0           0
"""
# 3 submitted (the draft left out), 2 adopted: 66.7%; one 精品. Below quota in table order.
H1_SUMMARY = ("2026年上半年，共收到各单位报送信息3篇，采用2篇，采用率66.7%；评出精品信息1篇。"
              "综合得分居首位的是市教育局。市教育局、市财政局、江北区人民政府、江北区教育局未完成报送任务，"
              "请加强信息报送工作。")


def csv_rows(root: Path, *args: str) -> list[list[str]]:
    result = run_briefgen(root, "stats", *args, "--format", "csv")
    assert result.returncode == 0, result.stderr
    return list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"), newline="")))


def test_first_half_csv(repo):
    assert csv_rows(repo, "--period", "2026-H1") == [H1_HEADERS, *H1_CELLS]


def test_second_half_csv(repo):
    assert csv_rows(repo, "--period", "2026-H2") == [H2_HEADERS, *H2_CELLS]


def test_first_half_table(repo):
    assert stats(repo, "--period", "2026-H1") == H1_TABLE


def test_second_half_json_has_its_two_quarters(repo):
    rows = json.loads(stats(repo, "--period", "2026-H2", "--format", "json"))
    assert [(r["unit"], r["score"], r["quota"], r["rank"], r["quarters"]) for r in rows] == [
        ("江北区人民政府", 6, 6, 1, [{"submitted": 2, "adopted": 2, "score": 6}, ZERO]),
        ("市财政局", 4, 10, 2, [{"submitted": 1, "adopted": 1, "score": 4}, ZERO]),
        ("市教育局", 0, 12, 3, [ZERO, ZERO]),
        ("市审计局", 0, None, 3, [ZERO, ZERO]),
        ("江北区教育局", 3, 6, None, [{"submitted": 1, "adopted": 1, "score": 3}, ZERO]),
    ]


ZERO = {"submitted": 0, "adopted": 0, "score": 0}


def test_first_half_report_html(repo, tmp_path):
    path = tmp_path / "通报.html"
    result = run_briefgen(repo, "stats", "--period", "2026-H1", "--format", "html", "--out", str(path))
    assert result.returncode == 0, result.stderr
    doc = parse_html(path)
    assert doc.find("title").text() == "政务信息通报 2026年上半年"
    assert doc.find("p", cls="number").text() == "2026年第1期"  # the first of the year's two
    assert doc.find("h2", cls="report-title").text() == "关于2026年上半年信息报送情况的通报"
    assert doc.find("p", cls="report-summary").text() == H1_SUMMARY
    assert [th.text() for th in doc.find("table", cls="ranking").find_all("th")] == H1_HEADERS
    assert table_rows(doc) == H1_CELLS


def test_second_half_is_number_two(repo, tmp_path):
    path = tmp_path / "通报.html"
    assert run_briefgen(repo, "stats", "--period", "2026-H2", "--format", "html", "--out", str(path)).returncode == 0
    doc = parse_html(path)
    assert doc.find("p", cls="number").text() == "2026年第2期"
    assert doc.find("h2", cls="report-title").text() == "关于2026年下半年信息报送情况的通报"


@pytest.mark.slow
def test_first_half_report_pdf(repo, tmp_path):
    path = tmp_path / "通报.pdf"
    result = run_briefgen(repo, "stats", "--period", "2026-H1", "--format", "pdf", "--out", str(path))
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in pdf_text(path).splitlines() if line.strip()]
    assert lines[:2] == ["政务信息通报", "2026年第1期"]
    text = flat(pdf_text(path))
    assert text.index("关于2026年上半年信息报送情况的通报") < text.index(H1_SUMMARY)
    # Both quarter headers whole, and every row on one line with the longest unit name whole.
    assert pdf_header_cells(path)[-2:] == [("一季度", "得分"), ("二季度", "得分")]
    rows = [line.split() for line in pdf_text(path, layout=True).splitlines()]
    units = {row[1] for row in H1_CELLS}
    found = [r for r in rows if r and (r[0] in units or (len(r) > 1 and r[0].isdigit() and r[1] in units))]
    assert found == [[cell for cell in row if cell] for row in H1_CELLS]
