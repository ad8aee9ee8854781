"""Fonts: an official font placed in fonts/ is used first, the free substitutes after it are
named, and missing glyphs are reported."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import FONTS_LINE, PROJECT, build_ok, item, pdf_fonts, write_bulletin
from fontTools import subset
from fontTools.ttLib import TTFont

from briefgen.commands.doctor import role_finding
from briefgen.render.fontroles import role_fonts, substitutes_line

BODY = "市教育局组织开展教研活动。\n"
TITLE = "市教育局开展教研活动"
PRINT_CSS = (PROJECT / "templates" / "print" / "print.css").read_text(encoding="utf-8")
# The free fonts scripts/system-packages installs, and the official ones, as fontconfig names them.
FREE = {"FandolFang", "FandolFang R", "FandolKai", "Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"}
OFFICIAL = {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"}


def line(installed: set[str], bundled: frozenset[str] = frozenset()) -> str:
    return substitutes_line(role_fonts(PRINT_CSS, installed, set(bundled)))


def test_the_free_fonts_used_instead_of_the_official_ones_are_named_in_one_line():
    assert line(FREE) + "\n" == FONTS_LINE
    assert line(FREE) == (
        "字体：标题（小标宋）用 Noto Serif CJK SC 代替方正小标宋简体，正文（仿宋）用 FandolFang 代替仿宋_GB2312，"
        "一级标题（黑体）用 Noto Sans CJK SC 代替黑体，编者按（楷体）用 FandolKai 代替楷体_GB2312；"
        "把正式字体文件放进 fonts/ 即可改用。")


def test_without_the_fandol_fonts_the_body_and_kai_lines_name_the_noto_and_ukai_fallbacks():
    assert line({"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"}) == (
        "字体：标题（小标宋）用 Noto Serif CJK SC 代替方正小标宋简体，正文（仿宋）用 Noto Serif CJK SC 代替仿宋_GB2312，"
        "一级标题（黑体）用 Noto Sans CJK SC 代替黑体，编者按（楷体）用 AR PL UKai CN 代替楷体_GB2312；"
        "把正式字体文件放进 fonts/ 即可改用。")


def test_a_role_with_no_font_at_all_falls_to_the_system_default():
    assert line({"FandolFang", "FandolKai", "Noto Sans CJK SC"}) == (
        "字体：标题（小标宋）用系统默认字体代替方正小标宋简体，正文（仿宋）用 FandolFang 代替仿宋_GB2312，"
        "一级标题（黑体）用 Noto Sans CJK SC 代替黑体，编者按（楷体）用 FandolKai 代替楷体_GB2312；"
        "把正式字体文件放进 fonts/ 即可改用。")


def test_official_fonts_in_the_fonts_folder_or_installed_leave_only_the_other_roles():
    assert line(FREE, frozenset({"仿宋_GB2312", "FangSong_GB2312"})) == (
        "字体：标题（小标宋）用 Noto Serif CJK SC 代替方正小标宋简体，一级标题（黑体）用 Noto Sans CJK SC 代替黑体，"
        "编者按（楷体）用 FandolKai 代替楷体_GB2312；把正式字体文件放进 fonts/ 即可改用。")
    assert line(FREE | {"SimHei"}, frozenset({"方正小标宋简体"})) == (
        "字体：正文（仿宋）用 FandolFang 代替仿宋_GB2312，编者按（楷体）用 FandolKai 代替楷体_GB2312；"
        "把正式字体文件放进 fonts/ 即可改用。")


def test_no_line_when_every_role_has_its_official_font():
    assert line(FREE, frozenset(OFFICIAL)) == ""
    assert line(FREE | OFFICIAL) == ""


def test_doctor_names_the_closer_free_font_when_only_the_noto_fallback_is_installed():
    roles = role_fonts(PRINT_CSS, {"Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN"}, set())

    assert [str(role_finding(role)) for role in roles] == [
        "✓ 标题（小标宋）：Noto Serif CJK SC（免费替代字体；如需公文字体，把 方正小标宋简体、FZXiaoBiaoSong-B05S 的字体文件放进 fonts/）",
        "! 正文（仿宋）：Noto Serif CJK SC（免费替代字体；如需公文字体，把 仿宋_GB2312、FangSong_GB2312、仿宋、FangSong "
        "的字体文件放进 fonts/）；更接近的免费字体 FandolFang 没有安装\n"
        "    解决办法：把 FandolFang 的字体文件放进 fonts/（Fandol 字体在 TeX Live 中，Debian 的 texlive-lang-chinese "
        "包里有；在 briefgen 的源码目录中以管理员身份运行 scripts/system-packages 即可安装）",
        "✓ 一级标题（黑体）：Noto Sans CJK SC（免费替代字体；如需公文字体，把 黑体、SimHei 的字体文件放进 fonts/）",
        "! 编者按（楷体）：AR PL UKai CN（免费替代字体；如需公文字体，把 楷体_GB2312、KaiTi_GB2312、楷体、KaiTi "
        "的字体文件放进 fonts/）；更接近的免费字体 FandolKai 没有安装\n"
        "    解决办法：把 FandolKai 的字体文件放进 fonts/（Fandol 字体在 TeX Live 中，Debian 的 texlive-lang-chinese "
        "包里有；在 briefgen 的源码目录中以管理员身份运行 scripts/system-packages 即可安装）",
    ]
    assert not any(role_finding(role).needed and not role_finding(role).ok for role in roles)  # exit 0


def test_doctor_names_an_official_font_and_a_missing_role():
    roles = role_fonts(PRINT_CSS, {"黑体", "FandolFang"}, set())

    assert str(role_finding(roles[2])) == "✓ 一级标题（黑体）：黑体（公文字体）"
    assert str(role_finding(roles[0])) == (
        "✗ 标题（小标宋）：方正小标宋简体、FZXiaoBiaoSong-B05S、Noto Serif CJK SC 都没有安装\n"
        "    解决办法：sudo apt-get install --no-install-recommends fonts-noto-cjk fonts-arphic-ukai，或把字体文件放进 fonts/")


def test_no_line_for_a_stylesheet_that_names_no_official_font():
    css = ('html { --serif: "FandolFang", serif; --sans: "Noto Sans CJK SC", sans-serif; '
           '--kai: "FandolKai", serif; --title: "Noto Serif CJK SC", serif; }')
    assert substitutes_line(role_fonts(css, FREE, set())) == ""


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

    result = build_ok(root, "--no-search", "--no-html")

    names = [row.name for row in pdf_fonts(root / "output" / "issues" / "2026-W46.pdf")]
    assert any(name.endswith("+FangSong_GB2312") for name in names), names
    assert result.stderr == FONTS_LINE.replace("正文（仿宋）用 FandolFang 代替仿宋_GB2312，", "")


@pytest.mark.slow
def test_without_fonts_folder_the_free_fonts_are_used_and_named(tmp_path):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item(title=TITLE, body=BODY, 按语="供参阅。")})

    result = build_ok(root, "--no-search", "--no-html")

    assert result.stderr == FONTS_LINE
    names = sorted(row.name.split("+", 1)[-1] for row in pdf_fonts(root / "output" / "issues" / "2026-W46.pdf"))
    # The body and the page numbers in FandolFang, the unit line and the note in FandolKai, the
    # title in Noto Serif CJK SC Bold, the masthead's mark in Noto Sans CJK SC.
    assert names == ["FandolFang", "FandolKai", "Noto-Sans-CJK-SC", "Noto-Serif-CJK-SC-Bold"], names


@pytest.mark.slow
def test_a_character_the_fandol_fonts_lack_comes_from_noto(tmp_path):
    """CSS font fallback is per character: 镕 is not in GB2312, nor in FandolFang."""
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item(title=TITLE, body="朱镕同志出席会议。\n")})

    build_ok(root, "--no-search", "--no-html")

    names = {row.name.split("+", 1)[-1] for row in pdf_fonts(root / "output" / "issues" / "2026-W46.pdf")}
    assert {"FandolFang", "Noto-Serif-CJK-SC"} <= names, names


@pytest.mark.slow
def test_a_build_with_nothing_to_do_names_the_free_fonts_again(tmp_path):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item(title=TITLE, body=BODY)})
    build_ok(root, "--no-search")

    again = build_ok(root, "--no-search")

    assert "重新排版 0 份" in again.stdout, again.stdout
    assert again.stderr == FONTS_LINE


def test_a_build_without_pdfs_says_nothing_of_fonts(tmp_path):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item(title=TITLE, body=BODY)})

    result = build_ok(root, "--no-search", "--no-pdf")

    assert result.stderr == ""


@pytest.mark.slow
def test_damaged_font_file_is_reported_and_ignored(tmp_path):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item(title=TITLE, body=BODY),
                                              "fonts/broken.ttf": b"not a font"})

    result = build_ok(root, "--no-search", "--no-html")

    assert result.stderr == ("fonts/broken.ttf: warning: 无法读取这个字体文件，已忽略；请确认它是完整的 .ttf、.otf 或 .ttc 字体\n"
                             + FONTS_LINE)
    names = [row.name for row in pdf_fonts(root / "output" / "issues" / "2026-W46.pdf")]
    assert any(name.endswith("+FandolFang") for name in names), names
