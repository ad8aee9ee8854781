"""A Word document as the importer sees it: paragraphs of formatted spans, tables of cells,
footnotes, images and the file's own properties. Nothing here knows about Markdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from briefgen.word.numbering import Marker

TEXT, BREAK, IMAGE, NOTE, LINK = "text", "break", "image", "note", "link"


@dataclass(frozen=True)
class Span:
    """Text with one formatting, a line break, an image (ref: its name) or a footnote mark."""

    text: str
    kind: str = TEXT
    bold: bool = False
    italic: bool = False
    underline: bool = False
    script: str = ""  # "sup" or "sub"
    ref: str = ""  # an image's name, a footnote's number, a link's address


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    index: int  # the paragraph's number in the document, from 1, to name it in messages
    marker: Marker | None = None  # Word's automatic numbering, as displayed
    style: str = ""
    heading: int = 0  # 1–9 for a heading style or an outline level
    title_style: bool = False
    centered: bool = False
    size: float = 0.0  # the largest font size of its text, in points

    @property
    def text(self) -> str:
        """What the reader sees: the marker and the text, without images and footnote marks."""
        words = "".join(span.text if span.kind in (TEXT, LINK) else "\n" if span.kind == BREAK else ""
                        for span in self.spans)
        return (self.marker.text if self.marker and not self.marker.bullet else "") + words

    @property
    def bold(self) -> bool:
        """Every character that is not a space is bold."""
        shown = [span for span in self.spans if span.kind in (TEXT, LINK) and span.text.strip()]
        return bool(shown) and all(span.bold for span in shown)

    @property
    def images(self) -> tuple[str, ...]:
        return tuple(span.ref for span in self.spans if span.kind == IMAGE)


@dataclass(frozen=True)
class Cell:
    paragraphs: tuple[Paragraph, ...]
    colspan: int = 1
    rowspan: int = 1

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[Cell, ...], ...]
    index: int  # the number of the paragraph before it, to name it in messages
    header: int = 1  # rows marked as header rows (at least the first)


Block = Paragraph | Table


@dataclass(frozen=True)
class Image:
    name: str  # "1.png": its number in the document and the kind of file
    data: bytes


@dataclass(frozen=True)
class Document:
    blocks: tuple[Block, ...]
    notes: dict[str, tuple[Paragraph, ...]] = field(default_factory=dict)  # "1" -> its text
    images: dict[str, Image] = field(default_factory=dict)
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    title: str = ""  # the file's title property
    author: str = ""  # the file's author property


def texts(document: Document) -> list[str]:
    """The text of every paragraph, table cell and footnote, in order: what an import must keep."""
    found: list[str] = []

    def add(paragraphs: tuple[Paragraph, ...]) -> None:
        found.extend(p.text for p in paragraphs if p.text.strip())

    for block in document.blocks:
        if isinstance(block, Paragraph):
            add((block,))
        else:
            for row in block.rows:
                for cell in row:
                    add(cell.paragraphs)
    for paragraphs in document.notes.values():
        add(paragraphs)
    return found
