"""The print documents handed to the PDF renderer, and what is said about references it refused.

Kept apart from render/pdf.py so that preparing documents, and finding them in the cache,
never imports WeasyPrint."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import jinja2

from briefgen.config.settings import Config
from briefgen.content.items import line_of
from briefgen.errors import Diagnostic, warning
from briefgen.model import Bulletin, Issue, Item
from briefgen.render.env import template_source
from briefgen.render.fonts import font_face_css


def issue_document(bulletin: Bulletin, env: jinja2.Environment, issue: Issue) -> str:
    """The print HTML of one issue."""
    html = env.get_template("print/issue.html").render(
        config=bulletin.config, issue=issue, bodies=bulletin.bodies, root="", pdfs=frozenset(),
    )
    # Bodies point at the site's media/ copies; the PDF reads the originals in content/.
    return html.replace('="../media/', f'="{(bulletin.config.root / "content").as_uri()}/')


def print_stylesheet(config: Config, env: jinja2.Environment) -> str:
    """The print CSS: the fonts in fonts/, then the template's print.css."""
    return font_face_css(config.fonts_dir) + "\n" + template_source(env, "print/print.css")


def refusal_warnings(refused: dict[str, str], items: tuple[Item, ...]) -> list[Diagnostic]:
    """A warning for each reference the PDF renderer did not load, at the item and line that made it."""
    problems = []
    for url, why in sorted(refused.items()):
        parts = urlsplit(url)
        written = url if parts.scheme in ("http", "https") else unquote(parts.path).rsplit("/", 1)[-1]
        item = next((i for i in items if written in i.body), None)
        if item is None:
            problems.append(warning("templates/print/print.css", 0, f"PDF 未载入 {url}：{why}"))
        else:
            problems.append(warning(item.source, line_of(item, written), f"PDF 未载入 {url}：{why}"))
    return problems
