"""Where paragraphs and tables go in a Word file: the body, a table cell or a footnote (Blocks);
and real Word footnotes (Footnotes), which python-docx has no API for: a footnotes part with its
two separators, related to the document, and a reference run in the text for each note."""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.story import StoryPart
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph

from briefgen.word.docx import XML_SPACE, Element, set_attributes

# What may follow w:footnotePr in w:settings (ECMA-376 part 1, 17.15.1.78), in order.
SETTINGS_AFTER_FOOTNOTES = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
NOTE_STYLE = "FootnoteText"
NOTE_MARK = "FootnoteReference"
_SEPARATORS = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr><w:r><w:separator/></w:r></w:p>'
    "</w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)


class Blocks:
    """A place that holds paragraphs and tables, `width` twips wide. In a table cell or a
    footnote the paragraph already there is used first; a cell is left ending with a paragraph,
    as Word requires (close)."""

    def __init__(self, element: Element, part: StoryPart, width: int, first: Element | None = None) -> None:
        self.element, self.part, self.width = element, part, width
        self._first = first
        self._end = element.find(qn("w:sectPr"))  # the body's section properties stay last

    @classmethod
    def body(cls, document: Document) -> Blocks:
        section = document.sections[-1]
        width = Length((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))
        return cls(document.element.body, document.part, width.twips)

    def paragraph(self, style: str = "") -> Paragraph:
        """A new paragraph at the end, of this style (by id; "" for the default)."""
        if self._first is not None:
            p, self._first = self._first, None
            if style:
                p.style = style
        else:
            p = OxmlElement("w:p")
            if style:  # made here: python-docx's style setter takes a tenth of a large issue's time
                p.append(OxmlElement("w:pPr"))
                p[0].append(OxmlElement("w:pStyle", {qn("w:val"): style}))
            self._place(p)
        return Paragraph(p, self.part)

    def table(self, tbl: Element) -> Table:
        """tbl (a w:tbl, see grid_table) placed at the end."""
        if self._first is not None:  # a table first in a cell: the cell's empty paragraph goes after it
            self._first.addprevious(tbl)
            self._first = None
        else:
            self._place(tbl)
        return Table(tbl, self.part)

    def last(self) -> Element | None:
        """The last paragraph or table placed here, if any."""
        end = self._end.getprevious() if self._end is not None else (self.element[-1] if len(self.element) else None)
        return end if end is not None and end.tag in (qn("w:p"), qn("w:tbl")) else None

    def close(self) -> None:
        """A cell or note whose last block is a table gets an empty paragraph after it."""
        last = self.element[-1] if len(self.element) else None
        if last is None or last.tag == qn("w:tbl"):
            self.element.append(OxmlElement("w:p"))

    def _place(self, element: Element) -> None:
        if self._end is not None:
            self._end.addprevious(element)
        else:
            self.element.append(element)


class Footnotes:
    """The document's footnotes, numbered by Word in order; the part is made with the first."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.part: StoryPart | None = None
        self.count = 0

    def add(self, paragraph: Paragraph) -> Blocks:
        """A footnote referred to at the end of paragraph: the place for its text, whose first
        paragraph (of the footnote style) already starts with the note's number."""
        part = self._part()
        self.count += 1
        mark = paragraph.add_run()._r
        mark.style = NOTE_MARK
        mark.append(set_attributes(OxmlElement("w:footnoteReference"), w_id=self.count))
        note = OxmlElement("w:footnote")
        set_attributes(note, w_id=self.count)
        part.element.append(note)
        p = OxmlElement("w:p")
        note.append(p)
        p.style = NOTE_STYLE
        number = OxmlElement("w:r")
        number.style = NOTE_MARK
        number.append(OxmlElement("w:footnoteRef"))
        p.append(number)
        space = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = " "
        text.set(XML_SPACE, "preserve")
        space.append(text)
        p.append(space)
        return Blocks(note, part, 0, first=p)

    def _part(self) -> StoryPart:
        if self.part is None:
            package = self.document.part.package
            assert package is not None
            self.part = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_SEPARATORS), package)
            self.document.part.relate_to(self.part, RT.FOOTNOTES)
            settings = OxmlElement("w:footnotePr")  # the separators, as Word names them in its settings
            for number in (-1, 0):
                settings.append(set_attributes(OxmlElement("w:footnote"), w_id=number))
            self.document.settings.element.insert_element_before(settings, *SETTINGS_AFTER_FOOTNOTES)
        return self.part


Span = tuple[int, int, int, int]  # row, column, rows and columns a cell spans


def grid_table(rows: int, cols: int, cells: list[Span], width: int, header_rows: int = 0,
               style: str = "TableGrid") -> tuple[Element, dict[tuple[int, int], Element]]:
    """A w:tbl of rows x cols equal columns `width` twips wide in all, centred, whose cells
    each span the rows and columns given (w:gridSpan, w:vMerge), and the w:tc of each cell by
    its (row, column); a place no cell covers is an empty cell. The first header_rows rows
    repeat on each page (w:tblHeader); no row breaks across pages. Made in one pass, as python-docx's cell() and merge()
    would take a time that grows with the square of the cells."""
    column = max(width // max(cols, 1), 1)
    tbl = parse_xml(f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="0" w:type="auto"/>'
                    '<w:jc w:val="center"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
                    'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr></w:tbl>')
    grid = OxmlElement("w:tblGrid")
    for _ in range(cols):
        grid.append(set_attributes(OxmlElement("w:gridCol"), w_w=column))
    tbl.append(grid)
    origin: dict[tuple[int, int], Span] = {}  # every place a cell covers -> that cell
    for span in cells:
        for r in range(span[0], span[0] + span[2]):
            for c in range(span[1], span[1] + span[3]):
                origin[(r, c)] = span
    made: dict[tuple[int, int], Element] = {}
    for r in range(rows):
        tr = OxmlElement("w:tr")
        tr.append(OxmlElement("w:trPr"))
        tr[0].append(OxmlElement("w:cantSplit"))
        if r < header_rows:
            tr[0].append(OxmlElement("w:tblHeader"))
        c = 0
        while c < cols:
            span = origin.get((r, c), (r, c, 1, 1))
            tr.append(_cell(column, span, first_row=span[0] == r))
            if span[0] == r:
                made[(r, c)] = tr[-1]
            c += span[3]
        tbl.append(tr)
    return tbl, made


def _cell(column: int, span: Span, first_row: bool) -> Element:
    tc = OxmlElement("w:tc")
    properties = OxmlElement("w:tcPr")
    properties.append(set_attributes(OxmlElement("w:tcW"), w_w=column * span[3], w_type="dxa"))
    if span[3] > 1:
        properties.append(set_attributes(OxmlElement("w:gridSpan"), w_val=span[3]))
    if span[2] > 1:
        merge = OxmlElement("w:vMerge")
        if first_row:
            set_attributes(merge, w_val="restart")
        properties.append(merge)
    properties.append(set_attributes(OxmlElement("w:vAlign"), w_val="center"))
    tc.append(properties)
    tc.append(OxmlElement("w:p"))
    return tc
