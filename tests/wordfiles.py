"""Reading the Word files briefgen writes, independently of briefgen's code: the XML of a .docx
with the standard library, its text, and LibreOffice as the real consumer that turns it into a
PDF for poppler to read back."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SOFFICE_SECONDS = 120


def w(name: str) -> str:
    """The qualified name of w:name, as ElementTree spells it."""
    return f"{{{W}}}{name}"


def part(path: Path, member: str) -> ET.Element:
    """One XML part of a .docx (word/document.xml, word/styles.xml ...), parsed."""
    with zipfile.ZipFile(path) as docx:
        return ET.fromstring(docx.read(member))


def members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as docx:
        return docx.namelist()


def text_of(element: ET.Element) -> str:
    """The text of an element as Word shows it: each run's w:t, a tab for its w:tab (not a tab
    stop of the paragraph's), a line break for its w:br."""
    pieces = []
    runs = [element] if element.tag == w("r") else element.iter(w("r"))
    for run in runs:
        for node in run:
            if node.tag == w("t"):
                pieces.append(node.text or "")
            elif node.tag == w("tab"):
                pieces.append("\t")
            elif node.tag == w("br"):
                pieces.append("\n")
    return "".join(pieces)


def body_paragraphs(path: Path) -> list[ET.Element]:
    """The paragraphs directly in the body (not in tables), in order."""
    return part(path, "word/document.xml").find("w:body", NS).findall("w:p", NS)


def flat(text: str) -> str:
    return "".join(text.split())


def all_text(path: Path) -> tuple[str, str]:
    """The whole text of the body and of the footnotes, without white space."""
    body = flat(text_of(part(path, "word/document.xml")))
    notes = flat(text_of(part(path, "word/footnotes.xml"))) if "word/footnotes.xml" in members(path) else ""
    return body, notes


def style(styles: ET.Element, style_id: str) -> ET.Element:
    found = [s for s in styles.findall("w:style", NS) if s.get(w("styleId")) == style_id]
    assert len(found) == 1, style_id
    return found[0]


def attributes(element: ET.Element | None) -> dict[str, str]:
    """An element's attributes without their namespace."""
    assert element is not None
    return {key.split("}")[-1]: value for key, value in element.attrib.items()}


def soffice() -> str:
    """LibreOffice's program; a failure, not a skip, where it is missing (make test installs it)."""
    found = shutil.which("soffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) 没有安装：这些测试用它打开 briefgen 写的 Word 文件。"
                    "运行 scripts/system-packages --test（make test 会运行它）安装 libreoffice-writer-nogui。")
    return found


def office_pdfs(files: list[Path], folder: Path) -> dict[Path, Path]:
    """Each .docx converted to PDF by LibreOffice, in one run (each start costs a second or two),
    with a profile of its own (two runs on one profile, as two test workers would, collide)."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [soffice(), "--headless", f"-env:UserInstallation={Path(profile).as_uri()}", "--convert-to", "pdf",
             "--outdir", str(folder), *map(str, files)],
            capture_output=True, text=True, timeout=SOFFICE_SECONDS, check=False)
    converted = {file: folder / f"{file.stem}.pdf" for file in files}
    missing = [str(file) for file, pdf in converted.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice did not convert {missing}:\n{result.stdout}\n{result.stderr}"
    return converted
