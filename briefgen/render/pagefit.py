"""Fitting a print document to its pages, as a typesetter would, after WeasyPrint has laid it out.

Keep-together rules (a title with its unit line and first lines, a figure whole, a short table
whole, no lone line of a paragraph) can push a block to the next page and leave a page largely
empty, and the 报尾 can land alone on a last page. Both are found by reading the laid-out boxes,
then mended by small adjustments made on the document's elements, and the document is laid out
again (a layout is a fraction of a second; only writing the PDF is slow):

- **A page more than 30% empty** (not the last): the block that opens the next page gives way.
  A figure is scaled down to the space left, a table is allowed to split (keeping two rows on
  each side and repeating its header, see print.css), or the paragraph that follows a title
  may leave one line at the top of the next page.
- **The 报尾 alone on the last page**: the ladder below, one step at a time, until it fits under
  the last text. When no step makes it fit, it keeps a page of its own and the caller warns.

Every step is decided from the layout alone, so the same document always gives the same PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

from briefgen.render.titles import TITLE_EMS, width

EMPTIEST = 0.30  # the largest share of a page's text block that may stay empty, but on the last page
ROUNDS = 8  # layouts tried at most, beyond the first
SMALLEST_FIGURE = 100.0  # px (26 mm): a figure is not shrunk below this to fill a page
TRUNCATED = 40.0  # px: a line's space, for the margin above a heading that the top of a page drops
TIGHT_LETTERS = "-0.8pt"  # 29 characters on the 28-character line: a paragraph's short last line pulled up
LEAVES = (boxes.LineBox, boxes.ReplacedBox, boxes.TableRowBox)
Render = Callable[[], Any]  # lays the document out again, as a weasyprint Document


@dataclass
class Page:
    """One laid-out page: its in-flow leaf boxes (lines, images, table rows), each with its
    ancestors, and how much of its text block is left below them."""

    number: int
    top: float
    height: float
    leaves: list[tuple[Any, tuple[Any, ...]]] = field(default_factory=list)
    colophon_only: bool = True

    @property
    def bottom(self) -> float:
        return max((box.position_y + box.margin_height() for box, _ in self.leaves), default=self.top)

    @property
    def free(self) -> float:
        return self.top + self.height - self.bottom

    def elements(self) -> Iterator[Any]:
        """Every element with a box on this page, outermost first, each once."""
        seen: set[int] = set()
        for box, ancestors in self.leaves:
            for item in (*ancestors, box):
                element = item.element
                if element is not None and id(element) not in seen:
                    seen.add(id(element))
                    yield element


def measure(document: Any) -> list[Page]:
    """The pages of a laid-out document, read from its boxes."""
    pages = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        measured = Page(number, page_box.content_box_y(), page_box.height)
        _collect(page_box, (), measured, in_colophon=False)
        pages.append(measured)
    return pages


def _collect(box: Any, ancestors: tuple[Any, ...], page: Page, in_colophon: bool) -> None:
    if isinstance(box, AbsolutePlaceholder | boxes.MarginBox):
        return  # the visible 报尾 at the foot of the page, the page numbers
    in_colophon = in_colophon or "colophon" in _classes(box)
    if isinstance(box, LEAVES):
        page.leaves.append((box, ancestors))
        page.colophon_only = page.colophon_only and in_colophon
        return
    for child in getattr(box, "children", ()):
        _collect(child, (*ancestors, box), page, in_colophon)


def fit(render: Render, root: Any) -> tuple[Any, int]:
    """Lay the document out and mend it, changing the styles of the elements under `root` (the
    document's element tree, which `render` lays out); the final layout, and the page the 报尾
    stands alone on (0 when it shares its page with text)."""
    document = render()
    ladder = iter(LADDER)  # steps taken stay taken
    for _ in range(ROUNDS):
        pages = measure(document)
        changed = _fill_pages(pages)
        if not changed and _colophon_alone(pages):
            changed = _climb(ladder, pages, root)
        if not changed:
            break
        document = render()
    else:
        pages = measure(document)  # the last layout tried was not measured yet
    return document, len(pages) if _colophon_alone(pages) else 0


def _climb(ladder: Iterator[Callable[[list[Page], Any], float]], pages: list[Page], root: Any) -> bool:
    """Take the next steps of the ladder, as many as should free the height the 报尾 lacks on
    the last page of text; whether any changed the document."""
    placeholder = _placeholder(pages)
    lacking = (placeholder.margin_height() if placeholder is not None else 0.0) - pages[-2].free
    gained = 0.0
    for step in ladder:
        gained += step(pages, root)
        if gained >= lacking:
            break
    return gained > 0


def _colophon_alone(pages: list[Page]) -> bool:
    return len(pages) > 1 and pages[-1].colophon_only and any(
        "colophon" in _classes_of(element) for element in pages[-1].elements())


# A page too empty ---------------------------------------------------------------------------

def _fill_pages(pages: list[Page]) -> bool:
    """Let the block that opens each too-empty page's next page give way; whether anything did."""
    changed = False
    for page, following in zip(pages[:-1], pages[1:], strict=True):
        if page.free > EMPTIEST * page.height and following.leaves and not following.colophon_only:
            earlier = {id(element) for element in page.elements()}
            changed = _give_way(page, following, earlier) or changed
    return changed


def _give_way(page: Page, following: Page, earlier: set[int]) -> bool:
    """The first adjustment that can let the opening of `following` move back to `page`."""
    for box, ancestors in _opening(following):
        figure = next((a for a in ancestors if a.element_tag == "figure"), None)
        image = _replaced(box)
        if image is not None and figure is not None:
            if _shrink(image, figure, page.free, following.top):
                return True
            continue
        table = next((a for a in ancestors if a.element_tag == "table"), None)
        if table is not None and id(table.element) not in earlier and _restyle(table.element, "break-inside: auto"):
            return True
        paragraph = next((a for a in reversed(ancestors) if a.element_tag in ("p", "li")), None)
        if (paragraph is not None and id(paragraph.element) not in earlier
                and "item-unit" not in _classes(paragraph) and _restyle(paragraph.element, "widows: 1")):
            return True
    return _compact(following)


# The CSS the headings opening a page get when they, with the lines they keep, are a little too
# tall for the space left on the page before.
COMPACT = {"topic-title": "margin-top: 7pt", "item-title": "margin-top: 0; line-height: 1.3"}


def _compact(page: Page) -> bool:
    changed = False
    for box, ancestors in _opening(page):
        for element in (a.element for a in (*ancestors, box) if a.element is not None):
            for name in _classes_of(element):
                if name in COMPACT:
                    changed = _restyle(element, COMPACT[name]) or changed
    return changed


def _opening(page: Page) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """The leaves of a page up to its first line of body text: the block that could not stay on
    the page before (headings and titles are kept with what follows them)."""
    for box, ancestors in page.leaves:
        yield box, ancestors
        tags = {a.element_tag for a in ancestors} | {box.element_tag}
        if not tags & {"h1", "h2", "h3", "h4", "h5", "h6"} and "item-unit" not in _classes(box):
            return


def _replaced(box: Any) -> Any:
    """The image a leaf is (a block image) or holds (an image or chart set in a line)."""
    if isinstance(box, boxes.ReplacedBox):
        return box
    if isinstance(box, boxes.LineBox):
        return next((child for child in box.descendants() if isinstance(child, boxes.ReplacedBox)), None)
    return None


def _shrink(image: Any, figure: Any, free: float, top: float) -> bool:
    """Scale a figure's image or chart down, keeping its proportions, so that the figure and
    what comes before it on its page fit in the space left on the page before."""
    needed = figure.position_y + figure.margin_height() - top
    height = image.height - (needed - free) - TRUNCATED
    if height < max(SMALLEST_FIGURE, image.height / 2):
        return False
    scale = height / image.height
    return _restyle(image.element, f"width: {image.width * scale:.0f}px; height: {height:.0f}px; max-height: none")


# The 报尾 alone: the ladder --------------------------------------------------------------------

def _closer_colophon(pages: list[Page], root: Any) -> float:
    """1. The 报尾 comes closer to the last text (a third of a line's space instead of a line's),
    and its lines closer together (both copies: the one that keeps its place, and the one shown)."""
    gained = 0.0
    placeholder = _placeholder(pages)
    if placeholder is not None and _restyle(placeholder.element, "margin-top: 10pt"):
        gained += placeholder.margin_top - pt(10) + placeholder.height * (1 - 1.6 / 1.9)
    for element in root.iter("footer"):
        if "colophon" in _classes_of(element):
            _restyle(element, "line-height: 1.6")
    return gained


def _one_line_titles(pages: list[Page], root: Any, last: int = 2) -> float:
    """2. On the last two pages of text, a title set on two lines that is at most one character
    too long for one is set a little tighter on one line (not a title and its subtitle)."""
    gained = 0.0
    for page in _text_pages(pages)[-last:]:
        for element in page.elements():
            breaks = list(element)
            text = "".join(element.itertext())
            if ("item-title" in _classes_of(element) and len(breaks) == 1 and breaks[0].tag == "br"
                    and not _classes_of(breaks[0]) and width(text) <= TITLE_EMS + 1):
                _restyle(breaks[0], "display: none")
                if _restyle(element, f"letter-spacing: {22 * (TITLE_EMS - width(text)) / width(text):.2f}pt"):
                    gained += TITLE_LINE
    return gained


def _tighter_headings(pages: list[Page], root: Any) -> float:
    """3. On the last two pages of text, the space between items and above 栏目 headings and
    titles is halved."""
    return _tighten(_text_pages(pages)[-2:])


def _tighter_tails(pages: list[Page], root: Any, last: int = 2) -> float:
    """4. On the last two pages of text, a paragraph whose last line holds no more characters
    than the paragraph has other lines is set a little tighter (29 characters a line), so that
    its last line goes."""
    gained = 0.0
    text = _text_pages(pages)[-last:]
    for page, following in zip(text, [*text[1:], None], strict=True):
        continued = {id(element) for element in following.elements()} if following else set()
        for element, lines in _paragraph_lines(page):
            tail = len(lines[-1].strip())
            if (id(element) not in continued and len(lines) >= 2 and tail <= len(lines) - 1
                    and _restyle(element, f"letter-spacing: {TIGHT_LETTERS}")):
                gained += PITCH
    return gained


def _everywhere(pages: list[Page], root: Any) -> float:
    """5. Steps 2 to 4 on every page of the issue."""
    return (_one_line_titles(pages, root, len(pages)) + _tighten(pages)
            + _tighter_tails(pages, root, len(pages)))


# Each step changes the document and says how much height it expects to free, in px: steps are
# taken together until they should free what the 报尾 lacks, so that a long issue is laid out
# again as few times as it can be.
LADDER: tuple[Callable[[list[Page], Any], float], ...] = (
    _closer_colophon, _one_line_titles, _tighter_headings, _tighter_tails, _everywhere)


def pt(points: float) -> float:
    """Points in CSS px, the unit of WeasyPrint's boxes."""
    return points * 4 / 3


PITCH = pt(28.95)  # a line of body text (print.css --pitch)
TITLE_LINE = pt(22 * 1.45)  # a line of a title (print.css .item-title)
# The CSS each class of element gets when the spacing around headings is halved, and the px it frees.
TIGHTER = {"item": ("margin-top: 14pt", PITCH - pt(14)), "topic-title": ("margin-top: 14pt", PITCH - pt(14)),
           "item-title": ("margin-top: 0", pt(10))}


def _tighten(pages: list[Page]) -> float:
    gained = 0.0
    for page in pages:
        for element in page.elements():
            for name in _classes_of(element):
                if name in TIGHTER and _restyle(element, TIGHTER[name][0]):
                    gained += TIGHTER[name][1]
    return gained


def _text_pages(pages: list[Page]) -> list[Page]:
    return [page for page in pages if not page.colophon_only]


def _placeholder(pages: list[Page]) -> Any:
    """The box of the 报尾's copy that keeps its place in the flow, on the last page."""
    for _box, ancestors in pages[-1].leaves:
        for box in ancestors:
            if box.element_tag == "footer" and "colophon" in _classes(box):
                return box
    return None


def _paragraph_lines(page: Page) -> Iterator[tuple[Any, list[str]]]:
    """The body paragraphs on this page, with the text of each of their lines on it."""
    lines: dict[int, tuple[Any, list[str]]] = {}
    for box, ancestors in page.leaves:
        if isinstance(box, boxes.LineBox) and box.element_tag == "p" and not _classes(box):
            if any("item-body" in _classes(a) for a in ancestors):
                lines.setdefault(id(box.element), (box.element, []))[1].append(_text(box))
    yield from lines.values()


def _text(line: Any) -> str:
    return "".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox))


def _classes(box: Any) -> list[str]:
    return _classes_of(box.element) if box.element_tag else []


def _classes_of(element: Any) -> list[str]:
    return (element.get("class") or "").split() if element is not None else []


def _restyle(element: Any, declaration: str) -> bool:
    """Add a declaration to an element's style attribute; whether it was not there already."""
    style = element.get("style") or ""
    if declaration in style:
        return False
    element.set("style", f"{style}; {declaration}" if style else declaration)
    return True
