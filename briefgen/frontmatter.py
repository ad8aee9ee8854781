"""Split an item file into its YAML front matter and Markdown body."""

from __future__ import annotations

from dataclasses import dataclass

FENCE = "---"


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


def split(text: str) -> Split:
    """Split normalised text at the two `---` lines that enclose the front matter."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise FrontMatterError(1, "文件是空的")
    if lines[first].rstrip() != FENCE:
        raise FrontMatterError(
            first + 1, "缺少开头的 YAML 信息头",
            "文件第一行应是 ---，随后写 title、unit、date、topic 等，再以 --- 结束",
        )
    for end in range(first + 1, len(lines)):
        if lines[end].rstrip() == FENCE:
            return Split(
                yaml_text="\n".join(lines[first + 1:end]),
                yaml_line=first + 2,
                body="\n".join(lines[end + 1:]),
                body_line=end + 2,
            )
    raise FrontMatterError(first + 1, "信息头没有结束", "请在信息头最后单独写一行 ---")
