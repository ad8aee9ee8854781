"""Fonts: an official font placed in fonts/ is used first, and missing glyphs are reported."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import build_ok, item, pdf_fonts, write_bulletin
from fontTools import subset
from fontTools.ttLib import TTFont

BODY = "市教育局组织开展教研活动。\n"
TITLE = "市教育局开展教研活动"


def make_official_font(target: Path, chars: str) -> None:
    """A stand-in for 仿宋_GB2312: the Noto Serif CJK SC glyphs of chars under the official names."""
    found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", "Noto Serif CJK SC"],
                           capture_output=True, text=True, check=True).stdout.split("\n")
    font = TTFont(found[0], fontNumber=int(found[1]))
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName("仿宋_GB2312" if record.langID == 0x804 else "FangSong_GB2312",
                          record.nameID, record.platformID, record.platEncID, record.langID)
        elif record.nameID == 6:
            names.setName("FangSong_GB2312", 6, record.platformID, record.platEncID, record.langID)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


@pytest.mark.slow
def test_font_in_fonts_folder_is_embedded_before_the_free_fallback(tmp_path):
    root = write_bulletin(tmp_path / "repo", {
        "content/a.md": item(title=TITLE, body=BODY),
    })
    make_official_font(root / "fonts" / "FangSong_GB2312.otf", TITLE + BODY + "（）")

    build_ok(root, "--no-search", "--no-html")

    names = [row.name for row in pdf_fonts(root / "output" / "issues" / "2026-W46.pdf")]
    assert any(name.endswith("+FangSong_GB2312") for name in names), names


@pytest.mark.slow
def test_without_fonts_folder_the_free_serif_is_used(tmp_path):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item(title=TITLE, body=BODY)})

    build_ok(root, "--no-search", "--no-html")

    names = [row.name for row in pdf_fonts(root / "output" / "issues" / "2026-W46.pdf")]
    assert not any("FangSong" in name for name in names), names
    assert any(name.endswith("+Noto-Serif-CJK-SC") for name in names), names


@pytest.mark.slow
def test_damaged_font_file_is_reported_and_ignored(tmp_path):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item(title=TITLE, body=BODY),
                                              "fonts/broken.ttf": b"not a font"})

    result = build_ok(root, "--no-search", "--no-html")

    assert result.stderr == "fonts/broken.ttf: warning: 无法读取这个字体文件，已忽略；请确认它是完整的 .ttf、.otf 或 .ttc 字体\n"
    names = [row.name for row in pdf_fonts(root / "output" / "issues" / "2026-W46.pdf")]
    assert any(name.endswith("+Noto-Serif-CJK-SC") for name in names), names
