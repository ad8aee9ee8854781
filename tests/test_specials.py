"""Special issues (专刊): chosen by condition or listed, numbered in their own series, in both formats."""

from __future__ import annotations

import pytest
from conftest import (
    build_ok,
    flat,
    item,
    parse_html,
    pdf_text,
    run_briefgen,
    write_bulletin,
)

ITEMS = {
    "content/w46/a.md": item("江北区部署冬季安全生产", unit="江北区人民政府", date="2026-11-10", tags="[安全生产]"),
    "content/w46/b.md": item("市财政局压减一般性支出", unit="市财政局", date="2026-11-11"),
    "content/w47/c.md": item("市教育局开展校园安全检查", date="2026-11-17", tags="[安全生产, 教育]"),
    "content/w47/d.md": item("市教育局推进课后服务", date="2026-11-18", status="reserve", tags="[安全生产]"),
}


@pytest.mark.slow
def test_a_special_issue_by_tag_in_both_formats(tmp_path):
    root = write_bulletin(tmp_path / "repo", {**ITEMS, "content/issues/anquan-1.yaml": (
        "special: 安全生产专刊\ntitle: 冬季安全生产工作专题\ntags: [安全生产]\ndate: 2026-11-20\n"
        "note: 现将各地经验汇编如下。\n")})

    result = build_ok(root, "--no-search")

    lines = result.stdout.splitlines()
    assert lines[2].startswith("PDF  anquan-1  安全生产专刊第1期  2篇  ")  # no 总第 number: a series of its own
    page = parse_html(root / "output/issues/anquan-1.html")
    assert page.find("p", cls="series").text() == "安全生产专刊"
    assert page.find("h2", cls="special-title").text() == "冬季安全生产工作专题"
    # Adopted items with the tag only (d is in reserve), in topic order; both stay in their weekly issues.
    assert [h.text() for h in page.find_all("h3", cls="item-title")] == ["江北区部署冬季安全生产", "市教育局开展校园安全检查"]
    assert "江北区部署冬季安全生产" in (root / "output/issues/2026-W46.html").read_text(encoding="utf-8")
    text = flat(pdf_text(root / "output/issues/anquan-1.pdf"))
    assert "安全生产专刊" in text and "第1期" in text and "总第" not in text
    assert "2026年11月20日" in text and "现将各地经验汇编如下" in text
    index = parse_html(root / "output/index.html")
    assert [a.text() for a in index.find("section", cls="specials").find_all("a") if a.attrs.get("href", "").endswith(".html")] == ["安全生产专刊第1期"]
    # Item pages still name the weekly issue.
    assert "2026年第5期" in (root / "output/items/a.html").read_text(encoding="utf-8")


def test_listed_items_and_numbering_within_the_series(tmp_path):
    root = write_bulletin(tmp_path / "repo", {
        **ITEMS,
        "content/issues/zhuanti-2.yaml": "special: 专题信息\ntitle: 民生专题\nitems: [c, b.md]\ndate: 2026-11-21\n",
        "content/issues/zhuanti-1.yaml": "special: 专题信息\ntitle: 财政专题\nunits: [市财政局]\nto: 2026-11-12\n",
    })

    build_ok(root, "--no-search", "--no-pdf")

    first = parse_html(root / "output/issues/zhuanti-1.html")
    second = parse_html(root / "output/issues/zhuanti-2.html")
    assert first.find("p", cls="number").text() == "第1期"  # the earlier date comes first in the series
    assert second.find("p", cls="number").text() == "第2期"
    assert [h.text() for h in second.find_all("h3", cls="item-title")] == ["市教育局开展校园安全检查", "市财政局压减一般性支出"]


def test_special_issue_mistakes_are_named_with_their_lines(tmp_path):
    root = write_bulletin(tmp_path / "repo", {
        **ITEMS,
        "content/issues/bad-1.yaml": "special: 安全生产专刊\ntitle: 专题\ntopics: [工作动向]\n",
        "content/issues/bad-2.yaml": "special: 安全生产专刊\ntitle: 专题\nitems: [cc]\n",
        "content/issues/bad-3.yaml": "special: 安全生产专刊\n",
        "content/issues/notes.yaml": "note: 随手记\n",
    })

    result = run_briefgen(root, "check")

    assert result.returncode == 1
    assert result.stdout == (
        "content/issues/bad-1.yaml:3: error: topics 中的 '工作动向' 不在 briefgen.yaml 中；是不是 '工作动态'？\n"
        "content/issues/bad-2.yaml:3: error: items 中的 'cc' 不是已采用的稿件；是不是 c？\n"
        "content/issues/bad-3.yaml:1: error: 专刊要写 title；如 special: 安全生产专刊（刊名）、title: 冬季安全生产工作专题（本期标题）\n"
        "content/issues/bad-3.yaml:1: error: 专刊要写选稿的条件：tags、topics、units、from、to，或用 items 逐篇列出\n"
        "content/issues/notes.yaml:1: error: 文件名 'notes.yaml' 不是期的编号；"
        "应写成 2026-W48.yaml（周刊）或 2026-11.yaml（月刊）；专刊的设置里要有 special: 刊名\n"
    )
