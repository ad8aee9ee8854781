"""Bodies stay in the item cache's blocks until asked for: an item from the cache holds where
its Markdown and HTML are, not the texts, and a block that is damaged costs a rebuild of what it
held, never the build and never a wrong page."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_ok, item, tree_hashes, write_bulletin

from briefgen.config.settings import load_config
from briefgen.content.loader import load_items
from briefgen.incremental.blocks import Stored
from briefgen.incremental.itemcache import ItemCache
from briefgen.model import held
from briefgen.storage.resources import CACHE

FAST = ("--no-pdf", "--no-search")
RECORD = f"{CACHE}/last-build.json"


def bulletin(root: Path) -> Path:
    files = {f"content/w46/a{i:02d}.md": item(f"第{i}篇稿件", body=f"第{i}篇的正文。\n\n第二段，**加粗**。\n")
             for i in range(6)}
    files["content/w46/twice.md"] = item("另一篇稿件", body="第1篇的正文。\n\n第二段，**加粗**。\n")
    write_bulletin(root, {**files, "content/w46/a00.md": item("第0篇稿件", body="第0篇的正文。\n")})
    return root


def blocks(root: Path) -> list[Path]:
    return sorted(ItemCache(root, (root / "briefgen.yaml").read_bytes()).folder.glob("*.bin"))


def test_an_item_from_the_cache_holds_where_its_texts_are(tmp_path):
    """And so does one a build has just converted; a check, which saves nothing, holds texts."""
    root = bulletin(tmp_path / "repo")
    config = load_config(root)
    converted = load_items(config, save_cache=True)
    fresh = {i.source: i for i in converted.items}
    # A build puts what it converts on disk as it comes (a spill block), not in memory.
    assert all(isinstance(held(i, "body"), Stored) for i in converted.items)
    assert all(isinstance(html, Stored) for html in converted.html.values())
    cached = load_items(config)
    for got in cached.items:
        assert isinstance(held(got, "body"), Stored)  # nothing read yet
        assert got == fresh[got.source] and got.body == fresh[got.source].body
        assert got.body.lstrip().startswith("第")
    assert all(isinstance(html, Stored) for html in cached.html.values())
    (root / "content/w46/a01.md").write_text(item("第1篇稿件", body="第1篇改过的正文。\n"), encoding="utf-8")
    checked = {i.source: i for i in load_items(config).items}
    assert held(checked["content/w46/a01.md"], "body") == "\n第1篇改过的正文。\n"


def test_a_repeated_body_is_found_from_its_digest(tmp_path):
    root = bulletin(tmp_path / "repo")
    config = load_config(root)
    load_items(config, save_cache=True)
    for _ in range(2):  # converted, then from the cache
        problems = [p for p in load_bulletin_problems(root) if "完全相同" in p.message]
        assert [(p.path, p.line) for p in problems] == [("content/w46/twice.md", 8)]


def load_bulletin_problems(root: Path) -> list:
    from briefgen.bulletin.assemble import check_bulletin

    return check_bulletin(load_config(root), save_cache=True).problems


@pytest.mark.parametrize("damage", ["bytes", "truncated", "missing"])
def test_a_damaged_block_costs_a_rebuild_of_its_bodies_only(tmp_path, damage):
    root = bulletin(tmp_path / "repo")
    (root / "content/w46/twice.md").unlink()
    build_ok(root, *FAST)
    want = tree_hashes(root / "output")
    for path in blocks(root):
        data = path.read_bytes()
        if damage == "bytes":  # the same size: found only by each body's digest, as it is read
            path.write_bytes(bytes(b ^ 0x55 for b in data))
        elif damage == "truncated":
            path.write_bytes(data[: len(data) // 2])
        else:
            path.unlink()
    (root / RECORD).unlink()

    build_ok(root, *FAST)

    assert tree_hashes(root / "output") == want
    build_ok(root, *FAST)  # which found the damage: the next writes a whole block again
    assert tree_hashes(root / "output") == want
    for got in load_items(load_config(root)).items:
        assert isinstance(held(got, "body"), Stored) and got.body.lstrip().startswith(f"第{got.slug[1:].lstrip('0') or 0}篇")
