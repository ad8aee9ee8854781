"""Rebuilds: the PDF cache is never stale, unchanged files are kept, --jobs changes nothing.

That every kind of edit gives the bytes of a clean build is test_rebuild_equivalence.py's
property test (one of its examples is the sequence of edits once tested here by hand)."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from conftest import build_ok, item, run_briefgen, tree_hashes, write_bulletin

CACHE = ".briefgen-cache"


def small(root):
    return write_bulletin(root, {
        "content/w46/a.md": item("第46周第一篇", date="2026-11-10"),
        "content/w46/b.md": item("第46周第二篇", unit="市财政局", date="2026-11-11"),
        "content/w47/c.md": item("第47周第一篇", date="2026-11-17"),
        "content/w48/d.md": item("第48周第一篇", unit="江北区人民政府", date="2026-11-24"),
    })


def cache_entries(root):
    return sorted(p.name for p in (root / CACHE / "pdf").glob("*.pdf"))


@pytest.mark.slow
def test_an_unchanged_rebuild_uses_the_cache_and_keeps_every_file(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-search")
    entries = cache_entries(root)
    inodes = {p: p.stat().st_ino for p in (root / "output").rglob("*") if p.is_file()}

    build_ok(root, "--no-search")

    assert len(entries) == 3 and cache_entries(root) == entries
    assert {p: p.stat().st_ino for p in (root / "output").rglob("*") if p.is_file()} == inodes


@pytest.mark.slow
def test_one_edited_item_renders_one_pdf_and_keeps_the_other_files(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-search")
    before = cache_entries(root)
    out = root / "output"
    inode = {name: (out / "issues" / name).stat().st_ino for name in ("2026-W46.pdf", "2026-W47.pdf", "2026-W48.pdf")}

    (root / "content/w47/c.md").write_text(item("第47周第一篇（改了标题）", date="2026-11-17"), encoding="utf-8")
    build_ok(root, "--no-search")

    added = sorted(set(cache_entries(root)) - set(before))
    assert len(added) == 1
    assert (out / "issues" / "2026-W47.pdf").read_bytes() == (root / CACHE / "pdf" / added[0]).read_bytes()
    assert (out / "issues" / "2026-W47.pdf").stat().st_ino != inode["2026-W47.pdf"]
    assert (out / "issues" / "2026-W46.pdf").stat().st_ino == inode["2026-W46.pdf"]
    assert (out / "issues" / "2026-W48.pdf").stat().st_ino == inode["2026-W48.pdf"]


@pytest.mark.slow
def test_a_damaged_cache_entry_is_rendered_again(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-search")
    good = tree_hashes(root / "output")
    for pdf in (root / CACHE / "pdf").glob("*.pdf"):
        pdf.write_bytes(pdf.read_bytes()[:100])

    build_ok(root, "--no-search")

    assert tree_hashes(root / "output") == good


@pytest.mark.slow
def test_jobs_change_nothing_but_speed(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-search", "--jobs", "1", "--out", str(tmp_path / "one"))
    shutil.rmtree(root / CACHE)
    build_ok(root, "--no-search", "--jobs", "2", "--out", str(tmp_path / "two"))
    assert tree_hashes(tmp_path / "one") == tree_hashes(tmp_path / "two")


@pytest.mark.slow
def test_doctor_reports_engine_subsetting_fonts_and_cache(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-search")

    result = run_briefgen(root, "doctor")

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("：")[0] for line in lines if not line.startswith("    ")] == [
        "✓ WeasyPrint", "✓ Pango", "✓ HarfBuzz 字体子集化", "✓ 标题（小标宋）", "✓ 正文（仿宋）",
        "✓ 一级标题（黑体）", "✓ 编者按（楷体）", "✓ git", "✓ LibreOffice", "✓ 生成缓存"]
    assert "✓ HarfBuzz 字体子集化：可用" in lines
    assert "✓ LibreOffice：可用（briefgen import 能导入 .doc、.wps、.odt、.rtf）" in lines
    assert lines[4] == ("✓ 正文（仿宋）：FandolFang（免费替代字体；如需公文字体，把 仿宋_GB2312、"
                        "FangSong_GB2312、仿宋、FangSong 的字体文件放进 fonts/）")
    size = sum(p.stat().st_size for p in (root / CACHE).rglob("*") if p.is_file())
    assert lines[-1] == f"✓ 生成缓存：{CACHE}/ 共 {size / 1_000_000:.1f} MB（可随时删除）"


def test_doctor_says_what_import_cannot_do_without_libreoffice(tmp_path):
    root = small(tmp_path / "repo")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_briefgen(root, "doctor", env={**os.environ, "PATH": str(empty)})
    lines = result.stdout.splitlines()
    at = lines.index("! LibreOffice：找不到（briefgen import 只能导入 .docx）")
    assert lines[at + 1] == "    解决办法：sudo apt-get install --no-install-recommends libreoffice-writer-nogui"
    assert result.returncode == 0  # not needed to build


def test_doctor_names_an_official_font_from_the_fonts_folder(tmp_path):
    from test_fonts import make_official_font

    root = small(tmp_path / "repo")
    make_official_font(root / "fonts" / "FangSong_GB2312.otf", "测试")

    result = run_briefgen(root, "doctor")

    assert "✓ 正文（仿宋）：仿宋_GB2312（公文字体，来自 fonts/）" in result.stdout.splitlines()


@pytest.mark.slow
def test_cached_pdfs_no_build_used_for_30_days_are_removed(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-search")
    (root / "content/w47/c.md").write_text(item("第47周第一篇（改了标题）", date="2026-11-17"), encoding="utf-8")
    build_ok(root, "--no-search")
    assert len(cache_entries(root)) == 4  # the first W47 PDF is no longer used
    month_ago = time.time() - 31 * 86400
    for meta in (root / CACHE / "pdf").glob("*.json"):
        os.utime(meta, (month_ago, month_ago))
    (root / "content/w48/d.md").write_text(item("第48周第一篇（改）", unit="江北区人民政府", date="2026-11-24"),
                                           encoding="utf-8")

    build_ok(root, "--no-search")

    # Kept: the two this build took from the cache (using an entry renews it) and the new W48.
    assert len(cache_entries(root)) == 3
    assert sorted(p.stem for p in (root / CACHE / "pdf").glob("*.json")) == cache_entries_stems(root)


def cache_entries_stems(root):
    return sorted(p.stem for p in (root / CACHE / "pdf").glob("*.pdf"))
