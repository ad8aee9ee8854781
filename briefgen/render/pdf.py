"""The print edition: one PDF per issue, rendered by WeasyPrint."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.error import HTTPError
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from briefgen.config.settings import Config
from briefgen.errors import Diagnostic, InputError, error
from briefgen.render.pagefit import fit
from briefgen.workers import TimedOut, ordered_map, time_limit

logging.getLogger("weasyprint").setLevel(logging.ERROR)
# An issue's layout, which the limits on item bodies (content/limits.py) keep to about 13 s a
# megabyte of text: generous, so that only a layout that would never end reaches it.
LAYOUT_SECONDS = 300
REPOSITORY = "bulletin"  # bulletin:content/图.png is a file of the repository (render/printdoc._originals)


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
        if parts.scheme in ("file", REPOSITORY) and parts.netloc in ("", "localhost"):
            written = unquote(parts.path)
            path = (self.root / written if parts.scheme == REPOSITORY else Path(url2pathname(written))).resolve()
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

    def write(self, html: str) -> Printed:
        """The PDF of a print document (an issue, a 通报), fitted to its pages (render/pagefit).
        A layout that exceeds the recursion limit or LAYOUT_SECONDS raises LayoutFailed naming
        the item at fault."""
        try:
            with time_limit(LAYOUT_SECONDS):
                source = HTML(string=html, base_url=self.root.as_uri() + "/", url_fetcher=self.fetcher)
                images: dict[str, Any] = {}  # each image read once for all the layouts tried
                document, alone = fit(lambda: source.render(stylesheets=[self.stylesheet],
                                                            font_config=self.font_config, cache=images),
                                      source.etree_element)
                return Printed(document.write_pdf(), len(document.pages), alone)
        except RecursionError:
            raise LayoutFailed(self._culprits(getattr(html, "parts", ()))) from None
        except TimedOut:
            raise LayoutFailed(_slowest(getattr(html, "parts", ()))) from None

    def _layout(self, html: str) -> Any:
        return HTML(string=html, base_url=self.root.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[self.stylesheet], font_config=self.font_config
        )

    def _culprits(self, parts: tuple[tuple[str, int, str], ...]) -> list[Diagnostic]:
        """Lay out each item's body alone: those that fail alone made the issue fail."""
        culprits = []
        for source, line, body in parts:
            try:
                with time_limit(LAYOUT_SECONDS):
                    self._layout(f'<!DOCTYPE html><html lang="zh-CN"><body><div class="item-body">{body}</div>'
                                 "</body></html>")
            except (RecursionError, TimedOut):
                culprits.append(error(source, line, "PDF 排版时发现这篇稿件的正文嵌套太深，无法排版",
                                      "请减少列表、引用和 HTML 标记的嵌套层次"))
        if culprits:
            return culprits
        if not parts:
            return [error("templates/print/issue.html", 0, "PDF 排版时嵌套太深，无法排版", "请检查打印模板")]
        return [error(source, line, "本期 PDF 排版时嵌套太深，无法排版（每篇稿件单独排版都没有问题）",
                      "请检查本期各篇稿件中的列表、引用和 HTML 标记") for source, line, _body in parts]


class Printed(NamedTuple):
    """A print document's PDF, its number of pages, and the page its 报尾 stands alone on
    (0 when the 报尾 shares the last page with text)."""

    data: bytes
    pages: int
    colophon_alone: int


class LayoutFailed(InputError):
    """A print document WeasyPrint could not lay out, with the items at fault. Rebuilt from its
    diagnostics when it travels back from a worker process."""

    OUTCOME = "PDF 未能排版，没有写入任何文件；output/、archive/ 和 published.yaml 都保持原样。"

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        super().__init__(diagnostics, self.OUTCOME)

    def __reduce__(self) -> tuple[type[LayoutFailed], tuple[tuple[Diagnostic, ...]]]:
        return LayoutFailed, (self.diagnostics,)


def _slowest(parts: tuple[tuple[str, int, str], ...]) -> list[Diagnostic]:
    """A layout that took too long: the longest item is the one to shorten."""
    if not parts:
        return [error("templates/print/issue.html", 0, f"PDF 排版了 {LAYOUT_SECONDS} 秒还没有完成", "请检查打印模板")]
    source, line, _body = max(parts, key=lambda part: len(part[2]))
    return [error(source, line, f"本期 PDF 排版了 {LAYOUT_SECONDS} 秒还没有完成，这是本期最长的稿件",
                  "请把很长的稿件分成几篇，或分到不同的期")]


Rendered = tuple[Printed, dict[str, str]]  # the PDF, and the references refused (url -> why)
_renderer: PdfRenderer | None = None


def _start_renderer(config: Config, stylesheet: str) -> None:
    global _renderer
    _renderer = PdfRenderer(config, stylesheet)


def _render(html: str) -> Rendered:
    assert _renderer is not None
    printed = _renderer.write(html)
    refused = dict(_renderer.fetcher.refused)
    _renderer.fetcher.refused.clear()
    return printed, refused


def render_documents(config: Config, stylesheet: str, documents: Sequence[str], jobs: int) -> Iterator[Rendered]:
    """Render documents in order, on up to `jobs` processes, each keeping its fonts warm."""
    return ordered_map(_render, documents, jobs, _start_renderer, (config, stylesheet))
