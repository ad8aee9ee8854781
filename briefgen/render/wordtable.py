"""Where the cells of an HTML table go in a Word table: its rows (not those of a table in one
of its cells), each cell's place in the grid as HTML places cells that span rows and columns,
and the alignment a cell asks for."""

from __future__ import annotations

import re

from briefgen.word.blocks import Span
from briefgen.word.docx import Element

ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
MAX_COLUMNS = 63  # the most Word allows a table


def table_rows(table: Element) -> list[tuple[Element, bool]]:
    """The rows of this table (not of a table inside one of its cells), each with whether it is in
    the table's head."""
    found = []
    for node in table:
        if node.tag == "tr":
            found.append((node, False))
        elif node.tag in ("thead", "tbody", "tfoot"):
            found += [(tr, node.tag == "thead") for tr in node if tr.tag == "tr"]
    return found


def layout(rows: list[Element]) -> tuple[list[Span], list[list[Element]]]:
    """Where each cell goes in the table's grid, as HTML places cells spanning rows and columns;
    a cell past the most columns Word allows is written into the row's last cell."""
    taken: set[tuple[int, int]] = set()
    spans: list[Span] = []
    cells: list[list[Element]] = []
    for r, tr in enumerate(rows):
        c, last = 0, -1
        for cell in (node for node in tr if node.tag in ("td", "th")):
            while (r, c) in taken:
                c += 1
            if c >= MAX_COLUMNS:
                if last < 0:
                    continue
                cells[last].append(cell)
                continue
            down = _span(cell.get("rowspan"), len(rows) - r)
            across = 1
            while across < min(_span(cell.get("colspan"), MAX_COLUMNS), MAX_COLUMNS - c) and not any(
                    (r + i, c + across) in taken for i in range(down)):
                across += 1
            taken.update((r + i, c + j) for i in range(down) for j in range(across))
            spans.append((r, c, down, across))
            cells.append([cell])
            last = len(cells) - 1
            c += across
    return spans, cells


def _span(value: str | None, most: int) -> int:
    """A rowspan or colspan as HTML reads it: 1 when missing or wrong, 0 for a rowspan to the end."""
    text = (value or "").strip()
    number = int(text) if text.isdigit() else 1
    return most if number == 0 else max(1, min(number, most))


def alignment(cell: Element) -> str:
    written = (cell.get("align") or "").strip().lower()
    found = re.search(r"text-align\s*:\s*([a-z]+)", cell.get("style") or "")
    return ALIGN.get(found.group(1) if found else written, "")
