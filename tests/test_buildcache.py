"""The pieces of the incremental build, in process: the item cache, the fingerprints of what a
page is made from, and the record of what the last build wrote."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

import briefgen.incremental.parsed as parsed_json
from briefgen.errors import Diagnostic
from briefgen.incremental import keys
from briefgen.incremental.fingerprint import Fingerprinter, item_token
from briefgen.incremental.itemcache import ItemCache
from briefgen.incremental.manifest import Manifest
from briefgen.incremental.parsed import Parsed
from briefgen.model import (
    Body,
    HigherAdoption,
    Instruction,
    Issue,
    IssueSettings,
    Item,
    Period,
    Section,
)
from briefgen.storage.resources import CACHE

SOURCE = "content/2026/2026-W46/quan-ziduan.md"
DIGEST = "a" * 64
CONFIG_BYTES = "name: 测试简报\n".encode()


def full_item(**changes: Any) -> Item:
    """An Item with every field set to something other than its default."""
    values: dict[str, Any] = dict(
        source=SOURCE, slug="quan-ziduan", title="市教育局“双减”工作取得实效", unit="市教育局",
        date=dt.date(2026, 11, 10), topic="工作动态",
        body="各校落实作业管理。\n\n## 一、强化组织\n\n成立专班[^1]。\n\n[^1]: 由分管局长牵头。\n", body_line=17,
        authors=("张信息员", "李信息员"), tags=("教育", "双减"), grade="精品", weight=-3, summary="作业总量下降三成。",
        note="此件可供各区参阅。", status="reserve", review="数据翔实，可作范例。", issue="2026-W47",
        call="2026-dongchun",
        adopted_by=(HigherAdoption("省政府办公厅《每日要情》", "省级", dt.date(2026, 11, 12)),
                    HigherAdoption("国务院办公厅《昨日要情》", "国家级")),  # one without a date
        instructions=(Instruction("李市长", "市级", dt.date(2026, 11, 13), "请各区借鉴。"),
                      Instruction("王书记", "省级")),  # without a date or text
        submitted=dt.date(2026, 11, 9), field_lines={"title": 2, "unit": 3, "date": 4, "tags": 8},
    )
    values.update(changes)
    return Item(**values)


def full_parsed(**changes: Any) -> Parsed:
    values: dict[str, Any] = dict(
        item=full_item(),
        problems=(Diagnostic(SOURCE, 5, "warning", "“摘要”过长", "请控制在 100 字以内"),
                  Diagnostic(SOURCE, 0, "warning", "没有作者")),  # one without a hint
        html='<p>各校落实作业管理。</p>\n<h2 id="yi">一、强化组织</h2>', refers=True, plain="b" * 64,
    )
    values.update(changes)
    return Parsed(**values)


def failed_with_body() -> Parsed:
    """A file with an error in its front matter whose body is still checked for what it refers to."""
    return Parsed(None, (Diagnostic(SOURCE, 6, "error", "等级 '优秀' 无效"),), '<p><img src="a.png"></p>',
                  Body(SOURCE, "\n![](a.png)\n", 8))


@pytest.mark.parametrize("way", ["json", "disk"])
def test_a_file_with_errors_keeps_its_body_to_check_through_the_cache(tmp_path, way):
    parsed = failed_with_body()
    back = json_round_trip(parsed) if way == "json" else round_trip(tmp_path, parsed)
    assert back is not None
    assert_same_fields(back, parsed)


def test_a_body_to_check_is_refused_beside_an_item_or_of_another_file(tmp_path):
    beside = dataclasses.replace(full_parsed(), body=failed_with_body().body)
    other = dataclasses.replace(failed_with_body(), body=Body("content/other.md", "正文", 8))
    assert round_trip(tmp_path / "a", beside) is None
    assert round_trip(tmp_path / "b", other) is None


def defaults(cls: type) -> dict[str, Any]:
    """Each field's default value, for the fields that have one."""
    found = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            found[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            found[f.name] = f.default_factory()
    return found


def assert_every_field_set(value: Any) -> None:
    """Fail when a dataclass has a field that this test leaves at its default: a new field must
    be given a value here, and so be checked to survive the cache."""
    for name, default in defaults(type(value)).items():
        assert getattr(value, name) != default, (
            f"{type(value).__name__}.{name} is at its default in this test: give it another value "
            "(and make briefgen.incremental.parsed store it)")


def assert_same_fields(got: Any, want: Any) -> None:
    """Field by field, with types: Item's == leaves field_lines out (compare=False)."""
    assert type(got) is type(want)
    for f in dataclasses.fields(want):
        a, b = getattr(got, f.name), getattr(want, f.name)
        assert a == b, f"{type(want).__name__}.{f.name}: {a!r} != {b!r}"
        assert type(a) is type(b), f"{type(want).__name__}.{f.name}: {type(a).__name__} != {type(b).__name__}"


# ItemCache's own API: a file's entry is found by its path and the digest of its content, or
# (without reading the file) by its state on disk.
STATE = "1234:1795775021816986940:1795775021816986940:42"  # size:mtime_ns:ctime_ns:inode


def put(cache: ItemCache, source: str, digest: str, parsed: Parsed, state: str = STATE) -> None:
    cache.put(source, digest, state, parsed)


def get(cache: ItemCache, source: str, digest: str, state: str = STATE) -> Parsed | None:
    return cache.get(source, digest, state)


def round_trip(root: Path, parsed: Parsed, source: str = SOURCE, digest: str = DIGEST) -> Parsed | None:
    """Store parsed as a build would, and read it back in a new cache object, as the next build."""
    cache = ItemCache(root, CONFIG_BYTES)
    put(cache, source, digest, parsed)
    cache.save()
    return get(ItemCache(root, CONFIG_BYTES), source, digest)


class Held:
    """A text as a block of the item cache gives it back."""

    def __init__(self, text: str | None) -> None:
        self.value = text

    def text(self) -> str | None:
        return self.value


def json_round_trip(parsed: Parsed) -> Parsed:
    """Through the cache's JSON form alone (the header; the texts as the block gives them)."""
    markdown = parsed.item.body if parsed.item is not None else None if parsed.body is None else parsed.body.body
    meta = json.loads(json.dumps(parsed_json.meta_to_json(parsed), ensure_ascii=False))
    return parsed_json.parsed_from_json(meta, None if markdown is None else Held(markdown),  # type: ignore[arg-type]
                                       None if parsed.html is None else Held(parsed.html))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the item cache


def test_the_test_item_sets_every_field():
    item = full_item()
    assert_every_field_set(item)
    assert_every_field_set(item.adopted_by[0])
    assert_every_field_set(item.instructions[0])
    parsed = full_parsed()
    # A body still to be checked comes only without an item: the file with errors sets that one.
    assert_every_field_set(dataclasses.replace(parsed, body=failed_with_body().body))
    assert_every_field_set(parsed.problems[0])


@pytest.mark.parametrize("way", ["json", "disk"])
def test_an_item_with_every_field_survives_the_cache(tmp_path, way):
    parsed = full_parsed()

    back = json_round_trip(parsed) if way == "json" else round_trip(tmp_path, parsed)

    assert back is not None
    assert_same_fields(back, parsed)  # item, problems, html
    assert_same_fields(back.item, parsed.item)  # every field of Item, field_lines too
    for got, want in zip(back.item.adopted_by + back.item.instructions,
                         parsed.item.adopted_by + parsed.item.instructions, strict=True):
        assert_same_fields(got, want)
    for got, want in zip(back.problems, parsed.problems, strict=True):
        assert_same_fields(got, want)


def test_an_item_with_only_the_required_fields_survives_the_cache(tmp_path):
    item = Item(source=SOURCE, slug="quan-ziduan", title="标题", unit="市财政局", date=dt.date(2026, 11, 11),
                topic="要情专报", body="", body_line=6)
    parsed = Parsed(item, (), "")

    back = round_trip(tmp_path, parsed)

    assert back is not None
    assert_same_fields(back, parsed)
    assert_same_fields(back.item, item)


def test_a_file_with_errors_and_a_draft_survive_the_cache(tmp_path):
    failed = Parsed(None, (Diagnostic(SOURCE, 3, "error", "缺少“单位”", "请写明报送单位"),), None)
    draft = full_parsed(item=full_item(status="draft"), html=None, refers=False)

    assert round_trip(tmp_path / "a", failed) == failed
    back = round_trip(tmp_path / "b", draft)
    assert back is not None and back.html is None and back.item == draft.item


def test_the_cache_answers_only_for_the_same_file_and_content(tmp_path):
    cache = ItemCache(tmp_path, CONFIG_BYTES)
    put(cache, SOURCE, DIGEST, full_parsed())
    other = full_parsed(item=full_item(source="content/other.md", slug="other"), problems=(), html="<p>另一篇。</p>")
    put(cache, "content/other.md", "c" * 64, other)
    cache.save()

    again = ItemCache(tmp_path, CONFIG_BYTES)
    assert get(again, SOURCE, "e" * 64) is None  # the file changed
    assert get(again, "content/renamed.md", DIGEST) is None  # another file with that content
    assert get(again, "content/other.md", "c" * 64) == other


def test_a_file_in_the_same_state_is_known_without_reading_it(tmp_path):
    cache = ItemCache(tmp_path, CONFIG_BYTES)
    put(cache, SOURCE, DIGEST, full_parsed(), state="1:2:3:4")
    cache.save()

    again = ItemCache(tmp_path, CONFIG_BYTES)
    assert again.unchanged(SOURCE, "1:2:3:4") == (DIGEST, full_parsed())
    assert again.unchanged(SOURCE, "1:2:3:5") is None  # touched, moved or rewritten: read it
    assert again.unchanged("content/other.md", "1:2:3:4") is None
    # Read again and found the same content: the entry now remembers the new state.
    assert get(again, SOURCE, DIGEST, state="1:2:9:4") == full_parsed()
    again.save()
    third = ItemCache(tmp_path, CONFIG_BYTES)
    assert third.unchanged(SOURCE, "1:2:9:4") == (DIGEST, full_parsed())
    assert third.unchanged(SOURCE, "1:2:3:4") is None


def test_entries_not_used_by_a_build_are_dropped(tmp_path):
    first = ItemCache(tmp_path, CONFIG_BYTES)
    put(first, SOURCE, DIGEST, full_parsed())
    put(first, "content/deleted.md", "c" * 64, full_parsed())
    first.save()

    second = ItemCache(tmp_path, CONFIG_BYTES)
    assert get(second, SOURCE, DIGEST) is not None  # the only file the second build found
    second.save()

    third = ItemCache(tmp_path, CONFIG_BYTES)
    assert get(third, SOURCE, DIGEST) is not None
    assert get(third, "content/deleted.md", "c" * 64) is None


def test_a_cache_written_with_other_settings_or_code_is_ignored(tmp_path, monkeypatch):
    round_trip(tmp_path, full_parsed())

    other = ItemCache(tmp_path, CONFIG_BYTES + b"copies: 45\n")
    assert get(other, SOURCE, DIGEST) is None and other.unchanged(SOURCE, STATE) is None
    assert get(ItemCache(tmp_path, CONFIG_BYTES), SOURCE, DIGEST) is not None

    monkeypatch.setattr(keys, "code_fingerprint", lambda: "another version of briefgen")
    assert get(ItemCache(tmp_path, CONFIG_BYTES), SOURCE, DIGEST) is None
    monkeypatch.undo()

    version = keys.version
    monkeypatch.setattr(keys, "version", lambda name: "999.0" if name == "Markdown" else version(name))
    assert get(ItemCache(tmp_path, CONFIG_BYTES), SOURCE, DIGEST) is None


def cache_files(root: Path) -> list[Path]:
    files = sorted(p for p in (root / CACHE).rglob("*") if p.is_file())
    assert files, "the item cache wrote no file"
    return files


def _with_result(entry: list[Any], result: Any) -> list[Any]:
    """entry with its stored result (the one object in it) replaced."""
    index = next(i for i, part in enumerate(entry) if isinstance(part, dict))
    return [result if i == index else part for i, part in enumerate(entry)]


def _result(entry: list[Any]) -> dict[str, Any]:
    return next(part for part in entry if isinstance(part, dict))


def _with(entry: list[Any], item: dict[str, Any] | None = None, **parts: Any) -> list[Any]:
    result = _result(entry)
    if item is not None:
        parts["item"] = {**result["item"], **item}
    return _with_result(entry, {**result, **parts})


def _without(entry: list[Any], name: str, item: bool = False) -> list[Any]:
    result = _result(entry)
    if item:
        return _with_result(entry, {**result, "item": {k: v for k, v in result["item"].items() if k != name}})
    return _with_result(entry, {k: v for k, v in result.items() if k != name})


# Each makes, from the good entry of full_parsed(), a damaged one.
JUNK = {
    "null": lambda e: None, "a number": lambda e: 5, "a string": lambda e: "x", "an object": lambda e: {},
    "an empty list": lambda e: [], "the first part alone": lambda e: e[:1], "one part more": lambda e: [*e, 1],
    "no result": lambda e: _with_result(e, None), "a number for the result": lambda e: _with_result(e, 5),
    "an empty result": lambda e: _with_result(e, {}),
    "a number for the item": lambda e: _with_result(e, {**_result(e), "item": 5}),
    "a string for the problems": lambda e: _with(e, problems="xx"),
    "a short problem": lambda e: _with(e, problems=[[1]]),
    "a number for the html": lambda e: _with(e, html=5),
    "an impossible date": lambda e: _with(e, {"date": "2026-13-45"}),
    "a number for the tags": lambda e: _with(e, {"tags": 5}),
    "a word for the weight": lambda e: _with(e, {"weight": "重"}),
    "a list for the field lines": lambda e: _with(e, {"field_lines": []}),
    "a short adoption": lambda e: _with(e, {"adopted_by": [["只有一项"]]}),
    "no html": lambda e: _without(e, "html"),
    "no slug": lambda e: _without(e, "slug", item=True),
}


def _replace_entry(data: Any, source: str, damage: Any) -> int:
    """Damage source's entry wherever the cache's JSON has one; how many it damaged."""
    count = 0
    if isinstance(data, dict):
        for key in list(data):
            if key == source:
                data[key] = damage(data[key])
                count += 1
            else:
                count += _replace_entry(data[key], source, damage)
    elif isinstance(data, list):
        for value in data:
            count += _replace_entry(value, source, damage)
    return count


@pytest.mark.parametrize("damage", ["truncated", "empty", "{}", "[]", "invalid JSON", "binary"])
def test_a_damaged_cache_file_is_ignored(tmp_path, damage):
    round_trip(tmp_path, full_parsed())
    for path in cache_files(tmp_path):
        data = path.read_bytes()
        path.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "{}": b"{}", "[]": b"[]",
                          "invalid JSON": b'{"salt": ', "binary": bytes(range(256))}[damage])

    cache = ItemCache(tmp_path, CONFIG_BYTES)
    assert cache.unchanged(SOURCE, STATE) is None
    assert get(cache, SOURCE, DIGEST) is None

    # ... and mended by the next build.
    put(cache, SOURCE, DIGEST, full_parsed())
    cache.save()
    assert get(ItemCache(tmp_path, CONFIG_BYTES), SOURCE, DIGEST) == full_parsed()


@pytest.mark.parametrize("junk", list(JUNK))
def test_a_damaged_entry_is_ignored(tmp_path, junk):
    """A cache file that is valid JSON and of the right settings, with one entry of the wrong shape."""
    round_trip(tmp_path, full_parsed())
    replaced = 0
    for path in cache_files(tmp_path):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if _replace_entry(data, SOURCE, JUNK[junk]):
            replaced += 1
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert replaced == 1

    assert ItemCache(tmp_path, CONFIG_BYTES).unchanged(SOURCE, STATE) is None
    assert get(ItemCache(tmp_path, CONFIG_BYTES), SOURCE, DIGEST) is None


def test_a_cache_folder_that_cannot_be_written_does_not_fail(tmp_path):
    (tmp_path / CACHE).write_text("a file where the cache folder should be", encoding="utf-8")
    cache = ItemCache(tmp_path, CONFIG_BYTES)
    put(cache, SOURCE, DIGEST, full_parsed())
    cache.save()  # no exception
    assert get(ItemCache(tmp_path, CONFIG_BYTES), SOURCE, DIGEST) is None


# --------------------------------------------------------------------------- fingerprints


def period(week: int) -> Period:
    start = dt.date.fromisocalendar(2026, week, 1)
    return Period("week", f"2026-W{week}", 2026, start, start + dt.timedelta(days=6))


def issue(*items: Item, week: int = 46, signer: str = "张签发", copies: int | None = 50) -> Issue:
    return Issue(period(week), 5, 105, dt.date(2026, 11, 13), (Section("工作动态", tuple(items)),),
                 IssueSettings(note="编者按", signer=signer, copies=copies))


def test_equal_values_give_equal_digests():
    tokens = {"quan-ziduan": "t1"}
    one, two = Fingerprinter(tokens), Fingerprinter(dict(tokens))

    def value() -> tuple:  # new objects each time
        return ("index.html", 3, None, True, 1.5, dt.date(2026, 11, 10), Path("issues/x.html"),
                {"b": [1, 2], "a": (3,)}, frozenset({"2026-W46", "2026-W47"}), issue(full_item()))

    assert one.digest(*value()) == one.digest(*value()) == two.digest(*value())
    assert one.digest({"a": 1, "b": 2}) == one.digest({"b": 2, "a": 1})  # a mapping's order does not count
    assert one.digest(Markup("<b>粗</b>")) == one.digest("<b>粗</b>")


def test_a_changed_nested_field_changes_the_digest():
    fp = Fingerprinter({"quan-ziduan": "t1"})
    base = fp.digest("issues/2026-W46.html", {"issue": issue(full_item())})

    assert fp.digest("issues/2026-W46.html", {"issue": issue(full_item(), signer="王签发")}) != base
    assert fp.digest("issues/2026-W46.html", {"issue": issue(full_item(), copies=None)}) != base
    assert fp.digest("issues/2026-W46.html", {"issue": issue(full_item(), week=47)}) != base
    assert fp.digest("issues/2026-W46.html", {"issue": issue(full_item(), full_item())}) != base
    assert fp.digest("issues/2026-W47.html", {"issue": issue(full_item())}) != base


def test_values_of_other_types_or_places_do_not_collide():
    fp = Fingerprinter({})
    digests = [fp.digest(*values) for values in [
        (1,), ("1",), (1.0,), (True,), (None,), ("None",), ([],), ({},), (frozenset(),), ("",), ([""],),
        (["a", "b"],), (["ab"],), (["a"], ["b"]), ([["a"], "b"],), (["a", ["b"]],), ({"a": "b"},), ({"b": "a"},),
        (dt.date(2026, 11, 10),), ("2026-11-10",), (Path("a"),), ("a",), (("a", None),), (("a",), None),
        (["a\x1fsb"],), (["a\x1fs1:b"],), ("a\x1f[\x1f]",), ("a", []), (Path("a\x1fpb"),), (Path("a"), Path("b")),
    ]]
    assert len(set(digests)) == len(digests)


def test_an_item_stands_for_its_token():
    same = Fingerprinter({"quan-ziduan": "token-1"})
    one = full_item(body="正文一。\n")
    other = full_item(body="完全不同的正文。\n", title="另一个标题")

    assert same.digest(one) == same.digest(other)  # what the token covers is not walked again
    assert same.digest(issue(one)) == same.digest(issue(other))
    assert Fingerprinter({"quan-ziduan": "token-2"}).digest(one) != same.digest(one)


def test_an_item_token_covers_its_file_body_and_referenced_files():
    token = item_token(SOURCE, DIGEST, "<p>正文</p>", {"media/a.png": "120:1"})
    assert token == item_token(SOURCE, DIGEST, "<p>正文</p>", {"media/a.png": "120:1"})
    assert token != item_token("content/other.md", DIGEST, "<p>正文</p>", {"media/a.png": "120:1"})
    assert token != item_token(SOURCE, "f" * 64, "<p>正文</p>", {"media/a.png": "120:1"})
    assert token != item_token(SOURCE, DIGEST, "<p>正文。</p>", {"media/a.png": "120:1"})
    assert token != item_token(SOURCE, DIGEST, "<p>正文</p>", {"media/a.png": "121:1"})
    assert token != item_token(SOURCE, DIGEST, "<p>正文</p>", {})


@pytest.mark.parametrize("value", [object(), b"bytes", bytearray(b"x"), 1j, range(3), iter([1]), Item],
                         ids=lambda v: type(v).__name__)
def test_values_of_unsupported_types_are_refused(value):
    with pytest.raises(TypeError):
        Fingerprinter({}).digest(value)
    with pytest.raises(TypeError):
        Fingerprinter({}).digest("ok", [1, {"nested": (value,)}])


def test_an_item_without_a_token_is_refused():
    with pytest.raises(KeyError):
        Fingerprinter({}).digest(full_item())


# --------------------------------------------------------------------------- the outputs manifest


def output(tmp_path: Path, name: str = "output") -> Path:
    out = tmp_path / name
    (out / "items").mkdir(parents=True)
    (out / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    (out / "items" / "a.html").write_text("<p>稿件</p>", encoding="utf-8")
    return out


def test_a_recorded_file_is_reusable_only_with_its_key_and_as_it_was_left(tmp_path):
    root, out = tmp_path / "repo", output(tmp_path)
    root.mkdir()
    Manifest(root, out).record({"index.html": "k1", "items/a.html": "k2"})

    manifest = Manifest(root, out)  # the next build
    assert manifest.reusable("index.html", "k1") == out / "index.html"
    assert manifest.reusable("items/a.html", "k2") == out / "items" / "a.html"
    assert manifest.reusable("index.html", "k2") is None  # made from something else now
    assert manifest.reusable("feed.xml", "k1") is None  # never recorded

    page = out / "index.html"
    stat = page.stat()
    page.write_text("<p>首頁</p>", encoding="utf-8")  # same size, edited by hand
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert Manifest(root, out).reusable("index.html", "k1") is None
    page.write_text("<p>首页，改</p>", encoding="utf-8")  # other size, same time
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert Manifest(root, out).reusable("index.html", "k1") is None
    (out / "items" / "a.html").unlink()
    assert Manifest(root, out).reusable("items/a.html", "k2") is None


def test_record_then_reusable_in_the_same_build(tmp_path):
    root, out = tmp_path / "repo", output(tmp_path)
    manifest = Manifest(root, out)
    assert manifest.reusable("index.html", "k1") is None  # nothing recorded yet

    manifest.record({"index.html": "k1", "missing.html": "k3"})

    assert manifest.reusable("index.html", "k1") == out / "index.html"
    assert manifest.reusable("missing.html", "k3") is None
    assert Manifest(root, out).reusable("index.html", "k1") == out / "index.html"


def test_a_manifest_of_another_output_folder_is_ignored(tmp_path):
    root, out = tmp_path / "repo", output(tmp_path)
    root.mkdir()
    Manifest(root, out).record({"index.html": "k1"})
    other = tmp_path / "other"
    shutil.copytree(out, other)  # the same files, sizes and times

    assert Manifest(root, other).reusable("index.html", "k1") is None
    # Even when its record is found where the other folder's would be.
    for path in (root / CACHE / "outputs").glob("*.json"):
        shutil.copy(path, Manifest(root, other).path)
    assert Manifest(root, other).reusable("index.html", "k1") is None
    assert Manifest(root, out).reusable("index.html", "k1") == out / "index.html"


@pytest.mark.parametrize("text", ["", "{}", "[]", "null", '{"out": ', "\x00\xff",
                                  '{"out": "OUT", "files": []}', '{"out": "OUT", "files": {"index.html": "k1"}}',
                                  '{"out": "OUT", "files": {"index.html": ["k1"]}}',
                                  '{"out": "OUT", "files": {"index.html": ["k1", "11", "mtime"]}}',
                                  '{"out": "OUT", "files": {"index.html": {"key": "k1"}}}'])
def test_a_damaged_manifest_is_ignored(tmp_path, text):
    root, out = tmp_path / "repo", output(tmp_path)
    root.mkdir()
    manifest = Manifest(root, out)
    manifest.path.parent.mkdir(parents=True)
    manifest.path.write_text(text.replace("OUT", json.dumps(str(out.absolute()))[1:-1]), encoding="utf-8")

    assert Manifest(root, out).reusable("index.html", "k1") is None


def test_strings_holding_the_separator_do_not_collide():
    """Text may hold any character the parts of a digest are joined with: an issue's settings
    (content/issues/*.yaml) can hold U+001F, written "\\x1f" in YAML."""
    fp = Fingerprinter({})
    one = IssueSettings(note="甲\x1fdate\x1fNone\x1fsigner\x1fs乙", signer="丙")
    two = IssueSettings(note="甲", signer="乙\x1fdate\x1fNone\x1fsigner\x1fs丙")
    assert one != two

    assert fp.digest(one) != fp.digest(two)
