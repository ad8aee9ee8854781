"""The command line: each command under its own name, with Chinese help."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import write_bulletin

from briefgen.cli import cli

COMMANDS = ["build", "calls", "check", "doctor", "export", "import", "init", "new", "publish", "review", "serve",
            "stats"]


def test_every_command_is_registered_under_its_name():
    assert sorted(cli.commands) == COMMANDS
    assert [cli.commands[name].name for name in COMMANDS] == COMMANDS


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["-h"])

    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("命令：\n", 1)[1].splitlines() if line.strip()]
    assert listed == COMMANDS


def test_a_failed_build_names_the_folder_it_left_as_it_was(tmp_path, run):
    root = write_bulletin(tmp_path / "b", {"content/a.md": "---\ntitle: 稿件\nunit: 市教育局\ntopic: 工作动态\n---\n"})
    out = tmp_path / "site"
    result = run(root, "build", "--out", str(out), cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"发现 2 个错误，未生成任何文件；{out}/ 保持上次的内容。"
    default = run(root, "build", cwd=root)
    assert default.stderr.splitlines()[-1] == "发现 2 个错误，未生成任何文件；output/ 保持上次的内容。"
