"""How a build shows its PDFs being rendered: a bar in a terminal, a line each otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

import click

# (PDFs rendered so far, PDFs to render, a line about the last): what a build reports as it goes.
Progress = Callable[[int, int, str], None]


class PdfProgress:
    """Called with (rendered so far, to render, a line about the last one). In a terminal,
    when there is more than one to render, a progress bar on standard error stands in for
    the lines; in a log or a pipe every line is printed."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self._bar: Any = None

    def __enter__(self) -> PdfProgress:
        return self

    def __call__(self, done: int, total: int, line: str) -> None:
        if total <= 1 or not self.stream.isatty():
            click.echo(line)
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label="排版 PDF", file=self.stream, show_pos=True,
                                          show_eta=True, width=30)
            self._bar.__enter__()
        self._bar.update(1)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, value, traceback)
            self._bar = None
