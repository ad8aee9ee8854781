"""The shape docs/architecture.md describes, held: imports point down the pipeline as each
subpackage's __init__ says, and modules and functions stay small."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import PROJECT

PACKAGE = PROJECT / "briefgen"
# The top-level modules, which have no __init__ of their own to say it.
MODULES = {"model": set(), "errors": set(), "workers": set(), "__main__": {"cli"},
           "cli": {"__init__", "commands", "config", "errors", "stats"}}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def allowed_imports() -> dict[str, set[str]]:
    """What each subpackage may import, read from the "May import:" line of its __init__."""
    allowed = dict(MODULES)
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        found = re.search(r"May import: (.+?)\.\s*$", " ".join(docstring.split()))
        assert found, f"{init.relative_to(PROJECT)} does not say what it may import"
        names = re.sub(r"\([^)]*\)", "", found.group(1))
        allowed[init.parent.name] = {"*"} if names.startswith("anything") else {
            name.strip() for name in names.split(",")}
    return allowed


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module below briefgen) of each import of briefgen, leaving out those only for types."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and ast.unparse(block.test) == "TYPE_CHECKING" for node in ast.walk(block)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "briefgen":
            below = node.module.split(".")[1:]
            if below:
                found.append((node.lineno, ".".join(below)))
            else:  # from briefgen import x
                found += [(node.lineno, alias.name if alias.name != "__version__" else "__init__")
                          for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".", 1)[1]) for alias in node.names
                      if alias.name.startswith("briefgen.")]
    return found


def unit_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def test_imports_point_down_the_pipeline():
    allowed = allowed_imports()
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = unit_of(path)
        if unit == "__init__":
            continue
        for line, target in imports(path):
            top = target.split(".")[0]
            if top == unit or "*" in allowed[unit] or top in allowed[unit] or target in allowed[unit]:
                continue
            if any(target.startswith(f"{name}.") or target == name for name in allowed[unit] if "." in name):
                continue
            wrong.append(f"{path.relative_to(PROJECT)}:{line}: {unit} imports {target}")
    assert wrong == []


def test_nothing_but_the_command_line_imports_the_commands():
    importers = {f"{path.relative_to(PROJECT)}" for path in PACKAGE.rglob("*.py")
                 if unit_of(path) not in ("commands", "cli") and any(
                     target.startswith("commands") for _, target in imports(path))}
    assert importers == set()


def test_modules_and_functions_stay_small():
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(PROJECT)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {node.name} has {length} lines")
    assert too_long == []


def test_the_checker_sees_a_wrong_import(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text("from briefgen.commands.build import build\n"
                      "if TYPE_CHECKING:\n    from briefgen.render.env import x\n", encoding="utf-8")
    assert imports(module) == [(1, "commands.build")]
