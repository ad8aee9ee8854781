"""A full disk, a read-only folder and an output folder that is a mount point: each is named in
Chinese, leaves the previous output and archive/ as they were, and leaves no partial file.

These tests mount small tmpfs file systems, which needs root (as in CI); elsewhere they skip."""

from __future__ import annotations

import errno
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import build_ok, item, run_briefgen, tree_hashes, write_bulletin

MOUNTED: list[Path] = []


def mount(folder: Path, size: str, *options: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(folder)],
                            capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode(errors='replace').strip()}")
    MOUNTED.append(folder)
    return folder


@pytest.fixture(autouse=True)
def unmount() -> Iterator[None]:
    yield
    while MOUNTED:
        subprocess.run(["umount", "-l", str(MOUNTED.pop())], check=False)


def fill(folder: Path) -> None:
    """Use up every free byte of folder's file system."""
    with open(folder / "filler", "wb", buffering=0) as stream:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    stream.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC


def partial_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.name.endswith(".tmp") or p.name.startswith("tree-"))


def bulletin(root: Path) -> Path:
    return write_bulletin(root, {"content/w46/a.md": item("第46周的稿件", date="2026-11-10")})


def test_a_full_disk_during_a_build(tmp_path):
    disk = mount(tmp_path / "disk", "8m")
    root = bulletin(disk / "repo")
    build_ok(root, "--no-pdf", "--no-search")
    before = tree_hashes(root / "output")
    (root / "content/w46/a.md").write_text(item("第46周的稿件（改）", date="2026-11-10"), encoding="utf-8")
    fill(disk)

    result = run_briefgen(root, "build", "--no-pdf", "--no-search")

    assert result.returncode == 1
    assert re.fullmatch(r"briefgen: 磁盘空间不足，无法写入 (output|\.briefgen-cache)(/[a-z]+)?；请清理磁盘空间后再运行。"
                        r"output/ 保持上次的内容。\n", result.stderr), result.stderr
    assert tree_hashes(root / "output") == before
    assert partial_files(root) == []
    (disk / "filler").unlink()
    build_ok(root, "--no-pdf", "--no-search")
    assert "第46周的稿件（改）" in (root / "output" / "items" / "a.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_full_disk_during_publish(tmp_path):
    disk = mount(tmp_path / "disk", "8m")
    root = bulletin(disk / "repo")
    assert run_briefgen(root, "check").returncode == 0
    (root / "archive").mkdir()
    fill(disk)

    result = run_briefgen(root, "publish", "2026-W46")

    assert (result.returncode, result.stderr) == (
        1, "briefgen: 磁盘空间不足，无法写入 archive；请清理磁盘空间后再运行。未发布；published.yaml 没有改动。\n")
    assert list((root / "archive").iterdir()) == []
    assert not (root / "published.yaml").exists()
    assert partial_files(root) == []


def test_a_read_only_output_folder(tmp_path):
    root = bulletin(tmp_path / "repo")
    out = mount(root / "output", "4m")
    build_ok(root, "--no-pdf", "--no-search")
    before = tree_hashes(out)
    subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
    (root / "content/w46/a.md").write_text(item("第46周的稿件（改）", date="2026-11-10"), encoding="utf-8")

    result = run_briefgen(root, "build", "--no-pdf", "--no-search")

    assert (result.returncode, result.stderr) == (
        1, "briefgen: 无法写入 output：它所在的磁盘是只读的；请换一个可写的目录，或请管理员把它改为可写。"
           "output/ 保持上次的内容。\n")
    assert tree_hashes(out) == before


def test_an_output_folder_that_is_a_mount_point_is_updated_in_place(tmp_path):
    root = bulletin(tmp_path / "repo")
    out = mount(root / "output", "4m")
    clean = bulletin(tmp_path / "clean")
    for title in ("第46周的稿件", "第46周的稿件（改）"):
        for repo in (root, clean):
            (repo / "content/w46/a.md").write_text(item(title, date="2026-11-10"), encoding="utf-8")
            build_ok(repo, "--no-pdf", "--no-search")
        assert tree_hashes(out) == tree_hashes(clean / "output")
    (root / "content/w46/b.md").write_text(item("第46周的第二篇", date="2026-11-11"), encoding="utf-8")
    (root / "content/w46/a.md").unlink()
    build_ok(root, "--no-pdf", "--no-search")
    assert sorted(p.name for p in (out / "items").iterdir()) == ["b.html"]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".briefgen-output"]


def test_a_full_disk_in_an_output_mount_point_changes_nothing(tmp_path):
    """In place, every new file is written before any is put in place: a full disk fails first."""
    root = bulletin(tmp_path / "repo")
    out = mount(root / "output", "1m")
    build_ok(root, "--no-pdf", "--no-search")
    before = tree_hashes(out)
    paragraph = "今天召开会议，部署信息报送工作，要求各单位确定一名信息员，每周至少报送一篇信息。" * 30
    # Each about 300 KB, in the page and in the item's: 1.2 MB new, more than the 1 MB disk
    # holds whatever the size of the other pages (at 200 KB each it hung on a few KB of them).
    for name in ("big", "long"):
        (root / f"content/w46/{name}.md").write_text(
            item(f"很长的稿件 {name}", date="2026-11-11", body=f"{name}\n\n" + (paragraph + "\n\n") * 80),
            encoding="utf-8")

    result = run_briefgen(root, "build", "--no-pdf", "--no-search")

    assert result.returncode == 1
    assert re.fullmatch(r"briefgen: 磁盘空间不足，无法写入 output(/[a-z]+)?；请清理磁盘空间后再运行。"
                        r"output/ 保持上次的内容。\n", result.stderr), result.stderr
    assert tree_hashes(out) == before
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".briefgen-output"]
