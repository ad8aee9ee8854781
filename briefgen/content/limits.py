"""How big and how deep an item body may be, checked before it is converted.

Python-Markdown and WeasyPrint recurse once per level of nesting and rescan text in ways that
grow with the square of its length, so a hostile or accidental body (a pasted 5 MB file, a
run of 2,000 asterisks) would exhaust the recursion limit or take minutes. Every body is
measured here first; one that is over a limit is reported at its line and never converted.
The limits are far above what an office writes (an item is 1-5 KB; a pasted 100-page report
about 300 KB, six levels of lists) and far below where the libraries fail. Measured with
Python-Markdown 3.11 and WeasyPrint 70, recursion limit 1000, on this project's converter:

- body: 480 KB of paragraphs makes 297 PDF pages in 6 s, so 1 MB about 600 pages in 13 s;
  5 MB made 3,072 pages in 82 s and 800 MB of memory.
- paragraph: WeasyPrint's time grows faster than a paragraph's length: one paragraph of
  160,000 characters takes 12 s against 6 s split into paragraphs (40,000: 2.1 s against 1.8 s).
  Python-Markdown rebuilds a paragraph's text once per inline mark: 20,000 lines of
  中<b>文</b> with no blank line between them (one paragraph of 180,000 characters) take 14 s
  to convert, 17 s to build; 20,000 characters of *a* take 0.35 s.
- format marks (* _ [ < & \\ `): 1 MB of paragraphs full of them (*a* *a* ...) takes 22 s; at
  1,000 a paragraph the whole body costs at most ~1.3 s.
- brackets: each "[" is scanned to its "]" (or the end of the paragraph) character by character,
  about 3 million characters a second: '[' * n + ']' * n takes 0.19 s at n = 1,000 and 2.9 s at
  4,000; 4,000 unmatched "[中" take 4.5 s.
- runs of * or _: n of them on each side of a word nest n/2 inline elements; Python-Markdown's
  toc extension exceeds the recursion limit between 1,800 and 2,000, WeasyPrint lays out 200
  nested inline elements but not 300.
- nesting: WeasyPrint exceeds the recursion limit at about 135 nested blocks: 130 <div> or
  blockquotes lay out, 140 do not; lists (two blocks a level, <ul><li>) 65 levels, not 70.
  Python-Markdown itself fails at 300 lists nested by indentation (200 pass).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefgen.errors import Diagnostic, error

MAX_BODY_BYTES = 1024 * 1024  # 1 MB: three times the largest report an office pastes
MAX_FILE_BYTES = 16 * MAX_BODY_BYTES  # a bigger file is not even read (the body limit says why)
MAX_PARAGRAPH_CHARS = 20_000  # a Word paragraph has a few hundred; a chapter pasted from a PDF more
MAX_RUN = 50  # consecutive * _ [ or ]: masked digits (3201**********1234) need a dozen
MAX_MARKS = 1_000  # format marks in one paragraph
MAX_BRACKET_SCAN = 2_000_000  # characters Python-Markdown scans for the ends of "[": about 0.7 s
MAX_NESTING = 20  # lists, quotes and HTML elements around one line; offices use four or five
MAX_HTML_DEPTH = 80  # elements in converted HTML (a 20-level list is 41): WeasyPrint fails at ~135
CONVERT_SECONDS = 10  # one body's conversion; the limits keep the slowest legal body near 2 s

QUOTE = re.compile(r"^[ \t]*>")
LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a line of *** or ___ is a rule
TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
HEADING = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)")
RUN = re.compile("|".join(rf"{re.escape(mark)}{{{MAX_RUN + 1},}}" for mark in "*_[]"))
MARKS = re.compile(r"[*_\[<&\\`]")
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
# Elements whose end tag HTML lets an author leave out: a second <p> or <li> closes the first.
OPTIONAL_END = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup",
                          "option"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})


@dataclass
class _Paragraph:
    line: int  # file line of its first line
    lines: int = 0
    chars: int = 0
    marks: int = 0
    runs: bool = False  # a line of it is reported for a run of marks: nothing more is said of it
    text: str = ""


def body_problems(rel: str, body: str, body_line: int) -> list[Diagnostic]:
    """What in a body is over a limit, each at its file line; empty when it may be converted."""
    size = len(body.encode("utf-8"))
    if size > MAX_BODY_BYTES:
        return [error(rel, body_line, f"正文有 {_megabytes(size)}，超过了 1 MB 的上限",
                      "请只保留要编入简报的内容；很长的报告可以作为附件另行报送")]
    lines = body.split("\n")
    problems = _line_problems(rel, lines, body_line)
    scanned = 0
    worst: _Paragraph | None = None
    worst_scan = 0
    for paragraph in _paragraphs(lines, body_line):
        if paragraph.runs:
            continue
        problem = _paragraph_problem(rel, paragraph)
        if problem is not None:
            problems.append(problem)
            continue
        scan = _bracket_scan(paragraph.text)
        scanned += scan
        if scan > worst_scan:
            worst, worst_scan = paragraph, scan
    if scanned > MAX_BRACKET_SCAN and worst is not None:
        problems.append(error(rel, worst.line, f"从这一行起的一段有 {worst.text.count('['):,} 个“[”，"
                              "没有配对的或层层嵌套的太多，处理起来太慢",
                              "请删去多余的“[”，让“[”和“]”成对；普通的括号请用全角的“【】”或“［］”"))
    return sorted(problems)


def _line_problems(rel: str, lines: list[str], body_line: int) -> list[Diagnostic]:
    """Runs of marks, and nesting deeper than the limit: the first line with each."""
    problems = []
    runs_reported = nesting_reported = False
    for number, line, depth in _depths(lines, body_line):
        if not runs_reported and not RULE.match(line) and (run := _longest_run(line)):
            hint = ("请删去多余的符号；加粗只需在文字前后各写两个 *" if run[0] in "*_"
                    else "请删去多余的方括号；普通的括号请用全角的“【】”或“［］”")
            problems.append(error(rel, number, f"这一行有 {len(run):,} 个连续的“{run[0]}”，超过了 {MAX_RUN} 个的上限",
                                  hint))
            runs_reported = True
        if not nesting_reported and depth.total > MAX_NESTING:
            problems.append(error(rel, number, f"这一行的{depth.kinds()}嵌套了 {depth.total:,} 层，"
                                  f"超过了 {MAX_NESTING} 层的上限",
                                  "请减少嵌套的层次；稿件的层次一般不超过“一、（一）1.（1）”四层"))
            nesting_reported = True
    return problems


def _longest_run(line: str) -> str:
    runs = RUN.findall(line)
    return max(runs, key=len) if runs else ""


@dataclass
class _Depth:
    quotes: int
    lists: int
    html: int

    @property
    def total(self) -> int:
        return self.quotes + self.lists + self.html

    def kinds(self) -> str:
        named = [name for name, count in (("列表", self.lists), ("引用（>）", self.quotes),
                                          ("HTML 标记", self.html)) if count]
        text = named[0] if len(named) == 1 else "、".join(named) + "一共"
        return f" {text}" if text.startswith("HTML") else text


def _depths(lines: list[str], body_line: int) -> Iterator[tuple[int, str, _Depth]]:
    """Each line with the lists, quotes and HTML elements it is inside (an upper bound of what
    Python-Markdown makes of it)."""
    indents: list[int] = []  # the indentation of each list level open
    open_tags: list[str] = []
    blank = True
    for number, line in enumerate(lines, start=body_line):
        rest, quotes = line, 0
        while QUOTE.match(rest):
            rest = QUOTE.sub("", rest, count=1)
            quotes += 1
        indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip())
        markers = 0
        while match := LIST_MARKER.match(rest):
            rest = rest[match.end():]
            markers += 1
        if markers:
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.extend([indent] * markers)
        elif rest.strip() and indent == 0 and blank and not quotes:
            indents.clear()  # a paragraph after a blank line ends the lists
        deepest = len(open_tags)
        for tag in TAG.finditer(rest):
            closing, name = tag.group(1), tag.group(2).lower()
            if closing and name in open_tags:
                del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]
            elif not closing and name not in VOID and not tag.group(0).endswith("/>"):
                if name in OPTIONAL_END and name in open_tags:
                    del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]
                open_tags.append(name)
                deepest = max(deepest, len(open_tags))
        blank = not line.strip()
        yield number, line, _Depth(quotes, len(indents), deepest)


def _paragraphs(lines: list[str], body_line: int) -> Iterator[_Paragraph]:
    """The runs of text Python-Markdown and WeasyPrint treat as one: lines up to a blank line,
    where each list item, heading and table row starts a run of its own."""
    current: _Paragraph | None = None
    table = False
    for index, line in enumerate(lines):
        text = line
        while QUOTE.match(text):
            text = QUOTE.sub("", text, count=1)
        if not text.strip():
            if current is not None:
                yield current
            current, table = None, False
            continue
        if current is None:
            table = index + 1 < len(lines) and "|" in lines[index + 1] and bool(TABLE_RULE.match(lines[index + 1]))
        if current is not None and (table or LIST_MARKER.match(text) or HEADING.match(text)):
            yield current
            current = None
        if current is None:
            current = _Paragraph(body_line + index)
        current.lines += 1
        current.chars += len(text.strip())
        current.marks += len(MARKS.findall(text)) + text.endswith("  ")
        current.runs = current.runs or bool(RUN.search(text) and not RULE.match(text))
        current.text += text + "\n"
    if current is not None:
        yield current


def _paragraph_problem(rel: str, paragraph: _Paragraph) -> Diagnostic | None:
    if paragraph.chars > MAX_PARAGRAPH_CHARS:
        where = "这一行" if paragraph.lines == 1 else f"从这一行起的一段（共 {paragraph.lines:,} 行）"
        return error(rel, paragraph.line,
                     f"{where}有 {paragraph.chars:,} 字，超过了一段 {MAX_PARAGRAPH_CHARS:,} 字的上限",
                     "请在段落之间空一行，把它分成几段（从 PDF 复制的文字常常没有空行）")
    if paragraph.marks > MAX_MARKS:
        return error(rel, paragraph.line, f"从这一行起的一段有 {paragraph.marks:,} 个格式符号（* _ [ < & \\ `），"
                     f"超过了 {MAX_MARKS:,} 个的上限",
                     "请删去多余的符号，或在段落之间空一行，把它分成几段")
    return None


def _bracket_scan(text: str) -> int:
    """How many characters Python-Markdown's link patterns read looking for the "]" of each "[":
    to the one that balances it, or to the end of the paragraph when none does."""
    scanned = 0
    opened: list[int] = []
    for match in re.finditer(r"[\[\]]", text):
        if match.group() == "[":
            opened.append(match.start())
        elif opened:
            scanned += match.start() - opened.pop()
    return scanned + sum(len(text) - start for start in opened)


def html_depth(html: str) -> int:
    """How deeply the elements of converted HTML nest."""
    depth = deepest = 0
    for tag in TAG.finditer(html):
        if tag.group(2).lower() in VOID or tag.group(0).endswith("/>"):
            continue
        depth = max(0, depth - 1) if tag.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"
