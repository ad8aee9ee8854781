"""Full-text search for the intranet site: a Pagefind index of every item, titles and bodies.

Pagefind's extended build segments Chinese (which has no spaces between words) and writes
a static index that the browser searches itself: no search server, no outside request.
The index is built in parts (render/searchparts.py), from a plain page per item (title, unit,
date and body), not from the site's pages, so it needs nothing read back from the output. The
parts to make again are indexed by Pagefind processes started before the site's pages are
rendered, up to one a core, and collected after."""

from __future__ import annotations

import asyncio
import errno
import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from briefgen.errors import BuildError
from briefgen.render.searchparts import Part
from briefgen.storage import faults
from briefgen.storage.staged import Staged

MISSING = ("找不到 Pagefind（站内搜索的索引程序）；请运行 pip install 'pagefind[extended]'，"
           "或用 make bulletin 重新安装。")
LOW_SPACE = 64 * 1024 * 1024  # below this, an incomplete index is put down to a full disk
ENTRY = "pagefind-entry.json"  # what the page's script reads first, in every part
INCOMPLETE = ("站内搜索的索引没有生成完整（Pagefind 写出的文件缺失、为空或不完整）；output/ 保持上次的内容。"
              "请再运行一次；如果仍然如此，可以先用 --no-search 生成。")


class Indexing:
    """Pagefind over the pages of each part given, up to `jobs` processes at a time, started at
    once: the caller renders the site meanwhile, then takes the bundles with `files()`."""

    def __init__(self, parts: Sequence[Part], bodies: Mapping[str, str], scratch: Path, jobs: int) -> None:
        self.scratch, self.bodies = scratch, bodies
        self.waiting = [part for part in parts if part.entries]
        self.empty = [part for part in parts if not part.entries]
        self.jobs = max(jobs, 1)
        self.running: list[tuple[Part, Path, subprocess.Popen[bytes]]] = []
        self.done: dict[str, dict[str, bytes | Staged]] = {}  # part folder -> its files
        if self.waiting:
            self.command = _command()
        self._launch()

    def files(self) -> dict[str, dict[str, bytes | Staged]]:
        """The files of each bundle made, by part folder, then by path relative to the output
        folder; raises BuildError when Pagefind failed or left a bundle incomplete."""
        try:
            while self.running:
                if not self._reap():
                    time.sleep(0.01)
                self._launch()
        finally:
            self.stop()
        for part in self.empty:  # nothing to index, which the command line refuses
            self.done[part.folder] = asyncio.run(_empty_bundle(part, self.scratch))
        return self.done

    def stop(self) -> None:
        """End every Pagefind still running and remove its work folder (after a failure)."""
        for _, folder, process in self.running:
            process.kill()
            process.wait()
            shutil.rmtree(folder, ignore_errors=True)
        self.running = []

    def _launch(self) -> None:
        while self.waiting and len(self.running) < self.jobs:
            part = self.waiting.pop(0)
            folder = Path(tempfile.mkdtemp(dir=self.scratch, prefix="search-"))
            for source, page in part.documents(self.bodies):
                path = folder / "pages" / source
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(page, encoding="utf-8")
            faults.point("search:pages-written")
            with open(folder / "said", "wb") as said:
                process = subprocess.Popen(
                    [*self.command, "--site", str(folder / "pages"), "--output-path", str(folder / "bundle")],
                    stdin=subprocess.DEVNULL, stdout=said, stderr=subprocess.STDOUT)
            self.running.append((part, folder, process))

    def _reap(self) -> bool:
        for entry in self.running:
            part, folder, process = entry
            if process.poll() is None:
                continue
            self.running.remove(entry)
            try:
                self.done[part.folder] = _collect(part, folder, process.returncode)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            shutil.rmtree(folder / "pages", ignore_errors=True)  # the bundle stays until the tree is written
            return True
        return False


def _command() -> list[str]:
    """Pagefind's extended binary with the options every part shares. The command line, not its
    service mode (the Python API): the service could answer that the files were written while
    the last of them were still being written (Pagefind PR #1272); the command line finishes its
    writes before it exits, and gives the same bytes."""
    if importlib.util.find_spec("pagefind_bin_extended") is not None:
        from pagefind_bin_extended import get_executable  # type: ignore[import-untyped]

        binary = [str(get_executable())]
    elif importlib.util.find_spec("pagefind") is not None:
        binary = [sys.executable, "-m", "pagefind"]
    else:
        raise BuildError(MISSING)
    return [*binary, "--force-language", "zh", "--silent"]


def _collect(part: Part, folder: Path, returncode: int) -> dict[str, bytes | Staged]:
    """The files of one part's bundle, as the site serves them, once its Pagefind has ended; they
    stay in the work area (cleared when the build ends) until the output tree takes them."""
    if returncode != 0:
        said = (folder / "said").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        if any("executable" in line.lower() or "not found" in line.lower() for line in said):
            raise BuildError(MISSING)
        raise BuildError(f"站内搜索的索引程序 Pagefind 出错（退出码 {returncode}：{' '.join(said)}）；"
                         "output/ 保持上次的内容。可以先用 --no-search 生成。")
    made = folder / "bundle"
    bundle: dict[str, bytes | Staged] = {
        f"{part.folder}/{path.relative_to(made).as_posix()}": Staged(path)
        for path in sorted(made.rglob("*")) if path.is_file() and _served(part, path.relative_to(made))}
    if not complete(part, bundle) or not _whole(bundle):
        if shutil.disk_usage(folder).free < LOW_SPACE:  # Pagefind only logs a full disk
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(made))
        raise BuildError(INCOMPLETE)
    return bundle


def _served(part: Part, rel: Path) -> bool:
    """Whether a file Pagefind wrote is part of the site: all of the primary bundle; of the
    others, only the index (a merged part is searched with the primary part's scripts)."""
    if not part.name:
        return True
    return rel.name == ENTRY or rel.suffix == ".pf_meta" or rel.parts[0] in ("index", "fragment", "filter")


def _whole(bundle: Mapping[str, bytes | Staged]) -> bool:
    """Whether every compressed file of a new bundle (the index, its fragments, the WebAssembly)
    decompresses to its end: a file cut short by a writer that had not finished does not. A
    bundle kept from the last build was checked so when it was made, and is kept only while its
    files keep the size and time it was recorded with."""
    try:
        for rel, data in bundle.items():
            if rel.endswith(".pagefind") or ".pf_" in rel.rsplit("/", 1)[-1]:
                gzip.decompress(data if isinstance(data, bytes) else data.read_bytes())
    except (OSError, EOFError, zlib.error):
        return False
    return True


def complete(part: Part, bundle: Mapping[str, bytes | Path | Staged],
             size: Callable[[str], int] | None = None) -> bool:
    """Whether a part's bundle is whole: its entry file parses, and no file of it is empty
    (size(rel) says how big a file is, where the caller knows it already)."""
    entry = bundle.get(f"{part.folder}/{ENTRY}")
    try:
        data = entry if entry is None or isinstance(entry, bytes) else entry.read_bytes()
        if data is None or not isinstance(json.loads(data), dict):
            return False
        if size is not None:
            return all(size(rel) > 0 for rel in bundle)
        return all(_size(value) > 0 for value in bundle.values())
    except (OSError, ValueError):
        return False


def _size(value: bytes | Path | Staged) -> int:
    if isinstance(value, bytes):
        return len(value)
    return value.stat().st_size if isinstance(value, Path) else value.size()


async def _empty_bundle(part: Part, scratch: Path) -> dict[str, bytes | Staged]:
    """The search bundle of a site with no items yet (the search box finds nothing), as bytes
    from Pagefind's service: never read back from disk, which its service may still be writing."""
    if importlib.util.find_spec("pagefind") is None:
        raise BuildError(MISSING)
    from pagefind.index import (  # loaded only for a site with nothing to index
        IndexConfig,
        PagefindIndex,
    )

    async with PagefindIndex(IndexConfig(output_path=str(scratch / "unused"), force_language="zh")) as index:
        files = await index.get_files()
    return {f"{part.folder}/{file['path']}": file["content"]
            for file in sorted(files, key=lambda file: file["path"])}
