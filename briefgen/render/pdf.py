"""The print edition: one PDF per issue, rendered by WeasyPrint."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from briefgen.config.settings import Config
from briefgen.workers import ordered_map

logging.getLogger("weasyprint").setLevel(logging.ERROR)


class ConfinedFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types: URLFetcher is Any
    """Fetch only files inside the bulletin repository, and the web only from hosts the
    config allows; never follow a redirect."""

    def __init__(self, root: Path, remote_hosts: tuple[str, ...] = ()) -> None:
        super().__init__(timeout=5, allowed_protocols=("file", "http", "https"), allow_redirects=False,
                         fail_on_errors=False)
        self.root = root.resolve()
        self.remote_hosts = remote_hosts
        self.refused: dict[str, str] = {}  # url -> why it was not loaded

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
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
    """Renders print documents to PDF bytes, keeping one font configuration warm for all of them."""

    def __init__(self, config: Config, stylesheet: str) -> None:
        self.root = config.root
        self.font_config = FontConfiguration()
        self.fetcher = ConfinedFetcher(self.root, config.remote_hosts)
        self.stylesheet = CSS(string=stylesheet, base_url=self.root.as_uri() + "/",
                              font_config=self.font_config, url_fetcher=self.fetcher)

    def write(self, html: str) -> tuple[bytes, int]:
        """The PDF of a print document (an issue, a 通报), and its number of pages."""
        document = HTML(string=html, base_url=self.root.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[self.stylesheet], font_config=self.font_config
        )
        return document.write_pdf(), len(document.pages)


Rendered = tuple[bytes, int, dict[str, str]]  # PDF, pages, references refused (url -> why)
_renderer: PdfRenderer | None = None


def _start_renderer(config: Config, stylesheet: str) -> None:
    global _renderer
    _renderer = PdfRenderer(config, stylesheet)


def _render(html: str) -> Rendered:
    assert _renderer is not None
    data, pages = _renderer.write(html)
    refused = dict(_renderer.fetcher.refused)
    _renderer.fetcher.refused.clear()
    return data, pages, refused


def render_documents(config: Config, stylesheet: str, documents: list[str], jobs: int) -> Iterator[Rendered]:
    """Render documents in order, on up to `jobs` processes, each keeping its fonts warm."""
    return ordered_map(_render, documents, jobs, _start_renderer, (config, stylesheet))
