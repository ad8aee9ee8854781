"""A Word document's blocks as the Markdown body of an item: every paragraph kept, with the
markers Word displays written out, the Chinese section headings (一、 and （一）) as headings,
emphasis, tables (with merged cells as an HTML table, which keeps them readable), images,
footnotes. Whatever Markdown would read as markup is escaped, so the page says what Word said."""

from __future__ import annotations

import html
import re

from briefgen.content.spaces import clean
from briefgen.word.model import BREAK, IMAGE, LINK, NOTE, Block, Document, Paragraph, Span, Table

ESCAPED = re.compile(r"([\\`*_\[\]|])")
LINE_START = re.compile(r"^([#>+\-]|\d+(?=[.)]))")
SPACES = re.compile(r"[ \t]+")
# Section markers of Chinese documents: level 1 一、 and level 2 （一）.
LEVEL_ONE = re.compile(r"^[一二三四五六七八九十百]+、")
LEVEL_TWO = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
CAPTION = re.compile(r"^图\s*[0-9０-９一二三四五六七八九十]+")
BULLET = re.compile(r"^[•●▪◆■·]\s*")
HEADING_LENGTH = 40
CAPTION_LENGTH = 60  # a longer numbered paragraph is body text that starts with a marker
SAFE_LINK = re.compile(r"^(https?://|mailto:)[^\s<>()]+$", re.IGNORECASE)


def body_markdown(document: Document, blocks: tuple[Block, ...], image_prefix: str) -> str:
    """blocks (the document's, less what became front matter) and the footnotes they refer to."""
    out: list[str] = []
    previous_bullet = False
    levels = heading_levels(blocks)
    captions = caption_of(blocks)
    for number, block in enumerate(blocks):
        if isinstance(block, Table):
            out.append(table(block, image_prefix))
            previous_bullet = False
            continue
        if number in captions.values():
            continue
        text = paragraph(block, image_prefix, levels[number], _caption(blocks, captions.get(number)))
        if not text:
            continue
        bullet = is_bullet(block)
        if bullet and previous_bullet:
            out[-1] += "\n" + text
        else:
            out.append(text)
        previous_bullet = bullet
    referred = set(re.findall(r"\[\^(\d+)\]", "\n".join(out)))
    notes = [f"[^{label}]: {' '.join(inline(p.spans, image_prefix) for p in paragraphs)}".rstrip()
             for label, paragraphs in document.notes.items() if label in referred]
    return "\n\n".join(out + notes).strip() + "\n"


def heading_levels(blocks: tuple[Block, ...]) -> list[int]:
    """Each block's heading level (heading_level), except that numbered lines in a row at one
    level, with nothing under them, are the points of a list and stay paragraphs."""
    marked = [heading_level(b) if isinstance(b, Paragraph) and not b.heading else 0 for b in blocks]
    levels = []
    for number, block in enumerate(blocks):
        level = heading_level(block) if isinstance(block, Paragraph) else 0
        neighbours = marked[max(number - 1, 0):number] + marked[number + 1:number + 2]
        if marked[number] and marked[number] in neighbours:
            level = 0
        levels.append(level)
    return levels


def caption_of(blocks: tuple[Block, ...]) -> dict[int, int]:
    """image paragraph -> the caption paragraph under it (图1　……), which becomes its caption."""
    found = {}
    for number, block in enumerate(blocks[:-1]):
        after = blocks[number + 1]
        if (isinstance(block, Paragraph) and block.images and not tidy(block.text) and len(block.images) == 1
                and isinstance(after, Paragraph) and not after.images and _is_caption(after)):
            found[number] = number + 1
    return found


def _is_caption(block: Paragraph) -> bool:
    """图1　……, or a line in Word's caption style (题注), or a short centred line without a full stop."""
    text = tidy(block.text)
    if not text or "\n" in text or block.marker:
        return False
    styled = any(word in block.style.lower() for word in ("caption", "题注", "图注"))
    short = block.centered and len(text) <= CAPTION_LENGTH and not text.endswith(("。", "；", "："))
    return bool(CAPTION.match(text)) or styled or short


def _caption(blocks: tuple[Block, ...], number: int | None) -> str:
    block = blocks[number] if number is not None else None
    return tidy(block.text) if isinstance(block, Paragraph) else ""


def heading_level(block: Paragraph) -> int:
    """2 for a level-1 heading (## 一、…), 3 for level 2, 0 for body text."""
    if block.heading:
        return min(block.heading + 1, 6)
    text = tidy(block.text)
    if not text or len(text) > HEADING_LENGTH or "。" in text[:-1] or "\n" in text:
        return 0
    if LEVEL_ONE.match(text):
        return 2
    if LEVEL_TWO.match(text):
        return 3
    return 0


def is_bullet(block: Paragraph) -> bool:
    """A point of a bulleted list: Word's own bullets, or a bullet typed at the start (•、●…)."""
    return bool(block.marker.bullet) if block.marker else bool(BULLET.match(tidy(block.text)))


def _unbulleted(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """The spans without the bullet typed before the first text."""
    for number, span in enumerate(spans):
        if span.text.strip():
            rest = BULLET.sub("", span.text.lstrip(), count=1)
            return (*spans[:number], Span(rest, span.kind, span.bold, span.italic, span.underline,
                                          span.script, span.ref), *spans[number + 1:])
    return spans


def paragraph(block: Paragraph, image_prefix: str, level: int, caption: str = "") -> str:
    spans = block.spans
    bullet = is_bullet(block)
    if bullet and not block.marker:
        spans = _unbulleted(spans)
    if level and block.bold:  # a heading is set bold by its role, not by ** in the text
        spans = tuple(Span(s.text, s.kind, False, s.italic, s.underline, s.script, s.ref) for s in spans)
    marker = block.marker.text if block.marker and not block.marker.bullet else ""
    text = inline((Span(marker),) + spans if marker else spans, image_prefix, images=False)
    alt = ESCAPED.sub(r"\\\1", html.escape(caption, quote=False)) if caption else "图片"
    images = [f"![{alt}]({image_prefix}{name})" for name in block.images]
    if bullet and text:
        text = f"- {text}"
    elif level and text:
        text = f"{'#' * level} {text}"
    return "\n\n".join(part for part in [text, *images] if part)


def inline(spans: tuple[Span, ...], image_prefix: str, images: bool = True) -> str:
    """Runs of one formatting as Markdown, each line's start escaped."""
    pieces: list[str] = []
    for kind, look, text in _runs(spans):
        if kind == NOTE:
            pieces.append(f"[^{text}]")
        elif kind == IMAGE:
            if images:
                pieces.append(f"![图片]({image_prefix}{text})")
        elif kind == BREAK:
            pieces.append("  \n")
        else:
            pieces.append(_formatted(text, look))
    lines = "".join(pieces).strip(" ").split("\n")
    return "\n".join(_escape_start(line.lstrip()) for line in lines)


def _escape_start(line: str) -> str:
    """A line that Markdown would start a heading, quote or list with: 1. becomes 1\\."""
    found = LINE_START.match(line)
    if not found:
        return line
    if found.group(1)[0].isdigit():
        end = found.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def _runs(spans: tuple[Span, ...]) -> list[tuple[str, tuple[object, ...], str]]:
    """Neighbouring spans of one formatting joined; text tidied of pasted spaces."""
    runs: list[tuple[str, tuple[object, ...], str]] = []
    for span in spans:
        if span.kind in (NOTE, IMAGE):
            runs.append((span.kind, (), span.ref))
            continue
        if span.kind == BREAK:
            runs.append((BREAK, (), ""))
            continue
        look = (span.bold, span.italic, span.underline, span.script, span.ref if span.kind == LINK else "")
        if runs and runs[-1][0] == "text" and runs[-1][1] == look:
            runs[-1] = ("text", look, runs[-1][2] + span.text)
        else:
            runs.append(("text", look, span.text))
    return [(kind, look, tidy(text, keep_ends=True) if kind == "text" else text) for kind, look, text in runs]


def tidy(text: str, keep_ends: bool = False) -> str:
    """Pasted odd spaces taken out as the loader does, tabs and runs of spaces made one space."""
    cleaned, _ = clean(text.replace("\t", " "))
    cleaned = SPACES.sub(" ", cleaned)
    return cleaned if keep_ends else cleaned.strip()


def escape(text: str) -> str:
    return html.escape(ESCAPED.sub(r"\\\1", text), quote=False)


def _formatted(text: str, look: tuple[object, ...]) -> str:
    bold, italic, underline, script, link = look
    core = text.strip(" ")
    if not core:
        return text
    lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
    shown = escape(core)
    if link and SAFE_LINK.match(str(link)):
        shown = f"[{shown}](<{link}>)"
    if script:
        shown = f"<{script}>{shown}</{script}>"
    if underline:
        shown = f"<u>{shown}</u>"
    if italic:
        shown = f"*{shown}*"
    if bold:
        shown = f"**{shown}**"
    return lead + shown + trail


def table(block: Table, image_prefix: str) -> str:
    """A pipe table when every cell is one plain cell, else an HTML table with its spans."""
    widths = {len(row) for row in block.rows}
    plain = len(widths) == 1 and all(cell.colspan == cell.rowspan == 1 and len(cell.paragraphs) <= 1
                                    for row in block.rows for cell in row)
    if plain and block.rows:
        lines = []
        for number, row in enumerate(block.rows):
            cells = [inline(cell.paragraphs[0].spans, image_prefix).replace("  \n", "<br>").replace("\n", "<br>")
                     if cell.paragraphs else "" for cell in row]
            lines.append("| " + " | ".join(cells) + " |")
            if number == 0:
                lines.append("|" + " --- |" * len(row))
        return "\n".join(lines)
    return _html_table(block)


def _html_table(block: Table) -> str:
    rows = []
    for number, row in enumerate(block.rows):
        tag = "th" if number < block.header else "td"
        cells = []
        for cell in row:
            spans = "".join(f' {name}="{value}"' for name, value in (("colspan", cell.colspan),
                                                                    ("rowspan", cell.rowspan)) if value > 1)
            text = "<br>".join(_html_inline(p, tag == "th") for p in cell.paragraphs if p.text.strip())
            cells.append(f"<{tag}{spans}>{text}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _html_inline(block: Paragraph, header: bool) -> str:
    marker = block.marker.text if block.marker and not block.marker.bullet else ""
    pieces = [html.escape(marker, quote=False)]
    for kind, look, text in _runs(block.spans):
        if kind == BREAK:
            pieces.append("<br>")
        elif kind == "text":
            shown = html.escape(text, quote=False)
            for flag, tag in zip(look[:3], ("strong", "em", "u"), strict=True):
                if flag and shown.strip() and not (header and tag == "strong"):
                    shown = f"<{tag}>{shown}</{tag}>"
            pieces.append(shown)
    return "".join(pieces).strip()
