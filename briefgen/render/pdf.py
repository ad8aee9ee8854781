"""The print edition: one PDF per issue, rendered by WeasyPrint."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import jinja2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from briefgen.errors import Diagnostic, warning
from briefgen.items import line_of
from briefgen.model import Issue
from briefgen.render.context import Bulletin
from briefgen.render.env import template_source
from briefgen.render.fonts import font_face_css

logging.getLogger("weasyprint").setLevel(logging.ERROR)


class ConfinedFetcher(URLFetcher):
    """Fetch only files inside the bulletin repository, and the web only from hosts the
    config allows; never follow a redirect."""

    def __init__(self, root: Path, remote_hosts: tuple[str, ...] = ()) -> None:
        super().__init__(timeout=5, allowed_protocols=("file", "http", "https"), allow_redirects=False,
                         fail_on_errors=False)
        self.root = root.resolve()
        self.remote_hosts = remote_hosts
        self.refused: dict[str, str] = {}  # url -> why it was not loaded

    def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(path.as_uri(), headers)
            self.refused[url] = "只能引用简报仓库内已有的文件"
        elif parts.scheme in ("http", "https") and (parts.hostname or "") in self.remote_hosts:
            try:
                return super().fetch(url, headers)
            except HTTPError as exc:
                self.refused[url] = "不跟随重定向" if 300 <= exc.code < 400 else f"服务器返回 {exc.code}"
                raise
            except OSError as exc:
                self.refused[url] = f"无法连接（{exc}）"
                raise
        else:
            self.refused[url] = "只能引用简报仓库内已有的文件，以及 remote_hosts 中列出的主机"
        raise ValueError(f"refused: {url}")


class PdfRenderer:
    """Renders issues to PDF bytes, keeping one font configuration warm for all of them."""

    def __init__(self, bulletin: Bulletin, env: jinja2.Environment) -> None:
        self.bulletin = bulletin
        self.env = env
        self.root = bulletin.config.root
        self.font_config = FontConfiguration()
        self.fetcher = ConfinedFetcher(self.root, bulletin.config.remote_hosts)
        css = font_face_css(bulletin.config.fonts_dir) + "\n" + template_source(env, "print/print.css")
        self.stylesheet = CSS(string=css, base_url=self.root.as_uri() + "/",
                              font_config=self.font_config, url_fetcher=self.fetcher)

    def render(self, issue: Issue) -> tuple[bytes, int]:
        """The PDF of one issue, and its number of pages."""
        html = self.env.get_template("print/issue.html").render(
            config=self.bulletin.config, issue=issue, bodies=self.bulletin.bodies,
            root="", pdfs=frozenset(),
        )
        # Bodies point at the site's media/ copies; the PDF reads the originals in content/.
        return self.write(html.replace('="../media/', f'="{(self.root / "content").as_uri()}/'))

    def write(self, html: str) -> tuple[bytes, int]:
        """The PDF of a print document (an issue, a 通报), and its number of pages."""
        document = HTML(string=html, base_url=self.root.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[self.stylesheet], font_config=self.font_config
        )
        return document.write_pdf(), len(document.pages)

    def blocked_references(self) -> list[Diagnostic]:
        """A warning for each reference that was not loaded, naming the item and line that made it."""
        problems = []
        for url, why in self.fetcher.refused.items():
            parts = urlsplit(url)
            written = url if parts.scheme in ("http", "https") else unquote(parts.path).rsplit("/", 1)[-1]
            item = next((i for i in self.bulletin.items if written in i.body), None)
            if item is None:
                problems.append(warning("templates/print/print.css", 0, f"PDF 未载入 {url}：{why}"))
            else:
                problems.append(warning(item.source, line_of(item, written), f"PDF 未载入 {url}：{why}"))
        return problems
