"""publish killed (SIGKILL) between any two of its steps: the ledger names only PDFs that are in
archive/ as it recorded them, and the same command run again completes the publication."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import item, run_briefgen, write_bulletin

pytestmark = pytest.mark.slow  # eight real publishes, each rendering a PDF

# The real entry point, with one of publish's steps made to end the process the moment it returns.
KILLER = """
import os, signal, sys
import briefgen.commands.publish as publish
step = sys.argv.pop(1)
real = getattr(publish, step)
def then_die(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(publish, step, then_die)
sys.argv[0] = "briefgen"
from briefgen.cli import main
main()
"""


def bulletin(root: Path) -> Path:
    return write_bulletin(root, {
        "content/w46/b.md": item("第46周第一篇", date="2026-11-10"),
        "content/w46/c.md": item("第46周第二篇", unit="市财政局", date="2026-11-11"),
    })


def killed_at(step: str, root: Path, *args: str) -> None:
    result = subprocess.run([sys.executable, "-c", KILLER, step, "--root", str(root), "publish", *args],
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == -signal.SIGKILL, result.stderr


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ledger(root: Path) -> dict:
    if not (root / "published.yaml").exists():
        return {}
    return {entry["id"]: entry for entry in yaml.safe_load((root / "published.yaml").read_text("utf-8"))["issues"]}


def assert_archive_agrees(root: Path) -> None:
    """What check says of archive/, and the ledger's hashes read independently of briefgen."""
    check = run_briefgen(root, "check")
    assert "发布时的 PDF" not in check.stdout + check.stderr
    for issue_id, entry in ledger(root).items():
        named = {sha256(path) for path in (root / "archive").glob(f"*{issue_id}*")}
        assert entry["pdf"] in named
        assert {old["pdf"] for old in entry.get("history", [])} <= named


def assert_published_whole(root: Path, releases: int) -> None:
    entry = ledger(root)["2026-W46"]
    assert sha256(root / "archive" / "2026-W46.pdf") == entry["pdf"]
    assert len(entry.get("history", [])) == releases - 1
    for number, old in enumerate(entry.get("history", []), start=1):
        assert sha256(root / "archive" / f"2026-W46.{number}.pdf") == old["pdf"]
    assert sorted(p.name for p in (root / "archive").iterdir()) == sorted(
        ["2026-W46.pdf"] + [f"2026-W46.{n}.pdf" for n in range(1, releases)])
    check = run_briefgen(root, "check")
    assert check.returncode == 0, check.stdout
    assert "没有完成" not in check.stdout


@pytest.mark.parametrize("step", ["atomic_write", "save_ledger"])
def test_a_first_publish_killed_between_steps_is_completed_by_a_second(tmp_path, step):
    root = bulletin(tmp_path / "repo")

    killed_at(step, root, "2026-W46")

    assert_archive_agrees(root)
    if "2026-W46" not in ledger(root):
        result = run_briefgen(root, "publish", "2026-W46")
        assert result.returncode == 0, result.stderr
    assert_published_whole(root, releases=1)


@pytest.mark.parametrize("step", ["_keep_earlier", "atomic_write", "save_ledger"])
def test_a_reissue_killed_between_steps_is_completed_by_a_second(tmp_path, step):
    root = bulletin(tmp_path / "repo")
    assert run_briefgen(root, "publish", "2026-W46").returncode == 0
    first = ledger(root)["2026-W46"]["pdf"]
    (root / "content/w46/b.md").write_text(item("第46周第一篇（修改）", date="2026-11-10"), encoding="utf-8")

    killed_at(step, root, "2026-W46", "--reissue")

    assert_archive_agrees(root)
    again = run_briefgen(root, "publish", "2026-W46", "--reissue")
    assert again.returncode == 0, again.stderr
    if step == "save_ledger":
        assert again.stdout.startswith("已完成上次中断的发布：2026-W46 的 PDF 已放入 archive/")
    assert_published_whole(root, releases=2)
    assert ledger(root)["2026-W46"]["history"][0]["pdf"] == first
