"""The special spaces text pasted from Word brings along, taken out of an item as it is read.

Word and web pages put no-break, full-width, em, en, thin and zero-width spaces into text;
inside a paragraph each prints as a gap (综合科   召开专题会议) where Chinese has none. Between
two CJK characters a run of them is removed; elsewhere (between Chinese and a Latin word or a
number, at the end of a line) it becomes one ordinary space, and a run of zero-width ones alone
is removed. The file itself is never changed: each line that held any is reported, with how
many of each kind, so that the officer can correct the source. Inline code (`...`) is left as
written, and so is the full-width indent at the start of a line, which the Markdown converter
drops (CSS indents paragraphs)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from briefgen.errors import Diagnostic, warning

# Characters between which a line break or a space is not a space: CJK ideographs, kana,
# CJK and full-width punctuation, and the quotes and dashes used in Chinese text.
CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201d\u2014\u2026\U00020000-\U0003ffff"
KINDS = {  # in the order they are named in a message
    "\u00a0": "不间断空格", "\u3000": "全角空格", "\u2003": "全身空格", "\u2002": "半身空格",
    "\u2009": "窄空格", "\u200b": "零宽空格", "\ufeff": "零宽不换行空格",
}
ZERO_WIDTH = "\u200b\ufeff"
SPECIAL = "".join(KINDS)
RUN = re.compile(rf"[ \t]*[{SPECIAL}][ \t{SPECIAL}]*")  # with the ordinary spaces around them
CJK_CHAR = re.compile(rf"[{CJK}]")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
HINT = "请在原文中删去（汉字与字母、数字之间可留一个普通空格），以免在别处显示为空隙"


@dataclass
class Found:
    """The special spaces of one line or field: how many of each kind, and what became of them."""

    counts: Counter[str] = field(default_factory=Counter)
    removed: bool = False
    spaced: bool = False

    def __bool__(self) -> bool:
        return bool(self.counts)

    def add(self, other: Found) -> None:
        self.counts.update(other.counts)
        self.removed |= other.removed
        self.spaced |= other.spaced


def clean(text: str) -> tuple[str, Found]:
    """text with each run of special spaces removed or made one space, and what it held."""
    found = Found()

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        found.counts.update(char for char in run if char in KINDS)
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if (CJK_CHAR.fullmatch(before) and CJK_CHAR.fullmatch(after)) or not run.strip(ZERO_WIDTH):
            found.removed = True
            return ""
        found.spaced = True
        return " "

    return RUN.sub(replace, text), found


def clean_body(body: str) -> tuple[str, list[tuple[int, Found]]]:
    """The Markdown body cleaned line by line (inline code and each line's full-width indent as
    written), and each line that held special spaces: its offset from the first line, and what."""
    lines, found = [], []
    for offset, line in enumerate(body.split("\n")):
        if not RUN.search(line):
            lines.append(line)
            continue
        at = len(line) - len(line.lstrip("\u3000"))
        pieces, of_line = [line[:at]], Found()
        for span in [*CODE_SPAN.finditer(line, at), None]:
            end = span.start() if span is not None else len(line)
            text, in_text = clean(line[at:end])
            pieces.append(text)
            of_line.add(in_text)
            if span is not None:
                pieces.append(span.group(0))
                at = span.end()
        lines.append("".join(pieces))
        if of_line:
            found.append((offset, of_line))
    return "\n".join(lines), found


def problem(path: str, line: int, where: str, found: Found) -> Diagnostic:
    """The warning for the special spaces found at a line of a file, in the body or a field."""
    kinds = "、".join(f"{name} U+{ord(char):04X} ×{found.counts[char]}"
                     for char, name in KINDS.items() if found.counts[char])
    done = ("已去掉或换成普通空格" if found.removed and found.spaced
            else "已去掉" if found.removed else "已换成普通空格")
    return warning(path, line, f"{where}中有从 Word 粘贴来的特殊空格（{kinds}），简报中{done}", HINT)
