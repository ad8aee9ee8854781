"""The exceptions briefgen raises, and the diagnostics it reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

import click


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in an input file, located by path and line."""

    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text}；{self.hint}" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    """Make an error diagnostic."""
    return Diagnostic(path, line, "error", message, hint)


def warning(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    """Make a warning diagnostic."""
    return Diagnostic(path, line, "warning", message, hint)


class BriefgenError(click.ClickException):
    """Base of every error briefgen reports to the user; the CLI catches it once."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"briefgen: {self.format_message()}", err=True, file=file)


class ConfigError(BriefgenError):
    """briefgen.yaml is missing or wrong."""


class InputError(BriefgenError):
    """One or more items or settings files are wrong; every problem is listed."""

    NOTHING_WRITTEN = "未生成任何文件；output/ 保持上次的内容。"

    def __init__(self, diagnostics: Iterable[Diagnostic], outcome: str = NOTHING_WRITTEN):
        self.diagnostics = tuple(sorted(diagnostics))
        errors = sum(d.is_error for d in self.diagnostics)
        lines = [str(d) for d in self.diagnostics]
        lines.append(f"发现 {errors} 个错误，{outcome}")
        super().__init__("\n".join(lines))

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.format_message(), err=True, file=file)


class BuildError(BriefgenError):
    """Rendering or writing the output failed."""
