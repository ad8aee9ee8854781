"""The Word edition: output/issues/<id>.docx beside each PDF, read back as XML with the standard
library and opened by LibreOffice, the real consumer, whose PDF poppler reads."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from conftest import (
    CONFIG,
    NAME,
    PUBLISHER,
    SMALL_ITEMS,
    SMALL_ORDER,
    SMALL_PNG,
    Node,
    build_ok,
    item,
    parse_html,
    pdf_info,
    pdf_text,
    tree_hashes,
    write_bulletin,
)
from wordfiles import (
    NS,
    all_text,
    attributes,
    body_paragraphs,
    flat,
    members,
    office_pdfs,
    part,
    style,
    text_of,
    w,
)

FAST = ("--no-search", "--no-pdf", "--docx")
W46, W47 = "2026-W46", "2026-W47"
# GB/T 9704 in twips (1/1440 inch; a millimetre is 1440 / 25.4): A4 is 210 x 297 mm, the top
# margin 37 mm and the right 26 mm; the text block 156 x 225 mm (8844 x 12756) fixes the others.
PAGE = {"w": "11906", "h": "16838"}
MARGINS = {"top": "2098", "right": "1474", "left": str(11906 - 1474 - 8844), "bottom": str(16838 - 2098 - 12756)}
FONTS = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading1": "黑体", "Heading2": "楷体_GB2312",
         "Heading3": "仿宋_GB2312", "Masthead": "方正小标宋简体", "Topic": "黑体", "Unit": "楷体_GB2312"}
COLOPHON_W47 = ["报：市委办公室", "送：市人大办公室", "发：各区人民政府", "本期增发：市统计局",
                "责任编辑：李编辑\u3000签发：张签发\t（共印50份）"]

RICH = """\
## 一、总体情况

今年以来，全市完成投资 *32.6* 亿元，同比增长 **8.5%**，H<sub>2</sub>O 与 m<sup>2</sup>，<u>下划线</u>，\
<del>删去的字</del>。各地区要加强组织领导[^a]，再说一次[^a]。

### （一）主要做法

1. 第一项
2. 第二项
    - 子项甲
    - 子项乙
3. 第三项

<ol start="5"><li>第五项</li></ol>

> 引用的话。

| 区域 | 数量 |
| --- | --- |
| 江北区 | 14 |

<table><tr><th colspan="2">合并表头</th><th rowspan="2">纵向</th></tr><tr><td>甲</td><td>乙</td></tr></table>

第一行<br>第二行

![现场照片](图片.png)

行内图片 ![小图](图片.png) 之后的文字。

![远程图片](https://intranet.example.gov.cn/a.png)

---

<dl><dt>术语</dt><dd>解释</dd></dl>

#### 四级标题

[^a]: 注释的内容。
"""


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """A bulletin of one issue whose item uses every kind of markup a body can hold, built
    without PDFs."""
    root = write_bulletin(tmp_path_factory.mktemp("rich") / "repo", {
        "content/2026/w46/rich.md": item("各类格式的稿件", body=RICH),
        "content/2026/w46/图片.png": SMALL_PNG,
    }, config=CONFIG + "remote_hosts: [intranet.example.gov.cn]\n")
    build_ok(root, *FAST)
    return root / "output" / "issues" / f"{W46}.docx"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The two issues of conftest's small bulletin, built without PDFs."""
    root = write_bulletin(tmp_path_factory.mktemp("small-word") / "repo", SMALL_ITEMS)
    build_ok(root, *FAST)
    return root


# --------------------------------------------------------------------------- the page and the styles


def test_a4_with_the_margins_and_grid_of_gb_t_9704(small):
    section = part(small / "output/issues/2026-W47.docx", "word/document.xml").find("w:body/w:sectPr", NS)
    assert attributes(section.find("w:pgSz", NS)) == PAGE
    margins = attributes(section.find("w:pgMar", NS))
    assert {key: margins[key] for key in MARGINS} == MARGINS == {"top": "2098", "right": "1474", "left": "1588",
                                                                 "bottom": "1984"}
    grid = attributes(section.find("w:docGrid", NS))
    assert grid == {"type": "linesAndChars", "linePitch": "579", "charSpace": "-849"}
    # 22 lines of the pitch fit the 225 mm block, 23 do not; 28 characters of 16 pt plus the
    # character space fit the 156 mm line (442.2 pt), and with one 1/4096 pt more they would not.
    assert 22 * 579 <= 12756 < 23 * 579
    assert 28 * (16 - 849 / 4096) <= 8844 / 20 < 28 * (16 - 848 / 4096)


def test_body_is_16_pt_justified_indented_two_characters(small):
    normal = style(part(small / "output/issues/2026-W47.docx", "word/styles.xml"), "Normal")
    assert attributes(normal.find("w:pPr/w:ind", NS))["firstLineChars"] == "200"
    assert attributes(normal.find("w:pPr/w:jc", NS)) == {"val": "both"}
    assert attributes(normal.find("w:pPr/w:spacing", NS))["line"] == "579"
    assert attributes(normal.find("w:pPr/w:spacing", NS))["lineRule"] == "exact"
    assert attributes(normal.find("w:rPr/w:sz", NS)) == {"val": "32"}
    # A quarter point closer, as print.css sets the body: 28 characters of 16 pt fill the line.
    assert attributes(normal.find("w:rPr/w:spacing", NS)) == {"val": "-5"}
    assert 28 * (16 - 0.25) <= 8844 / 20 < 29 * (16 - 0.25)


def test_each_role_names_its_font_in_the_east_asian_slot(small):
    styles = part(small / "output/issues/2026-W47.docx", "word/styles.xml")
    for style_id, font in FONTS.items():
        fonts = attributes(style(styles, style_id).find("w:rPr/w:rFonts", NS))
        assert fonts == {"ascii": font, "hAnsi": font, "eastAsia": font, "cs": font, "hint": "eastAsia"}, style_id
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert attributes(defaults.find("w:rFonts", NS))["eastAsia"] == "仿宋_GB2312"
    assert attributes(defaults.find("w:lang", NS)) == {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"}
    assert not [f for f in styles.iter(w("rFonts")) if any(k.endswith("Theme") for k in attributes(f))]
    # A run in another role than its paragraph's: the labels of the 报尾 in 黑体.
    document = part(small / "output/issues/2026-W47.docx", "word/document.xml")
    labels = [r for r in document.iter(w("r")) if text_of(r) == "报："]
    assert [attributes(r.find("w:rPr/w:rFonts", NS))["eastAsia"] for r in labels] == ["黑体"]


def test_page_numbers_are_fields_at_the_right_of_odd_pages_and_the_left_of_even_ones(small):
    path = small / "output/issues/2026-W47.docx"
    assert part(path, "word/settings.xml").find("w:evenAndOddHeaders", NS) is not None
    section = part(path, "word/document.xml").find("w:body/w:sectPr", NS)
    targets = {attributes(ref)["type"]: ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                                                "relationships}id") for ref in section.findall("w:footerReference", NS)}
    assert set(targets) == {"default", "even"}
    rels = part(path, "word/_rels/document.xml.rels")
    files = {rel.get("Id"): rel.get("Target") for rel in rels}
    for kind, side in (("default", "right"), ("even", "left")):
        footer = part(path, f"word/{files[targets[kind]]}")
        paragraph = footer.find("w:p", NS)
        field = paragraph.find("w:fldSimple", NS)
        assert field is not None and field.get(w("instr")).strip() == "PAGE"
        assert [text_of(node) if node.tag == w("r") else "[PAGE]" for node in paragraph
                if node.tag in (w("r"), w("fldSimple"))] == ["— ", "[PAGE]", " —"]
        assert attributes(paragraph.find("w:pPr/w:jc", NS)) == {"val": side}
        indent = attributes(paragraph.find("w:pPr/w:ind", NS))
        assert (indent[f"{side}Chars"], indent[side]) == ("100", "280")  # one character of 14 pt
        assert {attributes(size)["val"] for size in paragraph.iter(w("sz"))} == {"28"}  # 四号


# --------------------------------------------------------------------------- what the issue holds


def test_masthead_rule_items_in_order(small):
    path = small / "output/issues/2026-W47.docx"
    paragraphs = body_paragraphs(path)
    texts = [text_of(p) for p in paragraphs]
    assert texts[:4] == ["内部资料", NAME, "第6期（总第106期）", f"{PUBLISHER}\t2026年11月20日"]
    assert style_of(paragraphs[1]) == "Masthead"
    masthead = style(part(path, "word/styles.xml"), "Masthead")
    assert attributes(masthead.find("w:rPr/w:color", NS)) == {"val": "E60012"}  # print.css's red
    name = paragraphs[1].find("w:r", NS)
    assert int(attributes(name.find("w:rPr/w:sz", NS))["val"]) > 2 * 22  # larger than a title
    rule = attributes(paragraphs[3].find("w:pPr/w:pBdr/w:bottom", NS))
    assert (rule["val"], rule["color"], rule["sz"]) == ("single", "E60012", "20")  # 2.5 pt
    assert paragraphs[3].find("w:pPr/w:ind", NS) is None or "left" not in attributes(paragraphs[3].find(
        "w:pPr/w:ind", NS))  # the rule runs across the whole text block
    titles = [text_of(p).replace("\n", "") for p in paragraphs if style_of(p) == "Title"]
    assert titles == SMALL_ORDER[W47]
    assert [text_of(p) for p in paragraphs if style_of(p) == "Topic"] == ["【要情专报】", "【经验交流】"]
    assert "（江北区人民政府）" in [text_of(p) for p in paragraphs if style_of(p) == "Unit"]


def style_of(paragraph) -> str:
    found = paragraph.find("w:pPr/w:pStyle", NS)
    return "" if found is None else found.get(w("val"))


def test_the_colophon_is_the_last_table_with_its_rules_as_borders(small):
    body = part(small / "output/issues/2026-W47.docx", "word/document.xml").find("w:body", NS)
    tables = body.findall(".//w:tbl", NS)
    last = tables[-1]
    assert last in list(body)  # in the body itself, not in a cell
    assert [text_of(row) for row in last.findall("w:tr", NS)] == COLOPHON_W47
    borders = {edge.tag.split("}")[-1]: attributes(edge) for edge in last.find("w:tblPr/w:tblBorders", NS)}
    assert (borders["top"]["sz"], borders["bottom"]["sz"], borders["insideH"]["sz"]) == ("8", "8", "6")
    assert {borders[side]["val"] for side in ("left", "right", "insideV")} == {"nil"}
    after = list(body)[list(body).index(last) + 1:]
    assert [node.tag for node in after] == [w("p"), w("sectPr")] and text_of(after[0]) == ""


def test_every_text_of_every_item_is_in_the_word_file(rich):
    page = parse_html(rich.parent / f"{W46}.html")
    body, notes = all_text(rich)
    for article in page.find_all("article", cls="item"):
        texts, note_texts = item_texts(article.find("div", cls="item-body"))
        assert texts and note_texts == ["注释的内容。"]
        at = 0
        for text in texts:  # each text, in the order of the HTML
            found = body.find(text, at)
            assert found >= 0, (text, body[at:at + 80])
            at = found + len(text)
        for text in note_texts:
            assert text in notes
        for text in ("各类格式的稿件", "（市教育局）", "现场照片", "远程图片"):
            assert text in body


def item_texts(node: Node, in_note: bool = False) -> tuple[list[str], list[str]]:
    """Every text node of a body (without white space) and those of its footnotes, but the numbers
    of the references (Word numbers its footnotes) and the links back (not printed)."""
    texts: list[str] = []
    notes: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            if flat(child):
                (notes if in_note else texts).append(flat(child))
        elif not {"footnote-ref", "footnote-backref"} & set(child.classes):
            more, more_notes = item_texts(child, in_note or "footnote" in child.classes)
            texts += more
            notes += more_notes
    return texts, notes


@pytest.mark.slow  # the sample is built with its PDFs
def test_every_text_of_the_sample_is_in_its_word_files(sample_build):
    for issue in sample_build.issues:
        page = parse_html(sample_build.out / "issues" / f"{issue.id}.html")
        body, notes = all_text(sample_build.out / "issues" / f"{issue.id}.docx")
        at = 0
        for article in page.find_all("article", cls="item"):
            texts, note_texts = item_texts(article)
            for text in texts:
                found = body.find(text, at)
                assert found >= 0, (issue.id, text)
                at = found + len(text)
            assert all(text in notes for text in note_texts), issue.id
        references = len(page.find_all("a", cls="footnote-ref"))
        document = part(sample_build.out / "issues" / f"{issue.id}.docx", "word/document.xml")
        assert len(list(document.iter(w("footnoteReference")))) == references, issue.id


def test_headings_lists_quotes_breaks_and_runs(rich):
    paragraphs = body_paragraphs(rich)
    by_text = {text_of(p): p for p in paragraphs}
    assert [text_of(p) for p in paragraphs if style_of(p).startswith("Heading")] == [
        "一、总体情况", "（一）主要做法", "四级标题"]
    assert [style_of(by_text[t]) for t in ("一、总体情况", "（一）主要做法", "四级标题")] == [
        "Heading1", "Heading2", "Heading3"]
    lists = [text_of(p) for p in paragraphs if re.match(r"(\d+\.|•) ", text_of(p))]
    assert lists == ["1. 第一项", "2. 第二项", "• 子项甲", "• 子项乙", "3. 第三项", "5. 第五项"]
    assert attributes(by_text["• 子项甲"].find("w:pPr/w:ind", NS))["leftChars"] == "200"  # nested
    assert attributes(by_text["引用的话。"].find("w:pPr/w:ind", NS))["leftChars"] == "200"
    assert "第一行\n第二行" in by_text
    assert attributes(by_text["解释"].find("w:pPr/w:ind", NS))["leftChars"] == "200"
    assert [p for p in paragraphs if p.find("w:pPr/w:pBdr/w:bottom", NS) is not None and not text_of(p)]  # <hr>
    first = next(p for p in paragraphs if text_of(p).startswith("今年以来"))
    runs = {text_of(r): r for r in first.findall("w:r", NS)}
    assert [attributes(r.find("w:rPr/w:vertAlign", NS))["val"] for r in first.findall("w:r", NS)
            if text_of(r) == "2"] == ["subscript", "superscript"]  # H₂O, m²
    assert runs["32.6"].find("w:rPr/w:i", NS) is not None
    assert attributes(runs["8.5%"].find("w:rPr/w:rFonts", NS))["eastAsia"] == "黑体"  # strong, as print.css
    assert runs["下划线"].find("w:rPr/w:u", NS) is not None
    assert runs["删去的字"].find("w:rPr/w:strike", NS) is not None


def test_tables_merge_their_cells_as_html_spans_them(rich):
    tables = part(rich, "word/document.xml").find("w:body", NS).findall("w:tbl", NS)
    simple, merged = tables[0], tables[1]
    assert [[text_of(tc) for tc in tr.findall("w:tc", NS)] for tr in simple.findall("w:tr", NS)] == [
        ["区域", "数量"], ["江北区", "14"]]
    assert simple.find("w:tr/w:trPr/w:tblHeader", NS) is not None  # the head repeats on each page
    first, second = merged.findall("w:tr", NS)
    cells = first.findall("w:tc", NS)
    assert [text_of(tc) for tc in cells] == ["合并表头", "纵向"]
    assert attributes(cells[0].find("w:tcPr/w:gridSpan", NS)) == {"val": "2"}
    assert attributes(cells[1].find("w:tcPr/w:vMerge", NS)) == {"val": "restart"}
    below = second.findall("w:tc", NS)
    assert [text_of(tc) for tc in below] == ["甲", "乙", ""]
    assert attributes(below[2].find("w:tcPr/w:vMerge", NS)) == {}  # continues the cell above
    header = [r for r in cells[0].iter(w("r"))]
    assert attributes(header[0].find("w:rPr/w:rFonts", NS))["eastAsia"] == "黑体"  # th


def test_images_are_the_items_own_files_and_web_images_are_left_out(rich):
    media = [name for name in members(rich) if name.startswith("word/media/")]
    assert len(media) == 1  # the figure and the inline image are one file
    with zipfile.ZipFile(rich) as docx:
        assert docx.read(media[0]) == SMALL_PNG
    document = part(rich, "word/document.xml")
    pictures = [d.get("descr") for d in document.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                                                       "wordprocessingDrawing}docPr")]
    assert pictures == ["现场照片", "小图"]  # not the one from the web


def test_footnotes_are_real_word_footnotes(rich):
    notes = part(rich, "word/footnotes.xml")
    written = [n for n in notes.findall("w:footnote", NS) if n.get(w("type")) is None]
    assert [(n.get(w("id")), flat(text_of(n))) for n in written] == [("1", "注释的内容。")]
    document = part(rich, "word/document.xml")
    assert [r.get(w("id")) for r in document.iter(w("footnoteReference"))] == ["1"]
    # The second reference to the same note repeats its number, as a superscript.
    repeat = [r for r in document.iter(w("r")) if text_of(r) == "1" and r.find("w:rPr/w:vertAlign", NS) is not None]
    assert len(repeat) == 1
    rels = part(rich, "word/_rels/document.xml.rels")
    assert [rel.get("Target") for rel in rels if rel.get("Type").endswith("/footnotes")] == ["footnotes.xml"]


# --------------------------------------------------------------------------- the same bytes, made again only when needed


def test_the_same_input_gives_the_same_bytes(tmp_path):
    one = write_bulletin(tmp_path / "one", SMALL_ITEMS)
    two = write_bulletin(tmp_path / "elsewhere" / "two", SMALL_ITEMS)
    build_ok(one, *FAST)
    build_ok(two, *FAST)
    first = {rel: digest for rel, digest in tree_hashes(one / "output").items() if rel.endswith(".docx")}
    assert sorted(first) == [f"issues/{W46}.docx", f"issues/{W47}.docx"]
    assert first == {rel: digest for rel, digest in tree_hashes(two / "output").items() if rel.endswith(".docx")}
    shutil.rmtree(one / "output")
    shutil.rmtree(one / ".briefgen-cache")
    build_ok(one, *FAST)
    assert first == {rel: digest for rel, digest in tree_hashes(one / "output").items() if rel.endswith(".docx")}


def test_a_build_keeps_a_word_file_until_its_issue_changes(tmp_path):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    build_ok(root, *FAST)
    issues = root / "output" / "issues"
    before = {name: (issues / name).stat() for name in (f"{W46}.docx", f"{W47}.docx")}
    path = root / "content/2026/2026-W47/fangxun.md"
    path.write_text(path.read_text(encoding="utf-8").replace("落实防汛物资", "落实防冻物资"), encoding="utf-8")

    result = build_ok(root, *FAST)

    assert "Word 版 2 份（重新生成 1 份）" in result.stdout
    kept, made = (issues / f"{W46}.docx").stat(), (issues / f"{W47}.docx").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (before[f"{W46}.docx"].st_ino, before[f"{W46}.docx"].st_mtime_ns)
    assert made.st_ino != before[f"{W47}.docx"].st_ino
    body, _ = all_text(issues / f"{W47}.docx")
    assert "落实防冻物资" in body and "落实防汛物资" not in body


def test_no_docx_writes_none_and_the_page_does_not_link_one(tmp_path):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    result = build_ok(root, *FAST, "--no-docx")
    out = root / "output"
    assert list(out.rglob("*.docx")) == []
    assert "Word" not in result.stdout
    assert word_links(parse_html(out / "issues" / f"{W47}.html")) == []

    build_ok(root, *FAST)
    assert word_links(parse_html(out / "issues" / f"{W47}.html")) == [
        ({"class": "docx", "href": f"../issues/{W47}.docx", "download": f"{NAME}2026年第6期.docx"}, "Word 版")]


def word_links(page: Node) -> list[tuple[dict[str, str], str]]:
    return [(a.attrs, a.text()) for a in page.find_all("a") if "Word" in a.text()]


@pytest.mark.slow  # the small bulletin is built with its PDFs
def test_the_issue_page_links_its_word_file_beside_the_pdf(small_build):
    out = small_build.out
    page = parse_html(out / "issues" / f"{W47}.html")
    tools = page.find("p", cls="tools")
    links = [(a.text(), a.attrs["href"]) for a in tools.find_all("a")]
    assert links[:2] == [("下载 PDF", f"../issues/{W47}.pdf"), ("Word 版", f"../issues/{W47}.docx")]
    assert word_links(page)[0][0]["download"] == f"{NAME}2026年第6期.docx"
    assert (out / "issues" / f"{W47}.docx").is_file()


@pytest.mark.slow  # the small bulletin is built with its PDFs
def test_the_front_page_links_each_issues_word_file_beside_its_pdf(small_build):
    page = parse_html(small_build.out / "index.html")
    downloads = [(a.text(), a.attrs["href"]) for a in page.find_all("a") if a.attrs.get("class") in ("pdf", "docx")]
    # the newest issue at the top, then the archive, newest first
    assert downloads == [("下载 PDF", f"issues/{W47}.pdf"), ("Word 版", f"issues/{W47}.docx"),
                         ("下载 PDF", f"issues/{W47}.pdf"), ("Word 版", f"issues/{W47}.docx"),
                         ("下载 PDF", f"issues/{W46}.pdf"), ("Word 版", f"issues/{W46}.docx")]


def test_no_pdf_and_no_html_with_docx_writes_the_word_files_alone(tmp_path):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    result = build_ok(root, "--no-search", "--no-pdf", "--no-html", "--docx")
    assert sorted(tree_hashes(root / "output")) == [".briefgen-output", f"issues/{W46}.docx", f"issues/{W47}.docx"]
    assert result.stdout.startswith("已生成 2 期，Word 版 2 份，输出到 output/")


@pytest.mark.slow  # publish writes the issue's PDF into archive/
def test_a_published_issue_has_its_word_file_made_from_the_bulletin_as_it_is(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    build_ok(root, *FAST)
    before = (root / "output" / "issues" / f"{W46}.docx").read_bytes()
    assert run(root, "publish", W46).returncode == 0

    build_ok(root, *FAST)

    assert (root / "output" / "issues" / f"{W46}.docx").read_bytes() == before
    assert sorted(p.name for p in (root / "archive").iterdir()) == [f"{W46}.pdf"]  # only the PDF is archived


# --------------------------------------------------------------------------- LibreOffice


@pytest.mark.slow
def test_libreoffice_opens_the_issues_as_a4_with_everything_in_them(small, sample_build, tmp_path):
    files = [small / "output/issues" / f"{issue}.docx" for issue in (W46, W47)]
    sample = sample_build.issues[-1]  # the one with the sample's picture and table
    copy = tmp_path / "sample" / f"sample-{sample.id}.docx"
    copy.parent.mkdir()
    shutil.copy(sample_build.out / "issues" / f"{sample.id}.docx", copy)
    pdfs = office_pdfs([*files, copy], tmp_path / "pdf")

    for issue, path, number, colophon in ((W46, files[0], "第5期（总第105期）", ["报：市委办公室", "（共印30份）"]),
                                          (W47, files[1], "第6期（总第106期）", COLOPHON_W47)):
        info = pdf_info(pdfs[path])
        assert info["Page size"] == "595.304 x 841.89 pts (A4)"
        text = flat(pdf_text(pdfs[path], layout=True))  # the 报尾's last line as one line
        assert text.startswith(flat(f"内部资料{NAME}{number}{PUBLISHER}"))
        for title in SMALL_ORDER[issue]:
            assert text.count(title) == 1, title
        positions = [text.find(flat(line)) for line in colophon]
        assert -1 not in positions and positions == sorted(positions), colophon
        assert positions[0] > text.find(SMALL_ORDER[issue][-1])  # the 报尾 after the last item
    text = flat(pdf_text(pdfs[copy]))
    for expected in sample.items:
        assert flat(expected.title) in text
    assert int(pdf_info(pdfs[copy])["Pages"]) > 1


def test_a_special_issue_and_drafts_have_their_word_files_too(tmp_path):
    root = write_bulletin(tmp_path / "repo", {
        **SMALL_ITEMS,
        "content/issues/anquan-zhuankan.yaml": "special: 安全生产专刊\ntitle: 冬季安全生产工作专题\ntopics: [要情专报]\n",
    })
    build_ok(root, *FAST, "--drafts")

    special = [text_of(p) for p in body_paragraphs(root / "output/issues/anquan-zhuankan.docx")]
    assert special[1:5] == [NAME, "安全生产专刊", "第1期", f"{PUBLISHER}\t2026年11月18日"]  # its last item
    assert "冬季安全生产工作专题" in special
    texts = [text_of(p) for p in body_paragraphs(root / "output/issues/2026-W46.docx")]
    assert "草稿稿件不应出现（草稿）" in texts  # built with --drafts: a draft item, marked as in the PDF
