"""The shortcuts of a cold build give what the careful paths give: the YAML read without the token
scan, the staged tree written by descriptor, the templates loaded once."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from conftest import build_ok, item, tree_hashes, write_bulletin
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from briefgen.config import yamlsafe
from briefgen.render.env import make_environment
from briefgen.storage.tree import MARKER, marker_text, write_tree

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="briefgen-hypothesis-"))

SAME = settings(derandomize=True, database=None, deadline=None, max_examples=500, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
LINES = [
    "title: 市教育局开展教研活动", "unit: 市教育局", "date: 2026-11-10", "tags: [教育, 课后服务]", "unit: NO",
    "author: 0755", "summary: 1:20", "title: 标题 # 注释", "title: 'a", 'note: "b', "- a", "  - b", "a: b: c",
    "a: &x 1", "b: *x", "c: !!str 1", "d: !x y", "e: [a, [b]]", "f: {a: 1", "  g: 1", "h:", "   i: 2", "? j",
    "k: |", "  多行", "title: 2026", "weight: 9" + "9" * 120, "x: [[[[[[[[[[[[[[[[[[[[[[a]]]]]]]]]]]]]]]]]]]]]",
    "%YAML 1.1", "---", "...", "title: a\tb", "\t- c", "l: @x", "m: `y`", "title: 一、二", "",
]


def careful(text: str, comments: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patched:
        patched.setattr(yamlsafe, "_plainly_shallow", lambda _text: False)
        return outcome(text, comments)


def outcome(text: str, comments: bool) -> object:
    try:
        parsed = yamlsafe.load_mapping(text, comments=comments)
    except yamlsafe.YamlProblem as exc:
        return ("problem", exc.line, exc.message, exc.hint)
    return ("parsed", parsed.data, parsed.key_lines, parsed.problems)


@pytest.mark.parametrize("text", [
    "title: 标题\nunit: 市教育局\ndate: 2026-11-10\ntags: [教育]",
    "title: 标题\nunit: NO\nauthor: 0755",  # problems at their lines
    "title: 标题\ntitle: 又一个",  # a key twice
    "a: b\n- c\nd: 'e",  # a parse error before a scan error: the scan's is reported
    "a: b\nc: d: e",  # mapping values are not allowed in this context, at line 2
    "a: [b\nc: d",
    "title: 标题\nx: " + "[" * 25 + "]" * 25,  # too deep: never composed
])
def test_the_quick_yaml_path_gives_what_the_careful_one_gives(text, monkeypatch):
    for comments in (True, False):
        assert outcome(text, comments) == careful(text, comments, monkeypatch)


def test_a_parse_error_is_reported_at_the_line_the_careful_path_names():
    assert outcome("a: b\nc: d: e", True) == (
        "problem", 2, "YAML 格式错误（mapping values are not allowed in this context）", "")


@pytest.mark.slow
@SAME
@given(lines=st.lists(st.sampled_from(LINES) | st.text(alphabet="-:?[]{}&*!#'\" \tab1中", max_size=10),
                      max_size=10),
       comments=st.booleans())
@example(lines=["a: b", "- c", "d: 'e"], comments=False)
def test_the_quick_yaml_path_gives_what_the_careful_one_gives_for_any_text(lines, comments, monkeypatch):
    text = "\n".join(lines)
    assert outcome(text, comments) == careful(text, comments, monkeypatch)


def test_a_staged_tree_holds_exactly_the_files_with_their_bytes_and_modes(tmp_path):
    media = tmp_path / "tu.png"
    media.write_bytes(b"\x89PNG picture")
    files: dict[str, bytes | Path] = {"index.html": "<p>首页</p>".encode(), "items/a.html": b"a" * 300_000,
                                      "items/b.html": b"", "media/w46/deep/tu.png": media}
    out = tmp_path / "output"
    write_tree(out, files, tmp_path / "area")
    found = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert found == {**{rel: data if isinstance(data, bytes) else data.read_bytes() for rel, data in files.items()},
                     MARKER: marker_text(files)}
    reference = tmp_path / "reference"
    reference.write_bytes(b"")  # what Path.write_bytes gives a new file under this umask
    assert {(p.stat().st_mode & 0o777) for p in out.rglob("*") if p.is_file()} == {reference.stat().st_mode & 0o777}


def test_a_template_is_read_once_for_a_command(tmp_path):
    templates = tmp_path / "templates"
    (templates / "site").mkdir(parents=True)
    page = templates / "site" / "x.html"
    page.write_text("一", encoding="utf-8")
    env = make_environment(templates)
    assert env.get_template("site/x.html").render() == "一"
    page.write_text("二", encoding="utf-8")  # the build's keys were made from the first bytes
    assert env.get_template("site/x.html").render() == "一"


def test_a_few_changes_to_a_large_output_folder_are_made_in_place(tmp_path, monkeypatch):
    """An edit that changes a few files of a large output folder renames each into place instead of
    staging the whole tree: the folder and every unchanged file stay the same files, and the
    result is byte for byte a clean build's; a new item and a deleted one too."""
    from briefgen.storage import tree

    monkeypatch.setattr(tree, "IN_PLACE_FROM", 10)  # the small bulletin counts as large
    monkeypatch.setattr(tree, "IN_PLACE_SHARE", 0.9)
    files = {f"content/w46/{n}.md": item(f"第{n}篇稿件", date="2026-11-10") for n in range(8)}
    root = write_bulletin(tmp_path / "repo", files)
    clean = write_bulletin(tmp_path / "clean", files)
    build_ok(root, "--no-pdf", "--no-search")
    out = root / "output"
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    folder = out.stat().st_ino
    for repo in (root, clean):
        (repo / "content/w46/3.md").write_text(item("第3篇稿件", date="2026-11-10", body="改过的正文。\n"),
                                               encoding="utf-8")
        (repo / "content/w46/8.md").write_text(item("新来的稿件", date="2026-11-11"), encoding="utf-8")
        (repo / "content/w46/5.md").unlink()
    build_ok(root, "--no-pdf", "--no-search")
    build_ok(clean, "--no-pdf", "--no-search")

    assert tree_hashes(out) == tree_hashes(clean / "output")
    assert out.stat().st_ino == folder
    kept = [rel for rel, ino in inodes.items() if (out / rel).exists() and (out / rel).stat().st_ino == ino]
    assert {"assets/site.css", "items/0.html", "items/7.html"} <= set(kept)
    assert not (out / "items/5.html").exists()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".briefgen-output"]
