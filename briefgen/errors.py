"""The exceptions briefgen raises, the diagnostics it reports, and the words for system faults
(a full disk, a read-only folder, no permission): not defects of briefgen, nor mistakes in
the content, so the message names the folder and says what to do."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
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


def note(path: str, line: int, message: str, hint: str = "") -> Diagnostic:
    """Make a note: something the editor should know that is not a problem (check --strict passes)."""
    return Diagnostic(path, line, "note", message, hint)


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


WRITE_FAULTS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}
ACCESS_FAULTS = {errno.EACCES, errno.EPERM}


def os_problem(exc: OSError) -> str | None:
    """A sentence for a system fault, naming where it happened; None for any other error."""
    path = Path(os.fsdecode(exc.filename)) if exc.filename is not None else None
    if exc.errno in WRITE_FAULTS:
        folder = path.parent if path is not None else None
        where = f" {shown(folder)}" if folder is not None else ""
        if exc.errno == errno.EROFS:
            return f"无法写入{where}：它所在的磁盘是只读的；请换一个可写的目录，或请管理员把它改为可写"
        return f"磁盘空间不足，无法写入{where}；请清理磁盘空间后再运行"
    if exc.errno in ACCESS_FAULTS:
        where = f" {shown(path)}" if path is not None else ""
        return f"没有权限访问{where}；请检查它和它所在文件夹的权限（运行 briefgen 的用户要能读写它）"
    if exc.errno == errno.EIO:
        where = f" {shown(path)}" if path is not None else ""
        return f"读写{where}时磁盘出错（输入/输出错误）；请检查磁盘或网络共享是否正常"
    return None


def shown(path: Path) -> str:
    """A path as the user typed it: relative to the current folder when it is inside it."""
    try:
        rel = path.absolute().relative_to(Path.cwd())
    except ValueError:
        return str(path)
    return rel.as_posix() if rel.parts else "."

