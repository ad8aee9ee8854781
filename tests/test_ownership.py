"""briefgen deletes or replaces only files it wrote: in output/, beside it, in archive/, and where
a report is written. Everything else is the office's, whatever it is called."""

from __future__ import annotations

import os
import signal

import pytest
from conftest import build_ok, item, leftovers, run_briefgen_process, tree_hashes, write_bulletin

REFUSED_TAIL = "生成时会整体替换这个目录，为免误删，没有生成。请把这些文件移到别处，或用 --out 指定一个空目录或新目录。\n"


def assert_refused(result, root, count, named, before):
    """The build stopped, naming what is not briefgen's, and output/ is as it was."""
    assert result.returncode == 1
    assert result.stderr == (f"briefgen: 输出目录 {(root / 'output').resolve()} 中有 {count} 个文件不是 briefgen 生成的"
                             f"（{named}）；{REFUSED_TAIL}")
    assert tree_hashes(root / "output") == before


def small(root):
    return write_bulletin(root, {"content/2026/a.md": item("稿件甲"), "content/2026/b.md": item("稿件乙", date="2026-11-11")})


def test_the_first_build_into_an_output_folder_holding_the_offices_files_stops(tmp_path, run):
    root = small(tmp_path / "repo")
    (root / "output" / "mine").mkdir(parents=True)
    (root / "output" / "notes.txt").write_text("会议记录", encoding="utf-8")
    (root / "output" / "mine" / "draft.docx").write_bytes(b"PK\x03\x04 not ours")
    before = tree_hashes(root / "output")

    result = run(root, "build", "--no-pdf", "--no-search")

    assert_refused(result, root, 2, "notes.txt、mine/draft.docx", before)


def test_a_file_added_to_a_built_output_folder_stops_the_next_build(tmp_path, run):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-pdf", "--no-search")
    (root / "output" / "items" / "备忘.txt").write_text("编辑的备忘", encoding="utf-8")
    (root / "content/2026/a.md").write_text(item("稿件甲（改）"), encoding="utf-8")
    before = tree_hashes(root / "output")

    result = run(root, "build", "--no-pdf", "--no-search")

    assert_refused(result, root, 1, "items/备忘.txt", before)
    (root / "output" / "items" / "备忘.txt").unlink()
    build_ok(root, "--no-pdf", "--no-search")
    assert "稿件甲（改）" in (root / "output" / "items" / "a.html").read_text(encoding="utf-8")


def test_an_empty_output_folder_and_an_empty_subfolder_are_fine(tmp_path):
    root = small(tmp_path / "repo")
    (root / "output").mkdir()
    build_ok(root, "--no-pdf", "--no-search")
    (root / "output" / "空文件夹").mkdir()
    (root / "content/2026/a.md").write_text(item("稿件甲（改）"), encoding="utf-8")
    build_ok(root, "--no-pdf", "--no-search")
    assert (root / "output" / "items" / "a.html").is_file()


def test_the_marker_lists_every_file_the_build_wrote(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-pdf", "--no-search")
    marker = (root / "output" / ".briefgen-output").read_text(encoding="utf-8").splitlines()
    assert marker[:2] == ["本目录由 briefgen 生成，每次生成时整体替换，请勿在此存放其他文件。",
                          "# 以下是 briefgen 写入本目录的文件："]
    assert marker[2:] == sorted(set(tree_hashes(root / "output")) - {".briefgen-output"})


def test_an_older_marker_without_a_list_still_makes_the_folder_briefgens(tmp_path):
    """Output folders written by an earlier briefgen carry the marker's first line only."""
    root = small(tmp_path / "repo")
    build_ok(root, "--no-pdf", "--no-search")
    (root / "output" / ".briefgen-output").write_text(
        "本目录由 briefgen 生成，每次生成时整体替换，请勿在此存放其他文件。\n", encoding="utf-8")
    (root / "content/2026/a.md").write_text(item("稿件甲（改）"), encoding="utf-8")
    build_ok(root, "--no-pdf", "--no-search")
    assert "稿件甲（改）" in (root / "output" / "items" / "a.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("where, inside", [
    ("archive", "archive/"), ("archive/2026", "archive/"), (".git", ".git/"), (".git/hooks", ".git/"),
    (".briefgen-cache", ".briefgen-cache/"), (".briefgen-cache/items", ".briefgen-cache/"),
    ("fonts", "fonts/"),
])
def test_out_may_not_be_or_lie_in_a_source_folder(tmp_path, run, where, inside):
    root = small(tmp_path / "repo")
    for folder in ("archive", ".git/hooks", ".briefgen-cache/items", "fonts"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "archive" / "2026-W46.pdf").write_bytes(b"%PDF-1.7 published")
    before = tree_hashes(root)

    result = run(root, "build", "--no-pdf", "--no-search", "--out", where)

    assert result.returncode == 1
    assert result.stderr == f"briefgen: 输出目录 {(root / where).resolve()} 位于 {inside} 之内，会覆盖源文件，请换一个目录。\n"
    assert tree_hashes(root) == before


def test_the_preview_may_live_in_the_cache(tmp_path):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-pdf", "--no-search", "--out", ".briefgen-cache/preview")
    assert (root / ".briefgen-cache" / "preview" / "items" / "a.html").is_file()


def test_build_into_archive_is_refused_so_a_published_pdf_survives(tmp_path, run):
    root = small(tmp_path / "repo")
    assert run(root, "publish", "2026-W46").returncode == 0
    published = tree_hashes(root / "archive")

    result = run(root, "build", "--out", "archive")

    assert result.returncode == 1
    assert "位于 archive/ 之内，会覆盖源文件" in result.stderr
    assert tree_hashes(root / "archive") == published


def test_publish_never_replaces_an_offices_own_pdf_in_archive(tmp_path, run):
    root = small(tmp_path / "repo")
    (root / "archive").mkdir()
    (root / "archive" / "2026-W46.pdf").write_bytes(b"%PDF-1.7 the office's own scan")

    check = run(root, "check")
    result = run(root, "publish", "2026-W46")

    assert check.stdout == ("archive/2026-W46.pdf: warning: 这个 PDF 不在发布记录中：可能是上次发布 2026-W46 时中断了；"
                            "请再运行 briefgen publish 2026-W46 完成发布；如果它是手工放入的，请把它移出 archive/\n")
    assert result.returncode == 1
    assert result.stderr == ("briefgen: archive/2026-W46.pdf 已存在，但发布记录中没有它（可能是手工放入的，"
                             "或是中断的发布之后稿件又改过）；为免覆盖，未发布；published.yaml 没有改动。"
                             "请先把它移出 archive/，再运行本命令。\n")
    assert (root / "archive" / "2026-W46.pdf").read_bytes() == b"%PDF-1.7 the office's own scan"
    assert not (root / "published.yaml").exists()


@pytest.mark.parametrize("target, message", [
    ("briefgen.yaml", "briefgen.yaml 是简报仓库的设置文件，不能被统计覆盖；未生成统计。请换一个文件名。"),
    ("published.yaml", "published.yaml 是简报仓库的设置文件，不能被统计覆盖；未生成统计。请换一个文件名。"),
    ("content/2026/a.md", "content/2026/a.md 位于 content/ 之内，统计不能写在那里；未生成统计。请换一个位置。"),
    ("templates/x.csv", "templates/x.csv 位于 templates/ 之内，统计不能写在那里；未生成统计。请换一个位置。"),
    ("notes.csv", "notes.csv 已存在，而且不是 briefgen 写的统计；为免覆盖，未生成统计。请换一个文件名，或先把它移走。"),
])
def test_stats_out_never_overwrites_a_file_it_did_not_write(tmp_path, run, target, message):
    root = small(tmp_path / "repo")
    (root / "notes.csv").write_text("单位,备注\n", encoding="utf-8")
    before = tree_hashes(root)

    result = run(root, "stats", "--format", "csv", "--out", target, cwd=root)

    assert (result.returncode, result.stderr) == (1, f"briefgen: {message}\n")
    assert tree_hashes(root) == before


def test_stats_out_may_replace_the_report_it_wrote(tmp_path, run):
    root = small(tmp_path / "repo")
    assert run(root, "stats", "--format", "csv", "--out", "通报.csv", cwd=root).returncode == 0
    first = (root / "通报.csv").read_bytes()
    (root / "content/2026/c.md").write_text(item("稿件丙", unit="市财政局", date="2026-11-12"), encoding="utf-8")

    again = run(root, "stats", "--format", "csv", "--out", "通报.csv", cwd=root)

    assert again.returncode == 0, again.stderr
    assert (root / "通报.csv").read_bytes() != first
    assert "市财政局" in (root / "通报.csv").read_text(encoding="utf-8-sig")


def test_stats_out_into_the_output_folder_is_refused(tmp_path, run):
    root = small(tmp_path / "repo")
    build_ok(root, "--no-pdf", "--no-search")
    result = run(root, "stats", "--format", "csv", "--out", "output/通报.csv", cwd=root)
    assert (result.returncode, result.stderr) == (
        1, "briefgen: output/通报.csv 位于 briefgen 生成的输出目录之内，下次生成时会被删除；未生成统计。请换一个位置。\n")
    assert not (root / "output" / "通报.csv").exists()


@pytest.mark.slow
def test_a_build_killed_while_indexing_leaves_nothing_in_the_repository_root(tmp_path):
    root = small(tmp_path / "repo")
    listing = sorted(p.name for p in root.iterdir())

    result = run_briefgen_process(root, "build", "--no-pdf", env={**os.environ, "BRIEFGEN_KILL_AT": "search:pages-written"})

    assert result.returncode == -signal.SIGKILL
    assert sorted(p.name for p in root.iterdir()) == sorted([*listing, ".briefgen-cache"])
    scratch = root / ".briefgen-cache" / "scratch"
    assert [p.name for p in scratch.iterdir() if p.name.startswith("search-")] != []  # the item pages, in the cache
    build_ok(root, "--no-pdf")
    assert leftovers(root / "output") == []
    assert not scratch.exists()
