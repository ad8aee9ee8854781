"""A .docx read into a word.model.Document: every paragraph and table of the body in order,
with the numbering Word displays, the formatting that matters to a manuscript (bold lead-ins,
emphasis, centred large titles), footnotes and endnotes, images and text boxes.

Headers, footers and page numbers are not in the body and are left out. Deleted tracked
changes and hidden text are not shown by Word and are left out; inserted ones are kept. The
package is opened with python-docx, whose XML parser resolves no entities."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from briefgen.word.model import BREAK, IMAGE, LINK, NOTE, TEXT, Cell, Document, Image, Paragraph, Span, Table
from briefgen.word.numbering import Marker, Numbering
from briefgen.word.stylechain import Styles, paragraph_numbering, run_size
from briefgen.word.xml import MC, Element, R, V, W, attr, on, val

MAX_UNPACKED = 256 * 1024 * 1024  # bytes a .docx may unpack to: far above an item, far below trouble
NOTES = {"footnotes": "footnote", "endnotes": "endnote"}
SKIPPED = {f"{W}del", f"{W}moveFrom", f"{W}delText", f"{W}instrText", f"{W}rPr", f"{W}pPr", f"{MC}Fallback"}
# Not SVG: an SVG can hold scripts. (Word keeps a PNG of every SVG it embeds, which is read.)
IMAGE_KINDS = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".webp"}


class Unreadable(Exception):
    """The file is not a Word document python-docx can open; the message says why, in Chinese."""


@dataclass
class _Reading:
    part: object
    styles: Styles
    numbering: Numbering
    images: dict[str, Image] = field(default_factory=dict)
    image_of: dict[str, str] = field(default_factory=dict)  # relationship id -> image name
    notes: dict[str, str] = field(default_factory=dict)  # "footnote:2" -> "1"
    count: int = 0


def read_docx(path: Path) -> Document:
    """The document at path; Unreadable when it is not a .docx (or is too large unpacked)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        with zipfile.ZipFile(path) as package:
            if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED:
                raise Unreadable(f"解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，不像是一篇稿件")
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise Unreadable("不是有效的 Word（.docx）文件，或者文件已损坏") from exc
    part = document.part
    styles = Styles(document.styles.element)
    numbering_root = _numbering(part)
    reading = _Reading(part, styles, Numbering(numbering_root, styles.lists()))
    blocks = tuple(_blocks(document.element.body, reading))
    notes = _notes(part, reading)
    core = document.core_properties
    return Document(blocks, notes, reading.images, core.created, core.modified,
                    (core.title or "").strip(), (core.author or "").strip())


def _numbering(part: object) -> Element | None:
    try:
        return part.numbering_part.element  # type: ignore[attr-defined]
    except (NotImplementedError, KeyError, AttributeError):
        return None


def _blocks(container: Element, reading: _Reading) -> list[Paragraph | Table]:
    found: list[Paragraph | Table] = []
    for child in container:
        if child.tag == f"{W}p":
            found.extend(_paragraphs(child, reading))
        elif child.tag == f"{W}tbl":
            found.append(_table(child, reading))
        elif child.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}moveTo"):
            found.extend(_blocks(child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child, reading))
    return found


def _paragraphs(element: Element, reading: _Reading) -> list[Paragraph]:
    """The paragraph, then the paragraphs of the text boxes anchored in it."""
    reading.count += 1
    index = reading.count
    ppr = element.find(f"{W}pPr")
    style_id = val(ppr, "pStyle") or reading.styles.default_paragraph
    style = reading.styles.get(style_id)
    boxes: list[Element] = []
    spans = _spans(element, reading, style_id, boxes)
    sizes = [size for size in (_size(run, reading, style_id) for run in element.iter(f"{W}r")) if size]
    align = val(ppr, "jc") or style.align
    paragraph = Paragraph(
        spans=tuple(spans), index=index, marker=_marker(ppr, style_id, reading), style=style.name,
        heading=reading.styles.heading_level(style_id), title_style=reading.styles.is_title(style_id),
        centered=align in ("center", "centre"), size=max(sizes, default=style.size or 0.0),
    )
    found = [paragraph]
    for box in boxes:
        found.extend(p for block in _blocks(box, reading) for p in _flat(block))
    return found


def _flat(block: Paragraph | Table) -> list[Paragraph]:
    if isinstance(block, Paragraph):
        return [block]
    return [p for row in block.rows for cell in row for p in cell.paragraphs]


def _marker(ppr: Element | None, style_id: str, reading: _Reading) -> Marker | None:
    num_id, ilvl = paragraph_numbering(ppr)
    if num_id is None:
        listed = reading.numbering.list_of_style(style_id)
        if listed is None:
            return None
        num_id = listed[0]
        if ilvl is None:
            ilvl = listed[1] if listed[1] is not None else reading.numbering.level_of_style(num_id, style_id)
    return reading.numbering.marker(num_id, ilvl or 0)


def _size(run: Element, reading: _Reading, style_id: str) -> float | None:
    rpr = run.find(f"{W}rPr")
    own = run_size(rpr)
    if own is not None:
        return own
    char_style = val(rpr, "rStyle")
    return (reading.styles.get(char_style).size if char_style else None) or reading.styles.get(style_id).size


def _spans(element: Element, reading: _Reading, style_id: str, boxes: list[Element]) -> list[Span]:
    """The paragraph's runs in order, through hyperlinks, fields, insertions and content controls."""
    spans: list[Span] = []
    depth = [0, 0]  # open complex fields, and of them those still in their instructions

    def walk(parent: Element, link: str) -> None:
        for child in parent:
            tag = child.tag
            if tag in SKIPPED:
                continue
            if tag == f"{W}r":
                _run(child, reading, style_id, spans, depth, boxes, link)
            elif tag == f"{W}hyperlink":
                walk(child, _address(child, reading) or link)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    walk(content, link)
            elif tag.startswith(W) or tag.startswith(MC):
                walk(child, link)
            elif tag.endswith("}oMath") or tag.endswith("}oMathPara"):
                spans.append(Span("".join(child.itertext())))

    walk(element, "")
    return spans


def _address(hyperlink: Element, reading: _Reading) -> str:
    rel_id = attr(hyperlink, "id", R)
    rels = reading.part.rels  # type: ignore[attr-defined]
    if rel_id and rel_id in rels and rels[rel_id].is_external:
        return str(rels[rel_id].target_ref)
    return ""


def _run(run: Element, reading: _Reading, style_id: str, spans: list[Span], depth: list[int],
         boxes: list[Element], link: str) -> None:
    rpr = run.find(f"{W}rPr")
    if rpr is not None and on(rpr.find(f"{W}vanish")):
        return
    look = _look(rpr, reading, style_id)
    for child in _inside(run):
        tag = child.tag
        if tag == f"{W}fldChar":
            kind = attr(child, "fldCharType")
            if kind == "begin":
                depth[0] += 1
                depth[1] += 1
            elif kind == "separate":
                depth[1] = max(depth[1] - 1, 0)
            elif kind == "end":
                depth[0] = max(depth[0] - 1, 0)
                depth[1] = min(depth[1], depth[0])
        if depth[1] and tag != f"{W}fldChar":
            continue
        if tag == f"{W}t":
            spans.append(Span(child.text or "", LINK if link else TEXT, *look, ref=link))
        elif tag == f"{W}tab":
            spans.append(Span("\t", TEXT, *look))
        elif tag in (f"{W}br", f"{W}cr") and attr(child, "type") not in ("page", "column"):
            spans.append(Span("\n", BREAK))
        elif tag == f"{W}noBreakHyphen":
            spans.append(Span("-", TEXT, *look))
        elif tag == f"{W}sym":
            spans.append(Span(chr(int(attr(child, "char") or "20", 16) & 0xFFFF), TEXT, *look))
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            kind = "footnote" if tag.endswith("footnoteReference") else "endnote"
            label = reading.notes.setdefault(f"{kind}:{attr(child, 'id')}", str(len(reading.notes) + 1))
            spans.append(Span("", NOTE, ref=label))
        elif tag.endswith("}blip") or tag == f"{V}imagedata":
            name = _image(child, reading)
            if name:
                spans.append(Span("", IMAGE, ref=name))
        elif tag == f"{W}txbxContent":
            boxes.append(child)


def _inside(run: Element) -> list[Element]:
    """The run's elements in document order, not going into text boxes (read as paragraphs of
    their own) or into the fallback a newer element comes with."""
    found: list[Element] = []
    stack = list(reversed(run))
    while stack:
        element = stack.pop()
        if element.tag in (f"{MC}Fallback", f"{W}rPr"):
            continue
        found.append(element)
        if element.tag != f"{W}txbxContent":
            stack.extend(reversed(element))
    return found


def _look(rpr: Element | None, reading: _Reading, style_id: str) -> tuple[bool, bool, bool, str]:
    """(bold, italic, underline, script) of a run: its own properties, its character style, the
    paragraph's style."""
    char = reading.styles.get(val(rpr, "rStyle")) if val(rpr, "rStyle") else None
    para = reading.styles.get(style_id)

    def toggle(name: str, inherited: bool | None) -> bool:
        own = rpr.find(f"{W}{name}") if rpr is not None else None
        if own is not None:
            return on(own)
        return bool(inherited)

    bold = toggle("b", char.bold if char and char.bold is not None else para.bold)
    italic = toggle("i", char.italic if char and char.italic is not None else para.italic)
    underline = rpr is not None and val(rpr, "u") not in ("", "none")
    script = {"superscript": "sup", "subscript": "sub"}.get(val(rpr, "vertAlign"), "")
    return bold, italic, underline, script


def _image(blip: Element, reading: _Reading) -> str:
    rel_id = attr(blip, "embed", R) or attr(blip, "id", R)
    if not rel_id:
        return ""
    if rel_id in reading.image_of:
        return reading.image_of[rel_id]
    rels = reading.part.rels  # type: ignore[attr-defined]
    if rel_id not in rels or rels[rel_id].is_external:
        return ""
    target = rels[rel_id].target_part
    suffix = PurePosixPath(str(target.partname)).suffix.lower()
    if suffix not in IMAGE_KINDS:
        return ""
    name = f"{len(reading.images) + 1}{'.jpg' if suffix == '.jpeg' else suffix}"
    reading.images[name] = Image(name, target.blob)
    reading.image_of[rel_id] = name
    return name


def _table(element: Element, reading: _Reading) -> Table:
    """Rows of cells with their spans: a vertically merged cell is one cell spanning its rows."""
    index = reading.count
    grid: list[list[Cell | None]] = []  # None where a cell above covers this place
    origins: dict[tuple[int, int], tuple[int, int]] = {}  # (row, column) -> the covering cell
    header = 0
    for r, row in enumerate(element.iterfind(f"{W}tr")):
        trpr = row.find(f"{W}trPr")
        if trpr is not None and on(trpr.find(f"{W}tblHeader")) and header == r:
            header += 1
        cells: list[Cell | None] = []
        column = 0
        for tc in row.iterfind(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = int(val(tcpr, "gridSpan") or 1) if val(tcpr, "gridSpan").isdigit() else 1
            merge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            paragraphs = tuple(p for block in _blocks(tc, reading) for p in _flat(block))
            above = origins.get((r - 1, column))
            if merge is not None and attr(merge, "val") != "restart" and above is not None:
                top, left = above
                first = grid[top][left]
                assert first is not None
                grid[top][left] = Cell(first.paragraphs + tuple(p for p in paragraphs if p.text.strip()),
                                       first.colspan, first.rowspan + 1)
                cells.append(None)
                origins[(r, column)] = above
            else:
                cells.append(Cell(paragraphs, span))
                origins[(r, column)] = (r, len(cells) - 1)
            column += span
        grid.append(cells)
    rows = tuple(tuple(cell for cell in row if cell is not None) for row in grid)
    return Table(rows, index, max(header, 1))


def _notes(part: object, reading: _Reading) -> dict[str, tuple[Paragraph, ...]]:
    """The footnotes and endnotes the body refers to, by the number each was given there."""
    from docx.oxml.parser import parse_xml

    found: dict[str, tuple[Paragraph, ...]] = {}
    for rel in part.rels.values():  # type: ignore[attr-defined]
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind not in NOTES or rel.is_external:
            continue
        root = parse_xml(rel.target_part.blob)
        for note in root.iterfind(f"{W}{NOTES[kind]}"):
            label = reading.notes.get(f"{NOTES[kind]}:{attr(note, 'id')}")
            if label is not None:
                found[label] = tuple(p for block in _blocks(note, reading) for p in _flat(block))
    return dict(sorted(found.items(), key=lambda pair: int(pair[0])))



