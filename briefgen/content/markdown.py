"""The Markdown converter for item bodies: safe, CJK-aware, with stable anchors."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from briefgen.content import mdquick
from briefgen.content.spaces import CJK

INLINE_TAG = r"</?(?:a|abbr|b|br|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u)\b[^>]*>"
# A break starts with a tag, a space or the newline: the first lookahead changes no match, but
# passes over the other places (most of a text) before the slower tests are tried there.
CJK_BREAK = re.compile(rf"(?=[<\t \n])(?<=[{CJK}])((?:{INLINE_TAG})*)[ \t]*\n[ \t]*((?:{INLINE_TAG})*)(?=[{CJK}])")
CLOSING_MARKS = "，。、；：？！”’）》」』】…"  # punctuation that may not start a line
FOOTNOTE_ID = re.compile(r'(id|href)="(#?)(fn|fnref):')
BODY_HEADING_LEVEL = 4  # item titles are h1 (item page) or h3 (issue page)
HEADINGS = frozenset(f"h{level}" for level in range(1, 7))

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "q", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style"},
    "ol": {"start"},
}


class _StripIdeographicIndent(Preprocessor):
    """Drop the full-width spaces officers type to indent paragraphs: CSS indents."""

    def run(self, lines: list[str]) -> list[str]:
        return [line.lstrip("\u3000") for line in lines]


class _ShiftHeadings(Treeprocessor):
    """Make the top heading level an item uses an h4, whatever level it was written at."""

    def run(self, root: etree.Element) -> None:
        headings = [el for el in root.iter() if el.tag in HEADINGS]
        if not headings:
            return
        top = min(int(el.tag[1]) for el in headings)
        for el in headings:
            el.tag = f"h{min(6, BODY_HEADING_LEVEL + int(el.tag[1]) - top)}"


class _Figures(Treeprocessor):
    """A paragraph that holds only an image becomes a figure, its 说明文字 (the alt text) printed
    beneath it as a caption: the reader of a printed bulletin never sees alt text otherwise."""

    def run(self, root: etree.Element) -> None:
        for paragraph in root.iter("p"):
            children = list(paragraph)
            if (len(children) != 1 or children[0].tag != "img" or (paragraph.text or "").strip()
                    or (children[0].tail or "").strip()):
                continue
            image = children[0]
            image.tail = None
            paragraph.tag = "figure"
            paragraph.text = None
            caption = (image.get("alt") or "").strip()
            if caption:
                etree.SubElement(paragraph, "figcaption").text = caption


class _BindFootnotes(Treeprocessor):
    """A footnote reference stays on the line of the character before it and takes the
    punctuation after it along: the three are wrapped in one span that print.css and site.css
    keep from breaking (…网上可办¹。, never …网上可办 / ¹。)."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for sup in list(parent):
                if sup.tag == "sup" and any("footnote-ref" in (a.get("class") or "") for a in sup):
                    self._bind(parent, list(parent).index(sup), sup)

    @staticmethod
    def _bind(parent: etree.Element, index: int, sup: etree.Element) -> None:
        before = parent[index - 1] if index else None
        text = (before.tail if before is not None else parent.text) or ""
        if not text or text[-1].isspace():
            return
        span = etree.Element("span", {"class": "fn-bind"})
        span.text = text[-1]
        if before is not None:
            before.tail = text[:-1]
        else:
            parent.text = text[:-1]
        tail = sup.tail or ""
        punctuation = len(tail) - len(tail.lstrip(CLOSING_MARKS))
        sup.tail, span.tail = tail[:punctuation], tail[punctuation:]
        parent.remove(sup)
        span.append(sup)
        parent.insert(index, span)


class _JoinCjkLines(Postprocessor):
    """Remove a line break between two CJK characters, which HTML would show as a space."""

    def run(self, text: str) -> str:
        return CJK_BREAK.sub(r"\1\2", text)


class MarkdownRenderer:
    """Converts item bodies to sanitised HTML fragments; one instance serves many items."""

    def __init__(self, quick: bool = True) -> None:
        """quick=False keeps Python-Markdown's own inline and toc processors (tests compare the two)."""
        self._prefix = ""
        self._md = markdown.Markdown(
            extensions=[
                "tables", "sane_lists",
                FootnoteExtension(BACKLINK_TITLE="返回正文第 %d 处注释"),
                (mdquick.QuickTocExtension if quick else TocExtension)(slugify=self._slugify, toc_depth=6),
            ],
            output_format="html",
        )
        # Officers indent paragraphs with spaces; an item never holds code.
        self._md.parser.blockprocessors.deregister("code")
        self._md.preprocessors.register(_StripIdeographicIndent(self._md), "cjk_indent", 27)
        self._md.treeprocessors.register(_ShiftHeadings(self._md), "shift_headings", 6)
        # After inline markup (priority 20) has turned ![说明](图.png) into an <img>.
        self._md.treeprocessors.register(_Figures(self._md), "figures", 7)
        # After the footnotes extension has made its references (inline, priority 20).
        self._md.treeprocessors.register(_BindFootnotes(self._md), "bind_footnotes", 8)
        # Before raw HTML is put back (priority 30), so only Markdown text is joined.
        self._md.postprocessors.register(_JoinCjkLines(self._md), "cjk_lines", 35)
        if quick:  # the same output, sooner
            mdquick.install(self._md)

    def _slugify(self, value: str, separator: str) -> str:
        return f"{self._prefix}-{slugify_unicode(value, separator)}"

    def convert(self, text: str, anchor_prefix: str) -> Markup:
        """Render Markdown to safe HTML; anchors start with anchor_prefix to stay unique on a page."""
        self._prefix = anchor_prefix
        self._md.reset()
        html = self._md.convert(text)
        # A function, not a template: the prefix is a file name, and "\g<0>" in one is not text to a template.
        html = FOOTNOTE_ID.sub(lambda m: f'{m[1]}="{m[2]}{m[3]}-{anchor_prefix}-', html)
        return Markup(sanitise(html))  # safe to insert into templates: sanitised above


def sanitise(html: str) -> str:
    """Keep only harmless markup: no scripts, handlers, frames, forms or odd URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        # file: is kept only so that assets.localise can report it; it never leaves that stage.
        url_schemes={"http", "https", "mailto", "file"},
        link_rel=None,
        filter_style_properties={"text-align"},
    )
