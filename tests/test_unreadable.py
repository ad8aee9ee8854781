"""A folder under content/ that cannot be read is an error naming it: its items never vanish
from the bulletin without a word."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import item, write_bulletin

# As root every folder is readable, so root runs briefgen without the two capabilities that
# let it read past permissions.
AS_USER = (["setpriv", "--bounding-set=-dac_override,-dac_read_search",
            "--inh-caps=-dac_override,-dac_read_search"] if os.geteuid() == 0 else [])
MESSAGE = ("content/2026/w46: error: 无法读取这个文件夹，其中的稿件没有编入简报；"
           "请检查文件夹的权限（briefgen 需要能读取 content/ 下的每个文件夹）")


def briefgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AS_USER, sys.executable, "-m", "briefgen", "--root", str(root), *args],
                          capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture
def locked(tmp_path):
    if AS_USER and shutil.which("setpriv") is None:
        pytest.fail("setpriv (util-linux) is needed to drop root's read-anything capability")
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/w45/a.md": item("第45周稿件", date="2026-11-03"),
        "content/2026/w46/b.md": item("第46周稿件", date="2026-11-10"),
    })
    folder = root / "content/2026/w46"
    folder.chmod(0)
    yield root
    folder.chmod(0o755)


def test_check_names_the_folder_it_cannot_read(locked):
    result = briefgen(locked, "check")

    assert result.returncode == 1
    assert result.stdout == MESSAGE + "\n"
    assert result.stderr == "检查了 1 篇稿件：1 个错误，0 个警告。\n"


def test_build_stops_and_leaves_no_output(locked):
    result = briefgen(locked, "build", "--no-pdf", "--no-search")

    assert result.returncode == 1
    assert result.stderr == f"{MESSAGE}\n发现 1 个错误，未生成任何文件；output/ 保持上次的内容。\n"
    assert not (locked / "output").exists()
