"""The Jinja environment: a user's templates/ first, the built-in ones after."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from briefgen.bulletin.periods import chinese_date
from briefgen.errors import BuildError
from briefgen.render.titles import TITLE_EMS, balanced
from briefgen.stats.tally import score_text
from briefgen.storage.resources import builtin_templates

BUILTIN_PREFIX = "!default"


def make_environment(user_templates: Path) -> jinja2.Environment:
    """A user's template of the same name replaces the built-in one; `!default/NAME` reaches the original."""
    builtin = str(builtin_templates())
    search = [str(user_templates), builtin] if user_templates.is_dir() else [builtin]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([
            jinja2.PrefixLoader({BUILTIN_PREFIX: jinja2.FileSystemLoader(builtin)}),
            jinja2.FileSystemLoader(search),
        ]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # A command renders with the templates as it first found them: the build's keys are made
        # from their bytes at its start, and checking each file's time again for every page of
        # a large site costs a stat for each template it uses.
        auto_reload=False,
    )
    env.filters["cndate"] = chinese_date
    env.filters["score"] = score_text
    env.filters["masthead_size"] = masthead_size
    env.filters["urlpath"] = lambda name: quote(str(name), safe="")
    env.filters["title_lines"] = title_lines
    env.globals["printing"] = False  # the print templates are rendered with printing=True
    return env


def title_lines(title: str, ems: float = TITLE_EMS) -> Markup:
    """A title as the print edition sets it: balanced lines (render/titles) of at most `ems`
    characters, joined by <br>; a break at the space between a title and its subtitle is marked."""
    lines = balanced(title, ems)
    spaced = " " in " ".join(title.split()) and " ".join(lines) == " ".join(title.split())
    return Markup('<br class="clause">' if spaced else "<br>").join(escape(line) for line in lines)


def template_failure(exc: jinja2.TemplateError, root: Path,
                     outcome: str = "未生成任何文件；output/ 保持上次的内容。") -> BuildError:
    """The error reported for a broken template: where it is, and what was left as it was."""
    return BuildError(describe_template_error(exc, root) + "\n" + outcome)


def describe_template_error(exc: jinja2.TemplateError, root: Path) -> str:
    """Say which template file and line failed, as `path:line: error: message`."""
    place = None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        place = (exc.filename, exc.lineno)
    else:
        tb = exc.__traceback__
        while tb is not None:  # Jinja maps template frames back to the template file and line
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".css")):
                place = (name, tb.tb_lineno)
            tb = tb.tb_next
    message = f"模板错误：{exc.message or type(exc).__name__}"
    if place is None:
        return f"error: {message}"
    path = Path(place[0])
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return f"{shown}:{place[1]}: error: {message}"


def masthead_size(name: str) -> int:
    """The masthead's point size: 54 pt, smaller for a long name so it stays on one line
    of the 156 mm text block (with 0.15 em letter-spacing)."""
    return max(24, min(54, int(400 / (max(len(name), 1) * 1.15))))


def template_source(env: jinja2.Environment, name: str) -> str:
    """The text of a non-template file found on the template path (e.g. a stylesheet)."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source
