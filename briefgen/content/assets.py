"""Files an item refers to (images, attachments): copied into the site, or reported."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from briefgen.content.items import line_of
from briefgen.errors import Diagnostic, error, warning
from briefgen.model import Body, Item

MEDIA = "media"  # output folder for the files items refer to, mirroring content/
TAG = re.compile(r"<(img|a)\b([^>]*)>", re.IGNORECASE)
ADDRESS = {"img": "src", "a": "href"}
ALT = re.compile(r'\salt="([^"]*)"')


@dataclass(frozen=True)
class Localised:
    html: str
    files: dict[str, Path]  # output path -> source file
    problems: list[Diagnostic]


def localise(body_html: str, item: Item | Body, root: Path, remote_hosts: tuple[str, ...] = ()) -> Localised:
    """Point an item's relative references at copies under media/; report the ones that can't be.

    Images from the web are replaced by their alt text, unless their host is one the
    office allows (remote_hosts in briefgen.yaml, e.g. its own intranet server); links
    to files outside content/ lose their address. References are visited in document
    order, so each is reported at its own line."""
    if "<img" not in body_html and "<a" not in body_html:
        return Localised(body_html, {}, [])  # nothing to rewrite or report
    content = (root / "content").resolve()
    folder = (root / item.source).parent
    files: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    cursor = item.body_line - 1  # the line of the last reference reported

    def report(reference: str, message: str, hint: str = "", missing: bool = False) -> None:
        nonlocal cursor
        # The address as written, not inside a longer one: 1.png must not match 11.png.
        written = re.compile(rf"(?<![^\s(\"'=<]){re.escape(reference)}(?![^\s)\"'>#?])")
        cursor = line_of(item, written, start=cursor + 1)
        problems.append((error if missing else warning)(item.source, cursor, message, hint))

    def visit(match: re.Match[str]) -> str:
        tag, attrs = match.group(1).lower(), match.group(2)
        found = re.search(rf'\s{ADDRESS[tag]}="([^"]*)"', attrs)
        if not found:
            return match.group(0)
        raw = html.unescape(found.group(1))
        parts = urlsplit(raw)
        if parts.scheme.lower() in ("http", "https") or parts.netloc:
            if tag == "a" or (parts.hostname or "") in remote_hosts:
                return match.group(0)
            report(raw, f"不载入网络图片 {raw}，只显示其说明文字")
            return _without(tag, attrs, found)
        if parts.scheme.lower() == "mailto" or not (parts.scheme or parts.path):
            return match.group(0)  # an e-mail address or a #fragment
        target = (folder / unquote(parts.path)).resolve()
        if parts.scheme or not target.is_relative_to(content):
            report(raw, f"引用了 content/ 以外的文件 {raw}，已忽略", "图片和附件请放在 content/ 内，稿件旁边")
            return _without(tag, attrs, found)
        if not target.is_file():
            report(raw, f"引用的文件 {raw} 不存在", "路径相对于本稿件所在的文件夹；请检查文件名，或把文件放到稿件旁边",
                   missing=True)
            return match.group(0)
        rel = f"{MEDIA}/{target.relative_to(content).as_posix()}"
        files[rel] = target
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        address = f' {ADDRESS[tag]}="../{quote(rel)}{fragment}"'
        return f"<{match.group(1)}{attrs[:found.start()]}{address}{attrs[found.end():]}>"

    return Localised(TAG.sub(visit, body_html), files, problems)


def _without(tag: str, attrs: str, found: re.Match[str]) -> str:
    """An image becomes its alt text; a link keeps its text but loses its address."""
    if tag == "img":
        alt = ALT.search(attrs)
        return f'<span class="missing-image">{alt.group(1) if alt else ""}</span>'
    return f"<a{attrs[:found.start()]}{attrs[found.end():]}>"
