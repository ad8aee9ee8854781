"""Find every item file, and parse it and render its body: again only when the file changed.

Files whose content the item cache has seen are taken from it; the rest are parsed and
converted together, spread over the cores when there are many. What the cache gives back is
checked there (incremental.itemcache) and here: an item of a unit or topic briefgen.yaml does
not have is parsed again, and no body leaves this module but sanitised once more, cached or
not (the same steps either way, so a build from the cache makes the bytes of a clean one).
Sanitising waits until a body is asked for (Bodies), so a build sanitises only the bodies it
renders; a body that could hold a reference to rewrite or report is sanitised at once (refers)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from markupsafe import Markup

from briefgen.config.settings import CONFIG_NAME, Config
from briefgen.content.items import duplicate_slugs, read_item
from briefgen.content.limits import CONVERT_SECONDS, MAX_FILE_BYTES, MAX_HTML_DEPTH, html_depth
from briefgen.errors import Diagnostic, InputError, error
from briefgen.incremental.blocks import Stored
from briefgen.incremental.itemcache import ItemCache
from briefgen.incremental.parsed import Parsed
from briefgen.incremental.uptodate import settled
from briefgen.incremental.warm import Warm
from briefgen.model import Body, Item, held
from briefgen.storage.walk import is_within, walk_files
from briefgen.workers import TimedOut, ordered_map, time_limit

PARALLEL_FROM = 400  # fewer files parse faster than a pool of processes starts
# What a body must hold for sanitising to leave it a reference (an <a> or <img>) that
# content.assets.localise rewrites or reports: the start of such a tag, of <image> (which the
# HTML parser reads as <img>), or an entity that can become a "<" in an attribute, where it
# stays unescaped. Checked in both cases; a body without any of them leaves localise unchanged.
_REFERRING = re.compile(r"<(?:[aA]|[iI][mM])|&(?:[lL][tT]|#)")  # one scan: 10,000 bodies on every build


@dataclass
class Loaded:
    items: list[Item] = field(default_factory=list)  # the good ones, in path order
    problems: list[Diagnostic] = field(default_factory=list)
    # slug -> body HTML as converted, to sanitise again: held, or where the item cache keeps it
    html: dict[str, str | Stored] = field(default_factory=dict)
    referring: set[str] = field(default_factory=set)  # slugs of the bodies that may refer to a file (refers)
    unchecked: list[tuple[Body, str]] = field(default_factory=list)  # files with errors: body, sanitised HTML
    digests: dict[str, str] = field(default_factory=dict)  # source -> SHA-256 of the file
    plain: dict[str, str] = field(default_factory=dict)  # source -> plain_digest of the item's body


class ItemFile(NamedTuple):
    rel: str  # relative to the repository root, with "/" separators
    path: str  # as found (a Path for each of 10,000 files costs more than reading the few changed ones)
    state: str  # size, modification and change times and inode: any write changes it ("" while
    # the file is too new to be sure of that: it is read and hashed again next time)


def item_files(config: Config) -> tuple[list[ItemFile], list[Diagnostic]]:
    """Every *.md under content/, in a stable order, and an error for each that cannot be taken
    as an item: a link to outside the repository, to itself or to nothing, a name that is not
    UTF-8, a file too big to read; and for each folder that cannot be read or that links to
    outside the repository (not walked). Linked folders inside it are followed once."""
    root = str(config.root.resolve())
    found: list[ItemFile] = []
    problems: list[Diagnostic] = []
    now = time.time_ns()
    unreadable: list[str] = []
    outside: list[str] = []
    for entry, folder in walk_files(str(config.content_dir), unreadable, root, outside):
        if not entry.name.endswith(".md"):
            continue
        rel = _rel(config, entry.path)
        problem = _unusable(entry, rel, folder, root)
        if problem is not None:
            problems.append(problem)
        elif entry.is_file():
            stat = entry.stat()
            if stat.st_size > MAX_FILE_BYTES:
                problems.append(error(rel, 1, f"文件有 {stat.st_size / 1024 / 1024:,.1f} MB，太大了，没有读取",
                                      "稿件正文不能超过 1 MB；很长的报告可以作为附件另行报送"))
                continue
            state = (f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"
                     if settled(stat.st_mtime_ns, now) else "")
            found.append(ItemFile(rel, entry.path, state))
    for folder in unreadable:
        problems.append(error(_rel(config, folder), 0, "无法读取这个文件夹，其中的稿件没有编入简报",
                              "请检查文件夹的权限（briefgen 需要能读取 content/ 下的每个文件夹）"))
    for folder in outside:
        problems.append(error(_rel(config, folder), 0, "文件夹是指向简报仓库以外的链接，其中的内容没有编入简报",
                              "请把稿件本身放进 content/，不要链接到别处"))
    found.sort()
    problems.sort()
    return found, problems


def _rel(config: Config, path: str) -> str:
    """A path relative to the repository, with "/" separators; a name that is not UTF-8 (its bytes
    kept by os.scandir as surrogates) shows its bytes as \\xNN, so that it can be printed."""
    rel = path[len(str(config.root)) + 1:].replace(os.sep, "/")
    if rel.isascii():
        return rel  # no byte of it can have been kept as a surrogate
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _unusable(entry: os.DirEntry[str], rel: str, folder: str, root: str) -> Diagnostic | None:
    """Why an item file found in folder (a real path) cannot be read as an item, if it cannot."""
    written = entry.path[len(root) + 1:] if entry.path.startswith(root) else entry.name
    try:
        written.encode("utf-8")
    except UnicodeEncodeError:
        try:
            guess = f"（多半是 GBK 编码的“{os.fsencode(written).decode('gb18030')}”）"
        except UnicodeDecodeError:
            guess = ""
        return error(rel, 1, f"文件名或文件夹名不是 UTF-8 编码{guess}，常见于从 Windows 压缩包解压的文件",
                     "请给文件或文件夹改名（重新输入名称即可）")
    if not entry.is_symlink():
        return None if is_within(folder, root) else error(rel, 1, "稿件文件是指向简报仓库以外的链接",
                                                          "请把稿件本身放进 content/")
    try:
        target = os.path.realpath(entry.path, strict=True)
    except FileNotFoundError:
        return error(rel, 1, "稿件文件是链接，但它指向的文件不存在", "请删去这个链接，或换成稿件本身")
    except OSError:
        return error(rel, 1, "稿件文件是指向自身的链接（循环链接）", "请删去这个链接，或换成稿件本身")
    if not (is_within(folder, root) and is_within(target, root)):
        return error(rel, 1, "稿件文件是指向简报仓库以外的链接", "请把稿件本身放进 content/")
    return None


def load_items(config: Config, jobs: int = 1, save_cache: bool = False, warm: Warm | None = None) -> Loaded:
    """Every item, parsed and checked, with its body rendered; problems for the ones that are wrong.
    Only a build saves what it parsed for the next one: checking writes nothing. With warm, a
    file still as this process's last build read it is taken from what that build kept."""
    files, outside = item_files(config)
    cache = ItemCache(config.root, (config.root / CONFIG_NAME).read_bytes(), functools.partial(_recover, config),
                      spill=save_cache)
    before = warm.results(cache.folder.name) if warm is not None else {}
    loaded = Loaded(problems=outside)
    results, todo = _known(files, cache, before, loaded, config)
    states = {file.rel: file.state for file in files}
    processes = jobs if len(todo) >= PARALLEL_FROM else 1
    parsed_in_order = ordered_map(_parse, todo, processes, _start, (config,), chunksize=32)
    timed_out = set()  # a timeout depends on the machine: kept nowhere
    for (rel, _raw), parsed in zip(todo, parsed_in_order, strict=True):
        if any(problem.message == _timed_out() for problem in parsed.problems):
            timed_out.add(rel)
        else:
            parsed = cache.put(rel, loaded.digests[rel], states[rel], parsed)
        results[rel] = parsed  # what put gives: a build's bodies wait on disk, not in memory
    for rel in before.keys() - states.keys():
        cache.forget(rel)
    if save_cache:
        cache.save()
    if warm is not None:
        warm.keep_results(cache.folder.name, {rel: (states[rel], loaded.digests[rel], parsed)
                                              for rel, parsed in results.items()
                                              if states[rel] and rel not in timed_out})
    for file in files:
        _gather(results[file.rel], file.rel, loaded)
    loaded.problems.extend(duplicate_slugs(loaded.items))
    return loaded


def _known(files: list[ItemFile], cache: ItemCache, before: Mapping[str, tuple[str, str, Parsed]],
           loaded: Loaded, config: Config) -> tuple[dict[str, Parsed], list[tuple[str, bytes]]]:
    """The results known without parsing (held from before, or in the cache, each file's digest
    into loaded), and the files still to parse with their bytes."""
    results: dict[str, Parsed] = {}
    todo: list[tuple[str, bytes]] = []
    for rel, path, state in files:
        held_before = before.get(rel)
        if held_before is not None and state and held_before[0] == state and _fits(held_before[2], config):
            loaded.digests[rel], results[rel] = held_before[1], held_before[2]
            cache.keep(rel)
            continue
        known = cache.unchanged(rel, state)  # the file as the last build saw it: not read again
        if known is not None and _fits(known[1], config):
            loaded.digests[rel], results[rel] = known
            continue
        with open(path, "rb") as opened:
            raw = opened.read()
        digest = hashlib.sha256(raw).hexdigest()
        loaded.digests[rel] = digest
        hit = cache.get(rel, digest, state)
        if hit is None or not _fits(hit, config):
            todo.append((rel, raw))
        else:
            results[rel] = hit
    return results, todo


def _gather(parsed: Parsed, rel: str, loaded: Loaded) -> None:
    loaded.problems.extend(parsed.problems)
    if parsed.item is not None:
        loaded.items.append(parsed.item)
        loaded.plain[rel] = parsed.plain
        html = held(parsed, "html")
        if isinstance(html, (str, Stored)):  # not read here: sanitised again by Bodies
            loaded.html[parsed.item.slug] = html
            if parsed.refers:
                loaded.referring.add(parsed.item.slug)
    elif parsed.body is not None and parsed.html is not None:
        loaded.unchecked.append((parsed.body, sanitised(parsed.html)))


def refers(html: str) -> bool:
    """Whether a body may, once sanitised, hold a reference for content.assets.localise: only then
    must it be sanitised before every build's check of what it refers to (see _REFERRING)."""
    return _REFERRING.search(html) is not None


def plain_digest(markdown: str) -> str:
    """What tells two bodies apart for bulletin.checks.duplicates: the SHA-256 of the body
    without white space ("" for a body of white space alone), so that no body need be kept."""
    text = "".join(markdown.split())
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if text else ""


def sanitised(html: str) -> Markup:
    """A body sanitised again, whatever it was made or read from: the cache is not trusted."""
    from briefgen.content.markdown import sanitise  # Markdown is loaded only when a body needs it

    return Markup(sanitise(html))  # safe to insert into templates: sanitised here


class Bodies(Mapping[str, Markup]):
    """Item slug -> body HTML as the site shows it. A body is sanitised when asked for, so a
    build sanitises only what it renders; none is ever given out unsanitised. One still to
    sanitise is read from the item cache's block each time (or held, when it was converted in
    this run), and only the last few sanitised are kept: a page and the next ask for the same."""

    KEEP = 32

    def __init__(self) -> None:
        self._ready: dict[str, Markup] = {}
        self._pending: dict[str, str | Stored] = {}  # slug -> HTML still to sanitise
        self._recent: OrderedDict[str, Markup] = OrderedDict()
        self._order: dict[str, None] = {}

    def ready(self, slug: str, html: Markup) -> None:
        """Add a body already sanitised (and localised) by the caller."""
        self._order[slug] = None
        self._ready[slug] = html

    def pending(self, slug: str, html: str | Stored) -> None:
        """Add a body to sanitise when it is asked for."""
        self._order[slug] = None
        self._pending[slug] = html

    def __getitem__(self, slug: str) -> Markup:
        done = self._ready.get(slug)
        if done is None:
            done = self._recent.get(slug)
        if done is not None:
            return done
        html = self._pending[slug]  # KeyError for an unknown slug
        done = self._recent[slug] = sanitised(html if isinstance(html, str) else html.text())
        if len(self._recent) > self.KEEP:
            self._recent.popitem(last=False)
        return done

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def _recover(config: Config, source: str, kind: str, sha256: str) -> str:
    """A body the item cache's block should have held, made again from its file: the very text
    the cache described (its digest), or the build stops, since the file changed meanwhile."""
    if _renderer is None or _config is not config:
        _start(config)
    with open(config.root / source, "rb") as opened:
        parsed = _parse((source, opened.read()))
    text = parsed.html if kind == "html" else (parsed.item or parsed.body or Body("", "", 0)).body
    if text is None or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() != sha256:
        raise InputError([error(source, 0, "稿件在生成简报的过程中被修改了", "请重新运行 briefgen build")])
    return text


def _fits(parsed: Parsed, config: Config) -> bool:
    """Whether a result from the cache names only units and topics briefgen.yaml has."""
    item = parsed.item
    return item is None or (item.unit in config.units and item.topic in config.topics)


_config: Config | None = None
_renderer = None


def _start(config: Config) -> None:
    global _config, _renderer
    from briefgen.content.markdown import (
        MarkdownRenderer,  # Markdown is loaded only when a body needs it
    )

    _config, _renderer = config, MarkdownRenderer()


def _parse(job: tuple[str, bytes]) -> Parsed:
    assert _config is not None and _renderer is not None
    rel, raw = job
    problems: list[Diagnostic] = []
    item, failed = read_item(rel, raw, _config, problems)
    body = item or failed
    if body is None:
        return Parsed(None, tuple(problems), None)
    # Drafts too: the editor may preview them; and the body of a file with errors, whose own
    # problems (what it refers to, its nesting) are reported in the same run. The limits
    # read_item checked keep a body far from what the converter cannot do; should one still get
    # there, it is this file's error.
    try:
        with time_limit(CONVERT_SECONDS):
            html = str(_renderer.convert(body.body, Path(rel).stem))
    except RecursionError:
        problems.append(error(rel, body.body_line, "正文的结构太复杂（嵌套太深），无法转换",
                              "请减少列表、引用和 HTML 标记的嵌套层次"))
        return Parsed(None, tuple(problems), None)
    except TimedOut:
        problems.append(error(rel, body.body_line, _timed_out(),
                              "请删去大量重复的符号，或把很长的正文分成几篇稿件"))
        return Parsed(None, tuple(problems), None)
    depth = html_depth(html)
    if depth > MAX_HTML_DEPTH:
        problems.append(error(rel, body.body_line, f"正文转换后嵌套了 {depth} 层，超过了 {MAX_HTML_DEPTH} 层的上限，"
                              "无法排版", "请减少列表、引用和 HTML 标记的嵌套层次"))
        return Parsed(None, tuple(problems), None)
    return Parsed(item, tuple(problems), html, failed, refers(html), "" if item is None else plain_digest(item.body))


def parse_file(config: Config, rel: str, raw: bytes) -> Parsed:
    """One item file parsed, checked and converted as a build does it (for a command given files)."""
    if _config is not config:
        _start(config)
    return _parse((rel, raw))


def _timed_out() -> str:
    return f"正文转换了 {CONVERT_SECONDS} 秒还没有完成"
