"""What a preview keeps from one build for the next (incremental.warm): the build after a saved
file reads only that file and the cache shard it is in, leaves the item cache whole for the next
command, and never uses what it kept once it no longer matches what is on disk."""

from __future__ import annotations

import os
import time
import zlib
from pathlib import Path

import pytest
from conftest import item, run_briefgen, write_bulletin

from briefgen.commands.build import BuildOptions, build
from briefgen.config.settings import load_config
from briefgen.incremental.itemcache import ItemCache
from briefgen.incremental.manifest import Manifest
from briefgen.incremental.warm import Warm

TITLES = ("市教育局开展教研活动", "市财政局完成预算编制", "市教育局推进课后服务", "市财政局盘活存量资金",
          "市教育局举办校长论坛", "市财政局开展绩效评价")
DAYS = ("2026-11-10", "2026-11-11", "2026-11-12", "2026-11-17", "2026-11-18", "2026-11-19")
# content/n114.md is stored in the shard of content/n3.md: when n3 changes, that shard is written
# again, and n114, which the build did not read, must stay in it.
FILES = tuple(f"content/n{n}.md" for n in (1, 2, 3, 4, 5, 114))


def shard(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % ItemCache.SHARDS


@pytest.fixture
def bulletin(tmp_path: Path) -> Path:
    """Six items, written a minute ago (settled: a build may keep what it read of them)."""
    files = {rel: item(title, "市教育局" if "教育" in title else "市财政局", day)
             for rel, title, day in zip(FILES, TITLES, DAYS, strict=True)}
    root = write_bulletin(tmp_path / "repo", files)
    past = time.time() - 60
    for rel in files:
        os.utime(root / rel, (past, past))
    return root


def preview_build(root: Path, warm: Warm) -> None:
    build(load_config(root), BuildOptions(pdf=False, out=root / "output", drafts=True), warm=warm)


def shards_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    read: list[int] = []
    original = ItemCache._read

    def recording(self: ItemCache, number: int) -> dict:
        read.append(number)
        return original(self, number)
    monkeypatch.setattr(ItemCache, "_read", recording)
    return read


def test_the_build_after_a_save_reads_only_that_file_and_its_shard(bulletin, monkeypatch):
    warm = Warm()
    preview_build(bulletin, warm)
    assert set(warm.items) == set(FILES)
    read = shards_read(monkeypatch)
    edited = bulletin / "content/n2.md"
    edited.write_text(item(TITLES[1], "市财政局", DAYS[1], body="预算编制提前一个月完成。\n"), encoding="utf-8")

    preview_build(bulletin, warm)

    assert read == [shard("content/n2.md")]
    page = (bulletin / "output/items/n2.html").read_text(encoding="utf-8")
    assert "预算编制提前一个月完成。" in page
    # Edited just now: not kept, so that a write within the same tick of its time is not missed.
    assert "content/n2.md" not in warm.items and len(warm.items) == 5


def test_the_item_cache_stays_whole_for_the_next_command(bulletin):
    warm = Warm()
    preview_build(bulletin, warm)
    (bulletin / "content/n3.md").write_text(item(TITLES[2], body="课后服务覆盖全部学校。\n"), encoding="utf-8")
    (bulletin / "content/n5.md").unlink()
    preview_build(bulletin, warm)

    assert shard("content/n114.md") == shard("content/n3.md")
    cache = ItemCache(bulletin, (bulletin / "briefgen.yaml").read_bytes())
    for rel in ("content/n1.md", "content/n2.md", "content/n4.md", "content/n114.md"):
        state, _, _ = warm.items[rel]
        assert cache.unchanged(rel, state) is not None, rel  # the next build need not read it
    assert cache.get("content/n5.md", "0" * 64, "") is None
    stored = {source for number in range(ItemCache.SHARDS) for source in cache._entries(number)}
    assert stored == set(FILES) - {"content/n5.md"}  # the deleted file is gone


def test_a_new_setting_or_template_is_not_built_with_what_was_kept(bulletin):
    warm = Warm()
    preview_build(bulletin, warm)
    config = bulletin / "briefgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("测试简报", "教育工作简报"), encoding="utf-8")
    (bulletin / "templates/site").mkdir(parents=True)
    (bulletin / "templates/site/item.html").write_text(
        '{% extends "!default/site/item.html" %}{% block main %}<p>预览模板</p>{{ super() }}{% endblock %}',
        encoding="utf-8")
    preview_build(bulletin, warm)

    page = (bulletin / "output/items/n1.html").read_text(encoding="utf-8")
    assert "预览模板" in page and "教育工作简报" in page and "测试简报" not in page


def test_a_manifest_another_build_rewrote_is_read_again(bulletin):
    warm = Warm()
    preview_build(bulletin, warm)
    out = bulletin / "output"
    kept = warm.manifest(out)
    assert isinstance(kept, Manifest) and kept.entries

    result = run_briefgen(bulletin, "build", "--no-pdf", "--drafts", "--no-search")  # into the same folder
    assert result.returncode == 0, result.stderr
    assert warm.manifest(out) is None
    preview_build(bulletin, warm)
    assert warm.manifest(out) is not kept
    assert (out / "pagefind/pagefind-entry.json").is_file()  # the search index, which that build left out
