"""Python-Markdown's inline step and table of contents, without the work that cannot change a body's HTML.

Inline patterns. For every piece of text, Python-Markdown tries each of its fifteen inline patterns in turn; in an
office's prose almost none of them can match, and trying them is a third of the time a body takes
to convert. Each regular expression below cannot match a text that holds none of the strings
listed with it (every alternative of it contains one of them literally, lookaheads included), so
a pattern is passed over, exactly as when it finds no match, when the text holds none of them. A
pattern whose expression is not listed, as after an upgrade of Markdown changed one, is always
tried: the output never depends on this table being up to date, only the time does.

Table of contents. The toc extension gives headings their ids, and puts a table of contents in
place of a paragraph that reads [TOC]; it also renders that table for `Markdown.toc`, which
briefgen never reads. The table is built only when some text in the document holds the marker,
which every paragraph it replaces does."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any, cast

from markdown import inlinepatterns, treeprocessors, util
from markdown.extensions.toc import TocExtension, TocTreeprocessor

NOT_IMAGE = r"(?<!\!)"
NEEDLES: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # backtick: "`", or backslashes before one
    r"\\(.)": ("\\",),  # escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote reference
    NOT_IMAGE + r"\[": ("[",),  # reference, link, short_reference
    r"\!\[": ("![",),  # image_link, image_reference, short_image_ref
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # linebreak
    # html: every alternative starts with "<"
    "(<(\\/?+[a-zA-Z][^\\s\"'<>@]*+(?:\\s+[^\\s\"'=<>]++(?:\\s*+=\\s*+(?:\"[^\"]*+\"|'[^']*+'|"
    "[^\\s\"'=<>]++))?+)*+\\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|"
    "!\\[CDATA\\[(?:(?!<!\\[CDATA\\[|\\]\\]>).)*\\]\\])>)": ("<",),
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # em_strong
}
_APPLY = "_InlineProcessor__applyPattern"  # the private methods this class relies on
_HANDLE = "_InlineProcessor__handleInline"


class QuickInlineProcessor(treeprocessors.InlineProcessor):
    """The standard inline processor, passing over the patterns a text cannot match."""

    _patterns: list[inlinepatterns.Pattern] | None = None

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # The registry sorts itself on every lookup; its stub names the wrong InlineProcessor.
        patterns = cast("list[inlinepatterns.Pattern]", list(self.inlinePatterns))
        if patterns != self._patterns:  # once, unless an extension registers a pattern later
            self._patterns = patterns
            self._needles = [NEEDLES.get(pattern.getCompiledRegExp().pattern) for pattern in patterns]
            # Most texts hold none of the strings: then, when every pattern is listed, none is tried.
            listed = None not in self._needles
            self._any = re.compile("|".join(re.escape(n) for w in self._needles if w for n in w)) if listed else None
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """The library's __handleInline, which its other methods call by this name, with the pass-over."""
        if isinstance(data, util.AtomicString) or (self._any is not None and not self._any.search(data)):
            return data
        apply = getattr(self, _APPLY)
        patterns, needles = self._patterns or [], self._needles
        start = 0
        while patternIndex < len(patterns):
            wanted = needles[patternIndex]
            if wanted is None or _holds(data, wanted):
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            else:
                matched, start = False, 0  # what __applyPattern returns when nothing matches
            if not matched:
                patternIndex += 1
        return data


def _holds(data: str, needles: tuple[str, ...]) -> bool:
    for needle in needles:
        if needle in data:
            return True
    return False


class _QuickTocTreeprocessor(TocTreeprocessor):
    """The toc extension's processor, which builds the table only for a document with the marker.
    What it changes before it looks for the marker (the headings' levels and ids) are headings,
    where it never looks for one."""

    def run(self, doc: etree.Element) -> None:
        marker = self.marker
        self._marked = bool(marker) and any(marker in el.text for el in doc.iter() if el.text)
        super().run(doc)

    def build_toc_div(self, toc_list: list[Any]) -> etree.Element:
        return super().build_toc_div(toc_list) if self._marked else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._marked:
            super().replace_marker(root, elem)


class QuickTocExtension(TocExtension):
    """The toc extension with the processor above: `Markdown.toc` is empty unless [TOC] is used."""

    TreeProcessorClass = _QuickTocTreeprocessor


def install(md: Any) -> None:
    """Put the quick inline processor in place of the standard one, when this Markdown has the
    methods it relies on (else the standard one stays, and only the time differs)."""
    current = md.treeprocessors["inline"]
    if type(current) is not treeprocessors.InlineProcessor or not all(
            callable(getattr(current, name, None)) for name in (_APPLY, _HANDLE)):
        return
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(QuickInlineProcessor(md), "inline", priority)
