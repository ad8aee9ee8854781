"""The cache under .briefgen-cache/ is untrusted: anyone who can push (git add -f) or unzip into
the repository can plant files there, under keys anyone can compute. Whatever is planted, a
build succeeds, changes nothing outside output/, puts no script into a page, blames no item,
and writes the bytes a build from an empty cache writes.

Each test builds a real bulletin, plants or alters cache files, and builds again. A planted
file comes in two kinds: without this user's seal, as a planter can make it (dropped whole),
and with a valid seal, as if the key had leaked (each entry still checked like content)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    PROJECT,
    SMALL_PNG,
    build_ok,
    html_files,
    item,
    parse_html,
    search_init,
    tree_hashes,
    write_bulletin,
)

from briefgen.incremental import untrusted
from briefgen.incremental.itemcache import ItemCache
from briefgen.incremental.manifest import Manifest
from briefgen.incremental.pdfcache import Info, PdfCache

CACHE = ".briefgen-cache"
RECORD = f"{CACHE}/last-build.json"
FAST = ("--no-pdf", "--no-search")
W46 = "content/w46"
KINDS = ["unsealed", "sealed"]

# Each turns the stored result of one item file into a planted one, which the build must drop.
Damage = Callable[[dict[str, Any]], dict[str, Any]]


def _item(**fields: Any) -> Damage:
    return lambda result: {**result, "item": {**result["item"], **fields}}


def _result(**parts: Any) -> Damage:
    return lambda result: {**result, **parts}


def _wrong_type(value: Any) -> Any:
    """Something of another JSON type than value."""
    if isinstance(value, bool) or value is None:
        return 5
    return {str: 5, int: "5", list: "x", dict: []}[type(value)]


DAMAGES: dict[str, Damage] = {
    "a slug out of output/": _item(slug="../../templates/site/base"),
    "a slug that is not the file's": _item(slug="a01"),
    "a date far ahead": _item(date="9999-12-31"),
    "a date long ago": _item(date="0001-01-01"),
    "an impossible date": _item(date="2026-02-30"),
    "an adoption dated far ahead": _item(adopted_by=[["省政府办公厅《每日要情》", "省级", "9999-12-31"]]),
    "another file's source": _item(source=f"{W46}/a01.md", slug="a01"),
    "a source outside content/": _item(source="../../templates/site/base.md", slug="base"),
    "a unit briefgen.yaml has not": _item(unit="不存在的单位"),
    "a topic briefgen.yaml has not": _item(topic="不存在的栏目"),
    "an unknown status": _item(status="published"),
    "a problem about another file": _result(item=None, html=None,
                                            problems=[[f"{W46}/a01.md", 1, "error", "伪造的错误", ""]]),
    "no item and no problem": _result(item=None, html=None, problems=[]),
    "an error beside the item": _result(problems=[["SELF", 2, "error", "伪造的错误", ""]]),
    "an unknown severity": _result(problems=[["SELF", 2, "fatal", "伪造的问题", ""]]),
    "a negative line": _result(problems=[["SELF", -1, "warning", "伪造的问题", ""]]),
    "a line that is true": _result(problems=[["SELF", True, "warning", "伪造的问题", ""]]),
    "a number for the html": _result(html=5),
}
# And a wrong type for each field of the Item.
FIELDS = ("source", "slug", "title", "unit", "date", "topic", "body", "body_line", "authors", "tags", "grade",
          "weight", "summary", "note", "status", "adopted_by", "instructions", "submitted", "field_lines")
# What only the seal keeps out: well formed, but not what the file says.
FORGED: dict[str, Damage] = {
    "another title": _item(title="伪造的标题"),
    "a script in the body": _result(html='<p>正文</p><script>alert(1)</script><img src="x" onerror="alert(1)">'),
    "an error invented": _result(item=None, html=None, problems=[["SELF", 1, "error", "伪造的错误", ""]]),
}


def bulletin(root: Path, count: int, weeks: int = 1) -> Path:
    """count items in weeks weeks, with the templates in the repository (which a build must leave
    alone) and a picture."""
    files: dict[str, str | bytes] = {
        f"{W46}/a{i:02d}.md": item(f"第{i}篇稿件", date=f"2026-11-{10 + 7 * (i % weeks)}",
                                   body=f"第{i}篇的正文。\n\n![图](tu.png)\n")
        for i in range(count)}
    files[f"{W46}/tu.png"] = SMALL_PNG
    write_bulletin(root, files)
    shutil.copytree(PROJECT / "templates", root / "templates")
    return root


def protected(root: Path) -> dict[str, str]:
    """The hash of every file beside output/ and the cache: the repository's own, and those beside it."""
    found = {}
    for path in sorted(root.parent.rglob("*")):
        rel = path.relative_to(root.parent)
        if path.is_file() and not (path.is_relative_to(root) and rel.parts[1:2] in ((CACHE,), ("output",))):
            found[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def write_planted(path: Path, payload: dict[str, Any], kind: str) -> None:
    """payload as a planter writes it (a seal of their own), or sealed with this user's key."""
    data = untrusted.seal(payload) if kind == "sealed" else {**payload, "mac": "0" * 64}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_shard(path: Path) -> dict[str, Any]:
    """The entries of one shard of the item cache's header, as this user's builds seal them."""
    body = untrusted.unseal_text(path.read_bytes())
    assert body is not None, path
    entries: dict[str, Any] = json.loads(body)["entries"]
    return entries


def write_shard(path: Path, entries: dict[str, Any], kind: str, block: bytes | None = None) -> None:
    """The header with these entries (and, given block, a new block of bodies beside it)."""
    header = json.loads(untrusted.unseal_text(path.read_bytes()) or b"{}")
    if block is not None:
        name = f"{path.stem}.{hashlib.sha256(block).hexdigest()[:20]}.bin"
        (path.parent / name).write_bytes(block)
        header.update(block=name, size=len(block))
    body = json.dumps({**header, "entries": entries}, ensure_ascii=False).encode("utf-8")
    path.write_bytes(untrusted.seal_text(body) if kind == "sealed"
                     else b'{"sealed":' + body + b',"mac":"' + b"0" * 64 + b'"}')


def _text(block: bytes, ref: Any) -> str | None:
    return None if ref is None else block[ref[0]:ref[0] + ref[1]].decode("utf-8")


def _damaged(entry: list[Any], block: bytearray, damage: Damage, source: str) -> None:
    """Damage one entry as the result it stands for (its item's body and its html, in the block,
    seen as fields), writing what is new into the block."""
    view = copy.deepcopy(entry[1])
    view["html"] = _text(block, entry[4])
    if view["item"] is not None:
        view["item"]["body"] = _text(block, entry[3])
    result = json.loads(json.dumps(damage(view)).replace('"SELF"', json.dumps(source)))
    markdown = None if result["item"] is None else result["item"].pop("body")
    if result["item"] is not None or result["body"] is not None:
        markdown = _text(block, entry[3]) if result["item"] is None else markdown
    html = result.pop("html")
    for index, text in ((3, markdown), (4, html)):
        if isinstance(text, str):
            data = text.encode("utf-8")
            entry[index] = [len(block), len(data), hashlib.sha256(data).hexdigest()]
            block += data
        else:
            entry[index] = text
    entry[1] = result


def plant_items(root: Path, damages: dict[str, Damage], kind: str) -> None:
    """Damage the stored result of a{i}.md with the i-th damage, in the item cache's own shards."""
    sources = {f"{W46}/a{i:02d}.md": damage for i, damage in enumerate(damages.values())}
    folder = ItemCache(root, (root / "briefgen.yaml").read_bytes()).folder
    planted = 0
    for shard in folder.glob("*.json"):
        entries = read_shard(shard)
        name = json.loads(untrusted.unseal_text(shard.read_bytes()) or b"{}")["block"]
        block = bytearray((folder / name).read_bytes())
        for source, entry in entries.items():
            if source in sources:
                _damaged(entry, block, sources[source], source)
                planted += 1
        write_shard(shard, entries, kind, bytes(block))
    assert planted == len(damages)
    (root / RECORD).unlink()  # else the build answers from the record without looking


def foreign_markup(out: Path) -> list[str]:
    """Every script but the site's own three, every event handler and javascript: URL, in any page."""
    found = []
    for page in html_files(out):
        for node in parse_html(page).iter():
            if node.tag == "script" and not (node.attrs.get("src", "").endswith(("pagefind/pagefind-ui.js",
                                                                                  "pagefind/parts.js"))
                                              or node.text() == search_init(out, page)):
                found.append(f"{page}: <script {node.attrs}>{node.text()}")
            found += [f"{page}: <{node.tag} {name}={value!r}>" for name, value in node.attrs.items()
                      if name.startswith("on") or value.strip().lower().startswith("javascript:")]
    return found


def first_build(root: Path, *args: str) -> tuple[dict[str, str], dict[str, str], str]:
    """A build from nothing: its output, what it must leave alone, and what it said on stderr."""
    result = build_ok(root, *args)
    return tree_hashes(root / "output"), protected(root), result.stderr


def assert_unharmed(root: Path, args: tuple[str, ...], want: tuple[dict[str, str], dict[str, str], str]) -> str:
    """Build again: it succeeds, blames nothing, writes a clean build's bytes and nothing else."""
    result = build_ok(root, *args)
    output, rest, stderr = want
    assert result.stderr == stderr, result.stderr  # no problem invented, none about any item
    assert protected(root) == rest, "a build changed files outside output/"
    assert foreign_markup(root / "output") == []
    assert tree_hashes(root / "output") == output, "output/ differs from a build from an empty cache"
    return result.stdout


# --------------------------------------------------------------------------- the item cache


def _wrong(name: str) -> Damage:
    """A wrong type for the Item's field name."""
    return lambda result: {**result, "item": {**result["item"], name: _wrong_type(result["item"][name])}}


@pytest.mark.parametrize("kind", KINDS)
def test_planted_item_entries_are_dropped_and_parsed_again(tmp_path, kind):
    damages = {**DAMAGES, **{f"a wrong type for {name}": _wrong(name) for name in FIELDS}}
    if kind == "unsealed":
        damages.update(FORGED)  # well formed: only the seal tells them from a build's own
    root = bulletin(tmp_path / "repo", len(damages) + 2)
    want = first_build(root, *FAST)
    plant_items(root, damages, kind)

    assert_unharmed(root, FAST, want)
    assert (root / "templates/site/base.html").read_bytes() == (PROJECT / "templates/site/base.html").read_bytes()


def test_cached_html_is_sanitised_again(tmp_path):
    """An entry the seal lets through (the key leaked) still puts no script into a page."""
    root = bulletin(tmp_path / "repo", 3)
    build_ok(root, *FAST)
    planted = ('<p>正文</p><script>alert(1)</script><img src="tu.png" onerror="alert(1)">'
               '<a href="javascript:alert(1)">链接</a><iframe src="https://example.org/"></iframe>')
    plant_items(root, {"a script in the body": _result(html=planted)}, "sealed")
    before = protected(root)

    build_ok(root, *FAST)

    assert foreign_markup(root / "output") == []
    page = (root / "output/items/a00.html").read_text(encoding="utf-8")
    assert "<p>正文</p>" in page and "<iframe" not in page and "alert" not in page
    assert protected(root) == before


def test_a_damaged_entry_of_each_kind_is_no_hit(tmp_path):
    """The item cache's own API: an entry of the wrong shape is no hit, and no exception."""
    root = bulletin(tmp_path / "repo", 2)
    build_ok(root, *FAST)
    config = (root / "briefgen.yaml").read_bytes()
    source = f"{W46}/a00.md"
    for junk in (None, 5, "x", [], ["d" * 64], [5, {}, "state", None, None], ["d" * 64, {}, 5, None, None],
                 ["d" * 64, {}, "state", [0, 10**9, "e" * 64], None], ["d" * 64, {}, "state", None, [-1, 0, "e" * 64]]):
        for shard in ItemCache(root, config).folder.glob("*.json"):
            entries = read_shard(shard)
            if source in entries:
                entries[source] = junk
                write_shard(shard, entries, "sealed")
        cache = ItemCache(root, config)
        assert cache.get(source, "d" * 64, "state") is None and cache.unchanged(source, "state") is None


# --------------------------------------------------------------------------- the outputs manifest


@pytest.mark.parametrize("kind", KINDS)
def test_a_planted_manifest_reaches_nothing_outside_output(tmp_path, kind):
    """The search index's files are taken from the manifest by name: a name that leaves output/
    would copy a file from anywhere into the site, or write beside output/."""
    root = bulletin(tmp_path / "repo", 3)
    want = first_build(root, "--no-pdf")
    manifest = Manifest(root, root / "output")
    entries = dict(manifest.entries)
    search_key = entries["pagefind/pagefind-entry.json"][0]
    (tmp_path / "outside.html").write_text("在简报仓库以外", encoding="utf-8")
    # Each as the file it names is now, so that the index would be kept with it.
    for rel in ("pagefind/../../templates/site/base.html", "pagefind/../../../outside.html", "/etc/hostname"):
        stat = (root / "output" / rel).stat()
        entries[rel] = [search_key, stat.st_size, stat.st_mtime_ns]
    if kind == "unsealed":  # a planted page kept as if this build had made it
        index = root / "output/index.html"
        text = index.read_text(encoding="utf-8").replace("<title>", "<title>伪", 1)
        index.write_text(text[:-3], encoding="utf-8")
        entries["index.html"] = [entries["index.html"][0], index.stat().st_size, index.stat().st_mtime_ns]
    want = (want[0], protected(root), want[2])
    write_planted(manifest.path, {"out": str((root / "output").absolute()), "files": entries}, kind)
    (root / RECORD).unlink()

    assert_unharmed(root, ("--no-pdf",), want)


# --------------------------------------------------------------------------- the PDF cache


@pytest.mark.slow
def test_a_planted_pdf_is_not_taken(tmp_path):
    """The key of a cached PDF is no secret: bytes planted under it, with a .json to match, are
    rendered again. Three issues, one plant each."""
    root = bulletin(tmp_path / "repo", 3, weeks=3)
    want = first_build(root, "--no-search")
    folder = root / CACHE / "pdf"
    entries = sorted(folder.glob("*.pdf"))
    assert len(entries) == 3
    plants = [(b"%PDF-1.7\n% planted\n", "unsealed"),  # with a .json sealed by the planter
              (entries[0].read_bytes(), "sealed-stale"),  # another issue's PDF, the .json left as it was
              (b"<html><script>alert(1)</script></html>", "sealed")]  # not a PDF at all
    for path, (data, kind) in zip(entries, plants, strict=True):
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        path.write_bytes(data)
        if kind != "sealed-stale":
            payload = {k: v for k, v in meta.items() if k != "mac"}
            write_planted(path.with_suffix(".json"), {**payload, "sha256": hashlib.sha256(data).hexdigest()}, kind)
    shutil.rmtree(root / "output")  # else the PDFs are kept from output/, without asking the cache
    (root / RECORD).unlink()

    stdout = assert_unharmed(root, ("--no-search",), want)
    assert "PDF 3 份" in stdout


def test_pruning_deletes_only_the_cache_own_files(tmp_path):
    """Through a planted link, or among planted files, pruning deletes nothing it did not write."""
    root = bulletin(tmp_path / "repo", 1)
    victim = tmp_path / "victim"
    victim.mkdir()
    names = ["a" * 64 + ".json", "a" * 64 + ".pdf", "notes.json"]
    for name in names:
        (victim / name).write_text("别人的文件", encoding="utf-8")
        os.utime(victim / name, (0, 0))
    (root / CACHE).mkdir()
    (root / CACHE / "pdf").symlink_to(victim, target_is_directory=True)

    PdfCache(root, "base", "", ()).prune()
    PdfCache(root, "base", "", ()).put("b" * 64, b"%PDF-1.7\n", Info(1, {}, 0))

    assert sorted(p.name for p in victim.iterdir()) == sorted(names)
    (root / CACHE / "pdf").unlink()
    shutil.copytree(victim, root / CACHE / "pdf")
    PdfCache(root, "base", "", ()).prune()
    assert sorted(p.name for p in (root / CACHE / "pdf").iterdir()) == ["notes.json"]


# --------------------------------------------------------------------------- the no-op record


@pytest.mark.parametrize("kind", KINDS)
def test_a_planted_record_neither_skips_the_build_nor_lies(tmp_path, kind):
    root = bulletin(tmp_path / "repo", 3)
    want = first_build(root, *FAST)
    record = untrusted.unseal(json.loads((root / RECORD).read_text(encoding="utf-8")))
    assert record is not None
    false = {"issues": 99, "html_files": 1, "pdf_pages": {}, "warnings": [], "fonts": ""}
    if kind == "sealed":  # the shape of a summary, but not quite
        false = {"issues": 99, "html_files": "1", "pdf_pages": {}, "warnings": [
            {"path": f"{W46}/a00.md", "line": -1, "severity": "fatal", "message": "伪造", "hint": ""}], "fonts": 1}
    write_planted(root / RECORD, {**record, "result": false}, kind)

    stdout = assert_unharmed(root, FAST, want)
    assert stdout.startswith("已生成 1 期，网页文件") and "99" not in stdout


# --------------------------------------------------------------------------- submission dates


@pytest.mark.parametrize("kind", KINDS)
def test_planted_submission_dates_are_read_again_from_git(tmp_path, kind):
    """history.json keeps when git first saw each item file, for the commit it was read at."""
    root = bulletin(tmp_path / "repo", 3)
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=测试", "-c", "user.email=t@example.org",
                                                 "commit", "-q", "-m", "稿件"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    want = first_build(root, *FAST)
    history = untrusted.unseal(json.loads((root / CACHE / "history.json").read_text(encoding="utf-8")))
    assert history is not None and len(history["added"]) == 4  # the picture too
    when = "2020-01-01" if kind == "unsealed" else "9999-12-31"  # believable, or out of range
    write_planted(root / CACHE / "history.json", {**history, "added": dict.fromkeys(history["added"], when)}, kind)
    (root / RECORD).unlink()

    assert_unharmed(root, FAST, want)


# --------------------------------------------------------------------------- links in the cache


@pytest.mark.parametrize("link", [CACHE, f"{CACHE}/items", f"{CACHE}/outputs"])
def test_a_cache_folder_that_is_a_link_leads_nowhere(tmp_path, link):
    """Saving the item cache removes the folders of other settings beside its own: through a
    planted link, that would be every folder of wherever it points."""
    root = bulletin(tmp_path / "repo", 3)
    want = first_build(root, *FAST)
    shutil.rmtree(root / CACHE)
    victim = tmp_path / "victim"
    (victim / "keep").mkdir(parents=True)
    (victim / "keep" / "file.txt").write_text("别人的文件", encoding="utf-8")
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(victim, target_is_directory=True)
    want = (want[0], protected(root), want[2])

    assert_unharmed(root, FAST, want)
    assert [p.relative_to(victim).as_posix() for p in sorted(victim.rglob("*"))] == ["keep", "keep/file.txt"]


# --------------------------------------------------------------------------- the checks themselves


@pytest.mark.parametrize("rel", ["", "/a", "a/", "a//b", ".", "..", "./a", "a/.", "a/./b", "../a", "a/..",
                                 "a/../b", "a\\b", "a\0b", "x" * 4097, 5, None])
def test_a_path_that_is_not_plain_and_inside_is_refused(rel):
    assert not untrusted.relative_inside(rel)


@pytest.mark.parametrize("rel", ["a", "a/b.html", ".a/..b/...", "pagefind/x.pf_meta", "媒体/图 1.png", "a.b/c"])
def test_a_plain_relative_path_is_taken(rel):
    assert untrusted.relative_inside(rel)


@pytest.mark.parametrize("payload", [{}, {"a": 1}, {"out": "/tmp/输出", "files": {"a.html": ["k", 1, 2]}, "x": None}])
def test_sealed_json_is_the_text_of_the_sealed_payload(payload):
    text = untrusted.sealed_json(payload)
    assert json.loads(text) == untrusted.seal(payload)
    assert untrusted.unseal(json.loads(text)) == payload
