"""Files an item refers to (images, attachments): copied into the site, or reported."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from briefgen.errors import Diagnostic, error, warning
from briefgen.items import line_of
from briefgen.model import Item

MEDIA = "media"  # output folder for the files items refer to, mirroring content/
REFERENCE = re.compile(r'(<(?:img|a)\b[^>]*?\s(?:src|href)=")([^"]*)(")')
IMAGE = re.compile(r'<img\b[^>]*>')
ALT = re.compile(r'\salt="([^"]*)"')


@dataclass(frozen=True)
class Localised:
    html: str
    files: dict[str, Path]  # output path -> source file
    problems: list[Diagnostic]


def localise(body_html: str, item: Item, root: Path, remote_hosts: tuple[str, ...] = ()) -> Localised:
    """Point an item's relative references at copies under media/; report the ones that can't be.

    Images from the web are replaced by their alt text, unless their host is one the
    office allows (remote_hosts in briefgen.yaml, e.g. its own intranet server)."""
    content = (root / "content").resolve()
    folder = (root / item.source).parent
    files: dict[str, Path] = {}
    problems: list[Diagnostic] = []

    def report(reference: str, message: str, hint: str = "", missing: bool = False) -> None:
        make = error if missing else warning
        problems.append(make(item.source, line_of(item, reference), message, hint))

    def rewrite(match: re.Match[str]) -> str:
        raw = html.unescape(match.group(2))
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc or not parts.path:
            return match.group(0)  # a web address, an e-mail or a #fragment: left as written
        target = (folder / unquote(parts.path)).resolve()
        if not target.is_relative_to(content):
            report(raw, f"引用了 content/ 以外的文件 {raw}，已忽略")
            return f"{match.group(1)}{match.group(3)}"
        if not target.is_file():
            report(raw, f"引用的文件 {raw} 不存在", "路径相对于本稿件所在的文件夹；请检查文件名，或把文件放到稿件旁边",
                   missing=True)
            return match.group(0)
        rel = f"{MEDIA}/{target.relative_to(content).as_posix()}"
        files[rel] = target
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return f"{match.group(1)}../{quote(rel)}{fragment}{match.group(3)}"

    def drop_remote(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = re.search(r'\ssrc="([^"]*)"', tag)
        address = html.unescape(src.group(1)) if src else ""
        parts = urlsplit(address)
        if not (parts.scheme or parts.netloc) or (parts.hostname or "") in remote_hosts:
            return tag
        report(address, f"不载入网络图片 {address}，只显示其说明文字")
        alt = ALT.search(tag)
        return f'<span class="missing-image">{alt.group(1) if alt else ""}</span>'

    result = IMAGE.sub(drop_remote, REFERENCE.sub(rewrite, body_html))
    return Localised(result, files, problems)
