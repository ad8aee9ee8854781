"""Safe YAML loading that also reports the line of each top-level key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# The C loader is about 8x faster; both are safe loaders.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_Base):
    """A safe loader that keeps dates as text, so briefgen can check them and say where they are wrong."""


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A YAML syntax error, with its 1-based line within the parsed text."""

    line: int
    message: str


def load_mapping(text: str) -> tuple[Any, dict[str, int]]:
    """Parse one YAML document; return it and the 1-based line of each top-level key."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlProblem(line, describe(exc)) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise YamlProblem(1, f"YAML 格式错误（{exc}）") from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _value in node.value:
            lines.setdefault(str(key.value), key.start_mark.line + 1)
    return data, lines


def describe(exc: yaml.MarkedYAMLError) -> str:
    """Turn a YAML error into a short Chinese message."""
    problem = exc.problem or exc.context or "格式错误"
    return f"YAML 格式错误（{problem}）"
