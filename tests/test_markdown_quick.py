"""The quick inline and toc processors (content/mdquick.py) give the HTML of Python-Markdown's own."""

from __future__ import annotations

import re
import tempfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from briefgen.content import mdquick
from briefgen.content.markdown import CJK_BREAK, INLINE_TAG, MarkdownRenderer
from briefgen.content.spaces import CJK

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="briefgen-hypothesis-"))

QUICK, PLAIN = MarkdownRenderer(), MarkdownRenderer(quick=False)
SAME = settings(derandomize=True, database=None, deadline=None, max_examples=400, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Each inline pattern's trigger, and what an office writes around them.
PIECES = [
    "`", "``", "\\", "\\\\", "\\`", "[", "]", "![", "[^1]", "[^1]: 注释", "[TOC]", "TOC", "[toc]", "<", ">",
    "&", "&amp;", "&#91;", "&#x5B;", "*", "**", "_", "__", "  \n", "\n", "\n\n", " ", "\t", "(", ")", "'", '"',
    "中文", "全角，标点。", "English", "1.", "- ", "> ", "# ", "## ", "| a | b |\n|---|---|\n| 1 | 2 |",
    "[链接](a.html)", "![图](a.png)", "[x][r]\n\n[r]: http://a.example", "<http://a.example>",
    "<a@b.example>", "<b>粗</b>", "<!-- 注 -->", "<span>", "\u3000", "    ", "[TOC]\n", "\\[TOC\\]",
]


def test_every_inline_pattern_of_this_markdown_is_listed():
    processor = QUICK._md.treeprocessors["inline"]
    assert isinstance(processor, mdquick.QuickInlineProcessor)
    unlisted = [type(pattern).__name__ for pattern in QUICK._md.inlinePatterns
                if pattern.getCompiledRegExp().pattern not in mdquick.NEEDLES]
    assert unlisted == []  # else those are always tried: still correct, but slower


@pytest.mark.parametrize("text", [
    "正文", "**粗**和*斜*、`代码`、\\*星号\\*", "行尾两空格  \n下一行", "[TOC]\n\n## 一、标题\n\n正文",
    "段落 [TOC] 中", "*[TOC]*", "> [TOC]", "- [TOC]", "正文[^1]。\n\n[^1]: 注释。", "&#91;TOC&#93;",
    "<b>[TOC]</b>", "[链接](a.html)与![图](b.png)", "a_b_c *x* __y__", "<http://a.example> <a@b.example>",
])
def test_quick_markdown_gives_the_same_html(text):
    assert str(QUICK.convert(text, "slug")) == str(PLAIN.convert(text, "slug"))


@pytest.mark.slow
@SAME
@given(pieces=st.lists(st.sampled_from(PIECES) | st.text(alphabet="`\\[]!<>&*_ \n#-|:()^中文TOC", max_size=8),
                       max_size=16))
@example(pieces=["[TOC]"])
def test_quick_markdown_gives_the_same_html_for_any_text(pieces):
    text = "".join(pieces)
    assert str(QUICK.convert(text, "slug")) == str(PLAIN.convert(text, "slug"))


# The expression before its first lookahead was added; the lookahead must change no match.
PLAIN_CJK_BREAK = re.compile(rf"(?<=[{CJK}])((?:{INLINE_TAG})*)[ \t]*\n[ \t]*((?:{INLINE_TAG})*)(?=[{CJK}])")


@SAME
@given(pieces=st.lists(st.sampled_from(["中", "文", "，", "a", " ", "\t", "\n", "<b>", "</b>", "<span class=x>",
                                        "<a\nhref=y>", "</p>", "<p>", ">", "<", "“", "…"]), max_size=30))
def test_the_quick_line_join_joins_what_the_plain_expression_joins(pieces):
    text = "".join(pieces)
    assert CJK_BREAK.sub(r"\1\2", text) == PLAIN_CJK_BREAK.sub(r"\1\2", text)
