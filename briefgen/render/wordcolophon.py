"""The 报尾 of the Word edition: a table of one column after the last item, its rules its borders
(the first and the last 0.35 mm, those between 0.25 mm, as GB/T 9704 draws them): 报、送、发 and
本期增发, each label in 黑体, then 责任编辑 and 签发 at the left and 共印X份 at the right. Its rows
stay together, and with the last lines of the text. It follows the text a line below rather
than floating to the foot of the last page as in the PDF: a table floated to the bottom margin
may cover a footnote of that page in Word, and LibreOffice 7.4 sets such a table in the text
anyway; an editor moves it down in Word with a few empty lines where the last page has room."""

from __future__ import annotations

from docx.oxml.ns import qn

from briefgen.config.settings import Config
from briefgen.render.wordstyles import COLOPHON, LINE, Fonts
from briefgen.word.blocks import Blocks, grid_table
from briefgen.word.docx import Element, Look, apply_paragraph, apply_run, child, right_tab, set_attributes

OUTER, INNER = 8, 6  # eighths of a point: 1 pt (0.35 mm) and 0.75 pt (0.25 mm)
COLOPHON_SIZE = 14


def distribution(config: Config, extra: str) -> list[tuple[str, str]]:
    """The lines of the 报尾 by label: 报、送、发 as briefgen.yaml has them, then the issue's 本期增发."""
    return [*config.distribution, *([("本期增发", extra)] if extra else [])]


def colophon(blocks: Blocks, fonts: Fonts, lines: list[tuple[str, str]], editor: str, signer: str,
             copies: int | None) -> None:
    """The 报尾 at the end of blocks, as the PDF prints it (templates/site/colophon.html)."""
    people = "\u3000".join(part for part in (f"责任编辑：{editor}" if editor else "",
                                              f"签发：{signer}" if signer else "") if part)
    printed = f"（共印{copies}份）" if copies else ""
    rows = len(lines) + (1 if people or printed else 0)
    if not rows:
        return
    tbl, cells = grid_table(rows, 1, [(row, 0, 1, 1) for row in range(rows)], blocks.width, style="TableNormal")
    _borders(tbl)
    last = blocks.last()
    if last is not None and last.tag == qn("w:p"):  # the 报尾 never has a page of its own: the end
        apply_paragraph(last, Look(keep_next=True))  # of the text goes with it
    space = blocks.paragraph()  # a line between the text and the 报尾, kept with it
    apply_paragraph(space._p, Look(first_line=0, line=LINE, keep_next=True))
    blocks.table(tbl)
    for row, (label, text) in enumerate(lines):
        paragraph = Blocks(cells[(row, 0)], blocks.part, blocks.width, first=cells[(row, 0)][-1]).paragraph(COLOPHON)
        if row < rows - 1:  # the rows stay together, on the last page
            apply_paragraph(paragraph._p, Look(keep_next=True), COLOPHON_SIZE)
        apply_run(paragraph.add_run(f"{label}：")._r, Look(font=fonts.sans))
        paragraph.add_run(text)
    if people or printed:
        paragraph = Blocks(cells[(rows - 1, 0)], blocks.part, blocks.width,
                           first=cells[(rows - 1, 0)][-1]).paragraph(COLOPHON)
        apply_paragraph(paragraph._p, Look(left=100, hanging=0), COLOPHON_SIZE)
        right_tab(paragraph._p.get_or_add_pPr(), blocks.width - 2 * COLOPHON_SIZE * 20)
        paragraph.add_run(people)
        if printed:
            paragraph.add_run().add_tab()
            paragraph.add_run(printed)
    end = blocks.paragraph()  # Word ends a document with a paragraph: this one takes no room
    apply_paragraph(end._p, Look(first_line=0, line=20, before=0, after=0, grid=False))
    apply_run(child(end._p.get_or_add_pPr(), "w:rPr"), Look(size=1))


def _borders(tbl: Element) -> None:
    """The rules: above and below the table, and between its rows; none at the sides; the text
    reaches the table's edges (no cell margins at the sides)."""
    properties = tbl.tblPr
    edges = child(properties, "w:tblBorders")
    for side, size in (("top", OUTER), ("bottom", OUTER), ("insideH", INNER)):
        set_attributes(child(edges, f"w:{side}"), w_val="single", w_sz=size, w_space=0, w_color="000000")
    for side in ("left", "right", "insideV"):
        set_attributes(child(edges, f"w:{side}"), w_val="nil")
    margins = child(properties, "w:tblCellMar")
    for side in ("left", "right"):
        set_attributes(child(margins, f"w:{side}"), w_w=0, w_type="dxa")
