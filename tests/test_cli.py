"""The command line: each command under its own name, with Chinese help."""

from __future__ import annotations

from click.testing import CliRunner

from briefgen.cli import cli

COMMANDS = ["build", "check", "doctor", "init", "new", "publish", "review", "serve", "stats"]


def test_every_command_is_registered_under_its_name():
    assert sorted(cli.commands) == COMMANDS
    assert [cli.commands[name].name for name in COMMANDS] == COMMANDS


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["-h"])

    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("命令：\n", 1)[1].splitlines() if line.strip()]
    assert listed == COMMANDS
