"""The Word fixtures in tests/fixtures/word are what their README says, and are up to date.

They are real files LibreOffice wrote from the hand-written .fodt sources (make-fixtures), for
the tests of briefgen import. These tests run no office suite: they read the committed files
with zipfile and lxml, and check that every converted file still holds the text of its source,
so that a source edited without running make-fixtures fails here rather than in the importer's
tests. The oracle (<file>.txt) is LibreOffice's plain text of each file, numbering labels and all.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "word"
BY_HAND = {"README.md", "make-fixtures"}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"

# The automatic numbering of jiaoyu's list style L1, level by level: (w:numFmt, w:lvlText),
# as LibreOffice 7.4 writes it and README.md records it.
JIAOYU_LEVELS = {
    0: ("taiwaneseCountingThousand", "%1、"),
    1: ("taiwaneseCountingThousand", "（%2）"),
    2: ("decimal", "%3."),
    3: ("decimal", "（%4）"),
    4: ("decimalEnclosedCircle", "%5"),
}


def generator(option: str) -> set[str]:
    done = subprocess.run(["bash", str(FIXTURES / "make-fixtures"), option],
                          capture_output=True, text=True, timeout=30, check=True)
    return set(done.stdout.split())


def xml(name: str, member: str) -> etree._Element:
    with zipfile.ZipFile(FIXTURES / name) as archive:
        return etree.fromstring(archive.read(member))


def members(name: str) -> list[str]:
    with zipfile.ZipFile(FIXTURES / name) as archive:
        return archive.namelist()


def odf_text(element: etree._Element, citations: bool) -> str:
    """The text of an ODF paragraph as an office suite shows it, a footnote as its citation."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == TEXT + "s":
            parts.append(" " * int(child.get(TEXT + "c", "1")))
        elif child.tag == TEXT + "tab":
            parts.append("\t")
        elif child.tag == TEXT + "note":
            parts.append((child.findtext(TEXT + "note-citation") or "") if citations else "")
        elif child.tag != DRAW + "frame":
            parts.append(odf_text(child, citations))
        parts.append(child.tail or "")
    return "".join(parts)


def odf_paragraphs(root: etree._Element, citations: bool = False) -> list[str]:
    """The non-empty paragraphs of the body, tables' cells included, leaving out footnotes'."""
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    return [text for p in body.iter(TEXT + "p", TEXT + "h")
            if not any(a.tag == TEXT + "note-body" for a in p.iterancestors())
            and (text := odf_text(p, citations))]


def source(stem: str) -> etree._Element:
    return etree.parse(str(FIXTURES / f"{stem}.fodt")).getroot()


def docx_paragraphs(name: str) -> list[str]:
    body = xml(name, "word/document.xml").find(W + "body")
    texts = []
    for p in body.iter(W + "p"):
        text = "".join(t.text or "" if t.tag == W + "t" else "\t"
                       for t in p.iter(W + "t", W + "tab") if t.getparent().tag == W + "r")
        if text:
            texts.append(text)
    return texts


def val(element: etree._Element | None, path: str) -> str | None:
    found = None if element is None else element.find(path)
    return None if found is None else found.get(W + "val")


def numbering(name: str) -> dict[str, tuple[str, dict[int, tuple[str, str]]]]:
    """numId -> (abstractNumId, {ilvl: (numFmt, lvlText)}) from word/numbering.xml."""
    root = xml(name, "word/numbering.xml")
    abstract = {a.get(W + "abstractNumId"): {int(lvl.get(W + "ilvl")): (val(lvl, W + "numFmt"), val(lvl, W + "lvlText"))
                                             for lvl in a.findall(W + "lvl")}
                for a in root.findall(W + "abstractNum")}
    return {num.get(W + "numId"): (val(num, W + "abstractNumId"), abstract[val(num, W + "abstractNumId")])
            for num in root.findall(W + "num")}


def numbered(name: str) -> list[tuple[str, int, str]]:
    """(numId, ilvl, text) of each paragraph with numbering of its own."""
    found = []
    for p in xml(name, "word/document.xml").iter(W + "p"):
        num = p.find(f"{W}pPr/{W}numPr")
        if num is not None:
            found.append((val(num, W + "numId"), int(val(num, W + "ilvl")), "".join(t.text or "" for t in p.iter(W + "t"))))
    return found


def oracle(name: str) -> list[str]:
    raw = (FIXTURES / f"{name}.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "LibreOffice writes its text with a byte-order mark"
    return raw.decode("utf-8-sig").splitlines()


def test_the_generator_and_the_folder_agree_on_the_files():
    written, read = generator("--list"), generator("--sources")
    on_disk = {path.name for path in FIXTURES.iterdir()}
    assert on_disk == written | read | BY_HAND
    assert read == {path.name for path in FIXTURES.glob("*.fodt")}
    assert (FIXTURES / "make-fixtures").stat().st_mode & 0o111, "make-fixtures is executable"
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert [name for name in sorted(written | read) if f"`{name}`" not in readme] == []


@pytest.mark.parametrize("stem", ["jiaoyu", "weisheng", "anjian"])
def test_each_docx_holds_the_text_of_its_source(stem):
    assert docx_paragraphs(f"{stem}.docx") == odf_paragraphs(source(stem)), "run make-fixtures"


def test_the_odt_and_the_rtf_hold_the_text_of_their_source():
    expected = odf_paragraphs(source("anjian"))
    assert odf_paragraphs(xml("anjian.odt", "content.xml")) == expected
    rtf = (FIXTURES / "anjian.rtf").read_text(encoding="ascii")
    assert rtf.startswith("{\\rtf1")
    decoded = re.sub(r"\\u(-?\d+)(?:\\'[0-9a-f]{2}|\?)?", lambda m: chr(int(m.group(1)) % 65536), rtf)
    for text in ("区应急管理局全面开展岁末年初安全生产大检查", "来源：区应急管理局", "执笔：赵强"):
        assert text in decoded
    assert decoded.count("\\listtext") == 7, "the seven headings carry their labels"


@pytest.mark.parametrize("name", ["jiaoyu.docx", "weisheng.docx", "anjian.docx", "jiaoyu.doc", "anjian.odt",
                                  "anjian.rtf"])
def test_each_oracle_is_the_text_of_its_source_with_the_labels(name):
    lines = [line for line in oracle(name) if line]
    texts = odf_paragraphs(source(name.split(".")[0]), citations=True)
    assert len(lines) == len(texts), "run make-fixtures"
    for line, text in zip(lines, texts, strict=True):
        assert line.endswith(text), (line, text)
        # A numbered paragraph: four spaces a list level (none for a heading), the label, a space.
        assert re.fullmatch(r"(    )*(\S+ )?", line[: len(line) - len(text)]), line


ORACLE_LINES = {
    "jiaoyu.docx": ["    一、 总体情况", "    二、 主要做法", "        （一） 健全工作机制", "        （二） 丰富服务内容",
                    "            1. 开设科技、体育、艺术等特色课程，每校平均开设\xa014\xa0门。",
                    "                （2） 遴选\xa0303\xa0名非遗传承人、退休教师担任志愿辅导员，其中：",
                    "                    ① 非遗类\xa086\xa0人；", "                    ③ 科技类\xa0102\xa0人。",
                    "        （三） 强化经费保障", "    三、 存在问题", "    四、 下一步打算",
                    "    十、 开展家长满意度调查", "    十一、 总结推广典型经验", "    十二、 健全长效评价机制"],
    "anjian.docx": ["一、 突出重点领域", "（二） 人员密集场所", "二、 强化执法检查", "三、 压实整改责任",
                    "（一） 建立隐患台账", "（二） 开展“回头看”"],
    # Typed by hand: the markers are text, so no space is put after them.
    "weisheng.docx": ["一、强化监测预警", "（一）扩大监测范围", "1.规范报告流程", "（1）各哨点医院明确1名专职信息员。",
                      "三、加强宣传引导"],
}


@pytest.mark.parametrize("name", sorted(ORACLE_LINES))
def test_the_oracle_shows_the_labels_an_office_suite_displays(name):
    lines = oracle(name)
    assert [line for line in ORACLE_LINES[name] if line not in lines] == []


def test_the_rtf_writer_lost_the_full_width_characters_of_the_labels():
    assert oracle("anjian.odt") == oracle("anjian.docx")
    assert "    一? 突出重点领域" in oracle("anjian.rtf") and "        (二) 人员密集场所" in oracle("anjian.rtf")


def test_the_twelve_points_restart_at_one_after_a_paragraph_in_docx_and_doc_alike():
    lines = oracle("jiaoyu.docx")
    start = lines.index("下一步，市教育局将重点抓好以下12项工作：") + 1
    labels = [line.split()[0] for line in lines[start:start + 12]]
    assert labels == ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、", "十一、", "十二、"]
    assert oracle("jiaoyu.doc") == lines


def test_jiaoyu_numbering_is_chinese_at_five_levels_continued_and_restarted():
    nums = numbering("jiaoyu.docx")
    paragraphs = numbered("jiaoyu.docx")
    main, points = paragraphs[0][0], paragraphs[-1][0]
    levels = nums[main][1]
    assert {ilvl: levels[ilvl] for ilvl in JIAOYU_LEVELS} == JIAOYU_LEVELS
    # 一、 to 四、 are one list (text:continue-numbering), though body paragraphs come between.
    assert [text for num, ilvl, text in paragraphs if num == main and ilvl == 0] == [
        "总体情况", "主要做法", "存在问题", "下一步打算"]
    assert sorted({ilvl for num, ilvl, _ in paragraphs if num == main}) == [0, 1, 2, 3, 4]
    # The twelve points: a list of their own, with a numbering definition of its own.
    assert nums[points][0] != nums[main][0]
    assert nums[points][1][0] == ("taiwaneseCountingThousand", "%1、")
    assert [ilvl for num, ilvl, _ in paragraphs if num == points] == [0] * 12


def test_anjian_numbers_its_headings_through_the_heading_styles():
    styles = {s.get(W + "styleId"): s for s in xml("anjian.docx", "word/styles.xml").findall(W + "style")}
    nums = numbering("anjian.docx")
    for style, ilvl, level in (("Heading1", "0", ("taiwaneseCountingThousand", "%1、")),
                               ("Heading2", "1", ("taiwaneseCountingThousand", "（%2）"))):
        num = styles[style].find(f"{W}pPr/{W}numPr")
        assert val(num, W + "ilvl") == ilvl
        assert nums[val(num, W + "numId")][1][int(ilvl)] == level
    assert numbered("anjian.docx") == [], "no paragraph has numbering of its own"
    document = xml("anjian.docx", "word/document.xml")
    headings = [val(p, f"{W}pPr/{W}pStyle") for p in document.iter(W + "p")]
    assert headings.count("Heading1") == 3 and headings.count("Heading2") == 4


def test_weisheng_has_a_title_style_hand_typed_markers_and_no_date_but_its_creation_date():
    assert "word/numbering.xml" not in members("weisheng.docx")
    styles = [val(p, f"{W}pPr/{W}pStyle") for p in xml("weisheng.docx", "word/document.xml").iter(W + "p")]
    assert styles[2] == "Title"
    texts = docx_paragraphs("weisheng.docx")
    assert texts[:3] == ["供稿单位：市卫生健康委", "联系人：李娜\u3000\u3000电话：13900001111", "市卫生健康委扎实做好冬季流感防治工作"]
    assert not [t for t in texts if re.search(r"\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}", t)]
    core = xml("weisheng.docx", "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/terms/}created") == "2026-11-24T09:30:00Z"
    assert source("weisheng").findtext(f"{OFFICE}meta/{META}creation-date") == "2026-11-24T09:30:00"


@pytest.mark.parametrize(("name", "count"), [("jiaoyu.docx", 2), ("anjian.docx", 1), ("weisheng.docx", 0)])
def test_footnotes(name, count):
    if not count:
        assert "word/footnotes.xml" not in members(name)
        return
    notes = [n for n in xml(name, "word/footnotes.xml").findall(W + "footnote")
             if n.get(W + "type") in (None, "normal")]
    assert len(notes) == count
    references = list(xml(name, "word/document.xml").iter(W + "footnoteReference"))
    assert sorted(r.get(W + "id") for r in references) == sorted(n.get(W + "id") for n in notes)


def test_jiaoyu_has_the_image_a_header_and_a_page_number_in_the_footer():
    media = [m for m in members("jiaoyu.docx") if m.startswith("word/media/")]
    assert media == ["word/media/image1.png"]
    with zipfile.ZipFile(FIXTURES / "jiaoyu.docx") as archive:
        png = archive.read(media[0])
        parts = {m: archive.read(m).decode("utf-8") for m in archive.namelist() if re.match(r"word/(header|footer)\d*\.xml$", m)}
    assert png.startswith(PNG_MAGIC) and png[16:24] == (200).to_bytes(4, "big") + (120).to_bytes(4, "big")
    assert [m for m, x in parts.items() if m.startswith("word/header") and "市教育局信息" in x]
    assert [m for m, x in parts.items() if m.startswith("word/footer") and re.search(r"instrText[^>]*>\s*PAGE\s*<", x)]
    (doc_pr,) = xml("jiaoyu.docx", "word/document.xml").iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    assert doc_pr.get("descr") == "柱状图：2022—2026年全市课后服务学生参与率"
    assert "图1\u3000全市课后服务学生参与率（2022—2026年）" in docx_paragraphs("jiaoyu.docx")


def test_jiaoyu_table_has_a_header_row_and_merged_cells():
    (table,) = xml("jiaoyu.docx", "word/document.xml").iter(W + "tbl")
    rows = table.findall(W + "tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert len(table.findall(f"{W}tblGrid/{W}gridCol")) == 5
    merges = [(r, val(tc, f"{W}tcPr/{W}gridSpan"), tc.find(f"{W}tcPr/{W}vMerge"))
              for r, row in enumerate(rows) for tc in row.findall(W + "tc")]
    assert [(r, span) for r, span, _ in merges if span] == [(4, "2")]
    # A w:vMerge without w:val continues the merge, as LibreOffice's w:val="continue" does.
    assert [(r, v.get(W + "val", "continue")) for r, _, v in merges if v is not None] == [(1, "restart"), (2, "continue")]


def test_jiaoyu_title_runs_and_pasted_spaces():
    document = xml("jiaoyu.docx", "word/document.xml")
    title = next(document.iter(W + "p"))
    assert val(title, f"{W}pPr/{W}jc") == "center" and val(title, f"{W}pPr/{W}pStyle") in (None, "Normal")
    (run,) = title.findall(W + "r")
    assert run.find(f"{W}rPr/{W}b") is not None and val(run, f"{W}rPr/{W}sz") == "44"  # 22 pt
    lead = next(p for p in document.iter(W + "p") if "".join(p.itertext()).startswith("一是"))
    first, second = lead.findall(W + "r")[:2]
    assert (first.findtext(W + "t"), first.find(f"{W}rPr/{W}b") is not None) == ("一是强化统筹。", True)
    assert second.find(f"{W}rPr/{W}b") is None
    assert [r.findtext(W + "t") for r in document.iter(W + "r") if r.find(f"{W}rPr/{W}i") is not None] == ["随机抽查"]
    assert [r.findtext(W + "t") for r in document.iter(W + "r") if r.find(f"{W}rPr/{W}u") is not None] == ["不得以任何形式变相收费"]
    texts = docx_paragraphs("jiaoyu.docx")
    assert texts[1] == "（市教育局\u3000王芳）" and texts[2].startswith("\u3000\u3000今年以来")
    assert [c for c in ("\xa0", "\u200b", "\u2002", "\t") if not any(c in t for t in texts)] == []
    assert texts[-4:] == ["报送单位：市教育局", "撰稿：王芳", "电话：0571-87001234", "2026年11月25日"]


def test_anjian_has_its_source_line_and_dates():
    texts = docx_paragraphs("anjian.docx")
    assert texts[1] == "来源：区应急管理局" and texts[2].startswith("11月26日，")
    assert texts[-2:] == ["执笔：赵强", "2026年11月27日"]


def test_doc_and_wps_are_ole_compound_files_and_notword_is_not():
    doc = (FIXTURES / "jiaoyu.doc").read_bytes()
    assert doc.startswith(OLE_MAGIC)
    assert (FIXTURES / "jiaoyu.wps").read_bytes() == doc
    assert "WordDocument".encode("utf-16-le") in doc, "the OLE directory names a WordDocument stream"
    notword = (FIXTURES / "notword.wps").read_bytes()
    assert not notword.startswith(OLE_MAGIC) and not zipfile.is_zipfile(FIXTURES / "notword.wps")
    assert notword.decode("utf-8") == "这不是 Word 文件\n"


def test_python_docx_opens_each_docx():
    import docx  # python-docx, only here: the rest needs nothing but zipfile and lxml

    for name, title, tables in (("jiaoyu.docx", "市教育局多措并举推动中小学课后服务提质扩面", 1),
                                ("weisheng.docx", "市卫生健康委扎实做好冬季流感防治工作", 1),
                                ("anjian.docx", "区应急管理局全面开展岁末年初安全生产大检查", 0)):
        document = docx.Document(str(FIXTURES / name))
        assert title in [p.text for p in document.paragraphs[:3]]
        assert len(document.tables) == tables
    document = docx.Document(str(FIXTURES / "jiaoyu.docx"))
    assert [p.text for p in document.sections[0].header.paragraphs] == ["市教育局信息"]
