"""Checking the fields of any settings or item file, one way for all of them.

A field's parser raises FieldError with its message and hint as separate values; the
checker of a file turns it into a Diagnostic at the field's line. did_you_mean is the
one place the "是不是 …？" hint is made."""

from __future__ import annotations

import difflib
from typing import Iterable


class FieldError(ValueError):
    """A value that is wrong: what is wrong (message), and what to write instead (hint)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def did_you_mean(written: str, choices: Iterable[str], otherwise: str = "", quote: bool = False,
                 cutoff: float = 0.6) -> str:
    """"是不是 X？" naming the choice closest to what was written, or otherwise when none is close."""
    close = difflib.get_close_matches(str(written), list(choices), n=1, cutoff=cutoff)
    if not close:
        return otherwise
    return f"是不是 '{close[0]}'？" if quote else f"是不是 {close[0]}？"
