"""Strict, safe YAML for front matter and settings.

Safe loading alone is not enough for files written by hand on office machines:
YAML 1.1 reads `NO` as false, `0755` as 493 and `1:20` as 80, cuts a value at
` #`, and expands aliases without limit. These are refused with the line they
are on, so the author can add quotes, instead of being silently coerced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

# The C loader is about 8x faster; both are safe loaders with the same methods. PyYAML built
# without libyaml has no CSafeLoader, hence getattr, which the type checker cannot follow.
if TYPE_CHECKING:
    _Base = yaml.CSafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

BOOL_WORDS = ("true", "false")
MAX_DIGITS = 100  # no setting or field needs more; Python reads at most 4,300 digits
MAX_DEPTH = 20  # deeper nesting only comes from accidents or attacks, and would exhaust recursion
START_TOKENS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
                yaml.FlowSequenceStartToken)
END_TOKENS = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
SEXAGESIMAL_OR_OCTAL = re.compile(r"^[-+]?(0[0-7_]+|0[bx][0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|.*_.*)$")


class SafeLoader(_Base):
    """A safe loader that keeps dates as text, so briefgen can check them and say where they are wrong."""


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A problem in a YAML text, with its 1-based line within that text."""

    line: int
    message: str
    hint: str = ""


@dataclass
class Parsed:
    data: Any
    key_lines: dict[str, int] = field(default_factory=dict)  # top-level key -> 1-based line
    problems: list[YamlProblem] = field(default_factory=list)  # not fatal: data is still usable


def load_mapping(text: str, comments: bool = True) -> Parsed:
    """Parse one YAML document strictly; raise YamlProblem when it cannot be read at all.

    With comments=False a ` #` after a value is refused: in item front matter it is far
    more often part of a title than a comment."""
    scanned = not _plainly_shallow(text)
    if scanned:
        _refuse_anchors_and_tags(text)
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Parsed(None)
        _refuse_long_numbers(node)
        problems = list(_surprises(node, None if comments else text.split("\n")))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        if not scanned:  # the scan's own error, at its line, comes first
            _refuse_anchors_and_tags(text)
        raise YamlProblem(_line(exc), describe(exc)) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        if not scanned:
            _refuse_anchors_and_tags(text)
        raise YamlProblem(1, f"YAML 格式错误（{exc}）") from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _value in node.value:
            lines.setdefault(str(key.value), key.start_mark.line + 1)
    return Parsed(data, lines, problems)


def _plainly_shallow(text: str) -> bool:
    """Whether text can hold no anchor, alias or tag (each starts with & * or !) and cannot nest
    deeper than MAX_DEPTH: every collection starts at an indicator (- : ? [ {), at most one each.
    Such a text is composed without the token scan; should composing it fail, the scan is run
    then, so that its error is reported as before. A text that composes scans without error."""
    if "&" in text or "*" in text or "!" in text:
        return False
    return sum(text.count(indicator) for indicator in "-:?[{") <= MAX_DEPTH


def _refuse_anchors_and_tags(text: str) -> None:
    """Anchors and aliases can expand exponentially (alias bombs); tags can ask for arbitrary
    types; deep nesting exhausts recursion."""
    loader = SafeLoader(text)
    depth = 0
    try:
        while (token := loader.get_token()) is not None:
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise YamlProblem(token.start_mark.line + 1, "不支持 YAML 锚点和别名（& 和 *）",
                                  "请把内容直接写出来；如果 & 或 * 是文字的一部分，请给整个值加引号")
            if isinstance(token, START_TOKENS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(token.start_mark.line + 1, f"嵌套超过 {MAX_DEPTH} 层",
                                      "信息头和设置只需要简单的“键: 值”和列表")
            elif isinstance(token, END_TOKENS):
                depth -= 1
            if isinstance(token, yaml.TagToken):
                raise YamlProblem(token.start_mark.line + 1, "不支持 YAML 标签（以 ! 开头）",
                                  "如果 ! 是文字的一部分，请给整个值加引号")
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(_line(exc), describe(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"YAML 格式错误（{exc}）") from None
    finally:
        loader.dispose()


def _refuse_long_numbers(node: yaml.Node) -> None:
    """A number of thousands of digits is an accident, and past 4,300 Python refuses to read it."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _refuse_long_numbers(key)
            _refuse_long_numbers(value)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            _refuse_long_numbers(value)
    elif node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        digits = sum(c.isdigit() for c in node.value)
        if digits > MAX_DIGITS:
            raise YamlProblem(node.start_mark.line + 1, f"数字有 {digits:,} 位，太长了",
                              "请检查这一项的值；如果它是文字，请加引号")


def _surprises(node: yaml.Node, lines: list[str] | None) -> Iterator[YamlProblem]:
    """Duplicate keys, and plain values that YAML 1.1 would turn into something else."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                yield YamlProblem(key.start_mark.line + 1, f"键 '{name}' 会被 YAML 读成文字以外的东西",
                                  f"请给它加引号：'{name}'")
            elif name in seen:
                yield YamlProblem(key.start_mark.line + 1, f"键 '{name}' 出现了不止一次", "请删去多余的一行")
            seen.add(name)
            yield from _surprises(value, lines)
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            yield from _surprises(value, lines)
    elif isinstance(node, yaml.ScalarNode) and not node.style:  # plain: None (Python) or "" (C loader)
        yield from _plain_scalar(node, lines)


def _plain_scalar(node: yaml.ScalarNode, lines: list[str] | None) -> Iterator[YamlProblem]:
    line = node.start_mark.line + 1
    text = node.value
    if node.tag == "tag:yaml.org,2002:bool" and text.lower() not in BOOL_WORDS:
        yield YamlProblem(line, f"'{text}' 会被 YAML 读成“是/否”", f"如果它是文字，请加引号：'{text}'")
    elif node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and SEXAGESIMAL_OR_OCTAL.match(text):
        yield YamlProblem(line, f"'{text}' 会被 YAML 读成另一个数", f"请加引号：'{text}'")
    end = node.end_mark
    if lines is not None and end.line < len(lines) and re.match(r"\s+#", lines[end.line][end.column:]):
        comment = lines[end.line][end.column:].strip()
        yield YamlProblem(end.line + 1, f"“{comment}”被 YAML 当成注释删掉了，这一项的值只剩“{text}”",
                          "如果 # 是内容的一部分，请给整个值加引号")


def _line(exc: yaml.MarkedYAMLError) -> int:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else 1


def describe(exc: yaml.MarkedYAMLError) -> str:
    """Turn a YAML error into a short Chinese message."""
    problem = exc.problem or exc.context or "格式错误"
    return f"YAML 格式错误（{problem}）"
