"""Full-text search for the intranet site: a Pagefind index of every item, titles and bodies.

Pagefind's extended build segments Chinese (which has no spaces between words) and writes
a static index that the browser searches itself: no search server, no outside request.
The index is built from a plain page per item (title, unit, date and body), not from the
site's pages, so it needs nothing read back from disk."""

from __future__ import annotations

import asyncio
import errno
import gzip
import hashlib
import html
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from briefgen.bulletin.periods import chinese_date
from briefgen.errors import BuildError
from briefgen.incremental.keys import search_salt
from briefgen.model import Bulletin
from briefgen.storage import faults

FOLDER = "pagefind"
MISSING = ("找不到 Pagefind（站内搜索的索引程序）；请运行 pip install 'pagefind[extended]'，"
           "或用 make bulletin 重新安装。")
LOW_SPACE = 64 * 1024 * 1024  # below this, an incomplete index is put down to a full disk
ENTRY = f"{FOLDER}/pagefind-entry.json"  # what the page's script reads first


def search_key(bulletin: Bulletin) -> str:
    """What the index is made from: the very pages it indexes, and the indexer's version."""
    digest = hashlib.sha256(search_salt().encode("utf-8") + b"\0")
    for source, page in _documents(bulletin):
        digest.update(f"{source}\0{page}\0".encode())
    return digest.hexdigest()


def search_files(bulletin: Bulletin, scratch: Path) -> dict[str, bytes]:
    """The files of the search bundle, by path relative to the output folder (under pagefind/)."""
    folder = Path(tempfile.mkdtemp(dir=scratch, prefix="search-"))
    try:
        pages = folder / "pages"
        for source, page in _documents(bulletin):
            path = pages / source
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")
        faults.point("search:pages-written")
        if pages.is_dir():
            # One pass over a folder lets Pagefind read and index the pages in parallel; adding
            # them one by one through its service took minutes for 10,000 items.
            _index(pages, folder / FOLDER)
            bundle = {path.relative_to(folder).as_posix(): path.read_bytes()
                      for path in sorted((folder / FOLDER).rglob("*")) if path.is_file()}
        else:  # nothing to index, which the command line refuses: the bundle without an index
            bundle = asyncio.run(_empty_bundle(folder / "unused"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not complete(bundle) or not _whole(bundle):
        if shutil.disk_usage(scratch).free < LOW_SPACE:  # Pagefind only logs a full disk
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(scratch / FOLDER))
        raise BuildError("站内搜索的索引没有生成完整（Pagefind 写出的文件缺失、为空或不完整）；output/ 保持上次的内容。"
                         "请再运行一次；如果仍然如此，可以先用 --no-search 生成。")
    return bundle


def _whole(bundle: Mapping[str, bytes]) -> bool:
    """Whether every compressed file of a new bundle (the index, its fragments, the WebAssembly)
    decompresses to its end: a file cut short by a writer that had not finished does not. A
    bundle kept from the last build was checked so when it was made, and is kept only while its
    files keep the size and time it was recorded with."""
    try:
        for rel, data in bundle.items():
            if rel.endswith(".pagefind") or ".pf_" in rel.rsplit("/", 1)[-1]:
                gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return False
    return True


def complete(bundle: Mapping[str, bytes | Path]) -> bool:
    """Whether a search bundle is whole: its entry file parses, and no file of it is empty."""
    entry = bundle.get(ENTRY)
    try:
        data = entry.read_bytes() if isinstance(entry, Path) else entry
        if data is None or not isinstance(json.loads(data), dict):
            return False
        return all((value.stat().st_size if isinstance(value, Path) else len(value)) > 0
                   for value in bundle.values())
    except (OSError, ValueError):
        return False


def _documents(bulletin: Bulletin) -> Iterator[tuple[str, str]]:
    """(source path, HTML) of a plain page per shown item, as Pagefind reads it."""
    for item in bulletin.items:
        issue = bulletin.issue_of(item)
        yield f"items/{item.slug}.html", (
            '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{html.escape(item.title)}</title></head><body>"
            f'<h1 data-pagefind-meta="title">{html.escape(item.title)}</h1>'
            f'<p data-pagefind-meta="来源">{html.escape(item.unit)} · {chinese_date(item.date)} · '
            f"{html.escape(issue.title)}</p>"
            f"{bulletin.bodies[item.slug]}</body></html>"
        )


def _index(pages: Path, output: Path) -> None:
    """Run Pagefind's command line over the folder of pages. Its service mode (the Python API)
    can answer that the files are written while the last of them are still being written
    (Pagefind PR #1272): under load a file came out empty or cut short. The command line
    finishes its writes before it exits, and gives the same bytes."""
    if importlib.util.find_spec("pagefind") is None:
        raise BuildError(MISSING)
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(output),
               "--force-language", "zh", "--silent"]
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                            check=False)
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()[-3:]
        if any("executable" in line.lower() or "not found" in line.lower() for line in said):
            raise BuildError(MISSING)
        raise BuildError(f"站内搜索的索引程序 Pagefind 出错（退出码 {result.returncode}：{' '.join(said)}）；"
                         "output/ 保持上次的内容。可以先用 --no-search 生成。")


async def _empty_bundle(scratch: Path) -> dict[str, bytes]:
    """The search bundle of a site with no items yet (the search box finds nothing), as bytes
    from Pagefind's service: never read back from disk, which its service may still be writing."""
    if importlib.util.find_spec("pagefind") is None:
        raise BuildError(MISSING)
    from pagefind.index import (  # loaded only for a site with nothing to index
        IndexConfig,
        PagefindIndex,
    )

    async with PagefindIndex(IndexConfig(output_path=str(scratch), force_language="zh")) as index:
        files = await index.get_files()
    return {f"{FOLDER}/{file['path']}": file["content"] for file in sorted(files, key=lambda file: file["path"])}
