"""The print documents handed to the PDF renderer, and what is said about references it refused.

Kept apart from render/pdf.py so that preparing documents, and finding them in the cache,
never imports WeasyPrint."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import jinja2

from briefgen.config.settings import Config
from briefgen.content.items import line_of
from briefgen.content.spaces import CJK
from briefgen.errors import Diagnostic, warning
from briefgen.model import Bulletin, Issue, Item
from briefgen.render.env import template_source
from briefgen.render.fonts import font_face_css

TAG = re.compile(r"(<[^>]*>)")
LATIN = "A-Za-z0-9"
GAP = re.compile(rf"(?<=[{CJK}]) +(?=[{LATIN}])|(?<=[{LATIN}%]) +(?=[{CJK}])")
QUARTER = "\u2005"  # FOUR-PER-EM SPACE
IDEOGRAPH = "\u3400-\u9fff\uf900-\ufaff"
QUOTE_BREAK = re.compile(rf"(?<=[{IDEOGRAPH}])(?=[“‘])|(?<=[”’])(?=[{IDEOGRAPH}])")
ZERO_WIDTH = "\u200b"


class PrintDocument(str):
    """The print HTML of an issue, which also knows the body of each of its items (file, first
    line of the body, body HTML), so that a layout that fails can be tried item by item to name
    the one that made it fail. A str, so that it goes wherever the HTML goes (to a worker too)."""

    parts: tuple[tuple[str, int, str], ...] = ()


def issue_document(bulletin: Bulletin, env: jinja2.Environment, issue: Issue) -> PrintDocument:
    """The print HTML of one issue."""
    html = env.get_template("print/issue.html").render(
        config=bulletin.config, issue=issue, bodies=bulletin.bodies, root="", pdfs=frozenset(), printing=True,
    )
    document = PrintDocument(chinese_spacing(_originals(bulletin, html)))
    document.parts = tuple((item.source, item.body_line, _originals(bulletin, str(bulletin.bodies.get(item.slug, ""))))
                           for item in issue.items)
    return document


def chinese_spacing(html: str) -> str:
    """The text of a print document's body set as Chinese is set, where WeasyPrint would not:

    - a space an author typed between Chinese and a Latin word or number becomes a quarter of a
      character that justification does not stretch (WeasyPrint widens only plain spaces, so a
      justified line would open two or three characters' width around "AI");
    - a line may break between a character and the quotation mark that opens a quote, and after
      the one that closes it (Pango keeps “ to the character before it, as for Latin text, and
      so ends a line two characters short of "犯罪“秋风行动”"): a zero-width space there, which
      is not printed."""
    head, mark, body = html.partition("<body")
    parts = TAG.split(body)
    parts[::2] = [QUOTE_BREAK.sub(ZERO_WIDTH, GAP.sub(QUARTER, text)) for text in parts[::2]]
    return head + mark + "".join(parts)


def _originals(bulletin: Bulletin, html: str) -> str:
    """Bodies point at the site's media/ copies; the PDF reads the originals in content/, by a
    URL relative to the repository (render/pdf.REPOSITORY), since WeasyPrint names an image in
    the PDF after its URL: a file:// one would make the PDF depend on where the repository is."""
    return html.replace('="../media/', '="bulletin:content/')


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


def colophon_warning(issue: Issue, page: int) -> Diagnostic:
    """The 报尾 has a page of its own: said at the issue's last item, which is what to shorten."""
    last = issue.items[-1] if issue.items else None
    where = f"{issue.title}（{issue.id}）"
    return warning(last.source if last else "briefgen.yaml", 0,
                   f"{where}的报尾在最后一页正文之下放不下，压缩间距也不够，单独排在了第 {page} 页",
                   "删减本期末尾稿件几行，或把一篇稿件移到下一期，报尾就能与正文同页")
