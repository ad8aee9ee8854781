"""Front matter values are text: escaped on every page, never markup."""

from __future__ import annotations

from conftest import (
    build_ok,
    check_scripts,
    html_files,
    item,
    parse_html,
    without_search_scripts,
    write_bulletin,
)

TITLE = '"<script>alert(1)</script><b onmouseover=x>粗</b>"'
NOTE = '"<img src=x onerror=alert(2)>按语"'


def test_front_matter_markup_is_escaped_on_every_page(tmp_path):
    files = {"content/2026/a.md": item(TITLE, note=NOTE, author='"<i>张三</i>"',
                                        body="正文。\n\n段落 {: onclick=\"steal()\" }\n")}
    root = write_bulletin(tmp_path / "repo", files)

    build_ok(root, "--no-pdf")

    out = root / "output"
    for page in html_files(out):
        doc = parse_html(page)
        check_scripts(out, page, doc)  # the search loader and initialiser, and no other script
        for node in doc.iter():
            assert node.tag not in ("b", "i", "img"), (page, node.tag)
            assert not [a for a in node.attrs if a.startswith("on")], page
        assert "<script" not in without_search_scripts(out, page).lower(), page
    item_page = parse_html(out / "items" / "a.html")
    assert item_page.find("h1", cls="item-title").text() == "<script>alert(1)</script><b onmouseover=x>粗</b>"
    assert item_page.find("p", cls="item-note").text() == "<img src=x onerror=alert(2)>按语"
    assert "信息员：<i>张三</i>" in " ".join(item_page.find("p", cls="item-meta").text().split())
    # attr_list is off: the braces stay as text instead of becoming an attribute.
    paragraphs = item_page.find("div", cls="item-body").find_all("p")
    assert [p.text() for p in paragraphs] == ["正文。", '段落 {: onclick="steal()" }']
    assert (out / "items" / "a.html").read_text(encoding="utf-8").count("&lt;script&gt;") >= 2  # title and <title>
