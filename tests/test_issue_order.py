"""An issue's explicit order (content/issues/<id>.yaml `order:`), in the site and the PDF."""

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


def bulletin(root, order):
    return write_bulletin(root, {
        "content/w47/a.md": item("甲稿件", date="2026-11-16"),
        "content/w47/b.md": item("乙稿件", unit="市财政局", date="2026-11-17"),
        "content/w47/c.md": item("丙稿件", unit="江北区人民政府", date="2026-11-18"),
        "content/w47/d.md": item("丁稿件", date="2026-11-18", topic="经验交流"),
        "content/issues/2026-W47.yaml": f"order: {order}\n",
    })


def titles(root):
    return [h.text() for h in parse_html(root / "output/issues/2026-W47.html").find_all("h3", cls="item-title")]


@pytest.mark.slow
def test_listed_items_come_first_in_their_topic_the_rest_keep_their_order(tmp_path):
    root = bulletin(tmp_path / "repo", "[c, b.md]")

    build_ok(root, "--no-search")

    # Topics keep the configured order; within 工作动态, c then b, then a by date.
    assert titles(root) == ["丙稿件", "乙稿件", "甲稿件", "丁稿件"]
    text = flat(pdf_text(root / "output/issues/2026-W47.pdf"))
    assert text.index("丙稿件") < text.index("乙稿件") < text.index("甲稿件") < text.index("丁稿件")


def test_an_item_not_in_the_issue_is_named_with_a_suggestion(tmp_path):
    root = bulletin(tmp_path / "repo", "[c, bb]")

    result = run_briefgen(root, "check")

    assert result.returncode == 1
    assert result.stdout == "content/issues/2026-W47.yaml:1: error: order 中的 'bb' 不是本期刊登的稿件；是不是 b？\n"


def test_order_must_be_a_list_of_file_names(tmp_path):
    root = bulletin(tmp_path / "repo", "c")

    result = run_briefgen(root, "check")

    assert result.returncode == 1
    assert result.stdout == ("content/issues/2026-W47.yaml:1: error: order 应是稿件文件名的列表；"
                             "如 order: [2026-11-24-jiaoyu, 2026-11-25-caizheng]，排在前面的先刊登\n")
