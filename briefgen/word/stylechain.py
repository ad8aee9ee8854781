"""What a paragraph's or a run's style gives it, from word/styles.xml: alignment, outline level,
numbering, bold, italic and size, each followed up the w:basedOn chain to the document defaults."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.word.xml import Element, W, attr, on, val

HEADING_NAMES = {f"heading {n}": n for n in range(1, 10)}
TITLE_NAMES = {"title", "标题"}


@dataclass(frozen=True)
class Style:
    name: str = ""
    based_on: str = ""
    align: str = ""
    outline: int | None = None  # 0-based w:outlineLvl
    num_id: str | None = None
    ilvl: int | None = None
    bold: bool | None = None
    italic: bool | None = None
    size: float | None = None  # points


def _toggle(rpr: Element | None, name: str) -> bool | None:
    if rpr is None:
        return None
    found = rpr.find(f"{W}{name}")
    return None if found is None else on(found)


def run_size(rpr: Element | None) -> float | None:
    if rpr is None:
        return None
    found = rpr.find(f"{W}sz")
    value = attr(found, "val") if found is not None else ""
    return int(value) / 2 if value.isdigit() else None


def paragraph_numbering(ppr: Element | None) -> tuple[str | None, int | None]:
    """(w:numId, w:ilvl) written in these paragraph properties; each None when absent."""
    numpr = ppr.find(f"{W}numPr") if ppr is not None else None
    if numpr is None:
        return None, None
    num = numpr.find(f"{W}numId")
    lvl = numpr.find(f"{W}ilvl")
    ilvl = attr(lvl, "val") if lvl is not None else ""
    return (attr(num, "val") if num is not None else None), (int(ilvl) if ilvl.isdigit() else None)


def _style(element: Element) -> Style:
    ppr = element.find(f"{W}pPr")
    rpr = element.find(f"{W}rPr")
    outline = val(ppr, "outlineLvl")
    num_id, ilvl = paragraph_numbering(ppr)
    return Style(
        name=val(element, "name"), based_on=val(element, "basedOn"), align=val(ppr, "jc"),
        outline=int(outline) if outline.isdigit() else None, num_id=num_id, ilvl=ilvl,
        bold=_toggle(rpr, "b"), italic=_toggle(rpr, "i"), size=run_size(rpr),
    )


class Styles:
    """The styles of one document, each looked up with what it inherits."""

    def __init__(self, root: Element | None) -> None:
        self._own: dict[str, Style] = {}
        self._resolved: dict[str, Style] = {}
        self.default_paragraph = ""
        self.defaults = Style()
        if root is None:
            return
        for element in root.iterfind(f"{W}style"):
            style_id = attr(element, "styleId")
            self._own[style_id] = _style(element)
            if attr(element, "type") == "paragraph" and attr(element, "default") in ("1", "true"):
                self.default_paragraph = style_id
        rpr = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.defaults = Style(size=run_size(rpr), bold=_toggle(rpr, "b"), italic=_toggle(rpr, "i"))

    def get(self, style_id: str) -> Style:
        """The style with every property it does not set taken from the style it is based on."""
        if style_id in self._resolved:
            return self._resolved[style_id]
        chain: list[Style] = []
        seen: set[str] = set()
        current = style_id
        while current and current in self._own and current not in seen:
            seen.add(current)
            chain.append(self._own[current])
            current = self._own[current].based_on
        merged = self.defaults
        for style in reversed(chain):
            merged = Style(
                name=style.name, based_on=style.based_on, align=style.align or merged.align,
                outline=style.outline if style.outline is not None else merged.outline,
                num_id=style.num_id if style.num_id is not None else merged.num_id,
                ilvl=style.ilvl if style.ilvl is not None else merged.ilvl,
                bold=style.bold if style.bold is not None else merged.bold,
                italic=style.italic if style.italic is not None else merged.italic,
                size=style.size if style.size is not None else merged.size,
            )
        self._resolved[style_id] = merged
        return merged

    def heading_level(self, style_id: str) -> int:
        """1–9 for a heading style (by outline level or by the built-in name), else 0."""
        style = self.get(style_id)
        if style.outline is not None and style.outline < 9:
            return style.outline + 1
        return HEADING_NAMES.get(style.name.lower(), 0)

    def is_title(self, style_id: str) -> bool:
        return self.get(style_id).name.lower() in TITLE_NAMES or style_id.lower() == "title"

    def lists(self) -> dict[str, tuple[str, int | None]]:
        """style id -> (numId, ilvl) for each style that numbers its paragraphs."""
        found = {}
        for style_id in self._own:
            style = self.get(style_id)
            if style.num_id is not None:
                found[style_id] = (style.num_id, style.ilvl)
        return found
