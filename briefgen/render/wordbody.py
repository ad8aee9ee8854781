"""An item's body, as the site and the PDF have it (sanitised HTML), written into Word: paragraphs,
headings in the roles of the print stylesheet, lists with their markers as text, tables with
merged cells, the item's images, real footnotes, quotations. Every text of the HTML is written;
only the footnotes' links back to the text, which the PDF does not print either, are left out."""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docx.enum.text import WD_COLOR_INDEX
from docx.image.exceptions import InvalidImageStreamError, UnexpectedEndOfFileError, UnrecognizedImageError
from docx.image.image import Image
from docx.shared import Emu, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import html as lxml_html

from briefgen.content.assets import MEDIA
from briefgen.render.wordstyles import BODY, CAPTION, FIGURE, HEADINGS, TABLE_TEXT, Fonts
from briefgen.render.wordtable import alignment, layout, table_rows
from briefgen.word.blocks import NOTE_STYLE, Blocks, Footnotes, grid_table
from briefgen.word.docx import Element, Look, add_run, apply_paragraph, border, set_fonts

BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Body headings are h4 to h6 (content/markdown shifts them): 一、 in 黑体, (一) in 楷体, then bold.
HEADING = {"h1": HEADINGS[0], "h2": HEADINGS[0], "h3": HEADINGS[0], "h4": HEADINGS[0], "h5": HEADINGS[1],
           "h6": HEADINGS[2]}
SPACE = re.compile(r"[ \t\n\r\f]+")
EMU_PER_PX = 9525  # a CSS pixel, 1/96 inch: WeasyPrint's size of an image pixel
MAX_IMAGE_HEIGHT = 75 * 36000  # 75 mm, as print.css lets an image be
IMAGE_ERRORS = (UnrecognizedImageError, InvalidImageStreamError, UnexpectedEndOfFileError, OSError, ValueError,
                struct.error)


@dataclass(frozen=True)
class Mark:
    """How a run looks beyond its paragraph's style."""

    font: str = ""
    italic: bool = False
    underline: bool = False
    strike: bool = False
    vert: str = ""  # superscript or subscript
    small: bool = False
    highlight: bool = False


@dataclass(frozen=True)
class Where:
    """What the blocks being written are inside: the style of their paragraphs, the indent that
    quotations and nested lists add, the text's size, the look of every run (a header cell's
    黑体), the alignment a table cell asks for, and whether they are a footnote's."""

    style: str = BODY
    left: int = 0  # hundredths of a character
    size: float = 16
    mark: Mark = Mark()
    align: str = ""
    note: bool = False
    listed: bool = False  # inside a list item: a list in it is indented further
    figure: bool = False


Piece = tuple[str, object, Mark]  # ("text", str, …), ("break", None, …), ("image", <img>, …), ("note", <li>, …)


@dataclass
class _Line:
    """The inline content of one paragraph, gathered first and written with white space collapsed
    as HTML collapses it; lead: a list item's marker."""

    lead: str = ""
    pieces: list[Piece] = field(default_factory=list)

    def text(self, text: str | None, mark: Mark) -> None:
        if text:
            self.pieces.append(("text", text, mark))

    def filled(self) -> bool:
        return any(kind != "text" or str(value).strip() for kind, value, _ in self.pieces)


class BodyWriter:
    """Writes item bodies into one document; the footnotes of all of them are the document's."""

    def __init__(self, fonts: Fonts, root: Path, notes: Footnotes) -> None:
        self.fonts, self.notes = fonts, notes
        self.media = (root / "content").resolve()
        self._footnotes: dict[str, Element] = {}  # id -> the <li> of each footnote referred to
        self._written: dict[str, int] = {}  # id -> the number Word gives the footnote written for it

    def write(self, blocks: Blocks, body: str, where: Where = Where()) -> None:
        """The blocks of a body's HTML, at the end of blocks."""
        if not body.strip():
            return
        tree = lxml_html.fragment_fromstring(body, create_parent="div")
        notes = {li.get("id"): li for div in tree.iter("div") if "footnote" in _classes(div)
                 for li in div.iter("li") if li.get("id")}
        referred = {_target(a) for a in tree.iter("a") if "footnote-ref" in _classes(a)}
        self._footnotes = {key: li for key, li in notes.items() if key in referred}
        self._written = {}
        self._children(blocks, tree, where)

    def _children(self, blocks: Blocks, element: Element, where: Where, lead: str = "",
                  counter: _Counter | None = None) -> None:
        """The children of a block that may hold text and inline elements among blocks; lead starts
        the first paragraph; with counter, each <li> child is an item of that list."""
        line = _Line(lead)
        line.text(element.text, where.mark)
        for node in element:
            tag = node.tag if isinstance(node.tag, str) else ""
            if tag in BLOCK:
                if line.filled():
                    self._emit(blocks, line, where)
                    line = _Line()
                marker = counter.next() if counter is not None and tag == "li" else ""
                self._block(blocks, node, where, line.lead + marker)
                line = _Line()
            elif tag:
                self._inline(line, node, where.mark, where)
            line.text(node.tail, where.mark)
        if line.filled() or line.lead:
            self._emit(blocks, line, where)

    def _block(self, blocks: Blocks, element: Element, where: Where, lead: str) -> None:
        tag = element.tag
        if tag in ("p", "dt", "pre", "address"):
            self._paragraph(blocks, element, where, where.style, lead)
        elif tag in HEADING:
            self._paragraph(blocks, element, where, HEADING[tag] if where.style == BODY else where.style, lead)
        elif tag in ("ul", "ol"):
            if lead:
                self._emit(blocks, _Line(lead), where)
            inner = replace(where, left=where.left + (200 if where.listed else 0), listed=True)
            self._children(blocks, element, inner, counter=_Counter(tag == "ol", element.get("start")))
        elif tag == "table":
            self._table(blocks, element, where, lead)
        elif tag == "figure":
            self._children(blocks, element, replace(where, style=FIGURE, figure=True), lead)
        elif tag in ("figcaption", "caption"):
            self._paragraph(blocks, element, where, CAPTION, lead)
        elif tag in ("blockquote", "dd"):
            self._children(blocks, element, replace(where, left=where.left + 200), lead)
        elif tag == "hr":
            paragraph = blocks.paragraph(where.style)
            apply_paragraph(paragraph._p, Look(first_line=0, left=where.left, line=0, grid=False), where.size)
            border(paragraph._p.get_or_add_pPr(), "bottom", "000000", 4)
        elif tag == "div" and "footnote" in _classes(element) and self._footnotes:
            self._unreferred(blocks, element, where)
        else:
            self._children(blocks, element, where, lead)

    def _paragraph(self, blocks: Blocks, element: Element, where: Where, style: str, lead: str) -> None:
        line = _Line(lead)
        line.text(element.text, where.mark)
        for node in element:
            if isinstance(node.tag, str):
                self._inline(line, node, where.mark, where)
            line.text(node.tail, where.mark)
        self._emit(blocks, line, replace(where, style=style))

    def _inline(self, line: _Line, element: Element, mark: Mark, where: Where) -> None:
        """An inline element's content, in the look it gives its text."""
        tag = element.tag
        if tag == "br":
            line.pieces.append(("break", None, mark))
            return
        if tag == "img":
            line.pieces.append(("image", element, mark))
            return
        if tag == "a" and "footnote-backref" in _classes(element):
            return  # the way back to the text: a link of the page, which print does not show either
        if tag == "sup" and not where.note and (note := self._reference(element)) is not None:
            line.pieces.append(("note", note, mark))
            return
        inner = self._mark(tag, mark)
        if tag == "q":
            line.text("“", inner)
        line.text(element.text, inner)
        for node in element:
            if isinstance(node.tag, str):
                self._inline(line, node, inner, where)
            line.text(node.tail, inner)
        if tag == "q":
            line.text("”", inner)

    def _mark(self, tag: str, mark: Mark) -> Mark:
        """The look an inline element gives its text: strong in 黑体 (as print.css sets it), not bold."""
        if tag in ("strong", "b"):
            return replace(mark, font=self.fonts.sans)
        if tag in ("em", "i", "cite", "dfn", "var"):
            return replace(mark, italic=True)
        if tag in ("u", "ins"):
            return replace(mark, underline=True)
        if tag in ("s", "del", "strike"):
            return replace(mark, strike=True)
        if tag in ("sup", "sub"):
            return replace(mark, vert="superscript" if tag == "sup" else "subscript")
        if tag == "small":
            return replace(mark, small=True)
        if tag == "mark":
            return replace(mark, highlight=True)
        return mark

    def _reference(self, sup: Element) -> Element | None:
        """The footnote a <sup><a class="footnote-ref"> refers to, if its note is in the body."""
        links = [a for a in sup if a.tag == "a" and "footnote-ref" in _classes(a)]
        return self._footnotes.get(_target(links[0])) if len(links) == 1 else None

    def _emit(self, blocks: Blocks, line: _Line, where: Where) -> None:
        """One paragraph of this line's pieces."""
        pieces = _collapsed(line)
        if not pieces:
            return
        paragraph = blocks.paragraph(where.style)
        if where.left or where.align:
            apply_paragraph(paragraph._p, Look(left=where.left or None, align=where.align), where.size)
        for kind, value, mark in pieces:
            if kind == "text":
                self._format(add_run(paragraph, str(value)), mark, where)
            elif kind == "break":
                paragraph.add_run().add_break()
            elif kind == "image":
                self._image(blocks, paragraph, value, mark, where)
            else:
                self._note(paragraph, value, mark, where)

    def _format(self, run: Run, mark: Mark, where: Where) -> None:
        if mark.font:
            set_fonts(run._r, mark.font)
        if mark.italic:
            run.italic = True
        if mark.underline:
            run.underline = True
        if mark.strike:
            run.font.strike = True
        if mark.vert:
            run.font.superscript, run.font.subscript = mark.vert == "superscript", mark.vert == "subscript"
        if mark.small:
            run.font.size = Pt(round(where.size * 0.8))
        if mark.highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _note(self, paragraph: Paragraph, li: Element, mark: Mark, where: Where) -> None:
        """A real Word footnote, numbered by Word; a second reference to the same note repeats its
        number instead of writing it again."""
        key = li.get("id")
        if key in self._written:
            self._format(paragraph.add_run(str(self._written[key])), replace(mark, vert="superscript"), where)
            return
        blocks = self.notes.add(paragraph)
        self._written[key] = self.notes.count
        self._children(blocks, li, Where(style=NOTE_STYLE, size=12, note=True))
        blocks.close()

    def _unreferred(self, blocks: Blocks, div: Element, where: Where) -> None:
        """A footnotes block: each note no text refers to is written where the block is."""
        for li in div.iter("li"):
            if li.get("id") not in self._footnotes:
                self._children(blocks, li, where)

    def _image(self, blocks: Blocks, paragraph: Paragraph, img: Element, mark: Mark, where: Where) -> None:
        """The picture, as large as the PDF prints it (a pixel 1/96 inch, within the text's width and
        75 mm high); its 说明文字 instead where it cannot be read (a figure has it as its caption)."""
        alt = " ".join((img.get("alt") or "").split())
        path = self._image_path(img.get("src") or "")
        data = path.read_bytes() if path is not None and not where.note else b""
        try:
            image = Image.from_blob(data) if data else None
        except IMAGE_ERRORS:
            image = None
        if image is None:
            if alt and not where.figure:
                self._format(paragraph.add_run(alt), mark, where)
            return
        width, height = image.px_width * EMU_PER_PX, image.px_height * EMU_PER_PX
        scale = min(1.0, blocks.width * 635 / max(width, 1), MAX_IMAGE_HEIGHT / max(height, 1))
        shape = paragraph.add_run().add_picture(io.BytesIO(data), Emu(int(width * scale)), Emu(int(height * scale)))
        shape._inline.docPr.set("descr", alt)
        apply_paragraph(paragraph._p, Look(line=0, grid=False))  # an exact line height would cut it off

    def _image_path(self, src: str) -> Path | None:
        """The file of content/ a body's image refers to (the site's ../media/ copy of it), or None
        for one on the web or anywhere else."""
        parts = urlsplit(src)
        prefix = f"../{MEDIA}/"
        written = unquote(parts.path)
        if parts.scheme or parts.netloc or not written.startswith(prefix):
            return None
        path = (self.media / written[len(prefix):]).resolve()
        return path if path.is_relative_to(self.media) and path.is_file() else None

    def _table(self, blocks: Blocks, table: Element, where: Where, lead: str) -> None:
        """A table of equal columns across the text, its merged cells as HTML spans them; its
        caption above it; header cells in 黑体, and the head's rows repeated on each page."""
        if lead:
            self._emit(blocks, _Line(lead), where)
        for caption in (node for node in table if node.tag == "caption"):
            self._paragraph(blocks, caption, where, CAPTION, "")
        rows = table_rows(table)
        if not rows:
            return
        spans, cells = layout([tr for tr, _ in rows])
        columns = max((span[1] + span[3] for span in spans), default=1)
        heads = next((number for number, (_, head) in enumerate(rows) if not head), len(rows))
        tbl, made = grid_table(len(rows), columns, spans, blocks.width, header_rows=heads)
        blocks.table(tbl)
        column = blocks.width // columns
        for span, elements in zip(spans, cells, strict=True):
            tc = made[(span[0], span[1])]
            inside = Blocks(tc, blocks.part, column * span[3], first=tc[-1])
            for cell in elements:
                inner = Where(style=TABLE_TEXT, size=12, align=alignment(cell), note=where.note,
                              mark=Mark(font=self.fonts.sans) if cell.tag == "th" else Mark())
                self._children(inside, cell, inner)
            inside.close()


class _Counter:
    """The markers of a list's items, written as text: 1. 2. 3. (from its start) or •."""

    def __init__(self, ordered: bool, start: str | None) -> None:
        self.ordered = ordered
        self.number = int(start) if start and start.strip().lstrip("-").isdigit() else 1

    def next(self) -> str:
        if not self.ordered:
            return "• "
        self.number += 1
        return f"{self.number - 1}. "


def _collapsed(line: _Line) -> list[Piece]:
    """The pieces with white space as HTML shows it: runs of it one space, none at the start of
    the paragraph or after a break, none at its end."""
    pieces: list[Piece] = [("text", line.lead, Mark())] if line.lead else []
    spaced = True  # the last thing written ends in white space (or nothing is written yet)
    for kind, value, mark in line.pieces:
        if kind != "text":
            pieces.append((kind, value, mark))
            spaced = kind == "break"
            continue
        text = SPACE.sub(" ", str(value))
        if spaced:
            text = text.lstrip(" ")
        if text:
            pieces.append((kind, text, mark))
            spaced = text.endswith(" ")
    while pieces and pieces[-1][0] == "text":
        text = str(pieces[-1][1]).rstrip(" \u00a0")
        if text:
            pieces[-1] = ("text", text, pieces[-1][2])
            break
        pieces.pop()
    return pieces


def _classes(element: Element) -> list[str]:
    return (element.get("class") or "").split()


def _target(link: Element) -> str:
    return (link.get("href") or "").lstrip("#")
