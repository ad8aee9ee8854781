"""The WordprocessingML names the reader and the writer use, and a safe way to read an attribute."""

from __future__ import annotations

from typing import Any

Element = Any  # an lxml element: lxml ships no types

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = f"{{{W_NS}}}"
R = f"{{{R_NS}}}"
A = f"{{{A_NS}}}"
V = f"{{{V_NS}}}"
MC = f"{{{MC_NS}}}"


def attr(element: Element, name: str, ns: str = W) -> str:
    """The attribute w:name (or another namespace's), or "" when it is absent."""
    value = element.get(f"{ns}{name}")
    return str(value) if value is not None else ""


def on(element: Element | None) -> bool:
    """A toggle property such as <w:b/>, <w:b w:val="0"/>: present and not switched off."""
    return element is not None and attr(element, "val") not in ("0", "false", "off", "none")


def val(parent: Element | None, name: str) -> str:
    """The w:val of the child w:name of parent (<w:jc w:val="center"/>), or "" when there is none."""
    found = parent.find(f"{W}{name}") if parent is not None else None
    return attr(found, "val") if found is not None else ""
