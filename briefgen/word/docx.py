"""The pieces of a Word file briefgen writes: the GB/T 9704 page and its document grid, East
Asian fonts on a style or a run, paragraph and run properties in their schema order, a border
rule, page numbers as fields in odd and even footers, and bytes that do not change between runs.

python-docx never writes the East Asian font slot (w:rFonts/@w:eastAsia, python-docx issue
#1601), and a theme font attribute (w:eastAsiaTheme) left beside an explicit name wins over it
in Word: set_fonts writes every slot itself and drops the theme ones."""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.text.paragraph import Paragraph
from docx.text.run import Run

Element = Any  # an lxml element of python-docx's oxml (lxml ships no types)

TWIPS_PER_MM = 1440 / 25.4
LANGUAGE = "zh-CN"
# Latin letters and digits are marked English: LibreOffice, reading digits marked Chinese, breaks
# a line inside a number (18|6个). The East Asian language, which picks the glyphs, is Chinese.
WESTERN = "en-US"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

# The children of each properties element in the order the schema (ECMA-376 part 1, 17.3 and
# 17.4, 17.6.17) gives them: Word refuses a file whose children are out of order.
ORDER = {
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:rPr": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
              "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
              "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
              "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
              "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"),
    "w:tcPr": ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
               "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
    "w:pBdr": ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"),
    "w:tblBorders": ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"),
    "w:tcBorders": ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV", "w:tl2br", "w:tr2bl"),
    "w:tblCellMar": ("w:top", "w:left", "w:bottom", "w:right"),
}
_ORDER = {qn(parent): tuple(qn(tag) for tag in tags) for parent, tags in ORDER.items()}


def twips(mm: float) -> int:
    """A length in millimetres as twentieths of a point, the unit of Word's page settings."""
    return round(mm * TWIPS_PER_MM)


@dataclass(frozen=True)
class Page:
    """The page of GB/T 9704: A4, top margin 37 mm and right 26 mm, a text block of 156 x 225 mm
    (so left about 28 mm and bottom about 35 mm), 22 lines of 28 characters of 16 pt."""

    width: float = 210
    height: float = 297
    top: float = 37
    right: float = 26
    block_width: float = 156
    block_height: float = 225
    lines: int = 22
    chars: int = 28
    size: float = 16  # pt, the body text the grid is laid out for
    number_gap: float = 7  # mm between the text block and the page number

    @property
    def left(self) -> int:
        """The left margin in twips: what is left of the page beside the text block, so the
        block is 156 mm exactly."""
        return twips(self.width) - twips(self.right) - twips(self.block_width)

    @property
    def bottom(self) -> int:
        return twips(self.height) - twips(self.top) - twips(self.block_height)

    @property
    def line_pitch(self) -> int:
        """The grid's line pitch in twips: the most that still fits `lines` lines in the block."""
        return twips(self.block_height) // self.lines

    @property
    def char_space(self) -> int:
        """The grid's character pitch, as Word writes it: 1/4096 pt added to the body size, the
        most negative value that still fits `chars` characters on a line (floor, not round)."""
        return math.floor((twips(self.block_width) / 20 / self.chars - self.size) * 4096)


GB9704 = Page()


def set_page(document: Document, page: Page = GB9704, footer_height: int = 360) -> None:
    """The page size, margins and document grid (w:docGrid linesAndChars, as Word's 文档网格
    dialog writes them) of every section; the footer placed so that its line starts
    page.number_gap below the text block (footer_height: its line's height in twips)."""
    for section in document.sections:
        section.page_width, section.page_height = Twips(twips(page.width)), Twips(twips(page.height))
        section.top_margin, section.right_margin = Twips(twips(page.top)), Twips(twips(page.right))
        section.left_margin, section.bottom_margin = Twips(page.left), Twips(page.bottom)
        section.header_distance = Twips(twips(page.top) // 2)
        section.footer_distance = Twips(page.bottom - twips(page.number_gap) - footer_height)
        section.gutter = Twips(0)
        sect = section._sectPr
        grid = sect.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect.append(grid)
        grid.attrib.clear()
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(page.line_pitch))
        grid.set(qn("w:charSpace"), str(page.char_space))


def child(parent: Element, tag: str) -> Element:
    """parent's child `tag` ("w:ind"), made and put in its place in the schema's order when missing."""
    name = qn(tag)
    found = parent.find(name)
    if found is not None:
        return found
    made = OxmlElement(tag)
    order = _ORDER.get(parent.tag, ())
    later = order[order.index(name) + 1:] if name in order else ()
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(made)
            return made
    parent.append(made)
    return made


def set_attributes(element: Element, **values: str | int) -> Element:
    """Set w: attributes of element (w_val="single" sets w:val; an underscore stands for the colon)."""
    for name, value in values.items():
        element.set(qn(name.replace("_", ":", 1)), str(value))
    return element


def paragraph_properties(owner: Element) -> Element:
    """The w:pPr of a paragraph or a style element."""
    return owner.get_or_add_pPr()


def run_properties(owner: Element) -> Element:
    """The w:rPr of a run, a style, or the document defaults (which is one already)."""
    if owner.tag == qn("w:rPr"):
        return owner
    return owner.get_or_add_rPr()


def set_fonts(owner: Element, name: str) -> None:
    """Name one font in every slot of the w:rFonts of a run, a style or the defaults: Latin
    (ascii, hAnsi), East Asian (eastAsia), complex script (cs), with hint="eastAsia" so that
    characters shared by both (quotation marks, dashes) take the East Asian font; the theme
    slots, which would win over these, are removed."""
    fonts = child(run_properties(owner), "w:rFonts")
    fonts.attrib.clear()
    set_attributes(fonts, w_ascii=name, w_hAnsi=name, w_eastAsia=name, w_cs=name, w_hint="eastAsia")


@dataclass(frozen=True)
class Look:
    """How the text of a style, a paragraph or a run looks; None (or "") leaves a property as
    it is. Indents are in hundredths of a character (200: two), as Word's 字符 units."""

    font: str = ""
    size: float = 0  # pt
    color: str = ""  # RRGGBB
    bold: bool | None = None
    italic: bool | None = None
    tracking: float | None = None  # letter spacing, pt
    align: str = ""  # w:jc: both, center, left, right
    first_line: int | None = None
    hanging: int | None = None
    left: int | None = None
    right: int | None = None
    line: int | None = None  # line height in twips, exact; 0: single, by the font
    before: int | None = None  # space before, twips
    after: int | None = None
    grid: bool | None = None  # whether lines keep to the document grid
    keep_next: bool | None = None
    outline: int | None = None  # the level in Word's navigation pane (0 for the top), for headings


def apply_run(owner: Element, look: Look) -> None:
    """The character properties of look on a run, a style or the defaults."""
    rpr = run_properties(owner)
    if look.font:
        set_fonts(rpr, look.font)
    for tag, value in (("w:b", look.bold), ("w:bCs", look.bold), ("w:i", look.italic), ("w:iCs", look.italic)):
        if value is not None:
            set_attributes(child(rpr, tag), w_val="1" if value else "0")
    if look.color:
        child(rpr, "w:color").attrib.clear()
        set_attributes(child(rpr, "w:color"), w_val=look.color)
    if look.tracking is not None:
        set_attributes(child(rpr, "w:spacing"), w_val=round(look.tracking * 20))
    if look.size:
        for tag in ("w:sz", "w:szCs"):
            set_attributes(child(rpr, tag), w_val=round(look.size * 2))


def apply_paragraph(owner: Element, look: Look, size: float = GB9704.size) -> None:
    """The paragraph properties of look on a paragraph or a style; size: the text's size in pt,
    for the indents in twips written beside those in characters (for readers without the latter)."""
    ppr = paragraph_properties(owner)
    if look.keep_next is not None:
        set_attributes(child(ppr, "w:keepNext"), w_val="1" if look.keep_next else "0")
    if look.grid is not None:
        set_attributes(child(ppr, "w:snapToGrid"), w_val="1" if look.grid else "0")
    _spacing(ppr, look)
    _indent(ppr, look, size)
    if look.align:
        set_attributes(child(ppr, "w:jc"), w_val=look.align)
    if look.outline is not None:
        set_attributes(child(ppr, "w:outlineLvl"), w_val=look.outline)


def _spacing(ppr: Element, look: Look) -> None:
    if look.line is None and look.before is None and look.after is None:
        return
    spacing = child(ppr, "w:spacing")
    if look.before is not None:
        set_attributes(spacing, w_before=look.before, w_beforeLines=0, w_beforeAutospacing=0)
    if look.after is not None:
        set_attributes(spacing, w_after=look.after, w_afterLines=0, w_afterAutospacing=0)
    if look.line is not None:
        set_attributes(spacing, w_line=look.line or 240, w_lineRule="exact" if look.line else "auto")


def _indent(ppr: Element, look: Look, size: float) -> None:
    values = {"firstLine": look.first_line, "hanging": look.hanging, "left": look.left, "right": look.right}
    if all(value is None for value in values.values()):
        return
    ind = child(ppr, "w:ind")
    if look.hanging is not None:
        for name in ("w:firstLine", "w:firstLineChars"):
            ind.attrib.pop(qn(name), None)
    for name, chars in values.items():
        if chars is not None and not (name == "firstLine" and look.hanging is not None):
            set_attributes(ind, **{f"w_{name}Chars": chars, f"w_{name}": round(chars / 100 * size * 20)})


def add_run(paragraph: Paragraph, text: str) -> Run:
    """A run of text at the end of paragraph, written as one w:t (python-docx's add_run looks at
    each character for tabs and breaks, a tenth of the time of a large issue: text here has none)."""
    run = OxmlElement("w:r")
    written = OxmlElement("w:t")
    written.text = text
    if text != text.strip():
        written.set(XML_SPACE, "preserve")
    run.append(written)
    paragraph._p.append(run)
    return Run(run, paragraph)


def border(ppr: Element, side: str, color: str, eighths: int, space: int = 0) -> None:
    """A rule on one side of a paragraph (w:pBdr): eighths of a point wide, `space` points from
    the text. A bottom border on a paragraph of no indent runs the full width of the text block."""
    edges = child(ppr, "w:pBdr")
    set_attributes(child(edges, f"w:{side}"), w_val="single", w_sz=eighths, w_space=space, w_color=color)


def right_tab(ppr: Element, position: int) -> None:
    """A right-aligned tab stop at position twips (to set a text against the right edge)."""
    tabs = child(ppr, "w:tabs")
    set_attributes(child(tabs, "w:tab"), w_val="right", w_pos=position)


def page_number(paragraph: Paragraph, dash: str = "—") -> None:
    """"— N —": the page number as a PAGE field between two dashes."""
    paragraph.add_run(f"{dash} ")
    field = OxmlElement("w:fldSimple")
    set_attributes(field, w_instr=" PAGE ")
    shown = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # what a reader that does not update fields shows
    shown.append(text)
    field.append(shown)
    paragraph._p.append(field)
    paragraph.add_run(f" {dash}")


def page_number_footers(document: Document, look: Look, inset: int) -> None:
    """Page numbers on odd pages at the right and on even pages at the left, each `inset`
    hundredths of a character in from the edge of the text block (w:evenAndOddHeaders)."""
    document.settings.odd_and_even_pages_header_footer = True
    for section in document.sections:
        for footer, side, align in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            ppr = paragraph_properties(paragraph._p)
            tabs = ppr.find(qn("w:tabs"))
            if tabs is not None:
                ppr.remove(tabs)
            apply_paragraph(paragraph._p, Look(align=align, first_line=0, left=0, right=0, line=look.line,
                                               grid=False, before=0, after=0), look.size)
            apply_paragraph(paragraph._p, Look(left=inset) if side == "left" else Look(right=inset), look.size)
            page_number(paragraph)
            for run in paragraph._p.iter(qn("w:r")):
                apply_run(run, look)


def fixed_bytes(document: Document, title: str, author: str, day: dt.date, subject: str = "") -> bytes:
    """The .docx as bytes that depend only on the document: core properties dated `day` (created
    and modified alike, revision 1), and the zip written again with that date on every member,
    [Content_Types].xml first and the rest by name, all deflated at one level."""
    when = dt.datetime.combine(day, dt.time())
    core = document.core_properties
    core.title, core.author, core.subject = title, author, subject
    core.last_modified_by, core.comments, core.keywords, core.category = author, "", "", ""
    core.created = core.modified = core.last_printed = when
    core.revision = 1
    core.language = LANGUAGE
    package = document.part.package
    assert package is not None
    for rid, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:  # python-docx's template's picture of a blank page
            del package.rels[rid]
    for rid, relationship in list(document.part.rels.items()):
        if relationship.reltype == STYLES_WITH_EFFECTS:  # the template's styles, as Word 2010 would read them
            del document.part.rels[rid]
    written = io.BytesIO()
    document.save(written)
    return rezip(written.getvalue(), (day.year, day.month, day.day, 0, 0, 0))


def rezip(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """A zip file written again: every member dated date_time, stored with the same attributes and
    compression, [Content_Types].xml first and the others sorted by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target:
        for name in _member_order(members):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 0, 0
            target.writestr(info, members[name])
    return written.getvalue()


def _member_order(names: Iterable[str]) -> list[str]:
    first = "[Content_Types].xml"
    return sorted(names, key=lambda name: (name != first, name))
