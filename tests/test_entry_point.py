"""The in-process runner most tests use (conftest.run_briefgen) against the real entry point.

Each case runs once through `python -m briefgen` in a fresh process and once through
briefgen.cli.main() in this process: the exit code, stdout and stderr must be the same text.
The cases cover each way main() ends: success, a command's own exit code, Click's usage
errors in Chinese, --help, and a defect in briefgen reported as "内部错误" with exit code 70.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SMALL_ITEMS, item, run_briefgen, run_briefgen_process, write_bulletin

CASES = {
    "version": ["--version"],
    "help of a command": ["build", "-h"],
    "check passes": ["check"],
    "check fails": ["check", "--strict"],
    "mistyped option": ["build", "--no-pfd"],
    "mistyped command": ["biuld"],
    "missing argument": ["publish"],
    "invalid choice": ["stats", "--by", "nobody"],
    "stats table": ["stats", "--period", "2026-11"],
}


@pytest.fixture(scope="module")
def bulletin(tmp_path_factory) -> Path:
    files = dict(SMALL_ITEMS)
    files["content/2026/2026-W46/weizhi.md"] = item("未知单位的稿件", unit="市教育厅", date="2026-11-11")
    return write_bulletin(tmp_path_factory.mktemp("entry") / "repo", files)


@pytest.mark.parametrize("case", list(CASES))
def test_in_process_runs_give_what_the_real_entry_point_gives(bulletin, case):
    args = CASES[case]
    real = run_briefgen_process(bulletin, *args)
    here = run_briefgen(bulletin, *args)
    assert (here.returncode, here.stdout, here.stderr) == (real.returncode, real.stdout, real.stderr)
    assert real.stdout or real.stderr  # each case says something


def test_in_process_runs_put_back_what_they_change(bulletin, tmp_path):
    before = (os.getcwd(), dict(os.environ), sys.argv, sys.stdout, sys.stderr, sys.stdin,
              signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    result = run_briefgen(bulletin, "check", cwd=tmp_path, env={**os.environ, "BRIEFGEN_TEST_MARK": "1"})
    assert result.returncode == 1, result.stderr
    assert (os.getcwd(), dict(os.environ), sys.argv, sys.stdout, sys.stderr, sys.stdin,
            signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before


# A defect: `briefgen check` raising an exception briefgen does not expect. The real process runs
# main() after the same patch, so that both go through main()'s last resort.
DEFECT = "import briefgen.commands.check as c; c.run_check = lambda *a: 1 / 0"


def test_a_defect_is_an_internal_error_with_exit_code_70(bulletin, monkeypatch):
    import briefgen.commands.check

    env = {k: v for k, v in os.environ.items() if k != "BRIEFGEN_DEBUG"}
    script = f"{DEFECT}\nimport sys\nsys.argv = ['briefgen', '--root', {str(bulletin)!r}, 'check']\n" \
             "from briefgen.cli import main\nmain()\n"
    real = subprocess.run([sys.executable, "-c", script], cwd=bulletin, env=env, capture_output=True, text=True,
                          timeout=120)
    monkeypatch.setattr(briefgen.commands.check, "run_check", lambda *a: 1 / 0)
    here = run_briefgen(bulletin, "check", env=env)
    message = ("briefgen: 内部错误（ZeroDivisionError: division by zero）。这是 briefgen 的缺陷，请把这条信息和引起它的文件"
               "报告给维护者；设置环境变量 BRIEFGEN_DEBUG=1 可以看到详细信息。\n")
    assert (real.returncode, real.stdout, real.stderr) == (70, "", message)
    assert (here.returncode, here.stdout, here.stderr) == (70, "", message)
