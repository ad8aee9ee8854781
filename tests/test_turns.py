"""Commands that write take turns: one lock per repository, a clear message while waiting, a clear
failure after a short while, and no publication or output file ever lost to a second command."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from conftest import build_ok, item, run_briefgen, tree_hashes, write_bulletin

WAITING = "另一个 briefgen 命令（briefgen publish，进程 4242，09:30:00 开始）正在写入这个简报仓库，等它完成……\n"
GAVE_UP = ("briefgen: 另一个 briefgen 命令（briefgen publish，进程 4242，09:30:00 开始）仍在写入这个简报仓库，等了 0.3 秒"
           "还没有结束；本命令没有做任何改动。请等它完成后再运行（它结束或被中止时会自动放开，不需要删除任何文件）。\n")


def two_weeks(root: Path) -> Path:
    return write_bulletin(root, {
        "content/w46/a.md": item("第46周的稿件", date="2026-11-10"),
        "content/w47/b.md": item("第47周的稿件", unit="市财政局", date="2026-11-17"),
    })


class Held:
    """The repository's lock, held by this test as another briefgen would hold it."""

    def __init__(self, root: Path) -> None:
        path = root / ".briefgen-cache" / "lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.descriptor = os.open(path, os.O_RDWR | os.O_CREAT)
        fcntl.flock(self.descriptor, fcntl.LOCK_EX)
        os.ftruncate(self.descriptor, 0)
        os.write(self.descriptor, b"4242 09:30:00 publish\n")

    def release(self) -> None:
        os.close(self.descriptor)


def start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "briefgen", "--root", str(root), *args], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("command", [("build", "--no-pdf", "--no-search"), ("publish", "2026-W46"),
                                     ("check", "--fix-encoding"), ("stats", "--format", "csv", "--out", "x.csv")])
def test_a_command_that_writes_waits_then_fails_clearly(tmp_path, command, monkeypatch):
    root = two_weeks(tmp_path / "repo")
    monkeypatch.setenv("BRIEFGEN_LOCK_WAIT", "0.3")
    held = Held(root)
    before = tree_hashes(root)
    try:
        result = run_briefgen(root, *command)
    finally:
        held.release()
    assert (result.returncode, result.stdout, result.stderr) == (1, "", WAITING + GAVE_UP)
    assert tree_hashes(root) == before


def test_a_waiting_build_goes_on_when_the_other_command_ends(tmp_path, monkeypatch):
    root = two_weeks(tmp_path / "repo")
    monkeypatch.setenv("BRIEFGEN_LOCK_WAIT", "30")
    held = Held(root)
    threading.Timer(0.5, held.release).start()
    result = build_ok(root, "--no-pdf", "--no-search")
    assert result.stderr == WAITING
    assert result.stdout.startswith("已生成 2 期")


def test_check_without_fix_does_not_wait(tmp_path, monkeypatch):
    """Reading takes no turn: check answers while a build or publish runs."""
    root = two_weeks(tmp_path / "repo")
    monkeypatch.setenv("BRIEFGEN_LOCK_WAIT", "0")
    held = Held(root)
    try:
        result = run_briefgen(root, "check")
    finally:
        held.release()
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.slow
def test_two_publishes_at_once_both_land(tmp_path):
    """Two terminals, or CI and the editor: in every round both publications are in the ledger.
    (W46 is published first: published later than W47, its items would be late and flow on.)"""
    for round_ in range(3):  # without the lock, one of the two was lost in every round
        root = two_weeks(tmp_path / f"repo{round_}")
        assert run_briefgen(root, "publish", "2026-W46").returncode == 0
        first, second = start(root, "publish", "2026-W46", "--reissue"), start(root, "publish", "2026-W47")
        outs = [process.communicate(timeout=120) for process in (first, second)]
        assert [first.returncode, second.returncode] == [0, 0], outs
        recorded = yaml.safe_load((root / "published.yaml").read_text(encoding="utf-8"))["issues"]
        assert [entry["id"] for entry in recorded] == ["2026-W46", "2026-W47"]
        assert sorted(p.name for p in (root / "archive").iterdir()) == ["2026-W46.1.pdf", "2026-W46.pdf", "2026-W47.pdf"]
        check = run_briefgen(root, "check")
        assert (check.returncode, check.stdout) == (0, "")


@pytest.mark.slow
def test_two_builds_at_once_both_succeed_and_leave_a_whole_output(tmp_path):
    root = two_weeks(tmp_path / "repo")
    clean = two_weeks(tmp_path / "clean")
    bodies = [item("第46周的稿件", date="2026-11-10") + f"\n第{n}次修改。\n" for n in range(2)]
    want = []
    for text in bodies:
        (clean / "content/w46/a.md").write_text(text, encoding="utf-8")
        build_ok(clean, "--no-pdf", process=True)
        want.append(tree_hashes(clean / "output"))
    for round_ in range(3):  # each round changes an item, so that both builds have work to do
        (root / "content/w46/a.md").write_text(bodies[round_ % 2], encoding="utf-8")
        builds = [start(root, "build", "--no-pdf") for _ in range(2)]
        outs = [process.communicate(timeout=120) for process in builds]
        assert [process.returncode for process in builds] == [0, 0], outs
        assert tree_hashes(root / "output") == want[round_ % 2]
        assert all(path.stat().st_size > 0 for path in (root / "output" / "pagefind").rglob("*") if path.is_file())


def test_an_empty_search_file_recorded_by_an_earlier_build_is_made_again(tmp_path):
    """The search bundle is checked before it is kept: a file that came out empty is never kept."""
    root = two_weeks(tmp_path / "repo")
    build_ok(root, "--no-pdf")
    entry = root / "output" / "pagefind" / "pagefind-entry.json"
    whole = entry.read_bytes()
    entry.write_bytes(b"")
    record = next((root / ".briefgen-cache" / "outputs").glob("*.json"))
    manifest = json.loads(record.read_text(encoding="utf-8"))
    stat = entry.stat()
    manifest["files"]["pagefind/pagefind-entry.json"][1:] = [stat.st_size, stat.st_mtime_ns]
    record.write_text(json.dumps(manifest), encoding="utf-8")
    time.sleep(0.01)
    (root / "content/w47/b.md").write_text(item("第47周的稿件", unit="市财政局", date="2026-11-17"), encoding="utf-8")
    os.utime(root / "content/w47/b.md")

    build_ok(root, "--no-pdf")

    assert entry.read_bytes() == whole


def test_each_rebuild_of_the_preview_takes_its_turn(tmp_path, monkeypatch):
    """serve rebuilds through commands.build.build, which holds the lock while it writes."""
    from briefgen.commands.build import BuildOptions, build
    from briefgen.config.settings import load_config
    from briefgen.errors import BriefgenError

    root = two_weeks(tmp_path / "repo")
    monkeypatch.setenv("BRIEFGEN_LOCK_WAIT", "0")
    held = Held(root)
    try:
        with pytest.raises(BriefgenError) as refused:
            build(load_config(root), BuildOptions(pdf=False, search=False, drafts=True,
                                                  out=root / ".briefgen-cache" / "preview"))
    finally:
        held.release()
    assert refused.value.format_message().startswith("另一个 briefgen 命令（briefgen publish，进程 4242")
    assert not (root / ".briefgen-cache" / "preview").exists()
    build(load_config(root), BuildOptions(pdf=False, search=False, drafts=True, out=root / ".briefgen-cache" / "preview"))
    assert (root / ".briefgen-cache" / "preview" / "index.html").is_file()


def test_a_search_file_cut_short_while_indexing_is_never_swapped_in(tmp_path, monkeypatch):
    """Pagefind's service could report a bundle written while a file was still being written;
    a new bundle is checked to the end of every compressed file before it is used."""
    from briefgen.render import search

    root = two_weeks(tmp_path / "repo")
    build_ok(root, "--no-pdf")
    before = tree_hashes(root / "output")
    real = search._collect

    def cut_short(part, folder: Path, returncode: int):
        fragment = sorted((folder / "bundle" / "fragment").iterdir())[0]
        fragment.write_bytes(fragment.read_bytes()[:len(fragment.read_bytes()) // 2])
        return real(part, folder, returncode)

    monkeypatch.setattr(search, "_collect", cut_short)
    (root / "content/w47/b.md").write_text(item("第47周的稿件（改）", unit="市财政局", date="2026-11-17"),
                                           encoding="utf-8")
    result = run_briefgen(root, "build", "--no-pdf")

    assert (result.returncode, result.stderr) == (
        1, "briefgen: 站内搜索的索引没有生成完整（Pagefind 写出的文件缺失、为空或不完整）；output/ 保持上次的内容。"
           "请再运行一次；如果仍然如此，可以先用 --no-search 生成。\n")
    assert tree_hashes(root / "output") == before
