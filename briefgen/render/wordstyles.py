"""The Word edition's document before any text: the page of GB/T 9704 with its document grid,
page numbers in the footers, and a style for each role of the print stylesheet (print.css),
in the font, size and colour the PDF gives it. Styles carry Chinese names where they are
briefgen's own, so that an editor finds them in Word's style list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE

from briefgen.render.fontroles import stack_of
from briefgen.word.blocks import NOTE_MARK, NOTE_STYLE
from briefgen.word.docx import GB9704, Look, child, page_number_footers, run_properties, set_attributes, set_page, twips
from briefgen.word.styles import chinese, style

BODY, TITLE, HEADINGS = "Normal", "Title", ("Heading1", "Heading2", "Heading3")
MASTHEAD, TOPIC, UNIT, NOTE, FIGURE, CAPTION = "Masthead", "Topic", "Unit", "Note", "Figure", "Caption"
TABLE_TEXT, COLOPHON = "TableText", "Colophon"
LINE = GB9704.line_pitch  # the body's line: one line of the grid (28.95 pt)
# The page keeps 22 lines of 28 characters by itself, as print.css does: each line exactly a line
# of the grid high, each character a quarter point closer (28 of 16 pt then fill the 156 mm
# line). Paragraphs do not snap to the document grid the section declares: LibreOffice lays
# Chinese on a character grid narrower than the font (charSpace below 0) two cells a character,
# or breaks its lines at 21 characters; Word lays these paragraphs out the same either way.
TRACKING = -0.25
BLACK = "000000"
# The official font of each role when a stylesheet names none (print.css's first families).
DEFAULTS = {"--title": "方正小标宋简体", "--serif": "仿宋_GB2312", "--sans": "黑体", "--kai": "楷体_GB2312"}
RED = "E60012"


@dataclass(frozen=True)
class Fonts:
    """The font of each role of print.css (the first family of its stack: Word takes one name,
    and falls back by itself where it is not installed), and its red."""

    title: str
    serif: str
    sans: str
    kai: str
    red: str = RED

    @classmethod
    def from_css(cls, css: str) -> Fonts:
        """The roles as the print stylesheet names them (a user's print.css counts)."""
        names = {variable: (stack_of(css, variable) or [DEFAULTS[variable]])[0] for variable in DEFAULTS}
        red = re.search(r"--red\s*:\s*#([0-9a-fA-F]{6})\s*;", css)
        return cls(names["--title"], names["--serif"], names["--sans"], names["--kai"],
                   red.group(1).upper() if red else RED)


def new_document(fonts: Fonts) -> Document:
    """An empty Word document on the GB/T 9704 page, with the styles of the print edition and
    page numbers "— N —" (四号) at the right of odd pages and the left of even ones."""
    document = docx.Document()
    set_page(document)
    chinese(document, fonts.serif, GB9704.size)
    for style_id, name, look in _paragraph_styles(fonts):
        style(document, style_id, name, look)
    style(document, NOTE_MARK, "footnote reference", Look(), based_on="DefaultParagraphFont",
          kind=WD_STYLE_TYPE.CHARACTER)
    mark = next(s for s in document.styles if s.style_id == NOTE_MARK).element
    set_attributes(child(run_properties(mark), "w:vertAlign"), w_val="superscript")
    style(document, "Footer", "footer", Look(font=fonts.serif, size=14, first_line=0, line=360, grid=False))
    page_number_footers(document, Look(font=fonts.serif, size=14, line=360), inset=100)
    return document


def _paragraph_styles(fonts: Fonts) -> list[tuple[str, str, Look]]:
    """(id, name, look) of each paragraph style, as print.css sets each role."""
    def centred(**values: Any) -> Look:
        return Look(align="center", first_line=0, **values)

    return [
        (BODY, "Normal", Look(font=fonts.serif, size=GB9704.size, color=BLACK, align="both", first_line=200,
                              line=LINE, before=0, after=0, tracking=TRACKING, grid=False)),
        (TITLE, "Title", centred(font=fonts.title, size=22, color=BLACK, bold=False, line=638, before=200, after=0,
                              grid=False, keep_next=True)),
        (HEADINGS[0], "heading 1", Look(font=fonts.sans, color=BLACK, bold=False, keep_next=True, outline=0)),
        (HEADINGS[1], "heading 2", Look(font=fonts.kai, color=BLACK, bold=False, keep_next=True, outline=1)),
        (HEADINGS[2], "heading 3", Look(font=fonts.serif, color=BLACK, bold=True, keep_next=True, outline=2)),
        (MASTHEAD, "报头", centred(font=fonts.title, color=fonts.red, bold=False, grid=False, before=twips(14),
                               after=twips(6))),
        (TOPIC, "栏目", Look(font=fonts.sans, color=fonts.red, first_line=0, before=LINE, keep_next=True)),
        (UNIT, "单位", centred(font=fonts.kai, keep_next=True)),
        (NOTE, "按语", Look(font=fonts.kai)),
        (FIGURE, "图片", centred(line=0, grid=False, before=120, after=0, keep_next=True)),
        (CAPTION, "caption", centred(font=fonts.kai, size=14, color=BLACK, bold=False, line=448, grid=False,
                                  before=60, after=120)),
        (TABLE_TEXT, "表格文字", centred(size=12, line=360, grid=False, tracking=0)),
        (NOTE_STYLE, "footnote text", Look(size=12, first_line=0, line=360, grid=False)),
        (COLOPHON, "报尾", Look(size=14, align="left", left=500, hanging=400, right=100, line=532, grid=False,
                               tracking=0)),
    ]
