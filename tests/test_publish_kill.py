"""publish killed (SIGKILL, as by a power cut) at every step: `check` says what happened and what to
do, the same command run again completes the publication, and archive/ and published.yaml end
byte for byte as an uninterrupted publish leaves them."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest
from conftest import item, run_briefgen, run_briefgen_process, tree_hashes, write_bulletin

pytestmark = pytest.mark.slow  # real publishes, each rendering a PDF

UNTOUCHED = "检查了 2 篇稿件：0 个错误，0 个警告。\n"


def bulletin(root: Path) -> Path:
    return write_bulletin(root, {
        "content/w46/b.md": item("第46周第一篇", date="2026-11-10"),
        "content/w46/c.md": item("第46周第二篇", unit="市财政局", date="2026-11-11"),
    })


def record(root: Path) -> dict[str, str]:
    """What publication leaves: archive/ and the ledger, with every temporary file."""
    state = {f"archive/{rel}": digest for rel, digest in tree_hashes(root / "archive").items()} \
        if (root / "archive").is_dir() else {}
    state.update({path.name: tree_hashes(root)[path.name] for path in root.iterdir()
                  if path.is_file() and "published.yaml" in path.name})
    return state


def killed(root: Path, point: str, *args: str) -> None:
    result = run_briefgen_process(root, "publish", *args, env={**os.environ, "BRIEFGEN_KILL_AT": point})
    assert result.returncode == -signal.SIGKILL, (point, result.stdout, result.stderr)


def reissue_ready(root: Path) -> Path:
    """The bulletin with 2026-W46 published, then one of its items edited."""
    bulletin(root)
    assert run_briefgen(root, "publish", "2026-W46").returncode == 0
    (root / "content/w46/b.md").write_text(item("第46周第一篇（修改）", date="2026-11-10"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> dict[str, dict[str, str]]:
    """archive/ and the ledger after a publish and after a reissue that nobody interrupted."""
    first = bulletin(tmp_path_factory.mktemp("first") / "repo")
    assert run_briefgen(first, "publish", "2026-W46").returncode == 0
    again = reissue_ready(tmp_path_factory.mktemp("again") / "repo")
    assert run_briefgen(again, "publish", "2026-W46", "--reissue").returncode == 0
    return {"first": record(first), "reissue": record(again)}


PARTIAL_PDF = ("archive/.2026-W46.pdf.{pid}.tmp: warning: 这是上次发布中断时留下的临时文件；"
               "下次运行 briefgen publish 时会自动删除；请不要提交它\n")
PARTIAL_LEDGER = (".published.yaml.{pid}.tmp: warning: 这是上次发布中断时留下的临时文件；"
                  "下次运行 briefgen publish 时会自动删除；请不要提交它\n")
UNRECORDED = ("archive/2026-W46.pdf: warning: 这个 PDF 不在发布记录中：可能是上次发布 2026-W46 时中断了；"
              "请再运行 briefgen publish 2026-W46 完成发布；如果它是手工放入的，请把它移出 archive/\n")


@pytest.mark.parametrize("point, says", [
    ("publish:rendered", ""),
    ("atomic:written#1", PARTIAL_PDF),  # the PDF written, not yet renamed into place
    ("publish:pdf-written", UNRECORDED),
    ("atomic:written#2", PARTIAL_LEDGER + UNRECORDED),  # the ledger written, not yet renamed
])
def test_a_first_publish_killed_at_any_step(tmp_path, uninterrupted, point, says):
    root = bulletin(tmp_path / "repo")

    killed(root, point, "2026-W46")

    check = run_briefgen(root, "check")
    partials = sorted(p.name for p in [*root.glob(".*.tmp"), *(root / "archive").glob(".*.tmp")])
    pid = partials[0].split(".")[-2] if partials else ""
    assert (check.returncode, check.stdout) == (0, says.format(pid=pid))
    assert check.stderr == UNTOUCHED.replace("0 个警告", f"{says.count('warning')} 个警告")
    again = run_briefgen(root, "publish", "2026-W46")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("已发布 2026-W46：2026年第5期")
    assert record(root) == uninterrupted["first"]
    assert run_briefgen(root, "check").stdout == ""


EARLIER_UNRECORDED = ("archive/2026-W46.1.pdf: warning: 这个 PDF 不在发布记录中：可能是上次重新发布 2026-W46 时中断了；"
                      "请再运行 briefgen publish 2026-W46 --reissue 完成它；如果它是手工放入的，请把它移出 archive/\n")
PENDING_UNRECORDED = EARLIER_UNRECORDED.replace("2026-W46.1.pdf", ".2026-W46.pdf.new")
CHANGED = ("content/w46/b.md:1: error: 这篇稿件已在 2026年第5期（2026-W46，{day} 发布）刊出，发布后又改动了；"
           "如确需改动，请运行 briefgen publish 2026-W46 --reissue 重新发布（原记录保留在发布记录中）；"
           "或者在下一期的设置中写更正（errata）\n")
INCOMPLETE = ("published.yaml:3: warning: 2026-W46 的重新发布没有完成；"
              "请再运行 briefgen publish 2026-W46 --reissue 完成它\n")
PARTIAL_EARLIER = PARTIAL_PDF.replace(".2026-W46.pdf.", ".2026-W46.1.pdf.")
PARTIAL_PENDING = PARTIAL_PDF.replace(".2026-W46.pdf.", "..2026-W46.pdf.new.")


@pytest.mark.parametrize("point, says", [
    ("publish:rendered", CHANGED),
    ("atomic:written#1", PARTIAL_EARLIER + CHANGED),  # the earlier release's copy, not yet renamed
    ("publish:earlier-kept", EARLIER_UNRECORDED + CHANGED),
    ("atomic:written#2", PARTIAL_PENDING + EARLIER_UNRECORDED + CHANGED),  # the new PDF, not yet renamed
    ("publish:pdf-written", PENDING_UNRECORDED + EARLIER_UNRECORDED + CHANGED),
    ("atomic:written#3", PARTIAL_LEDGER + PENDING_UNRECORDED + EARLIER_UNRECORDED + CHANGED),
    ("publish:recorded", INCOMPLETE),  # published: only the new PDF's move into place is left
])
def test_a_reissue_killed_at_any_step(tmp_path, uninterrupted, point, says):
    root = reissue_ready(tmp_path / "repo")
    day = (root / "published.yaml").read_text(encoding="utf-8").split("    date: ")[1][:10]

    killed(root, point, "2026-W46", "--reissue")

    check = run_briefgen(root, "check")
    partials = sorted(p.name for p in [*root.glob(".*.tmp"), *(root / "archive").glob(".*.tmp")])
    pid = partials[0].split(".")[-2] if partials else ""
    assert check.stdout == says.format(pid=pid, day=day)
    assert check.returncode == (1 if "error" in says else 0)
    again = run_briefgen(root, "publish", "2026-W46", "--reissue")
    assert again.returncode == 0, again.stderr
    if point == "publish:recorded":
        assert again.stdout == ("已完成上次中断的发布：2026-W46 的 PDF 已放入 archive/；"
                                "请把 published.yaml 和 archive/ 与稿件一起提交。\n")
    else:
        assert again.stdout.startswith("已重新发布 2026-W46：2026年第5期")
    assert record(root) == uninterrupted["reissue"]
    assert run_briefgen(root, "check").stdout == ""


def test_a_reissue_never_replaces_an_earlier_copy_it_did_not_make(tmp_path):
    root = reissue_ready(tmp_path / "repo")
    mine = root / "archive" / "2026-W46.1.pdf"
    mine.write_bytes(b"%PDF-1.7 the office's own scan")
    before = record(root)

    result = run_briefgen(root, "publish", "2026-W46", "--reissue")

    assert result.returncode == 1
    assert result.stderr == ("briefgen: archive/2026-W46.1.pdf 已存在，但它不是发布记录中的上一版；为免覆盖，"
                             "未发布；published.yaml 没有改动。请先把它移出 archive/，再运行本命令。\n")
    assert record(root) == before
    shutil.move(mine, tmp_path / "scan.pdf")
    assert run_briefgen(root, "publish", "2026-W46", "--reissue").returncode == 0
    assert sorted(p.name for p in (root / "archive").iterdir()) == ["2026-W46.1.pdf", "2026-W46.pdf"]
