"""Split an item file into its YAML front matter and Markdown body, and catch what
Chinese input methods do to it (full-width colons and spaces, dashes for the fence)."""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = "---"
MAX_BYTES = 64 * 1024
DASH_FENCE = re.compile(r"^[-—–－‐‑−─━]{2,}$")
FULL_WIDTH_COLON = re.compile(r"^([A-Za-z_\u4e00-\u9fff]+)\s*：")  # a key, at the start of its line
CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(\s|$)")


@dataclass(frozen=True)
class Split:
    yaml_text: str
    yaml_line: int  # file line of the first YAML line
    body: str
    body_line: int  # file line where the body starts


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def normalise(text: str) -> str:
    """Drop a byte-order mark and turn CRLF/CR line endings into LF."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def conflict_lines(text: str) -> list[int]:
    """Lines where an unresolved git merge conflict starts."""
    return [n for n, line in enumerate(text.split("\n"), start=1) if line.startswith("<<<<<<<")
            and CONFLICT.match(line)]


def split(text: str) -> Split:
    """Split normalised text at the two `---` lines that enclose the front matter."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise FrontMatterError(1, "文件是空的")
    if lines[first].strip() != FENCE:
        _refuse_dash_fence(lines[first], first + 1)
        raise FrontMatterError(
            first + 1, "缺少开头的 YAML 信息头",
            "文件第一行应是 ---，随后写 title、unit、date、topic 等，再以 --- 结束",
        )
    for end in range(first + 1, len(lines)):
        if lines[end].strip() == FENCE:
            split = Split(
                yaml_text="\n".join(lines[first + 1:end]),
                yaml_line=first + 2,
                body="\n".join(lines[end + 1:]),
                body_line=end + 2,
            )
            if len(split.yaml_text.encode("utf-8")) > MAX_BYTES:
                raise FrontMatterError(first + 1, "信息头超过 64 KB",
                                       "信息头只写标题、单位等几项；正文请写在第二个 --- 之后")
            return split
        _refuse_dash_fence(lines[end], end + 1)
    raise FrontMatterError(first + 1, "信息头没有结束", "请在信息头最后单独写一行 ---")


def _refuse_dash_fence(line: str, number: int) -> None:
    if DASH_FENCE.match(line.strip()):
        raise FrontMatterError(
            number, f"分隔线“{line.strip()}”不是三个半角减号",
            "请在英文输入状态下输入 ---（中文输入法会打出破折号或全角减号）",
        )


def typing_problems(yaml_text: str, first_line: int) -> list[FrontMatterError]:
    """What a Chinese input method left in the front matter, with what to type instead."""
    problems = []
    for number, line in enumerate(yaml_text.split("\n"), start=first_line):
        if line.startswith("\u3000") or line.startswith(" \u3000"):
            problems.append(FrontMatterError(number, "行首是全角空格",
                                             "信息头的缩进只能用半角空格，请删去行首的全角空格"))
        elif line.startswith("\t"):
            problems.append(FrontMatterError(number, "行首是制表符（Tab）", "信息头的缩进只能用半角空格"))
        elif match := FULL_WIDTH_COLON.match(line):
            key = match.group(1)
            problems.append(FrontMatterError(
                number, f"'{key}' 后面是全角冒号“：”",
                f"请改成半角冒号加一个空格，如 {key}: {line.split('：', 1)[1].strip()}",
            ))
    return problems
