"""A build with nothing to do answers from the record of the last one, and only then."""

from __future__ import annotations

import json
import os
import re
import time

from conftest import build_ok, item, run_briefgen, tree_hashes, write_bulletin

RECORD = ".briefgen-cache/last-build.json"
# "（重新生成 N 个）" is left out when every file was made again.
SUMMARY = re.compile(r"已生成 2 期，网页文件 (\d+) 个(?:（重新生成 (\d+) 个）)?，输出到 output/，用时 \d+\.\d 秒。\n")


def bulletin(root):
    return write_bulletin(root, {
        "content/w46/a.md": item("第46周第一篇", date="2026-11-10"),
        # A remote image: a warning, which a build with nothing to do must repeat.
        "content/w47/b.md": item("第47周第一篇", date="2026-11-17", body="正文。\n\n![图](https://example.com/a.png)\n"),
    })


def inodes(folder):
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def counts(result):
    match = SUMMARY.fullmatch(result.stdout)
    assert match, result.stdout
    files = int(match.group(1))
    return files, files if match.group(2) is None else int(match.group(2))


def test_nothing_changed_repeats_the_warnings_and_touches_nothing(tmp_path):
    root = bulletin(tmp_path / "repo")
    first = build_ok(root, "--no-pdf")
    before = inodes(root / "output")

    again = build_ok(root, "--no-pdf")

    assert again.stderr == first.stderr
    assert again.stderr == "content/w47/b.md:10: warning: 不载入网络图片 https://example.com/a.png，只显示其说明文字\n"
    files, rendered = counts(again)
    pages = [rel for rel in before if not rel.startswith("pagefind/") and rel != ".briefgen-output"]
    assert (files, rendered) == (len(pages), 0)  # the site's own files, not the marker or the search index
    assert inodes(root / "output") == before
    assert json.loads((root / RECORD).read_text(encoding="utf-8"))["result"]["html_files"] == files


def test_a_touched_item_is_read_again_but_changes_nothing(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    before = inodes(root / "output")
    os.utime(root / "content/w46/a.md")  # same bytes, new time: not the shortcut, but no page differs

    assert counts(build_ok(root, "--no-search", "--no-pdf"))[1] == 0
    assert inodes(root / "output") == before


def test_each_kind_of_input_ends_the_shortcut(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    edits = [
        lambda: (root / "content/w46/a.md").write_text(item("第46周第一篇（改）", date="2026-11-10"), encoding="utf-8"),
        lambda: write_bulletin(root, {"templates/site/colophon.html": "<footer>本网页由测试模板生成</footer>\n"},
                               config=(root / "briefgen.yaml").read_text(encoding="utf-8")),
        lambda: (root / "briefgen.yaml").write_text(
            (root / "briefgen.yaml").read_text(encoding="utf-8").replace("copies: 30", "copies: 31"), encoding="utf-8"),
        lambda: (root / "content/w47/c.md").write_text(item("第47周第二篇", date="2026-11-18"), encoding="utf-8"),
    ]
    for number, edit in enumerate(edits):
        edit()
        files, rendered = counts(build_ok(root, "--no-search", "--no-pdf"))
        assert rendered > 0, number
    assert "本网页由测试模板生成" in (root / "output/issues/2026-W47.html").read_text(encoding="utf-8")


def test_a_changed_output_file_is_made_again(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    good = tree_hashes(root / "output")

    (root / "output/index.html").write_text("被人改过", encoding="utf-8")
    assert counts(build_ok(root, "--no-search", "--no-pdf"))[1] == 1
    assert tree_hashes(root / "output") == good

    (root / "output/items/a.html").unlink()
    build_ok(root, "--no-search", "--no-pdf")
    assert tree_hashes(root / "output") == good


def test_other_options_or_folders_are_not_answered_from_the_record(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    whole = json.loads((root / RECORD).read_text(encoding="utf-8"))

    other = build_ok(root, "--no-search", "--no-pdf", "--out", str(tmp_path / "elsewhere"))
    assert "重新生成" not in other.stdout  # a first build there: everything rendered
    assert tree_hashes(tmp_path / "elsewhere") == tree_hashes(root / "output")

    one = build_ok(root, "--no-search", "--no-pdf", "--period", "2026-W47")
    assert one.stdout.startswith("已生成 1 期")
    assert json.loads((root / RECORD).read_text(encoding="utf-8"))["inputs"] != whole["inputs"]


def test_the_record_lasts_until_the_end_of_the_day(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    record = json.loads((root / RECORD).read_text(encoding="utf-8"))
    # Items dated ahead of today are checked against today: a new day means a real build.
    record["valid_until"] = 0
    (root / RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = build_ok(root, "--no-search", "--no-pdf")
    assert counts(result)[1] == 0
    assert json.loads((root / RECORD).read_text(encoding="utf-8"))["valid_until"] > 0


def test_a_damaged_record_only_costs_the_shortcut(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    good = tree_hashes(root / "output")
    for damage in ("", "{", "[]", '{"inputs": 1}'):
        (root / RECORD).write_text(damage, encoding="utf-8")
        result = run_briefgen(root, "build", "--no-search", "--no-pdf")
        assert result.returncode == 0, result.stderr
        assert tree_hashes(root / "output") == good


def test_a_failed_build_is_never_answered_from_the_record(tmp_path):
    root = bulletin(tmp_path / "repo")
    build_ok(root, "--no-search", "--no-pdf")
    (root / "content/w46/a.md").write_text(item("第46周第一篇", unit="市教育厅", date="2026-11-10"), encoding="utf-8")
    for _ in range(2):
        result = run_briefgen(root, "build", "--no-search", "--no-pdf")
        assert result.returncode == 1
        assert result.stderr.startswith("content/w46/a.md:3: error: 未知的单位 '市教育厅'")


def test_settled_allows_for_the_timestamp_tick_of_the_file_system():
    from briefgen.incremental.uptodate import settled

    now = 1_800_000_000_123_456_789
    assert settled(now - 60_000_000, now)  # a fine-grained time, 60 ms ago
    assert not settled(now - 40_000_000, now)
    whole = 1_800_000_000_000_000_000  # a time in whole seconds: perhaps a FAT drive's
    assert not settled(whole, whole + 2_900_000_000)
    assert settled(whole, whole + 3_100_000_000)


def test_an_edit_within_the_same_coarse_tick_is_not_missed(tmp_path):
    # On a file system that keeps whole-second (or two-second) times, an edit right after a build
    # can leave a file's size and times as they were. Simulated with the same size and modification
    # time (this file system still moves the change time, which a coarse one might not): what makes
    # it safe there is that such a file is never recorded as known.
    root = bulletin(tmp_path / "repo")
    path = root / "content/w46/a.md"
    tick = (time.time_ns() // 1_000_000_000) * 1_000_000_000
    os.utime(path, ns=(tick, tick))
    build_ok(root, "--no-search", "--no-pdf")
    assert not (root / RECORD).exists()  # too new to be sure of: nothing recorded

    path.write_text(path.read_text(encoding="utf-8").replace("第46周第一篇", "第46周首篇稿"), encoding="utf-8")
    os.utime(path, ns=(tick, tick))
    build_ok(root, "--no-search", "--no-pdf")

    assert "第46周首篇稿" in (root / "output/items/a.html").read_text(encoding="utf-8")
