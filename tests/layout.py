"""Reading a PDF's layout back from its text boxes (pdftotext -bbox-layout), to test what a
reader sees: where lines fall on each page."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4  # points
TEXT_TOP, TEXT_BOTTOM = 37 * MM, (297 - 35) * MM  # the text block of print.css, in points
COLOPHON_STARTS = ("报：", "送：", "发：", "抄送：", "本期增发：", "责任编辑", "签发", "（共印")
NS = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def pdf_lines(pdf: Path) -> list[list[Line]]:
    """The lines of text on each page, top to bottom, without the page numbers in the margin."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    pages = []
    for page in ET.fromstring(xml).iter(f"{NS}page"):
        lines = []
        for line in page.iter(f"{NS}line"):
            words = [w.text or "" for w in line.iter(f"{NS}word")]
            box = [float(line.get(k) or 0) for k in ("xMin", "yMin", "xMax", "yMax")]
            if box[1] < TEXT_BOTTOM:  # the page number sits below the text block
                lines.append(Line("".join(words), *box))
        pages.append(sorted(lines, key=lambda line: (line.top, line.left)))
    return pages


def empty_share(lines: list[Line]) -> float:
    """The share of the text block below a page's last line."""
    bottom = max((line.bottom for line in lines), default=TEXT_TOP)
    return max(0.0, (TEXT_BOTTOM - bottom) / (TEXT_BOTTOM - TEXT_TOP))


def colophon_only(lines: list[Line]) -> bool:
    """Whether a page holds nothing but the 报尾."""
    return bool(lines) and all(line.text.startswith(COLOPHON_STARTS) for line in lines)


def title_lines(lines: list[Line], size: float = 22) -> list[str]:
    """The lines set in a title's size (their boxes are about 1.45 times the size tall)."""
    return [line.text for line in lines if size * 1.3 < line.height < size * 1.7]


def ink_empty_shares(pdf: Path, folder: Path) -> list[float]:
    """For each page, the share of the text block below its last mark of ink: text, images and
    charts alike (a chart's text is drawn as paths, which pdftotext cannot see). Read from a
    grey rendering of the pages at 20 dpi (pdftoppm)."""
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), str(folder / "page")], check=True)
    shares = []
    for image in sorted(folder.glob("page-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
        data = image.read_bytes()
        magic, width, height, _depth, pixels = data.split(maxsplit=4)
        assert magic == b"P5"
        columns, rows = int(width), int(height)
        top, bottom = round(rows * 37 / 297), round(rows * (297 - 35) / 297)
        inked = [row for row in range(top, bottom)
                 if min(pixels[row * columns:(row + 1) * columns]) < 160]
        shares.append((bottom - (max(inked) + 1 if inked else top)) / (bottom - top))
    return shares
