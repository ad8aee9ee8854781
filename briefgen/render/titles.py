"""Titles of the print edition broken into balanced lines, as GB/T 9704 asks of a title that
needs more than one: 词意完整，排列对称，长短适宜 (words kept whole, lines symmetrical and even).

A title breaks at its space or clause punctuation when it has one (a main title and its
subtitle, two clauses), and otherwise between words (found by jieba), into lines of near-equal
length, the first no longer than the next when they cannot be equal (a 梯形 of lines). No line
starts with a closing mark or ends with an opening one, no Latin word or number is split, and
the last line keeps three characters or more. CJK glyphs have fixed widths, so the breaks are
computed here rather than left to the renderer, which fills each line before starting the next.
"""

from __future__ import annotations

import logging
import unicodedata
from functools import cache

TITLE_EMS = 20.0  # a 22 pt title on the 156 mm line of print.css (.item-title): 20 characters
LATIN_EM = 0.55  # the width of a Latin letter or digit, in characters (quotes and dashes are full width)
SHORTEST = 3  # characters on a title's last line, at the least
CLOSING = frozenset("，。、；：？！”’）》」』】〕…—·%‰℃")  # never at the start of a line
OPENING = frozenset("“‘（《「『【〔")  # never at the end of a line
NATURAL = frozenset("，、；：？！")  # a break after these falls between a title's clauses
MARKS = "“”‘’（）《》「」『』【】〔〕"
QUOTED = 8  # a quoted term of up to this many characters is not broken


def width(text: str) -> float:
    """The width of text in characters of the title's size."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else LATIN_EM for c in text
               if unicodedata.category(c) != "Cf")  # a zero-width space is not printed


@cache
def balanced(title: str, ems: float = TITLE_EMS) -> tuple[str, ...]:
    """The lines to set a title in: one when it fits the line."""
    text = " ".join(title.split())
    if width(text) <= ems:
        return (text,)
    clauses = _clauses(text)
    if len(clauses) > 1 and all(width(c) <= ems for c in clauses):
        grouped = _arrange(clauses, ems, joiner=" ")
        if grouped:
            return grouped
    return (_arrange(_bound(_words(text)), ems, joiner="") or _arrange(_bound(list(text)), ems, joiner="")
            or (text,))


def _clauses(text: str) -> list[str]:
    """The title cut at its spaces and after its clause punctuation."""
    clauses, start = [], 0
    for index, char in enumerate(text):
        if char == " ":
            clauses.append(text[start:index])
            start = index + 1
        elif char in NATURAL and index + 1 < len(text) and text[index + 1] not in CLOSING:
            clauses.append(text[start:index + 1])
            start = index + 1
    clauses.append(text[start:])
    return [c for c in clauses if c]


def _words(text: str) -> list[str]:
    import jieba  # type: ignore[import-untyped]  # ships no types; loaded only for a long title

    jieba.setLogLevel(logging.ERROR)
    return [word for word in jieba.cut(text) if word]


def _bound(pieces: list[str]) -> list[str]:
    """Pieces with closing marks joined to the piece before, opening marks to the piece after,
    Latin words and numbers whole and kept with what follows them (2026年, 12个), and a short
    quoted term (“田长制”) whole: a line may break between any two of them."""
    bound: list[str] = []
    quoted = 0  # characters since an opening quote or bracket still open, or 0
    for piece in pieces:
        if bound and (piece[0] in CLOSING or bound[-1][-1] in OPENING or piece == " "
                      or _latin(bound[-1][-1]) or 0 < quoted <= QUOTED):
            bound[-1] += piece
        else:
            bound.append(piece)
        opened, closed = bound[-1].rfind("“"), bound[-1].rfind("”")
        quoted = len(bound[-1]) - opened if opened > closed else 0
    return bound


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".-_/+")


def _arrange(pieces: list[str], ems: float, joiner: str) -> tuple[str, ...]:
    """Pieces grouped into the fewest lines that fit, as evenly as they can be, with a last line
    of SHORTEST characters or more; empty when no grouping fits."""
    total = width(joiner.join(pieces))
    for count in range(max(2, int(-(-total // ems))), len(pieces) + 1):
        best = _even(tuple(pieces), count, ems, joiner, total / count)
        if best is not None:
            return tuple(joiner.join(line).strip() for line in best[1])
    return ()


def _even(pieces: tuple[str, ...], count: int, ems: float, joiner: str,
          target: float) -> tuple[float, list[tuple[str, ...]]] | None:
    """The grouping of pieces into `count` lines closest to `target` each (a first line longer
    than the next costs a little more than one as much shorter)."""
    if count == 1:
        line = joiner.join(pieces).strip()
        if width(line) > ems or len(line.strip(MARKS)) < SHORTEST:
            return None
        return (width(line) - target) ** 2, [pieces]
    best: tuple[float, list[tuple[str, ...]]] | None = None
    for cut in range(1, len(pieces) - count + 2):
        head = joiner.join(pieces[:cut]).strip()
        if width(head) > ems:
            break
        rest = _even(pieces[cut:], count - 1, ems, joiner, target)
        if rest is not None:
            over = width(head) - target
            cost = over ** 2 + (0.01 if over > 0 else 0) + rest[0]
            if best is None or cost < best[0]:
                best = cost, [pieces[:cut], *rest[1]]
    return best
