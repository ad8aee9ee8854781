"""The document's defaults and its styles: every style briefgen sets made from a Look, its
paragraph and run properties replacing the template's, found by id in the XML."""

from __future__ import annotations

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle, StyleFactory

from briefgen.word.docx import (
    GB9704,
    LANGUAGE,
    WESTERN,
    Element,
    Look,
    apply_paragraph,
    apply_run,
    child,
    set_attributes,
)


def chinese(document: Document, font: str, size: float) -> None:
    """The document's defaults: this font in every slot, this size, East Asian text Chinese (zh-CN,
    so that a reader picks Chinese glyphs, not Japanese); no space after paragraphs."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    apply_run(rpr, Look(font=font, size=size))
    language = child(rpr, "w:lang")
    language.attrib.clear()
    set_attributes(language, w_val=WESTERN, w_eastAsia=LANGUAGE, w_bidi="ar-SA")
    ppr_default = child(defaults, "w:pPrDefault")
    for old in ppr_default.findall(qn("w:pPr")):
        ppr_default.remove(old)
    ppr = OxmlElement("w:pPr")
    ppr_default.append(ppr)
    set_attributes(child(ppr, "w:spacing"), w_after=0, w_line=240, w_lineRule="auto")
    for fonts in styles.iter(qn("w:rFonts")):  # a theme's font wins over a name: none is left to win
        for name in [name for name in fonts.attrib if name.endswith("Theme")]:
            del fonts.attrib[name]
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.attrib.clear()
        set_attributes(theme, w_val=LANGUAGE, w_eastAsia=LANGUAGE)


def style(document: Document, style_id: str, name: str, look: Look, based_on: str = "Normal",
          kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> BaseStyle:
    """The style of this id, made when the document has none, with look in place of whatever
    the template gave it (its paragraph and run properties are replaced, not merged). Found by
    its id in the XML: python-docx's lookups wrap every style of the template each time."""
    styles = document.styles.element
    element = _style_element(styles, style_id)
    if element is None:
        builtin = name[:1].islower()  # "heading 1", "footnote text": Word's own names
        element = styles.add_style_of_type(name, kind, builtin)
        element.styleId = style_id
    for tag in ("w:pPr", "w:rPr"):
        old = element.find(qn(tag))
        if old is not None:
            element.remove(old)
    found = StyleFactory(element)
    if style_id != based_on:
        element.basedOn_val = based_on
    found.hidden, found.quick_style = False, True
    if kind == WD_STYLE_TYPE.PARAGRAPH:
        apply_paragraph(element, look, look.size or GB9704.size)
    apply_run(element, look)
    return found


def _style_element(styles: Element, style_id: str) -> Element | None:
    return next((element for element in styles.iterchildren(qn("w:style"))
                 if element.get(qn("w:styleId")) == style_id), None)
