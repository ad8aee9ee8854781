"""The intranet site: files, links, pages and the Atom feed, parsed with html.parser and ElementTree."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import (
    CONFIG,
    HIDDEN_TITLES,
    NAME,
    PUBLISHER,
    SMALL_ORDER,
    check_scripts,
    cn_date,
    flat,
    html_files,
    item,
    item_titles,
    link_problems,
    page_root,
    parse_html,
    pdf_text,
    png,
    tree_hashes,
    without_search_scripts,
    write_bulletin,
)

ATOM = "{http://www.w3.org/2005/Atom}"
SMALL_SLUGS = ["anquan-huiyi", "banshi-wangong", "caizheng-yusuan", "fangxun", "jiaoshi-peixun",
               "jituan-banxue", "xiaoyuan-anquan"]


def site_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*"))
                     if p.suffix in (".html", ".css", ".xml"))


def check_pages(out: Path) -> None:
    """Every page: HTML5 doctype, lang zh-CN, a viewport, the search box and its two scripts and
    no other; no web address in any HTML or CSS of ours, nor any request to one in Pagefind's files."""
    pages = html_files(out)
    assert pages
    for page in pages:
        doc = parse_html(page)
        rel = page.relative_to(out).as_posix()
        assert doc.attrs["doctype"].lower() == "doctype html", rel
        (html,) = doc.find_all("html")
        assert html.attrs.get("lang") == "zh-CN", rel
        viewports = doc.find_all("meta", name="viewport")
        assert [m.attrs.get("content") for m in viewports] == ["width=device-width, initial-scale=1"], rel
        assert doc.find_all("meta", charset="utf-8"), rel
        ids = [n.attrs["id"] for n in doc.iter() if "id" in n.attrs]
        assert len(ids) == len(set(ids)), (rel, sorted(i for i in ids if ids.count(i) > 1))
        root = page_root(out, page)
        assert [link.attrs["href"] for link in doc.find_all("link", rel="stylesheet")] == [
            f"{root}assets/site.css", f"{root}pagefind/pagefind-ui.css"], rel
        check_scripts(out, page, doc)
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".css") and not path.relative_to(out).as_posix().startswith("pagefind/"):
            text = path.read_text(encoding="utf-8").lower()
            # Namespace names (the inline SVG chart's xmlns) are identifiers, never fetched.
            text = re.sub(r'xmlns(:\w+)?="[^"]*"', "", text)
            assert "http://" not in text and "https://" not in text, path
    assert pagefind_address_problems(out) == []


# --------------------------------------------------------------------------- the search bundle

# What Pagefind writes under pagefind/ for every site, with items or without (besides one
# wasm.*.pagefind): the loader and worker, the three UIs (default, modular, component),
# the highlighter and the entry file.
SEARCH_NAMED_FILES = {
    "pagefind-entry.json", "pagefind.js", "pagefind-worker.js", "pagefind-highlight.js",
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css",
}
WASM = re.compile(r"wasm\.[a-z_]+\.pagefind")
META = re.compile(r"pagefind\.(zh_[0-9a-f]+)\.pf_meta")  # zh: the language is forced to Chinese
INDEX = re.compile(r"index/zh_[0-9a-f]+\.pf_index")
FRAGMENT = re.compile(r"fragment/zh_[0-9a-f]+\.pf_fragment")

# Any absolute or protocol-relative address in a text file (JavaScript's "\/" read as "/").
ADDRESS = re.compile(r"(?i)\b(?:https?|wss?|ftp|file)://[^\s\"'`<>()]*|(?<![:/\w])//[a-z0-9-]+(?:\.[a-z0-9-]+)+")
# Every address Pagefind's own files (version 1.5.2) are allowed to hold, each with the
# text around it, which shows it is never requested. Any other address fails the test.
PAGEFIND_ADDRESSES = [
    # XML namespace names: identifiers of SVG (in the CSS's data: URI icons and the UI's
    # createElementNS), never fetched.
    "xmlns='http://www.w3.org/2000/svg'",
    'createElementNS("http://www.w3.org/2000/svg",',
    # A placeholder origin: a relative path is parsed against it and only .pathname is kept.
    'new URL(d||"/","https://p")).pathname',
    'new URL(String(s??"/"),"https://p")).pathname',
    # A placeholder origin: a path is parsed against it and the origin cut off again by the
    # replace() right after.
    "new URL(`https://example.com${anchored_url}`)",
    'anchored_url=fq_url.toString().replace(/^https://example.com/,"")',
    "new URL(`https://example.com${normalized}`)",
    'return processed.toString().replace(/^https://example\\.com/,"")',
    # Credits of the UI's translators: string values of the translations' thanks_to, shown
    # to no one and never used as an address.
    '"Seokho Son <https://github.com/seokho-son>"',
    '"Harry Min Khant <https://harrymkt.github.io>"',
    '"Dalibor Hon <https://github.com/dallyh>"',
    '"Diomed <https://github.com/diomed>"',
    '"Pablo Villaverde <https://github.com/pvillaverde>"',
    '"Ali Khaleqi Yekta <https://yekta.dev>"',
    # Comments: mark.js's licence header (pagefind-highlight.js) and the component UI's CSS
    # note on browser bugs.
    "  * https://markjs.io/\n",
    "  * Released under the MIT license https://git.io/vwTVl\n",
    "Tracking:\n  https://bugzilla.mozilla.org/show_bug.cgi?id=1837436\n  https://bugs.webkit.org/show_bug.cgi?id=243452\n*/",
]


def pagefind_data(path: Path) -> bytes:
    """A binary file of the bundle as Pagefind reads it: gzip-compressed, else as stored."""
    data = path.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def pagefind_address_problems(out: Path) -> list[str]:
    """Every address in Pagefind's files that is not one of PAGEFIND_ADDRESSES, in its text."""
    problems = []
    for path in sorted((out / "pagefind").rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.suffix in (".js", ".css", ".json"):
            text = path.read_text(encoding="utf-8").replace("\\/", "/")
            allowed = [(m.start(), m.end()) for snippet in PAGEFIND_ADDRESSES
                       for m in re.finditer(re.escape(snippet), text)]
            for found in ADDRESS.finditer(text):
                if not any(start <= found.start() and found.end() <= end for start, end in allowed):
                    problems.append(f"{rel}: {text[max(0, found.start() - 60):found.end() + 20]!r}")
        elif path.is_file() and b"://" in pagefind_data(path):  # the wasm, the index, the fragments
            problems.append(f"{rel}: holds an address")
    return problems


def check_search_bundle(out: Path, slugs: list[str]) -> dict[str, list[str]]:
    """The files under pagefind/: the primary part (Pagefind's named files, one wasm, the list
    of the other parts) and the parts that list names, each with nothing but its index; when
    there are items, each part has one Chinese index (meta + pf_index files) and one fragment per
    item page, and the parts together hold the pages of the shown items, each once, and no
    other; when there are none, no index at all. Returns each part's folder (relative to
    pagefind/, "" for the primary) with the item pages it holds."""
    script = (out / "pagefind" / "parts.js").read_text(encoding="utf-8")
    assert script.startswith("window.briefgenSearchParts = ") and script.endswith(";\n"), script
    folders = json.loads(script[len("window.briefgenSearchParts = "):-2])
    assert all(re.fullmatch(r"parts/[0-9a-z-]+/", folder) for folder in folders), folders
    held: dict[str, list[str]] = {}
    for folder in ["", *folders]:
        base = out / "pagefind" / folder
        bundle = sorted(p.relative_to(base).as_posix() for p in base.rglob("*")
                        if p.is_file() and not (folder == "" and p.relative_to(base).parts[0] in ("parts", "parts.js")))
        wasm = [f for f in bundle if WASM.fullmatch(f)]
        metas = [f for f in bundle if META.fullmatch(f)]
        indexes = [f for f in bundle if INDEX.fullmatch(f)]
        fragments = [f for f in bundle if FRAGMENT.fullmatch(f)]
        named = sorted(set(bundle) - set(wasm) - set(metas) - set(indexes) - set(fragments))
        assert named == (sorted(SEARCH_NAMED_FILES) if folder == "" else ["pagefind-entry.json"]), folder
        assert len(wasm) == (1 if folder == "" else 0), wasm
        entry = json.loads((base / "pagefind-entry.json").read_text(encoding="utf-8"))
        if slugs:
            assert len(metas) == 1 and indexes, bundle
            assert list(entry["languages"]) == ["zh"]
            language = entry["languages"]["zh"]
            assert (language["hash"], language["page_count"]) == (META.fullmatch(metas[0])[1], len(fragments))
        else:
            assert metas == indexes == fragments == [] and folders == []
            assert entry["languages"] == {}
        # One fragment per indexed page; a fragment is "pagefind_dcd" and the page's record in JSON.
        held[folder] = []
        for fragment in fragments:
            data = pagefind_data(base / fragment)
            assert data.startswith(b"pagefind_dcd"), fragment
            held[folder].append(unquote(json.loads(data[len(b"pagefind_dcd"):])["url"]))
    assert sorted(url for urls in held.values() for url in urls) == sorted(f"/items/{slug}.html" for slug in slugs)
    return held


def site_files(out: Path) -> list[str]:
    """The files of the output folder, but for the search bundle."""
    return sorted(f for f in tree_hashes(out) if not f.startswith("pagefind/"))


# --------------------------------------------------------------------------- the bulletin written here


@pytest.mark.slow
def test_site_files(small_build):
    assert site_files(small_build.out) == sorted([
        ".briefgen-output", "assets/favicon.svg", "assets/site.css", "feed.xml", "index.html",
        "issues/2026-W46.docx", "issues/2026-W46.html", "issues/2026-W46.pdf",
        "issues/2026-W47.docx", "issues/2026-W47.html", "issues/2026-W47.pdf",
        *[f"items/{slug}.html" for slug in SMALL_SLUGS],
        "media/2026/2026-W47/图片 1.png",
        "stats/2026.html", "topics.html", "topics/要情专报.html", "topics/工作动态.html", "topics/经验交流.html",
        "units.html", "units/市教育局.html", "units/市财政局.html", "units/江北区人民政府.html",
    ])
    check_search_bundle(small_build.out, SMALL_SLUGS)
    assert (small_build.out / "media/2026/2026-W47/图片 1.png").read_bytes() == \
        (small_build.root / "content/2026/2026-W47/图片 1.png").read_bytes()


@pytest.mark.slow
def test_links_are_relative_and_resolve(small_build):
    assert link_problems(small_build.out) == []


@pytest.mark.slow
def test_pages_declare_language_and_viewport_and_use_no_web_addresses(small_build):
    check_pages(small_build.out)


@pytest.mark.slow
def test_issue_pages_list_items_in_pdf_order(small_build):
    for issue_id, titles in SMALL_ORDER.items():
        page = parse_html(small_build.out / "issues" / f"{issue_id}.html")
        assert item_titles(page) == titles
        text = flat(pdf_text(small_build.out / "issues" / f"{issue_id}.pdf"))
        found = [text.find(t) for t in titles]
        assert -1 not in found and found == sorted(found)


@pytest.mark.slow
def test_issue_page_masthead_and_colophon(small_build):
    page = parse_html(small_build.out / "issues" / "2026-W47.html")
    masthead = page.find("header", cls="masthead")
    assert masthead.find("p", cls="mark").text() == "内部资料"
    assert masthead.find("h1", cls="name").text() == NAME
    assert masthead.find("p", cls="number").text() == "第6期（总第106期）"
    assert masthead.find("span", cls="publisher").text() == PUBLISHER
    assert masthead.find("span", cls="date").text() == "2026年11月20日"
    colophon = page.find("footer", cls="colophon")
    assert [p.text() for p in colophon.find_all("p")][:4] == [
        "报：市委办公室", "送：市人大办公室", "发：各区人民政府", "本期增发：市统计局"]
    last = colophon.find("p", cls="colophon-last")
    assert last.find("span", cls="people").text() == "责任编辑：李编辑\u3000签发：张签发"
    assert last.find("span", cls="copies").text() == "（共印50份）"
    assert len(colophon.find_all("p")) == 5
    tools = page.find("p", cls="tools")
    assert [(a.attrs["href"], a.text()) for a in tools.find_all("a")] == [
        ("../issues/2026-W47.pdf", "下载 PDF"), ("../issues/2026-W47.docx", "Word 版"), ("2026-W46.html", "上一期")]
    assert page.find("title").text() == f"{NAME} 2026年第6期"


@pytest.mark.slow
def test_item_pages_for_adopted_items_only(small_build):
    assert sorted(p.stem for p in (small_build.out / "items").iterdir()) == SMALL_SLUGS
    everything = site_text(small_build.out)
    for title in HIDDEN_TITLES:
        assert title not in everything
    for body in ("备用稿件正文", "退稿稿件正文", "草稿稿件正文"):
        assert body not in everything
    for titles in SMALL_ORDER.values():
        for title in titles:
            assert title in everything


@pytest.mark.slow
def test_item_page(small_build):
    page = parse_html(small_build.out / "items" / "jituan-banxue.html")
    article = page.find("article", cls="item-page")
    assert article.find("h1", cls="item-title").text() == "市教育局以集团化办学促进均衡发展"
    meta = article.find("p", cls="item-meta")
    assert " ".join(meta.text().split()) == "市教育局 · 2026年11月17日 · 经验交流"
    assert [a.attrs["href"] for a in meta.find_all("a")] == [
        "../units/%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80.html", "../topics/%E7%BB%8F%E9%AA%8C%E4%BA%A4%E6%B5%81.html"]
    source = article.find("p", cls="source")
    assert source.text() == "刊于《测试简报》2026年第6期"
    assert source.find("a").attrs["href"] == "../issues/2026-W47.html"
    assert page.find("title").text() == f"市教育局以集团化办学促进均衡发展 - {NAME}"


@pytest.mark.slow
def test_cjk_line_break_heading_anchor_and_footnotes_in_html(small_build):
    for page_path in (small_build.out / "items" / "jituan-banxue.html", small_build.out / "issues" / "2026-W47.html"):
        page = parse_html(page_path)
        body = next(a for a in page.find_all("article", cls="item")
                    if a.find(cls="item-title").text() == "市教育局以集团化办学促进均衡发展").find("div", cls="item-body")
        paragraphs = [p.text() for p in body.find_all("p")]
        assert paragraphs[0] == "各地区要加强组织领导，压实责任。"
        heading = body.find("h4")
        assert heading.attrs["id"] == "jituan-banxue-一强化组织领导"
        assert heading.text() == "一、强化组织领导"
        ref = body.find("sup")
        assert ref.attrs["id"] == "fnref-jituan-banxue-1"
        assert ref.find("a").attrs["href"] == "#fn-jituan-banxue-1"
        note = body.find("li", id="fn-jituan-banxue-1")
        assert note.find("a", cls="footnote-backref").attrs["href"] == "#fnref-jituan-banxue-1"
        image = body.find("img")
        assert image.attrs == {"alt": "现场照片", "src": "../media/2026/2026-W47/%E5%9B%BE%E7%89%87%201.png"}


@pytest.mark.slow
def test_index_shows_latest_issue_first(small_build):
    page = parse_html(small_build.out / "index.html")
    latest = page.find("section", cls="latest")
    link = latest.find("h1").find("a")
    assert (link.attrs["href"], link.text()) == ("issues/2026-W47.html", "2026年第6期")
    assert [a.text() for a in latest.find_all("a") if a.attrs["href"].startswith("items/")] == SMALL_ORDER["2026-W47"]
    archive = page.find("section", cls="archive")
    assert [h.text() for h in archive.find_all("h2")] == ["2026年"]
    assert [li.find("a").attrs["href"] for li in archive.find_all("li")] == [
        "issues/2026-W47.html", "issues/2026-W46.html"]
    assert [" ".join(li.find("span", cls="meta").text().split()) for li in archive.find_all("li")] == [
        "总第106期 · 2026年11月20日 · 2篇", "总第105期 · 2026年11月13日 · 5篇"]


@pytest.mark.slow
def test_topic_and_unit_pages(small_build):
    out = small_build.out
    topics = parse_html(out / "topics.html")
    assert [(a.text(), li.find("span", cls="meta").text()) for li in topics.find_all("li") for a in [li.find("a")]] == [
        ("要情专报", "2篇"), ("工作动态", "4篇"), ("经验交流", "1篇")]
    work = parse_html(out / "topics" / "工作动态.html")
    assert work.find("h1").text() == "工作动态"
    assert work.find("p", cls="meta").text() == "共4篇"
    # Newest first (by date, then title, reversed).
    assert [a.text() for a in work.find("ul", cls="items").find_all("a")] == [
        "市教育局部署冬季校园安全工作", "为民办实事项目全部完工", "市财政局加强预算执行管理", "市教育局启动教师培训计划"]
    units = parse_html(out / "units.html")
    assert [(li.find("a").text(), li.find("span", cls="meta").text()) for li in units.find_all("li")] == [
        ("市教育局", "3篇"), ("市财政局", "1篇"), ("江北区人民政府", "3篇")]


@pytest.mark.slow
def test_feed(small_build):
    root = ET.parse(small_build.out / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == NAME
    assert root.find(f"{ATOM}subtitle").text == PUBLISHER
    assert root.find(f"{ATOM}updated").text == "2026-11-20T00:00:00+08:00"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        f"{NAME}2026年第6期（总第106期）", f"{NAME}2026年第5期（总第105期）"]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        "issues/2026-W47.html", "issues/2026-W46.html"]
    assert [e.find(f"{ATOM}updated").text for e in entries] == [
        "2026-11-20T00:00:00+08:00", "2026-11-13T00:00:00+08:00"]
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("urn:uuid:") for i in ids)
    content = parse_html(entries[0].find(f"{ATOM}content").text)
    assert [li.text() for li in content.find_all("li")] == ["江北区全力做好防汛准备（江北区人民政府）",
                                                           "市教育局以集团化办学促进均衡发展（市教育局）"]
    for entry in entries:
        assert (small_build.out / entry.find(f"{ATOM}link").get("href")).is_file()


# --------------------------------------------------------------------------- the sample bulletin


@pytest.mark.slow
def test_sample_site_structure(sample_build):
    out, config = sample_build.out, sample_build.config
    files = set(site_files(out))
    adopted = sorted(i.slug for issue in sample_build.issues for i in issue.items)
    expected = {".briefgen-output", "index.html", "assets/favicon.svg", "assets/site.css", "feed.xml", "topics.html",
                "units.html", "stats/2026.html", "calls.html"}  # calls.html: the sample's 约稿 and 报送要点
    expected |= {f"issues/{i.id}.html" for i in sample_build.issues}
    expected |= {f"issues/{i.id}.{kind}" for i in sample_build.issues for kind in ("pdf", "docx")}
    expected |= {f"items/{slug}.html" for slug in adopted}
    expected |= {f"topics/{t}.html" for t in config["topics"]}
    expected |= {f"units/{u}.html" for u in config["units"]}
    assert {f for f in files if not f.startswith("media/")} == expected
    held = check_search_bundle(out, adopted)
    # The two newest issues in the primary part, the older ones of the quarter in a part of their own.
    by_issue = {i.id: sorted(f"/items/{item.slug}.html" for item in i.items) for i in sample_build.issues}
    assert sorted(by_issue) == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert {folder: sorted(urls) for folder, urls in held.items()} == {
        "": sorted(by_issue["2026-W47"] + by_issue["2026-W48"]),
        "parts/2026-q4/": sorted(by_issue["2026-W44"] + by_issue["2026-W45"] + by_issue["2026-W46"])}
    pages = len([f for f in expected if f.endswith(".html")]) + 3  # + site.css, favicon.svg and feed.xml
    assert f"网页文件 {pages} 个" in sample_build.result.stdout.splitlines()[-1]


@pytest.mark.slow
def test_sample_links_pages_and_no_web_addresses(sample_build):
    assert link_problems(sample_build.out) == []
    check_pages(sample_build.out)


@pytest.mark.slow
def test_sample_issue_pages_match_pdf_order(sample_build):
    for issue in sample_build.issues:
        page = parse_html(sample_build.out / "issues" / f"{issue.id}.html")
        titles = item_titles(page)
        assert titles == [i.title for i in issue.items], issue.id
        text = flat(pdf_text(sample_build.out / "issues" / f"{issue.id}.pdf"))
        start = text.index(f"【{issue.items[0].topic}】")
        at, found = start, []
        for title in titles:
            at = text.find(flat(title), at)
            found.append(at)
        assert -1 not in found, issue.id
        masthead = page.find("header", cls="masthead")
        assert masthead.find("p", cls="number").text() == f"第{issue.number}期（总第{issue.total}期）"
        assert masthead.find("span", cls="date").text() == cn_date(issue.date)


@pytest.mark.slow
def test_sample_index_and_feed_newest_first(sample_build):
    newest = list(reversed(sample_build.issues))
    page = parse_html(sample_build.out / "index.html")
    link = page.find("section", cls="latest").find("h1").find("a")
    assert link.attrs["href"] == f"issues/{newest[0].id}.html"
    archive = page.find("section", cls="archive")
    assert [li.find("a").attrs["href"] for li in archive.find_all("li")] == [f"issues/{i.id}.html" for i in newest]
    feed = ET.parse(sample_build.out / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    name = sample_build.config["name"]
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        f"{name}{i.id[:4]}年第{i.number}期（总第{i.total}期）" for i in newest[:20]]


@pytest.mark.slow
def test_sample_hidden_items_absent_from_site(sample_build):
    hidden = [i for i in sample_build.all_items if i.status != "adopted"]
    assert hidden
    everything = site_text(sample_build.out)
    for entry in hidden:
        assert not (sample_build.out / "items" / f"{entry.slug}.html").exists()
        assert entry.title not in everything, entry.title


# --------------------------------------------------------------------------- builds of their own


def test_raw_html_is_sanitised_everywhere(tmp_path, run):
    body = ('正文开头。\n\n<script>alert("xss")</script>\n\n<p onclick="steal()">点我</p>\n\n'
            '<a href="javascript:alert(1)">链接</a>\n\n<iframe src="evil.html"></iframe>\n\n'
            '[坏链接](javascript:alert(2))\n\n<div onmouseover="steal()" style="color:red">悬停</div>\n\n'
            '<SCRIPT SRC="evil.js"></SCRIPT>\n\n<img src="x.png" onerror="alert(3)">\n')
    root = write_bulletin(tmp_path / "repo", {"content/2026/xss.md": item("含有脚本的稿件", body=body),
                                              "content/2026/x.png": png()})
    result = run(root, "build", "--no-pdf")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    pages = html_files(out)
    assert len(pages) == 12
    for page in pages:
        # The page's own two search scripts cut out, nothing script-like may be left.
        text = without_search_scripts(out, page).lower()
        for bad in ("<script", "onclick", "onmouseover", "onerror", "javascript:", "<iframe", "alert(", "steal("):
            assert bad not in text, (page, bad)
        doc = parse_html(page)
        check_scripts(out, page, doc)
        for node in doc.iter():
            assert node.tag not in ("iframe", "object", "embed", "form"), page
            assert not [a for a in node.attrs if a.startswith("on")], page
    item_page = parse_html(out / "items" / "xss.html")
    body_div = item_page.find("div", cls="item-body")
    assert [p.text() for p in body_div.find_all("p")][:3] == ["正文开头。", "点我", "链接"]
    # The image itself is kept, without its handler.
    assert result.stderr == ""
    assert [(img.attrs.get("src"), sorted(img.attrs)) for img in body_div.find_all("img")] == [
        ("../media/2026/x.png", ["src"])]


def test_no_pdf_writes_no_pdf_and_no_pdf_links(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/a.md": item("第一篇", date="2026-11-10"),
        "content/2026/b.md": item("第二篇", date="2026-11-17"),
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    assert [p for p in out.rglob("*.pdf")] == []
    for page in html_files(out):
        doc = parse_html(page)
        assert doc.find_all("a", cls="pdf") == [], page
        assert not [n for n in doc.iter() if n.attrs.get("href", "").endswith(".pdf")], page
        assert "下载 PDF" not in page.read_text(encoding="utf-8")
    assert re.fullmatch(r"已生成 2 期，网页文件 17 个，输出到 output/，用时 \d+\.\d 秒。\n", result.stdout)


def test_numbering_restarts_in_new_iso_year(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/nianmo.md": item("年末稿件", date="2026-12-30"),
        "content/2027/nianchu.md": item("年初稿件", date="2027-01-06"),
        "content/2027/dier.md": item("第二周稿件", date="2027-01-13"),
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    assert sorted(p.name for p in (out / "issues").iterdir()) == [
        "2026-W53.html", "2027-W01.html", "2027-W02.html"]
    numbers = {}
    for issue_id in ("2026-W53", "2027-W01", "2027-W02"):
        masthead = parse_html(out / "issues" / f"{issue_id}.html").find("header", cls="masthead")
        numbers[issue_id] = (masthead.find("p", cls="number").text(), masthead.find("span", cls="date").text())
    assert numbers == {
        "2026-W53": ("第5期（总第105期）", "2027年1月1日"),  # the Friday of 2026-W53
        "2027-W01": ("第1期（总第106期）", "2027年1月8日"),
        "2027-W02": ("第2期（总第107期）", "2027年1月15日"),
    }
    archive = parse_html(out / "index.html").find("section", cls="archive")
    assert [h.text() for h in archive.find_all("h2")] == ["2027年", "2026年"]
    assert [li.find("a").text() for li in archive.find_all("li")] == ["2027年第2期", "2027年第1期", "2026年第5期"]


def test_month_period(tmp_path, run):
    config = CONFIG.replace("period: week", "period: month")
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/a.md": item("十一月上旬", date="2026-11-05"),
        "content/2026/b.md": item("十一月下旬", date="2026-11-30"),
        "content/2026/c.md": item("十二月", date="2026-12-02"),
    }, config=config)
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    assert sorted(p.name for p in (out / "issues").iterdir()) == ["2026-11.html", "2026-12.html"]
    page = parse_html(out / "issues" / "2026-11.html")
    masthead = page.find("header", cls="masthead")
    assert masthead.find("p", cls="number").text() == "第5期（总第105期）"
    assert masthead.find("span", cls="date").text() == "2026年11月30日"
    assert item_titles(page) == ["十一月上旬", "十一月下旬"]
    december = parse_html(out / "issues" / "2026-12.html").find("header", cls="masthead")
    assert december.find("p", cls="number").text() == "第6期（总第106期）"
    assert december.find("span", cls="date").text() == "2026年12月31日"


def test_bom_and_crlf_give_the_same_site(tmp_path, run):
    text = item("市教育局开展教研活动", body="各地区要加强组织\n领导，压实责任。\n\n## 一、强化组织领导\n\n正文[^1]。\n\n[^1]: 注释。\n")
    plain = write_bulletin(tmp_path / "plain", {"content/2026/a.md": text})
    windows = write_bulletin(tmp_path / "windows", {
        "content/2026/a.md": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")})
    for root in (plain, windows):
        result = run(root, "build", "--no-search", "--no-pdf")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    a, b = tree_hashes(plain / "output"), tree_hashes(windows / "output")
    assert a == b
    page = (windows / "output" / "items" / "a.html").read_text(encoding="utf-8")
    assert "\r" not in page and "\ufeff" not in page
    assert "<p>各地区要加强组织领导，压实责任。</p>" in page


def test_gbk_item_is_an_error_naming_the_file(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/good.md": item("好稿件"),
        "content/2026/gbk.md": item("国标编码稿件", body="这是用国标编码保存的稿件。\n").encode("gbk"),
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "content/2026/gbk.md:1: error: 文件是 GBK 编码，不是 UTF-8；运行 briefgen check --fix-encoding 自动转换（会先备份原文件），或在编辑器中另存为 UTF-8 编码\n"
        "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。\n")
    assert not (root / "output").exists()


def test_remote_images_are_never_loaded_by_the_site(tmp_path, run):
    """README: a network image is not downloaded; only its alt text is shown, with a warning."""
    body = ("![甲图](https://example.com/a.png)\n\n"
            "![乙图](HTTPS://example.com/b.png)\n\n"
            "![丙图](//example.com/c.png)\n\n"
            '<img src="Http://example.com/d.png" alt="丁图">\n')
    root = write_bulletin(tmp_path / "repo", {"content/2026/remote.md": item("网络图片稿件", body=body)})
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    for page in (out / "items" / "remote.html", out / "issues" / "2026-W46.html"):
        doc = parse_html(page)
        assert [(img.attrs.get("src"), img.attrs.get("alt")) for img in doc.find_all("img")] == [], page
        assert [s.text() for s in doc.find_all("span", cls="missing-image")] == ["甲图", "乙图", "丙图", "丁图"]
        assert "example.com" not in page.read_text(encoding="utf-8")
    assert link_problems(out) == []
    warnings = result.stderr.splitlines()
    assert len(warnings) == 4, result.stderr
    for line, (number, name) in zip(warnings, ((8, "a"), (10, "b"), (12, "c"), (14, "d")), strict=True):
        assert line.startswith(f"content/2026/remote.md:{number}: warning: 不载入网络图片 "), line
        assert line.endswith(f"example.com/{name}.png，只显示其说明文字"), line


def test_bulletin_without_adopted_items(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {"content/2026/a.md": item("草稿", status="草稿")})
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    assert site_files(out) == sorted([
        ".briefgen-output", "assets/favicon.svg", "assets/site.css", "feed.xml", "index.html", "topics.html",
        "topics/要情专报.html",
        "topics/工作动态.html", "topics/经验交流.html", "units.html", "units/市教育局.html",
        "units/市财政局.html", "units/江北区人民政府.html"])
    # The search bundle is still written, and every page still has the search box, but there is no
    # index: no pf_meta, pf_index or fragment, and no language in pagefind-entry.json.
    check_search_bundle(out, [])
    for page in html_files(out):
        check_scripts(out, page)
    main = parse_html(out / "index.html").find("main")
    assert " ".join(main.text().split()) == "还没有已采用的稿件。"
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.findall(f"{ATOM}entry") == []
    assert re.fullmatch(r"已生成 0 期，网页文件 12 个，输出到 output/，用时 \d+\.\d 秒。\n", result.stdout)
    assert link_problems(out) == []


def test_issue_settings_in_the_masthead_and_colophon(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/a.md": item("第一篇", date="2026-11-10", note="按：请各地参阅。"),
        "content/issues/2026-W46.yaml": ("note: 本期编者按。\ndate: 2026-11-12\neditor: 王编辑\nsigner: 赵签发\n"
                                         "extra: 市档案馆\ncopies: 12\n"),
        "content/issues/2026-W40.yaml": "signer: 赵签发\n",
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "content/issues/2026-W40.yaml:1: warning: 2026-W40 没有已采用的稿件，这期的设置不会用到\n"
    page = parse_html(root / "output" / "issues" / "2026-W46.html")
    assert page.find("span", cls="date").text() == "2026年11月12日"
    assert page.find("section", cls="editor-note").text() == "编者按：本期编者按。"
    assert page.find("p", cls="item-note").text() == "按：请各地参阅。"
    colophon = page.find("footer", cls="colophon")
    assert [p.text() for p in colophon.find_all("p")][:4] == [
        "报：市委办公室", "送：市人大办公室", "发：各区人民政府", "本期增发：市档案馆"]
    assert colophon.find("span", cls="people").text() == "责任编辑：王编辑\u3000签发：赵签发"
    assert colophon.find("span", cls="copies").text() == "（共印12份）"
    feed = ET.parse(root / "output" / "feed.xml").getroot()
    assert feed.find(f"{ATOM}updated").text == "2026-11-12T00:00:00+08:00"


def test_bad_issue_settings_file(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/a.md": item("第一篇"),
        "content/issues/第46期.yaml": "signer: 赵签发\n",
        "content/issues/2026-W46.yaml": "signer: 赵签发\ndate: 2026-11-31\ncopies: 很多\n",
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 1
    assert result.stderr == (
        "content/issues/2026-W46.yaml:2: error: 日期 '2026-11-31' 不存在；请检查月份和日\n"
        "content/issues/2026-W46.yaml:3: error: copies 应是非负整数，而不是 '很多'\n"
        "content/issues/第46期.yaml:1: error: 文件名 '第46期.yaml' 不是期的编号；"
        "应写成 2026-W48.yaml（周刊）或 2026-11.yaml（月刊）；专刊的设置里要有 special: 刊名\n"
        "发现 3 个错误，未生成任何文件；output/ 保持上次的内容。\n")


def test_feed_keeps_the_twenty_newest_issues(tmp_path, run):
    import datetime as dt

    monday = dt.date(2026, 6, 1)
    files = {f"content/w{n:02d}.md": item(f"第{n + 1}周稿件", date=(monday + dt.timedelta(weeks=n)).isoformat())
             for n in range(21)}
    root = write_bulletin(tmp_path / "repo", files)
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    entries = ET.parse(root / "output" / "feed.xml").getroot().findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        f"{NAME}2026年第{5 + n}期（总第{105 + n}期）" for n in range(20, 0, -1)]
    archive = parse_html(root / "output" / "index.html").find("section", cls="archive")
    assert len(archive.find_all("li")) == 21


@pytest.mark.slow
def test_an_image_alone_in_its_paragraph_is_a_figure_with_its_caption_in_both_outputs(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/a.md": item("市教育局开展教研活动", body="活动现场。\n\n![教研活动现场](xianchang.png)\n\n"
                                                               "文中的图标![标志](biao.png)不是插图。\n"),
        "content/2026/xianchang.png": png(1200, 3000),  # tall: held to a third of the text block
        "content/2026/biao.png": png(4, 4),
    })
    result = run(root, "build", "--no-search")
    assert result.returncode == 0, result.stderr

    body = parse_html(root / "output/items/a.html").find("div", cls="item-body")
    figure = body.find("figure")
    assert [child.tag for child in figure.children] == ["img", "figcaption"]
    assert figure.find("img").attrs["alt"] == "教研活动现场"
    assert figure.find("figcaption").text() == "教研活动现场"
    assert len(body.find_all("figure")) == 1  # an image within a sentence stays in it
    assert body.find_all("p")[-1].find("img").attrs["alt"] == "标志"
    lines = [line.strip() for line in pdf_text(root / "output/issues/2026-W46.pdf").splitlines()]
    assert "教研活动现场" in lines  # the caption, on a line of its own under the picture
