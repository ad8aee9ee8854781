"""Reading Word's numbering and writing Markdown that says exactly what Word said: the pieces
of the importer that need no file (the files themselves are in test_import.py)."""

from __future__ import annotations

import pytest
from lxml import etree

from briefgen.content.markdown import MarkdownRenderer
from briefgen.word.counting import counted
from briefgen.word.markdown import inline
from briefgen.word.model import Span
from briefgen.word.numbering import Numbering
from briefgen.word.toitem import _Text
from briefgen.word.xml import W_NS


@pytest.mark.parametrize(("fmt", "numbers", "shown"), [
    ("chineseCounting", (1, 9, 10, 11, 12, 20, 21, 99, 100, 101, 110, 1020),
     "一 九 十 十一 十二 二十 二十一 九十九 一百 一百零一 一百一十 一千零二十"),
    ("taiwaneseCountingThousand", (10, 19, 30), "十 十九 三十"),
    ("chineseLegalSimplified", (1, 10, 12, 105), "壹 壹拾 壹拾贰 壹佰零伍"),
    ("ideographDigital", (7, 10, 102), "七 一〇 一〇二"),
    ("ideographTraditional", (1, 10, 11), "甲 癸 甲"),
    ("ideographZodiac", (1, 12), "子 亥"),
    ("decimalEnclosedCircle", (1, 20, 21), "① ⑳ 21"),
    ("decimalEnclosedParen", (3,), "⑶"),
    ("decimalFullWidth", (12,), "１２"),
    ("upperLetter", (1, 26, 27, 28), "A Z AA BB"),
    ("lowerRoman", (4, 14, 1999), "iv xiv mcmxcix"),
    ("decimalZero", (3, 12), "03 12"),
    ("hebrew1", (5,), "5"),
])
def test_numbers_are_shown_as_word_shows_them(fmt, numbers, shown):
    assert " ".join(counted(n, fmt) for n in numbers) == shown


def numbering(levels: str, nums: str) -> Numbering:
    xml = f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>{nums}</w:numbering>'
    return Numbering(etree.fromstring(xml), {})


CHINESE_LEVELS = (
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>'
    '<w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%5"/><w:isLgl/></w:lvl>'
)


def test_levels_count_and_restart_as_in_word():
    lists = numbering(CHINESE_LEVELS, '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    shown = [lists.marker("1", level).text for level in (0, 1, 2, 2, 3, 1, 2, 0, 1, 4)]
    assert shown == ["一、", "（一）", "1.", "2.", "（1）", "（二）", "1.", "二、", "（一）", "2.1.1"]


def test_a_list_restarted_in_word_counts_again_and_one_continued_goes_on():
    lists = numbering(CHINESE_LEVELS,
                      '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
                      '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
                      '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
                      '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    shown = [lists.marker(num, 0).text for num in ("1", "1", "2", "3", "3", "1")]
    # numId 2 shares the definition and no override: it continues; numId 3 starts again.
    assert shown == ["一、", "二、", "三、", "一、", "二、", "四、"]


def test_an_unnumbered_list_id_gives_no_marker():
    lists = numbering(CHINESE_LEVELS, '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    assert lists.marker("0", 0) is None
    assert lists.marker("7", 0) is None


def rendered_text(markdown: str) -> str:
    text = _Text()
    text.feed(MarkdownRenderer(quick=True).convert(markdown, "t"))
    return "".join(text.parts).strip()


@pytest.mark.parametrize("written", [
    "1. 全市中小学全覆盖", "1）第一", "# 不是标题", "- 不是列表", "+ 也不是", "> 不是引用",
    "a*b*c_d_e [注] `代码` 2<3 & 4>1 | 竖线 \\ 反斜杠", "![不是图片](x.png)", "<b>不是标签</b>", "&amp; 不是实体",
    "[^1] 不是脚注",
])
def test_text_that_looks_like_markdown_is_shown_as_written(written):
    assert rendered_text(inline((Span(written),), "")) == written


def test_emphasis_is_kept_and_spaces_stay_outside_it():
    spans = (Span("一是建强组织。", bold=True), Span("按照原则，"), Span("重点", italic=True), Span(" 推进 ", underline=True))
    assert inline(spans, "") == "**一是建强组织。**按照原则，*重点* <u>推进</u>"


def test_a_docx_that_would_unpack_too_large_is_not_opened(monkeypatch):
    from pathlib import Path

    from briefgen.word import reader

    monkeypatch.setattr(reader, "MAX_UNPACKED", 10_000)
    with pytest.raises(reader.Unreadable) as raised:
        reader.read_docx(Path(__file__).parent / "fixtures" / "word" / "jiaoyu.docx")
    assert str(raised.value) == "解压后超过 0 MB，不像是一篇稿件"
