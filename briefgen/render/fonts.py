"""Fonts: the bulletin repository's own fonts/ folder, and characters no font covers."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


def font_files(fonts_dir: Path) -> list[Path]:
    """The font files an office has put in its repository's fonts/ folder."""
    if not fonts_dir.is_dir():
        return []
    return sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def family_names(path: Path) -> list[str]:
    """Every family name a font file declares (English and Chinese), e.g. 仿宋_GB2312 and FangSong_GB2312."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        font = TTCollection(path, lazy=True).fonts[0] if path.suffix.lower() == ".ttc" else TTFont(path, lazy=True)
        records = font["name"].names
    except Exception:  # fontTools raises many kinds of errors for a damaged file
        return []
    names = []
    for record in records:
        if record.nameID in (1, 16):
            try:
                name = record.toUnicode().strip()
            except UnicodeDecodeError:
                continue
            if name and name not in names:
                names.append(name)
    return names


def font_face_css(fonts_dir: Path) -> str:
    """@font-face rules that make the fonts in fonts/ available under each of their names."""
    rules = []
    for path in font_files(fonts_dir):
        for name in family_names(path):
            family = name.replace("\\", "").replace('"', "")
            rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.resolve().as_uri()}"); }}')
    return "\n".join(rules)


@functools.lru_cache(maxsize=1)
def installed_fonts() -> tuple[tuple[str, str, str], ...] | None:
    """(file and index, family names, charset) of every installed font, sorted; None without
    fontconfig. One fc-list serves the coverage check, the cache key and doctor."""
    if shutil.which("fc-list") is None:
        return None
    output = subprocess.run(["fc-list", "--format", "%{file}:%{index}\t%{family}\t%{charset}\n"],
                            capture_output=True, text=True, check=False).stdout
    fonts = []
    for line in output.splitlines():
        if line.count("\t") == 2:
            where, families, charset = line.split("\t")
            fonts.append((where, families, charset))
    return tuple(sorted(fonts))


@functools.lru_cache(maxsize=1)
def system_coverage() -> frozenset[int] | None:
    """Code points covered by at least one installed font, or None when fontconfig can't tell."""
    fonts = installed_fonts()
    if fonts is None:
        return None
    covered: set[int] = set()
    for token in " ".join(charset for _, _, charset in fonts).split():
        low, _, high = token.partition("-")
        try:
            covered.update(range(int(low, 16), int(high or low, 16) + 1))
        except ValueError:
            continue
    return frozenset(covered)


def file_coverage(paths: list[Path]) -> frozenset[int]:
    """Code points covered by the given font files."""
    from fontTools.ttLib import TTCollection, TTFont

    covered: set[int] = set()
    for path in paths:
        try:
            fonts = TTCollection(path, lazy=True).fonts if path.suffix.lower() == ".ttc" else [TTFont(path, lazy=True)]
            for font in fonts:
                covered.update(font.getBestCmap() or {})
        except Exception:  # a damaged file: reported by the build, contributes nothing
            continue
    return frozenset(covered)


def uncovered(text: str, covered: frozenset[int]) -> list[str]:
    """The distinct characters of text, in order of appearance, that no font covers."""
    # Set arithmetic first: an item has a thousand characters and usually none missing.
    absent = {char for char in set(text) if ord(char) > 0x7E and not char.isspace()
              and ord(char) not in covered}
    return sorted(absent, key=text.index)
