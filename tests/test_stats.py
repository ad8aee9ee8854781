"""Information-work statistics: `briefgen stats`, the 通报 and the site's statistics page.

Every expected figure below is worked out by hand from the fixture written in this file
(never with briefgen's own functions); the working is in the comments next to the items.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    build_ok,
    flat,
    item,
    link_problems,
    parse_html,
    pdf_fonts,
    pdf_text,
    run_briefgen,
    write_bulletin,
)

from briefgen.config.rules import Quota, Rules, UnitInfo
from briefgen.model import HigherAdoption, Instruction, Item
from briefgen.render.chart import bar_label, chart_context, quota_chart, quota_figure
from briefgen.render.report import header_markup
from briefgen.stats.tally import Figures, Row, author_order, figures, item_score, parse_period, rank, tally

# --------------------------------------------------------------------------- the fixture

CONFIG = """\
name: 测试简报
publisher: 测试市人民政府办公室
period: month
mark: 内部资料
topics:
  - 要情专报
  - 工作动态
  - 经验交流
units:
  市教育局:
    officers: [王敏, 李强]
    quota: {month: 3}
  市财政局:
    officers: [赵丽]
  江北区人民政府:
    officers: [陈刚]
    quota: {quarter: 9}
  江北区教育局:
    parent: 江北区人民政府
    officers: [周洁]
  市统计局:
    officers: [孙悦]
  市审计局:
scoring:
  submitted: 1
  adopted: 2
  grades: {精品: 3, 特色: 1}
  higher: {国家级: 20, 省级: 10, 市级: 5}
  instructions: {省级: 12, 市级: 6}
  quota: {month: 2}
report: {name: 政务信息通报}
editor: 李编辑
future_days: 400
"""
# Points: submitted 1; adopted +2; 精品 +3, 特色 +1 (adopted only); higher 国家级 20, 省级 10,
# 市级 5 per entry; instructions 省级 12, 市级 6 per entry.
# Quotas: 市教育局 month 3 (quarter 9, year 36); 江北区人民政府 quarter 9 (no month, year 36);
# every other unit the default month 2 (quarter 6, year 24).

D = "content/2026"
ITEMS = {
    # K: 2025-12-31 16:30 UTC is 2026-01-01 00:30 in Shanghai -> 2026 Q1. adopted 特色: 1+2+1 = 4.
    # Added in commit 1 (2026-01-05): 4 days.
    f"{D}/01/edu-yuandan.md": item("市教育局做好元旦假期校园安全", "市教育局", "2025-12-31T16:30:00Z", "工作动态",
                                   author="王敏", grade="特色"),
    # L: 2025-12-31 23:00 local -> 2025, never in a 2026 period.
    f"{D}/01/fin-juesuan.md": item("市财政局完成年终决算准备", "市财政局", "2025-12-31T23:00:00+08:00", "工作动态",
                                   author="赵丽"),
    # M: Q2, reserve: 1. Commit 2 (2026-05-22): 2 days.
    f"{D}/05/fin-jixiao.md": item("市财政局开展预算绩效评价", "市财政局", "2026-05-20", "工作动态",
                                  author="赵丽", status="reserve"),
    # N: Q3, adopted 精品 + 省级 higher (Chinese keys): 1+2+3+10 = 16. Commit 3 (2026-07-16): 1 day.
    f"{D}/07/jbe-tuoguan.md": item("江北区教育局暑期托管服务受好评", "江北区教育局", "2026-07-15", "经验交流",
                                   author="周洁", grade="精品",
                                   **{"上级采用": "[{刊物: 省政府办公厅《每日要情》, 级别: 省级}]"}),
    # G: 2026-10-31 23:00 local -> October (Q4, not November). adopted: 3. Commit 4 (11-03): 3 days.
    f"{D}/10/fin-sanjidu.md": item("市财政局完成三季度预算分析", "市财政局", "2026-10-31T23:00:00+08:00", "工作动态",
                                   author="赵丽"),
    # A: adopted 精品 + 省级 higher: 1+2+3+10 = 16. Commit 4 (11-03): 1 day; modified again in commit 8.
    f"{D}/11/edu-kehou.md": item("市教育局推进课后服务提质增效", "市教育局", "2026-11-02", "工作动态",
                                 author="王敏", grade="精品",
                                 adopted_by="[{by: 省政府办公厅《每日要情》, level: 省级, date: 2026-11-20}]"),
    # B: 2026-11-30 23:59 local -> November 30 (W49). reserve (备用): 1. Commit 7 (12-01 local): 1 day.
    f"{D}/11/edu-lungang.md": item("市教育局开展教师轮岗交流", "市教育局", "2026-11-30T23:59:00+08:00", "经验交流",
                                   author="李强", status="备用"),
    # C: 2026-11-30 16:30 UTC is 2026-12-01 00:30 local -> December (W49). adopted: 3. Commit 7: 0 days.
    f"{D}/11/edu-hanjia.md": item("市教育局部署寒假安全工作", "市教育局", "2026-11-30T16:30:00Z", "工作动态",
                                  author="王敏"),
    # D: a draft counts nowhere, not even its 国家级 adoption.
    f"{D}/11/edu-caogao.md": item("市教育局草拟学年工作要点", "市教育局", "2026-11-10", "工作动态",
                                  author="李强", status="草稿",
                                  adopted_by="[{by: 国务院办公厅《政务要情》, level: 国家级}]"),
    # E: adopted 特色 + 省级 instruction: 1+2+1+12 = 16. Commit 5 (11-08): 3 days.
    f"{D}/11/fin-cunliang.md": (
        "---\n标题: 市财政局盘活存量资金支持重点项目\n单位: 市财政局\n日期: 2026-11-05\n栏目: 要情专报\n"
        "作者: 赵丽\n等级: 特色\n领导批示:\n  - 领导: 副省长\n    级别: 省级\n    日期: 2026-11-09\n"
        "    内容: 请抓好落实\n---\n\n盘活存量资金十二亿元。\n"),
    # F: rejected (退稿): submitted, not adopted: 1. Commit 6 (author 11-20): 4 days.
    f"{D}/11/fin-zhaiwu.md": item("市财政局报送债务风险情况", "市财政局", "2026-11-16", "要情专报",
                                  author="赵丽", status="退稿"),
    # H: 2026-11-29 23:30 local = Sunday of W48. adopted 精品, 国家级 + 市级 higher, 省级 instruction:
    # 1+2+3+20+5+12 = 43. Added in commit 7 (12-01, 2 days) but submitted: 2026-12-03 wins: 4 days.
    f"{D}/11/江北区-营商环境.md": item(
        "江北区优化营商环境经验获推广", "江北区人民政府", "2026-11-29T23:30:00+08:00", "要情专报",
        author="陈刚", grade="精品",
        adopted_by="[{by: 国务院办公厅《政务要情》, level: 国家级}, {by: 市委办公室《信息快报》, level: 市级}]",
        instructions="[{leader: 省长, level: 省级, text: 值得推广}]", submitted="2026-12-03"),
    # I: 2026-11-29 16:30 UTC = Monday 2026-11-30 00:30 local -> W49, November. adopted: 3. Commit 7: 1 day.
    f"{D}/11/jb-gongnuan.md": item("江北区启动冬季供暖保障", "江北区人民政府", "2026-11-29T16:30:00Z", "工作动态",
                                   author="陈刚"),
    # J: child unit. adopted: 3. Commit 6 (11-20): 2 days.
    f"{D}/11/jbe-jituan.md": item("江北区教育局推进集团化办学", "江北区教育局", "2026-11-18", "经验交流",
                                  author="周洁"),
}

# (author date, committer date or None, files added or changed)
COMMITS = [
    ("2026-01-05T09:00:00+08:00", None, ["briefgen.yaml", f"{D}/01/edu-yuandan.md", f"{D}/01/fin-juesuan.md"]),
    ("2026-05-22T09:00:00+08:00", None, [f"{D}/05/fin-jixiao.md"]),
    ("2026-07-16T09:00:00+08:00", None, [f"{D}/07/jbe-tuoguan.md"]),
    ("2026-11-03T09:00:00+08:00", None, [f"{D}/11/edu-kehou.md", f"{D}/10/fin-sanjidu.md"]),
    ("2026-11-08T10:00:00+08:00", None, [f"{D}/11/fin-cunliang.md", f"{D}/11/edu-caogao.md"]),
    # the author date counts, not the later committer date
    ("2026-11-20T10:00:00+08:00", "2026-11-25T10:00:00+08:00", [f"{D}/11/fin-zhaiwu.md", f"{D}/11/jbe-jituan.md"]),
    # 17:00 UTC on 11-30 is 01:00 on 12-01 in Shanghai
    ("2026-11-30T17:00:00+00:00", None, [f"{D}/11/edu-lungang.md", f"{D}/11/江北区-营商环境.md",
                                         f"{D}/11/jb-gongnuan.md", f"{D}/11/edu-hanjia.md"]),
]
LATER_EDIT = ("2026-12-10T10:00:00+08:00", f"{D}/11/edu-kehou.md")  # keeps its first-add date


def git(repo: Path, *args: str, date: str | None = None, committer: str | None = None) -> None:
    env = dict(os.environ)
    for key in list(env):
        if key.startswith("GIT_"):
            del env[key]
    env.update(GIT_CONFIG_NOSYSTEM="1", HOME=str(repo.parent), TZ="UTC")
    if date:
        env["GIT_AUTHOR_DATE"] = date
        env["GIT_COMMITTER_DATE"] = committer or date
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
                   cwd=repo, env=env, check=True, capture_output=True)


def write_repo(root: Path, with_git: bool = True) -> Path:
    """The fixture bulletin; with git, committed as in COMMITS and LATER_EDIT."""
    write_bulletin(root, {}, CONFIG)
    if not with_git:
        write_bulletin(root, ITEMS, CONFIG)
        return root
    git(root, "init", "-q")
    for date, committer, files in COMMITS:
        for rel in files:
            if rel != "briefgen.yaml":
                write_bulletin(root, {rel: ITEMS[rel]}, CONFIG)
        git(root, "add", "--", *files)
        git(root, "commit", "-q", "-m", f"报送 {date}", date=date, committer=committer)
    date, rel = LATER_EDIT
    (root / rel).write_text(ITEMS[rel] + "\n补充：已在全市推广。\n", encoding="utf-8")
    git(root, "commit", "-q", "-a", "-m", "修改", date=date)
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return write_repo(tmp_path_factory.mktemp("stats") / "repo")


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """The same bulletin outside any git repository."""
    return write_repo(tmp_path_factory.mktemp("stats-plain") / "repo", with_git=False)


def stats(root: Path, *args: str) -> str:
    result = run_briefgen(root, "stats", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def stats_bytes(root: Path, *args: str) -> bytes:
    """stdout of `briefgen stats ARGS` as bytes, line ends untouched."""
    result = subprocess.run([sys.executable, "-m", "briefgen", "--root", str(root), "stats", *args],
                            cwd=root, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def table_rows(node) -> list[list[str]]:
    return [[cell.text() for cell in row.find_all("td")] for row in node.find("table", cls="ranking").find("tbody")
            .find_all("tr")]


HEADERS = ["排名", "单位", "得分", "完成率", "报送任务", "报送", "采用", "上级采用", "领导批示", "精品", "时效（天）"]
YEAR_HEADERS = ["排名", "单位", "得分", "完成率", "报送任务", "报送", "采用", "上级采用", "领导批示", "精品", "时效（天）",
                "一季度得分", "二季度得分", "三季度得分", "四季度得分"]

# 2026-11. 江北区人民政府 = its own H, I plus its child's J. 市财政局's G is in October and
# 市教育局's C in December; D is a draft. Ties stand in the order of units in CONFIG: 17 and 17
# share rank 2, 市教育局 before 市财政局; the two empty units share rank 4, 市统计局 before
# 市审计局 (though 审 U+5BA1 < 统 U+7EDF).
# Timeliness: 教育 (1+1)/2, 财政 (3+4)/2, 江北 (4+1+2)/3.
MONTH_CELLS = [
    ["1", "江北区人民政府", "49", "", "", "3", "3", "2", "1", "1", "2.3"],
    ["2", "市教育局", "17", "67%", "3", "2", "1", "1", "0", "1", "1.0"],
    ["2", "市财政局", "17", "100%", "2", "2", "1", "0", "1", "0", "3.5"],
    ["4", "市统计局", "0", "0%", "2", "0", "0", "0", "0", "0", ""],
    ["4", "市审计局", "0", "0%", "2", "0", "0", "0", "0", "0", ""],
    ["", "江北区教育局（江北区人民政府）", "3", "50%", "2", "1", "1", "0", "0", "0", "2.0"],
]
MONTH_TABLE = """\
排名  单位                            得分  完成率  报送任务  报送  采用  上级采用  领导批示  精品  时效（天）
────  ──────────────────────────────  ────  ──────  ────────  ────  ────  ────────  ────────  ────  ──────────
1     江北区人民政府                    49                       3     3         2         1     1         2.3
2     市教育局                          17     67%         3     2     1         1         0     1         1.0
2     市财政局                          17    100%         2     2     1         0         1     0         3.5
4     市统计局                           0      0%         2     0     0         0         0     0
4     市审计局                           0      0%         2     0     0         0         0     0
      江北区教育局（江北区人民政府）     3     50%         2     1     1         0         0     0         2.0
"""
MONTH_JSON = [
    {"unit": "江北区人民政府", "submitted": 3, "adopted": 3, "higher": 2, "instructions": 1, "premium": 1,
     "score": 49, "quota": None, "completion": None, "rank": 1},
    {"unit": "市教育局", "submitted": 2, "adopted": 1, "higher": 1, "instructions": 0, "premium": 1,
     "score": 17, "quota": 3, "completion": 0.6667, "rank": 2},
    {"unit": "市财政局", "submitted": 2, "adopted": 1, "higher": 0, "instructions": 1, "premium": 0,
     "score": 17, "quota": 2, "completion": 1.0, "rank": 2},
    {"unit": "市统计局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
     "score": 0, "quota": 2, "completion": 0.0, "rank": 4},
    {"unit": "市审计局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
     "score": 0, "quota": 2, "completion": 0.0, "rank": 4},
    {"unit": "江北区教育局", "submitted": 1, "adopted": 1, "higher": 0, "instructions": 0, "premium": 0,
     "score": 3, "quota": 2, "completion": 0.5, "rank": None},
]
# 7 submitted (A B E F H I J), 5 adopted (A E H I J): 71.4%; higher A 1 + H 2; instructions E, H;
# 精品 A, H. Below quota, in table order: 教育 2<3, 统计 0<2, 审计 0<2, 江北区教育局 1<2.
MONTH_SUMMARY = ("2026年11月，共收到各单位报送信息7篇，采用5篇，采用率71.4%；被上级采用3篇次，获领导批示2次；"
                 "评出精品信息2篇。综合得分居首位的是江北区人民政府。"
                 "市教育局、市统计局、市审计局、江北区教育局未完成报送任务，请加强信息报送工作。")
BELOW_QUOTA = ("未完成报送任务的单位：市教育局（报送2篇，任务3篇）、市统计局（报送0篇，任务2篇）、"
               "市审计局（报送0篇，任务2篇）、江北区教育局（报送1篇，任务2篇）。")
PREMIUM = ["市教育局推进课后服务提质增效（市教育局）", "江北区优化营商环境经验获推广（江北区人民政府）"]
HIGHER = ["市教育局推进课后服务提质增效（市教育局）：省政府办公厅《每日要情》（省级）采用",
          "江北区优化营商环境经验获推广（江北区人民政府）：国务院办公厅《政务要情》（国家级）采用；"
          "市委办公室《信息快报》（市级）采用；省长批示"]

# 2026: quarters of each unit (Q1 K; Q2 M; Q3 N; Q4 G A B C E F H I J); L is 2025.
# 教育 K 4 | - | - | A 16 + B 1 + C 3 = 20 -> 24; 财政 - | M 1 | - | G 3 + E 16 + F 1 = 20 -> 21;
# 江北 (with child) - | - | N 16 | H 43 + I 3 + J 3 = 49 -> 65; child N 16 | J 3 -> 19.
# Year quotas 36 (3x12), 24 (2x12), 36 (9x4), 24. Timeliness: 教育 (4+1+1+0)/4, 财政 (2+3+3+4)/4,
# 江北 (1+2+4+1)/4, child (1+2)/2.
YEAR_CELLS = [
    ["1", "江北区人民政府", "65", "11%", "36", "4", "4", "3", "1", "2", "2.0", "0", "0", "16", "49"],
    ["2", "市教育局", "24", "11%", "36", "4", "3", "1", "0", "1", "1.5", "4", "0", "0", "20"],
    ["3", "市财政局", "21", "17%", "24", "4", "2", "0", "1", "0", "3.0", "0", "1", "0", "20"],
    ["4", "市统计局", "0", "0%", "24", "0", "0", "0", "0", "0", "", "0", "0", "0", "0"],
    ["4", "市审计局", "0", "0%", "24", "0", "0", "0", "0", "0", "", "0", "0", "0", "0"],
    ["", "江北区教育局（江北区人民政府）", "19", "8%", "24", "2", "2", "1", "0", "1", "1.5", "0", "0", "16", "3"],
]
YEAR_TABLE = """\
排名  单位                            得分  完成率  报送任务  报送  采用  上级采用  领导批示  精品  时效（天）  一季度得分  二季度得分  三季度得分  四季度得分
────  ──────────────────────────────  ────  ──────  ────────  ────  ────  ────────  ────────  ────  ──────────  ──────────  ──────────  ──────────  ──────────
1     江北区人民政府                    65     11%        36     4     4         3         1     2         2.0           0           0          16          49
2     市教育局                          24     11%        36     4     3         1         0     1         1.5           4           0           0          20
3     市财政局                          21     17%        24     4     2         0         1     0         3.0           0           1           0          20
4     市统计局                           0      0%        24     0     0         0         0     0                       0           0           0           0
4     市审计局                           0      0%        24     0     0         0         0     0                       0           0           0           0
      江北区教育局（江北区人民政府）    19      8%        24     2     2         1         0     1         1.5           0           0          16           3
"""
ZERO_QUARTERS = [{"submitted": 0, "adopted": 0, "score": 0}] * 4
YEAR_JSON = [
    {"unit": "江北区人民政府", "submitted": 4, "adopted": 4, "higher": 3, "instructions": 1, "premium": 2,
     "score": 65, "quota": 36, "completion": 0.1111, "rank": 1,
     "quarters": [{"submitted": 0, "adopted": 0, "score": 0}, {"submitted": 0, "adopted": 0, "score": 0},
                  {"submitted": 1, "adopted": 1, "score": 16}, {"submitted": 3, "adopted": 3, "score": 49}]},
    {"unit": "市教育局", "submitted": 4, "adopted": 3, "higher": 1, "instructions": 0, "premium": 1,
     "score": 24, "quota": 36, "completion": 0.1111, "rank": 2,
     "quarters": [{"submitted": 1, "adopted": 1, "score": 4}, {"submitted": 0, "adopted": 0, "score": 0},
                  {"submitted": 0, "adopted": 0, "score": 0}, {"submitted": 3, "adopted": 2, "score": 20}]},
    {"unit": "市财政局", "submitted": 4, "adopted": 2, "higher": 0, "instructions": 1, "premium": 0,
     "score": 21, "quota": 24, "completion": 0.1667, "rank": 3,
     "quarters": [{"submitted": 0, "adopted": 0, "score": 0}, {"submitted": 1, "adopted": 0, "score": 1},
                  {"submitted": 0, "adopted": 0, "score": 0}, {"submitted": 3, "adopted": 2, "score": 20}]},
    {"unit": "市统计局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
     "score": 0, "quota": 24, "completion": 0.0, "rank": 4, "quarters": ZERO_QUARTERS},
    {"unit": "市审计局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
     "score": 0, "quota": 24, "completion": 0.0, "rank": 4, "quarters": ZERO_QUARTERS},
    {"unit": "江北区教育局", "submitted": 2, "adopted": 2, "higher": 1, "instructions": 0, "premium": 1,
     "score": 19, "quota": 24, "completion": 0.0833, "rank": None,
     "quarters": [{"submitted": 0, "adopted": 0, "score": 0}, {"submitted": 0, "adopted": 0, "score": 0},
                  {"submitted": 1, "adopted": 1, "score": 16}, {"submitted": 1, "adopted": 1, "score": 3}]},
]


# --------------------------------------------------------------------------- stats: table, csv, json


def test_month_table_by_unit_is_the_default(repo):
    assert stats(repo, "--period", "2026-11") == MONTH_TABLE
    assert stats(repo, "--period", "2026-11", "--by", "unit", "--format", "table") == MONTH_TABLE


def test_month_json_by_unit(repo):
    assert json.loads(stats(repo, "--period", "2026-11", "--format", "json")) == MONTH_JSON


def test_week_boundaries_in_shanghai_time(repo):
    # 2026-W48 is 11-23..11-29: only H (Sunday 23:30 local). I (16:30 UTC Sunday = Monday local) is W49,
    # with B (11-30 23:59 local) and C (12-01 local). No weekly quotas. Timeliness: H 4 (submitted:);
    # W49 教育 B 1 + C 0, 江北 I 1. The units with nothing share a rank, in the order of units in CONFIG.
    assert stats(repo, "--period", "2026-W48") == """\
排名  单位                            得分  完成率  报送任务  报送  采用  上级采用  领导批示  精品  时效（天）
────  ──────────────────────────────  ────  ──────  ────────  ────  ────  ────────  ────────  ────  ──────────
1     江北区人民政府                    43                       1     1         2         1     1         4.0
2     市教育局                           0                       0     0         0         0     0
2     市财政局                           0                       0     0         0         0     0
2     市统计局                           0                       0     0         0         0     0
2     市审计局                           0                       0     0         0         0     0
      江北区教育局（江北区人民政府）     0                       0     0         0         0     0
"""
    assert json.loads(stats(repo, "--period", "2026-W49", "--format", "json")) == [
        {"unit": "市教育局", "submitted": 2, "adopted": 1, "higher": 0, "instructions": 0, "premium": 0,
         "score": 4, "quota": None, "completion": None, "rank": 1},
        {"unit": "江北区人民政府", "submitted": 1, "adopted": 1, "higher": 0, "instructions": 0, "premium": 0,
         "score": 3, "quota": None, "completion": None, "rank": 2},
        {"unit": "市财政局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
         "score": 0, "quota": None, "completion": None, "rank": 3},
        {"unit": "市统计局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
         "score": 0, "quota": None, "completion": None, "rank": 3},
        {"unit": "市审计局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
         "score": 0, "quota": None, "completion": None, "rank": 3},
        {"unit": "江北区教育局", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0,
         "score": 0, "quota": None, "completion": None, "rank": None},
    ]


def test_quarter_csv_for_excel(repo, tmp_path):
    # 2026-Q4: G (10-31 local) and C (12-01 local) join November. Quarter quotas 9 (given),
    # 9 (3 x month 3), 6 (3 x default 2). Timeliness 教育 (1+1+0)/3, 财政 (3+3+4)/3.
    expected = [
        HEADERS,
        ["1", "江北区人民政府", "49", "33%", "9", "3", "3", "2", "1", "1", "2.3"],
        ["2", "市教育局", "20", "33%", "9", "3", "2", "1", "0", "1", "0.7"],
        ["2", "市财政局", "20", "50%", "6", "3", "2", "0", "1", "0", "3.3"],
        ["4", "市统计局", "0", "0%", "6", "0", "0", "0", "0", "0", ""],
        ["4", "市审计局", "0", "0%", "6", "0", "0", "0", "0", "0", ""],
        ["", "江北区教育局（江北区人民政府）", "3", "17%", "6", "1", "1", "0", "0", "0", "2.0"],
    ]
    data = stats_bytes(repo, "--period", "2026-Q4", "--format", "csv")
    assert data.startswith(b"\xef\xbb\xbf\xe6\x8e\x92\xe5\x90\x8d,")  # BOM, then 排名
    assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n") == len(expected)
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))) == expected
    out = tmp_path / "q4.csv"
    stats(repo, "--period", "2026-Q4", "--format", "csv", "--out", str(out))
    assert out.read_bytes() == data


def test_year_assessment_table(repo):
    # One column per quarter, headed 一季度得分 … 四季度得分 as the issue asks.
    assert stats(repo, "--period", "2026") == YEAR_TABLE


def test_year_assessment_json_has_the_quarters(repo):
    assert json.loads(stats(repo, "--period", "2026", "--format", "json")) == YEAR_JSON


def test_year_assessment_csv(repo):
    rows = list(csv.reader(io.StringIO(stats_bytes(repo, "--period", "2026", "--format", "csv")
                                       .decode("utf-8-sig"), newline="")))
    assert rows[1:] == YEAR_CELLS
    assert rows[0] == YEAR_HEADERS


def test_month_by_author(repo):
    # Officers of every unit are listed even when idle (孙悦). 陈刚 H 43 + I 3; 赵丽 E 16 + F 1;
    # 王敏 A 16 (C is December, D a draft); 周洁 J 3; 李强 B 1 (reserve).
    assert stats(repo, "--period", "2026-11", "--by", "author") == """\
排名  信息员  得分  报送  采用  上级采用  领导批示  精品  时效（天）
────  ──────  ────  ────  ────  ────────  ────────  ────  ──────────
1     陈刚      46     2     2         2         1     1         2.5
2     赵丽      17     2     1         0         1     0         3.5
3     王敏      16     1     1         1         0     1         1.0
4     周洁       3     1     1         0         0     0         2.0
5     李强       1     1     0         0         0     0         1.0
6     孙悦       0     0     0         0         0     0
"""
    none = {"quota": None, "completion": None}
    assert json.loads(stats(repo, "--period", "2026-11", "--by", "author", "--format", "json")) == [
        {"author": "陈刚", "submitted": 2, "adopted": 2, "higher": 2, "instructions": 1, "premium": 1, "score": 46,
         **none, "rank": 1},
        {"author": "赵丽", "submitted": 2, "adopted": 1, "higher": 0, "instructions": 1, "premium": 0, "score": 17,
         **none, "rank": 2},
        {"author": "王敏", "submitted": 1, "adopted": 1, "higher": 1, "instructions": 0, "premium": 1, "score": 16,
         **none, "rank": 3},
        {"author": "周洁", "submitted": 1, "adopted": 1, "higher": 0, "instructions": 0, "premium": 0, "score": 3,
         **none, "rank": 4},
        {"author": "李强", "submitted": 1, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0, "score": 1,
         **none, "rank": 5},
        {"author": "孙悦", "submitted": 0, "adopted": 0, "higher": 0, "instructions": 0, "premium": 0, "score": 0,
         **none, "rank": 6},
    ]


def test_month_by_topic(repo):
    # 要情专报 E 16 + F 1 + H 43; 工作动态 A 16 + I 3; 经验交流 B 1 + J 3.
    assert stats(repo, "--period", "2026-11", "--by", "topic") == """\
排名  栏目      得分  报送  采用  上级采用  领导批示  精品  时效（天）
────  ────────  ────  ────  ────  ────────  ────────  ────  ──────────
1     要情专报    60     3     2         2         2     1         3.7
2     工作动态    19     2     2         1         0     1         1.0
3     经验交流     4     2     1         0         0     0         1.5
"""
    assert [row["topic"] for row in json.loads(stats(repo, "--period", "2026-11", "--by", "topic",
                                                      "--format", "json"))] == ["要情专报", "工作动态", "经验交流"]


def test_ties_stand_in_the_order_of_briefgen_yaml(repo):
    # 2026-W48 holds only H (陈刚). The others tie at 0 in the order of units (市教育局's officers
    # as listed: 王敏 before 李强; then 赵丽, 市财政局; 周洁, 江北区教育局; 孙悦, 市统计局), not by
    # code point (周 U+5468 < 孙 U+5B59 < 李 U+674E < 王 U+738B < 赵 U+8D75).
    rows = json.loads(stats(repo, "--period", "2026-W48", "--by", "author", "--format", "json"))
    assert [(row["author"], row["rank"]) for row in rows] == [
        ("陈刚", 1), ("王敏", 2), ("李强", 2), ("赵丽", 2), ("周洁", 2), ("孙悦", 2)]
    # 2026-Q3 holds only N (经验交流); 要情专报 before 工作动态 as topics lists them (工 U+5DE5 < 要 U+8981).
    rows = json.loads(stats(repo, "--period", "2026-Q3", "--by", "topic", "--format", "json"))
    assert [(row["topic"], row["rank"]) for row in rows] == [("经验交流", 1), ("要情专报", 2), ("工作动态", 2)]


# --------------------------------------------------------------------------- the 通报: html and pdf


@pytest.fixture(scope="module")
def report_files(repo, tmp_path_factory) -> dict[tuple[str, int], Path]:
    """The 通报 of 2026-11 as html and pdf, each written twice."""
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for fmt in ("html", "pdf"):
        for run_number in (1, 2):
            path = out / f"{fmt}{run_number}" / f"通报.{fmt}"
            path.parent.mkdir()
            result = run_briefgen(repo, "stats", "--period", "2026-11", "--format", fmt, "--out", str(path))
            assert result.returncode == 0, result.stderr
            assert result.stdout == ""
            assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left
            paths[fmt, run_number] = path
    return paths


def nodes_after(doc, tag: str, text: str):
    """The nodes that follow (in document order) the first <tag> whose text is text."""
    nodes = list(doc.iter())
    start = next(i for i, n in enumerate(nodes) if n.tag == tag and n.text().strip() == text)
    return nodes[start + 1:]


def list_after(doc, label: str) -> list[str]:
    """The entries of the first <ol> after the paragraph label."""
    ol = next(n for n in nodes_after(doc, "p", label) if n.tag == "ol")
    return [li.text() for li in ol.find_all("li")]


@pytest.mark.slow
def test_report_is_byte_identical_across_runs(report_files):
    assert report_files["html", 1].read_bytes() == report_files["html", 2].read_bytes()
    assert report_files["pdf", 1].read_bytes() == report_files["pdf", 2].read_bytes()


@pytest.mark.slow
def test_report_html(report_files):
    path = report_files["html", 1]
    doc = parse_html(path)
    assert doc.find("h1", cls="name").text() == "政务信息通报"
    assert doc.find("p", cls="number").text() == "2026年第11期"
    assert doc.find(cls="publisher").text() == "测试市人民政府办公室"
    assert doc.find("h2", cls="report-title").text() == "关于2026年11月信息报送情况的通报"
    assert doc.find("p", cls="report-summary").text() == MONTH_SUMMARY

    table = doc.find("table", cls="ranking")
    assert [th.text() for th in table.find_all("th")] == HEADERS
    assert table_rows(doc) == MONTH_CELLS
    # A child unit's name and its parent's, each kept whole where the column is narrow.
    assert [[span.text() for span in td.find_all("span", cls="name")] for td in table.find_all("td")
            if td.find_all("span")] == [["江北区教育局", "（江北区人民政府）"]]

    assert [p.text() for p in doc.find_all("p") if p.text().startswith("未完成报送任务的单位")] == [BELOW_QUOTA]
    assert list_after(doc, "精品信息：") == PREMIUM
    idle = next(n for n in nodes_after(doc, "h3", "四、未报送信息的信息员") if n.tag == "p").text()
    assert "孙悦" in idle and not any(name in idle for name in ("王敏", "李强", "赵丽", "陈刚", "周洁")), idle

    # The chart is inline SVG: no script, nothing loaded from anywhere.
    svgs = doc.find_all("svg")
    assert len(svgs) == 1
    assert svgs[0].parent.tag == "figure"
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text.lower() and not doc.find_all("script")
    for node in doc.iter():
        for attr in ("href", "xlink:href", "src"):
            if attr in node.attrs:
                assert node.attrs[attr].startswith("#"), (node.tag, attr, node.attrs[attr])
        assert node.tag not in ("link", "img", "iframe", "object", "embed", "image"), node.tag
    without_xmlns = re.sub(r'\sxmlns(?::\w+)?="[^"]*"', "", text)
    assert not re.search(r"https?:", without_xmlns), re.findall(r".{40}https?:.{40}", without_xmlns)
    assert "url(" not in without_xmlns.replace("url(#", "")


@pytest.mark.slow
def test_report_lists_items_with_leader_instructions(report_files):
    # E has no higher adoption but a 副省长 instruction; the list is headed 被上级采用、获领导批示的信息
    # and the summary counts E's instruction (获领导批示2次), so E belongs in it, in date order.
    doc = parse_html(report_files["html", 1])
    assert list_after(doc, "被上级采用、获领导批示的信息：") == [
        HIGHER[0],
        "市财政局盘活存量资金支持重点项目（市财政局）：副省长批示",
        HIGHER[1],
    ]


@pytest.mark.slow
def test_report_pdf(report_files):
    path = report_files["pdf", 1]
    text = flat(pdf_text(path))
    lines = [line.strip() for line in pdf_text(path).splitlines() if line.strip()]
    assert lines[:4] == ["内部资料", "政务信息通报", "2026年第11期", "测试市人民政府办公室"]
    assert MONTH_SUMMARY in text
    assert text.index("关于2026年11月信息报送情况的通报") < text.index(MONTH_SUMMARY)
    assert BELOW_QUOTA in text

    # The ranking: one line per row in pdftotext's layout mode (empty cells leave no token).
    units = {"江北区人民政府", "市教育局", "市财政局", "市审计局", "市统计局", "江北区教育局（江北区人民政府）"}
    rows = [line.split() for line in pdf_text(path, layout=True).splitlines()]
    rows = [r for r in rows if r and (r[0] in units or (len(r) > 1 and r[0].isdigit() and r[1] in units))]
    assert rows == [[cell for cell in row if cell] for row in MONTH_CELLS]

    # 精品 list, higher adoptions and idle officers, in that order after the ranking.
    needles = ["精品信息", *PREMIUM, "被上级采用、获领导批示的信息", HIGHER[0], HIGHER[1], "未报送信息的信息员", "孙悦"]
    at = [text.find(needle) for needle in needles]
    assert -1 not in at and at == sorted(at), list(zip(needles, at, strict=True))
    for name in ("王敏", "李强", "赵丽", "陈刚", "周洁"):
        assert name not in text[at[-2]:]

    fonts = pdf_fonts(path)
    assert fonts and all(font.emb == "yes" for font in fonts), fonts


# The ranking's headers as the 通报 sets them: the long ones on two lines, each line whole.
HEADER_LINES = [("排名",), ("单位",), ("得分",), ("完成率",), ("报送", "任务"), ("报送",), ("采用",),
                ("上级", "采用"), ("领导", "批示"), ("精品",), ("时效", "（天）")]
YEAR_HEADER_LINES = HEADER_LINES + [("一季度", "得分"), ("二季度", "得分"), ("三季度", "得分"), ("四季度", "得分")]


def test_long_headers_break_between_words():
    assert [str(header_markup(header)) for header in YEAR_HEADERS] == [
        "<br>".join(lines) for lines in YEAR_HEADER_LINES]
    assert str(header_markup("<b>")) == "&lt;b&gt;"


def pdf_header_cells(path: Path) -> list[tuple[str, ...]]:
    """The ranking's header cells on the first page that has one, read back by pdftotext: the
    words below the heading 一、综合排名 and above the first rank (the 1 under 排名), grouped into
    cells by the columns they overlap, each cell's words top-down."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    page = next(p for p in parse_html(xml).find_all("page") if "排名" in [w.text() for w in p.find_all("word")])
    boxes = sorted((float(w.attrs["xmin"]), float(w.attrs["xmax"]), float(w.attrs["ymin"]), float(w.attrs["ymax"]),
                    w.text()) for w in page.find_all("word"))
    heading = next(b for b in boxes if b[4] == "一、综合排名")
    rank = next(b for b in boxes if b[4] == "排名")
    first = min(b[2] for b in boxes if b[4] == "1" and b[0] < rank[1] and b[1] > rank[0] and b[2] > rank[3])
    cells: list[list[tuple[float, float, float, float, str]]] = []
    for box in (b for b in boxes if b[2] > heading[3] and b[3] <= first):
        if cells and box[0] < max(b[1] for b in cells[-1]):  # overlaps the column on its left
            cells[-1].append(box)
        else:
            cells.append([box])
    return [tuple(b[4] for b in sorted(cell, key=lambda b: b[2])) for cell in cells]


@pytest.fixture(scope="module")
def year_report_pdf(repo, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("year-report") / "通报.pdf"
    result = run_briefgen(repo, "stats", "--period", "2026", "--format", "pdf", "--out", str(path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.mark.slow
def test_report_pdf_headers_are_whole_words(report_files, year_report_pdf):
    # Each header on its own lines, never one character a line (排 over 名), so all columns fit.
    assert pdf_header_cells(report_files["pdf", 1]) == HEADER_LINES
    assert pdf_header_cells(year_report_pdf) == YEAR_HEADER_LINES
    # A year's fifteen columns fit the text block with the longest unit on one line.
    rows = [line.split() for line in pdf_text(year_report_pdf, layout=True).splitlines()]
    assert [["江北区教育局（江北区人民政府）", *[cell for cell in YEAR_CELLS[-1][2:] if cell]]] == [
        row for row in rows if row and row[0].startswith("江北区教育局")]


# --------------------------------------------------------------------------- the chart

@pytest.mark.parametrize("entry, label", [
    (Row("市教育局", Figures(submitted=2), quota=24), "2/24篇 8%"),  # 2/24 = 8.3%
    (Row("市教育局", Figures(submitted=2), quota=3), "2/3篇 67%"),  # 66.7%
    (Row("市财政局", Figures(submitted=3), quota=2), "3/2篇 150%"),
    (Row("市审计局", Figures(), quota=2), "0/2篇 0%"),
    (Row("江北区人民政府", Figures(submitted=3, score=49)), "3篇"),  # no quota: no rate
    (Row("市统计局", Figures(submitted=1), quota=0), "1篇"),  # a quota of 0 is none
])
def test_bar_label_is_the_count_against_the_quota(entry, label):
    assert bar_label(entry) == label


CHART_ROWS = (Row("江北区人民政府", Figures(submitted=3, score=49), rank=1),
              Row("市教育局", Figures(submitted=2, score=17), quota=3, rank=2),
              Row("市审计局", Figures(), quota=2, rank=4))


@pytest.mark.parametrize("rows, ticks", [
    (CHART_ROWS, [0, 1, 2, 3]),  # left to itself, matplotlib ticks 0.5, 1.0, 1.5 … here
    ((Row("江南区人民政府", Figures(submitted=5), quota=60), Row("市公安局", Figures(submitted=3), quota=36)),
     [0, 10, 20, 30, 40, 50, 60]),
])
def test_chart_counts_whole_items(rows, ticks):
    with chart_context():
        figure = quota_figure(rows)
        axes = figure.axes[0]
        low, high = axes.get_xlim()
        assert [float(t) for t in axes.get_xticks() if low <= t <= high] == ticks


def test_chart_names_each_unit_with_its_count_legibly_on_a_phone():
    with chart_context():
        figure = quota_figure(CHART_ROWS)
        bars, labels = figure.axes
        # Top-down in ranking order: the unit on the left, what it did on the right.
        assert [t.get_text() for t in reversed(bars.get_yticklabels())] == ["江北区人民政府", "市教育局", "市审计局"]
        assert [t.get_text() for t in reversed(labels.get_yticklabels())] == ["3篇", "2/3篇 67%", "0/2篇 0%"]
        assert [t.get_text() for t in bars.get_legend().get_texts()] == ["报送篇数", "报送任务"]
        # The SVG is scaled to the column, 364 px on a 390 px phone: no text under 10 px there.
        scale = 364 / (figure.get_figwidth() * 72)
        texts = [t for t in figure.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
                 if t.get_text() and t.get_visible()]
        assert len(texts) > 10
        assert min(t.get_fontsize() * scale for t in texts) >= 10


def test_chart_is_the_same_svg_for_the_same_rows():
    svg = quota_chart(CHART_ROWS)
    assert svg.startswith("<svg") and svg == quota_chart(CHART_ROWS)


# --------------------------------------------------------------------------- timeliness


def test_timeliness_outside_git_comes_only_from_submitted(plain):
    # Without git only H has a submission date (its submitted: field): 2026-12-03 - 2026-11-29.
    rows = list(csv.reader(io.StringIO(stats_bytes(plain, "--period", "2026-11", "--format", "csv")
                                       .decode("utf-8-sig"), newline="")))
    assert [row[-1] for row in rows] == ["时效（天）", "4.0", "", "", "", "", ""]
    assert [row[:-1] for row in rows[1:]] == [row[:-1] for row in MONTH_CELLS]


SMALL_CONFIG = """\
name: 测试简报
publisher: 测试市人民政府办公室
period: month
topics: [工作动态]
units: [市教育局, 市财政局, 江北区人民政府]
future_days: 400
"""


def timeliness_repo(root: Path) -> Path:
    """Three units with one item each: git first-add 3 days late (then edited 15 days later),
    git 2 days late, and a 报送日期 1 day late that wins over git's 2."""
    files = {
        "content/a.md": item("市教育局开展安全检查", "市教育局", "2026-11-02", "工作动态"),
        "content/b.md": item("市财政局开展预算检查", "市财政局", "2026-11-10", "工作动态"),
        "content/c.md": item("江北区开展环境整治", "江北区人民政府", "2026-11-10", "工作动态",
                             **{"报送日期": "2026-11-11"}),
    }
    write_bulletin(root, files, SMALL_CONFIG)
    git(root, "init", "-q")
    git(root, "add", "briefgen.yaml", "content/a.md")
    git(root, "commit", "-q", "-m", "a", date="2026-11-05T08:00:00+08:00")
    git(root, "add", "content/b.md", "content/c.md")
    git(root, "commit", "-q", "-m", "bc", date="2026-11-12T08:00:00+08:00")
    (root / "content/a.md").write_text(files["content/a.md"] + "\n又及。\n", encoding="utf-8")
    git(root, "commit", "-q", "-a", "-m", "edit a", date="2026-11-20T08:00:00+08:00")
    return root


def timeliness_column(root: Path) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(stats_bytes(root, "--period", "2026-11", "--format", "csv")
                                       .decode("utf-8-sig"), newline="")))
    return {row[1]: row[-1] for row in rows[1:]}


def test_timeliness_from_first_add_and_submitted(tmp_path):
    root = timeliness_repo(tmp_path / "repo")
    assert timeliness_column(root) == {"市教育局": "3.0", "市财政局": "2.0", "江北区人民政府": "1.0"}


def test_timeliness_when_the_bulletin_is_a_folder_of_a_git_repository(tmp_path):
    # The bulletin lives in bulletin/ of a larger repository: git names the files bulletin/content/…
    root = timeliness_repo(tmp_path / "repo")
    outer = tmp_path / "outer"
    (outer / "bulletin").mkdir(parents=True)
    for name in ("briefgen.yaml", "content"):
        os.rename(root / name, outer / "bulletin" / name)
    (outer / "bulletin" / "content" / "a.md").write_text(
        item("市教育局开展安全检查", "市教育局", "2026-11-02", "工作动态"), encoding="utf-8")
    git(outer, "init", "-q")
    git(outer, "add", "bulletin/briefgen.yaml", "bulletin/content/a.md")
    git(outer, "commit", "-q", "-m", "a", date="2026-11-05T08:00:00+08:00")
    git(outer, "add", "bulletin")
    git(outer, "commit", "-q", "-m", "bc", date="2026-11-12T08:00:00+08:00")
    assert timeliness_column(outer / "bulletin") == {"市教育局": "3.0", "市财政局": "2.0", "江北区人民政府": "1.0"}


# --------------------------------------------------------------------------- the site


def test_site_has_the_year_statistics_page(repo, tmp_path):
    out = tmp_path / "site"
    build_ok(repo, "--no-search", "--no-pdf", "--out", str(out))
    # Items exist in 2025 (L) and 2026: the page is for the latest year only.
    assert sorted(p.name for p in (out / "stats").iterdir()) == ["2026.html"]
    page = parse_html(out / "stats" / "2026.html")
    assert table_rows(page) == YEAR_CELLS

    index = parse_html(out / "index.html")
    assert "stats/2026.html" in [a.attrs.get("href") for a in index.find("main").find_all("a")]
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        nav = parse_html(path).find("nav")
        targets = {(path.parent / a.attrs["href"]).resolve() for a in nav.find_all("a")}
        assert (out / "stats" / "2026.html").resolve() in targets, path
    assert link_problems(out) == []
    table = page.find("table", cls="ranking")
    assert [th.text() for th in table.find_all("th")] == YEAR_HEADERS
    assert [tuple(c for c in th.children if isinstance(c, str)) for th in table.find_all("th")] == YEAR_HEADER_LINES
    assert [len(th.find_all("br")) for th in table.find_all("th")] == [len(lines) - 1 for lines in YEAR_HEADER_LINES]


def test_site_links_the_statistics_page_before_anything_is_adopted(tmp_path):
    # Only a reserve item: nothing is published yet, but it counts, so 2026 has a statistics page,
    # and index.html links it like every page's nav does.
    root = write_bulletin(tmp_path / "repo", {
        "content/a.md": item("市教育局开展安全检查", "市教育局", "2026-11-02", "工作动态", status="reserve"),
    }, SMALL_CONFIG)
    out = tmp_path / "site"
    build_ok(root, "--no-search", "--no-pdf", "--out", str(out))
    assert (out / "stats" / "2026.html").is_file()
    assert "stats/2026.html" in [a.attrs.get("href") for a in parse_html(out / "index.html").find("main")
                                 .find_all("a")]


# --------------------------------------------------------------------------- bad input

PERIOD_HINT = "应写成 2026-W48（周）、2026-11（月）、2026-Q4（季度）、2026-H1（上半年）或 2026（年）"


@pytest.mark.parametrize("period, message", [
    ("2026-13", f"--period: error: 统计期 '2026-13' 不存在；{PERIOD_HINT}"),
    ("26-11", f"--period: error: 统计期 '26-11' 无效；{PERIOD_HINT}"),
    ("2026-H3", f"--period: error: 统计期 '2026-H3' 无效；{PERIOD_HINT}"),
])
def test_bad_period_is_refused(repo, period, message):
    result = run_briefgen(repo, "stats", "--period", period)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == message


def test_period_with_spaces_around_it(repo):
    # parse_period strips the text before matching, so " 2026" is the year 2026 (not 202).
    assert stats(repo, "--period", " 2026 ", "--format", "json") == stats(repo, "--period", "2026", "--format", "json")


LEVELS_CONFIG = SMALL_CONFIG + """\
scoring:
  higher: {国家级: 20, 省级: 10, 市级: 5}
  instructions: {省级: 15, 市级: 8}
"""


def test_unconfigured_level_and_unknown_entry_key_are_errors_with_file_and_line(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        # line 6: a level configured nowhere
        "content/a.md": item("市教育局开展安全检查", "市教育局", "2026-11-02", "工作动态",
                             adopted_by="[{by: 区委办公室《信息》, level: 区级}]"),
        # line 6: an unknown key in an instruction (written with the Chinese keys)
        "content/b.md": item("市财政局开展预算检查", "市财政局", "2026-11-10", "工作动态",
                             **{"领导批示": "[{领导: 市长, 级别: 市级, 备注: 很好}]"}),
    }, LEVELS_CONFIG)
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "content/a.md:6: error: 上级采用的级别 '区级' 不在计分规则中；可用：国家级、省级、市级",
        "content/b.md:6: error: 领导批示中未知的项 '备注'；可用：leader、领导、level、级别、date、日期、text、内容",
    ]
    assert result.stderr == "检查了 2 篇稿件：2 个错误，0 个警告。\n"
    failed = run(root, "stats", "--period", "2026-11")
    assert failed.returncode == 1 and failed.stdout == ""
    assert "content/a.md:6: error: 上级采用的级别 '区级' 不在计分规则中" in failed.stderr


def test_higher_adoption_level_must_be_configured_for_higher_adoptions(tmp_path, run):
    # scoring.higher has no 国家级 (only scoring.instructions has): a 国家级 higher adoption would
    # silently earn 0 points, so it is an unconfigured level for adopted_by.
    root = write_bulletin(tmp_path / "repo", {
        "content/c.md": item("江北区开展环境整治", "江北区人民政府", "2026-11-10", "工作动态",
                             adopted_by="[{by: 国务院办公厅《政务要情》, level: 国家级}]"),
    }, SMALL_CONFIG + """\
scoring:
  higher: {省级: 10, 市级: 5}
  instructions: {国家级: 30, 省级: 15}
""")
    result = run(root, "check")
    assert result.returncode == 1, result.stdout
    assert result.stdout.startswith("content/c.md:6: error: 上级采用的级别 '国家级' 不在计分规则中"), result.stdout


# --------------------------------------------------------------------------- pure functions

HINT = PERIOD_HINT


@pytest.mark.parametrize("text, kind, start, end, label, number", [
    ("2026-W48", "week", dt.date(2026, 11, 23), dt.date(2026, 11, 29), "2026年第48周", 48),
    ("2026-W01", "week", dt.date(2025, 12, 29), dt.date(2026, 1, 4), "2026年第1周", 1),
    ("2026-W53", "week", dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2026年第53周", 53),
    ("2026-11", "month", dt.date(2026, 11, 1), dt.date(2026, 11, 30), "2026年11月", 11),
    ("2028-02", "month", dt.date(2028, 2, 1), dt.date(2028, 2, 29), "2028年2月", 2),
    ("2026-Q1", "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026年第一季度", 1),
    ("2026-Q4", "quarter", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026年第四季度", 4),
    ("2026-H1", "half", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "2026年上半年", 1),
    ("2026-H2", "half", dt.date(2026, 7, 1), dt.date(2026, 12, 31), "2026年下半年", 2),
    ("2026", "year", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026年", 1),
])
def test_parse_period(text, kind, start, end, label, number):
    period = parse_period(text)
    assert (period.kind, period.id, period.start, period.end, period.label, period.number, period.year) == (
        kind, text, start, end, label, number, 2026 if text != "2028-02" else 2028)
    assert period.contains(start) and period.contains(end)
    assert not period.contains(start - dt.timedelta(days=1)) and not period.contains(end + dt.timedelta(days=1))


def test_a_year_has_four_quarters():
    quarters = parse_period("2026").quarters()
    assert [(q.id, q.start, q.end) for q in quarters] == [
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
    ]
    assert parse_period("2026-11").quarters() == ()
    assert parse_period("2026-Q2").quarters() == ()


@pytest.mark.parametrize("text, quarters", [
    ("2026-H1", [("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
                 ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30))]),
    ("2026-H2", [("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
                 ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31))]),
])
def test_a_half_year_has_two_quarters(text, quarters):
    assert [(q.id, q.start, q.end) for q in parse_period(text).quarters()] == quarters


@pytest.mark.parametrize("text, message", [
    ("2026-13", f"统计期 '2026-13' 不存在；{HINT}"),
    ("2026-00", f"统计期 '2026-00' 不存在；{HINT}"),
    ("2026-W54", f"统计期 '2026-W54' 不存在；{HINT}"),
    ("2025-W53", f"统计期 '2025-W53' 不存在；{HINT}"),  # 2025 has 52 ISO weeks
    ("2026-W00", f"统计期 '2026-W00' 不存在；{HINT}"),
    ("26-11", f"统计期 '26-11' 无效；{HINT}"),
    ("2026-Q5", f"统计期 '2026-Q5' 无效；{HINT}"),
    ("2026-H3", f"统计期 '2026-H3' 无效；{HINT}"),
    ("2026-H0", f"统计期 '2026-H0' 无效；{HINT}"),
    ("2026-h1", f"统计期 '2026-h1' 无效；{HINT}"),
    ("2026/11", f"统计期 '2026/11' 无效；{HINT}"),
    ("2026-11-01", f"统计期 '2026-11-01' 无效；{HINT}"),
    ("2026-1", f"统计期 '2026-1' 无效；{HINT}"),
    ("", f"统计期 '' 无效；{HINT}"),
])
def test_parse_period_refuses(text, message):
    with pytest.raises(ValueError) as caught:
        parse_period(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text, clean", [(" 2026", "2026"), ("2026-11 ", "2026-11"), (" 2026-W48", "2026-W48"),
                                         ("\t2026-Q4\n", "2026-Q4"), (" 2026-H2 ", "2026-H2")])
def test_parse_period_ignores_surrounding_spaces(text, clean):
    period, expected = parse_period(text), parse_period(clean)
    assert (period.kind, period.start, period.end, period.year, period.label, period.number) == (
        expected.kind, expected.start, expected.end, expected.year, expected.label, expected.number)
    assert [(q.start, q.end) for q in period.quarters()] == [(q.start, q.end) for q in expected.quarters()]


# A half year is 6 months or, where a quarter's quota is set, 2 quarters; a year's is never divided.
@pytest.mark.parametrize("quota, week, month, quarter, half, year", [
    (Quota(month=2), None, 2, 6, 12, 24),
    (Quota(quarter=9), None, None, 9, 18, 36),
    (Quota(year=30), None, None, None, None, 30),
    (Quota(month=2, year=20), None, 2, 6, 12, 20),
    (Quota(month=2, quarter=5), None, 2, 5, 10, 20),
    (Quota(month=0), None, 0, 0, 0, 0),
    (Quota(), None, None, None, None, None),
])
def test_quota_for_each_kind(quota, week, month, quarter, half, year):
    assert [quota.for_kind(kind) for kind in ("week", "month", "quarter", "half", "year")] == [
        week, month, quarter, half, year]


def test_unit_quota_falls_back_to_the_default_and_groups_include_children():
    rules = Rules(quota=Quota(month=2), units={
        "甲": UnitInfo(quota=Quota(quarter=9)), "乙": UnitInfo(parent="甲"), "丙": UnitInfo(parent="乙"),
        "丁": UnitInfo(),
    })
    assert rules.quota_of("甲") == Quota(quarter=9)
    assert rules.quota_of("乙") == Quota(month=2) and rules.quota_of("未列出") == Quota(month=2)
    assert set(rules.family("甲")) == {"甲", "乙", "丙"} and set(rules.family("丁")) == {"丁"}


def row(name: str, score: float) -> Row:
    return Row(name, Figures(score=score), quota=3)


def test_rank_shares_ties_and_orders_them_as_given_then_by_name():
    rows = [row("b", 8), row("a", 8), row("c", 10), row("e", 2.5), row("d", 2.5), row("f", 0), row("g", 0)]
    ranked = rank(rows)
    assert [(r.key, r.rank) for r in ranked] == [("c", 1), ("a", 2), ("b", 2), ("d", 4), ("e", 4), ("f", 6), ("g", 6)]
    assert all(r.quota == 3 for r in ranked)
    # In the order given; those it leaves out after the others, by name.
    assert [(r.key, r.rank) for r in rank(rows, ["g", "e", "b", "a", "c"])] == [
        ("c", 1), ("b", 2), ("a", 2), ("e", 4), ("d", 4), ("g", 6), ("f", 6)]
    assert [(r.key, r.rank) for r in rank([row("x", 0), row("y", 0)])] == [("x", 1), ("y", 1)]
    assert rank([]) == []


def test_child_units_follow_their_parents_in_the_order_of_units():
    # By name 乙 (U+4E59) would come before 甲 (U+7532), and 甲一 before 甲二.
    rules = Rules(quota=Quota(), units={"甲": UnitInfo(), "乙": UnitInfo(), "乙一": UnitInfo(parent="乙"),
                                        "甲二": UnitInfo(parent="甲"), "甲一": UnitInfo(parent="甲")})
    report = tally([], ("甲", "乙", "乙一", "甲二", "甲一"), ("工作动态",), rules, parse_period("2026-11"))
    assert [(r.key, r.rank) for r in report.rows] == [("甲", 1), ("乙", 1), ("甲二", None), ("甲一", None),
                                                       ("乙一", None)]


def test_author_order_follows_units_then_officers_then_name():
    rules = Rules(units={"乙": UnitInfo(officers=("王五",)), "甲": UnitInfo(officers=("张三", "李四")),
                         "丙": UnitInfo(officers=("张三",))})
    written = [make_item(source=f"content/{n}.md", unit=u, authors=a) for n, (u, a) in enumerate(
        [("乙", ("赵六",)), ("甲", ("钱七",)), ("丙", ("钱七",)), ("甲", ("孙八",)), ("乙", ("张三",)), ("甲", ())])]
    # units lists 甲 before 乙 and 丙 (as briefgen.yaml does; the mapping's own order does not count).
    # 甲: its officers 张三 (listed in 丙 too: the first unit counts), 李四, then 钱七 and 孙八 who wrote
    # for it (and 钱七 for 丙), by name (孙 U+5B59 < 钱 U+94B1); 乙: 王五, then 赵六; the unsigned last.
    assert author_order(["（未署名）", "孙八", "张三", "李四", "王五", "赵六", "钱七"], written,
                        ("甲", "乙", "丙"), rules) == ["张三", "李四", "孙八", "钱七", "王五", "赵六", "（未署名）"]


RULES = Rules(submitted=1, adopted=2, grades={"精品": 3, "特色": 1}, higher={"国家级": 20, "省级": 10, "市级": 5},
              instructions={"省级": 12, "市级": 6})


def make_item(status: str = "adopted", grade: str = "", adopted_by: tuple = (), instructions: tuple = (),
              date: dt.date = dt.date(2026, 11, 10), submitted: dt.date | None = None, source: str = "content/x.md",
              unit: str = "市教育局", authors: tuple[str, ...] = ()):
    return Item(source=source, slug=Path(source).stem, title="标题", unit=unit, date=date, topic="工作动态",
                body="正文。", body_line=6, grade=grade, status=status, adopted_by=adopted_by,
                instructions=instructions, submitted=submitted, authors=authors)


NATIONAL, CITY = HigherAdoption("国务院办公厅《政务要情》", "国家级"), HigherAdoption("市委办公室《信息快报》", "市级")
PROVINCIAL = HigherAdoption("省政府办公厅《每日要情》", "省级")


@pytest.mark.parametrize("entry, points", [
    (make_item(), 3),  # 1 + 2
    (make_item(grade="精品"), 6),  # 1 + 2 + 3
    (make_item(grade="特色"), 4),  # 1 + 2 + 1
    (make_item(status="reserve"), 1),
    (make_item(status="rejected"), 1),
    (make_item(grade="精品", adopted_by=(NATIONAL, CITY), instructions=(Instruction("省长", "省级"),)), 43),
    (make_item(status="reserve", adopted_by=(PROVINCIAL,)), 11),  # 1 + 10
    (make_item(instructions=(Instruction("市长", "市级"), Instruction("副市长", "市级"))), 15),  # 1 + 2 + 6 + 6
])
def test_item_score(entry, points):
    assert item_score(entry, RULES) == points


def test_item_score_with_fractional_points():
    rules = Rules(submitted=0.5, adopted=1.5, grades={"特色": 1}, higher={}, instructions={})
    assert item_score(make_item(grade="特色"), rules) == 3.0


def test_figures_count_and_time():
    entries = [
        make_item(grade="精品", adopted_by=(NATIONAL, CITY), date=dt.date(2026, 11, 2), source="content/a.md"),
        make_item(status="reserve", instructions=(Instruction("市长", "市级"),), date=dt.date(2026, 11, 10),
                  submitted=dt.date(2026, 11, 11), source="content/b.md"),
        make_item(status="rejected", source="content/c.md"),
    ]
    # a: git 11-05 (3 days); b: submitted 11-11 wins over git 11-20 (1 day); c: unknown.
    got = figures(entries, RULES, {"content/a.md": dt.date(2026, 11, 5), "content/b.md": dt.date(2026, 11, 20)})
    assert (got.submitted, got.adopted, got.higher, got.instructions, got.premium, got.score) == (3, 1, 2, 1, 1, 39)
    # a 1+2+3+20+5 = 31, b 1+6 = 7, c 1
    assert got.timeliness == 2.0
    assert figures(entries, RULES, {}).timeliness == 1.0  # b only
    assert figures([entries[2]], RULES, {}).timeliness is None
    assert figures([], RULES, {}).timeliness is None
