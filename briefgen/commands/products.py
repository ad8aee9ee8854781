"""The files a build makes: each issue's PDF and Word file and each page of the site, kept from
the last build, taken from the cache, or made again, each with the key it was made from."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from briefgen.bulletin.assemble import Checked, file_state
from briefgen.commands.progress import Progress
from briefgen.content.history import submitted_on
from briefgen.errors import Diagnostic
from briefgen.incremental.fingerprint import Fingerprinter
from briefgen.incremental.manifest import Manifest
from briefgen.incremental.pdfcache import Info, PdfCache
from briefgen.model import Bulletin, Issue
from briefgen.render.printdoc import colophon_warning, issue_document, print_stylesheet, refusal_warnings
from briefgen.render.search import Indexing
from briefgen.storage.staged import Staged, stage
from briefgen.storage.tree import MARKER, existing_files


@dataclass
class Made:
    """Files by path in the output folder (bytes made now, or the Path of a file to keep or copy),
    the key of each, and how many were made and how many kept."""

    files: dict[str, bytes | Path | Staged] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)  # issue id -> PDF pages
    reused: int = 0
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass
class Site:
    files: dict[str, bytes | Path | Staged] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    pages: int = 0
    reused: int = 0


def pdf_files(checked: Checked, env: jinja2.Environment, issues: tuple[Issue, ...], base: str,
              manifest: Manifest, progress: Progress, jobs: int) -> Made:
    """Each issue's PDF: kept in the output folder or taken from the cache when nothing that
    makes it changed, else rendered on up to `jobs` processes (WeasyPrint is imported only then)."""
    bulletin = checked.bulletin
    config = bulletin.config
    stylesheet = print_stylesheet(config, env)
    cache = PdfCache(config.root, base, stylesheet, config.remote_hosts)
    fp = Fingerprinter(checked.tokens)
    made = Made()
    refused: dict[str, str] = {}
    alone: dict[str, int] = {}  # issue id -> the page its 报尾 stands alone on
    missing = []
    for issue in issues:
        rel = f"issues/{issue.id}.pdf"
        if issue.id in checked.archived:  # published: the PDF exactly as it went out
            path, made.pages[issue.id] = checked.archived[issue.id]
            made.keys[rel] = f"archive:{path.stat().st_size}:{path.stat().st_mtime_ns}"
            made.files[rel] = manifest.reusable(rel, made.keys[rel]) or path
            made.reused += 1
            continue
        made.keys[rel] = key = cache.key(fp.digest("print/issue.html", issue))
        kept = manifest.reusable(rel, key)
        known = cache.info(key) if kept else None  # the page count, without reading the PDF again
        hit = (kept, known) if kept and known else cache.get(key)
        if hit is None:
            missing.append(issue)
            continue
        made.files[rel], info = hit
        made.pages[issue.id], alone[issue.id] = info.pages, info.colophon_alone
        refused.update(info.refused)
        made.reused += 1
    if missing:
        from briefgen.render.pdf import render_documents

        documents = [issue_document(bulletin, env, issue) for issue in missing]
        rendered = render_documents(config, stylesheet, documents, jobs)
        for done, (issue, (printed, refusals)) in enumerate(zip(missing, rendered, strict=True), start=1):
            rel = f"issues/{issue.id}.pdf"
            cache.put(made.keys[rel], printed.data, Info(printed.pages, refusals, printed.colophon_alone))
            made.files[rel] = printed.data
            made.pages[issue.id], alone[issue.id] = printed.pages, printed.colophon_alone
            refused.update(refusals)
            progress(done, len(missing),
                     f"PDF  {issue.id}  {issue.title}{'' if issue.series else f'（总第{issue.total}期）'}  "
                     f"{len(issue.items)}篇  {printed.pages}页")
    cache.prune()
    made.pages = {issue.id: made.pages[issue.id] for issue in issues}  # in issue order
    made.warnings = refusal_warnings(refused, bulletin.items) + [
        colophon_warning(issue, alone[issue.id]) for issue in issues if alone.get(issue.id)]
    return made


def word_files(checked: Checked, env: jinja2.Environment, issues: tuple[Issue, ...], base: str,
               manifest: Manifest, jobs: int) -> Made:
    """Each issue's Word file: kept in the output folder when nothing that makes it changed (its
    key, made from the print document's digest as the PDF's is), else written again (a few
    hundredths of a second an issue, on up to `jobs` processes when there are many; no cache but
    the manifest). A published issue's too is made from the bulletin as it is now, as its pages are."""
    from briefgen.incremental.keys import word_key
    from briefgen.render.env import template_source
    from briefgen.render.wordissue import VERSION, issue_files

    fp = Fingerprinter(checked.tokens)
    made = Made()
    missing = []
    for issue in issues:
        rel = f"issues/{issue.id}.docx"
        made.keys[rel] = key = word_key(base, VERSION, fp.digest("print/issue.html", issue))
        kept = manifest.reusable(rel, key)
        if kept is not None:
            made.files[rel] = kept
            made.reused += 1
        else:
            missing.append(issue)
    written = issue_files(checked.bulletin, tuple(missing), template_source(env, "print/print.css"), jobs)
    for issue, data in zip(missing, written, strict=True):
        made.files[f"issues/{issue.id}.docx"] = data
    made.files = {f"issues/{issue.id}.docx": made.files[f"issues/{issue.id}.docx"] for issue in issues}
    return made


def html_files(checked: Checked, env: jinja2.Environment, downloads: tuple[frozenset[str], frozenset[str]],
               base: str, manifest: Manifest, jobs: int, search: bool, scratch: Path) -> Site:
    """Every file of the site: its pages (kept when their key is unchanged, else rendered on up to
    `jobs` processes), the search index and the media the shown items refer to. The parts of the
    search index to make again are being indexed while the pages render. downloads: the issues
    whose PDF, and whose Word file, the pages link to."""
    from briefgen.render.html import render_pages, site_pages

    bulletin = checked.bulletin
    site = Site()
    indexing = _start_search(checked, manifest, site, scratch, jobs) if search else None
    try:
        todo = []
        for page in site_pages(bulletin, env, downloads[0], base, checked.tokens, submitted_on(bulletin.config), search,
                               docxs=downloads[1]):
            reused = manifest.reusable(page.path, page.key)
            site.files[page.path] = reused or b""
            site.keys[page.path] = page.key
            site.pages += 1
            if reused is None:
                todo.append(page)
        site.reused = site.pages - len(todo)
        # Each page goes to disk as it comes: 100,000 items make a gigabyte of pages.
        folder = Path(tempfile.mkdtemp(dir=scratch, prefix="pages-"))
        rendered = render_pages(todo, bulletin.config.root, jobs)
        for number, (page, html) in enumerate(zip(todo, rendered, strict=True)):
            site.files[page.path] = stage(folder, str(number), html)
        if indexing is not None:
            _take_search(indexing, site)
    finally:
        if indexing is not None:
            indexing.indexing.stop()
    for rel, source in checked.media.items():
        site.keys[rel] = f"{source}:{file_state(source)}"
        site.files[rel] = manifest.reusable(rel, site.keys[rel]) or source
    return site


@dataclass
class _Search:
    indexing: Indexing
    keys: dict[str, str]  # part folder -> the key its bundle is made from


def _start_search(checked: Checked, manifest: Manifest, site: Site, scratch: Path, jobs: int) -> _Search:
    """Keep each part of the search index whose pages are unchanged since the last build (and
    whose files are whole), and start indexing the others."""
    from briefgen.incremental.keys import search_salt
    from briefgen.render.search import Indexing, complete
    from briefgen.render.searchparts import SCRIPT, part_folder, parts_script, search_parts

    parts = search_parts(checked.bulletin)
    salt = search_salt()
    keys = {part.folder: part.key(salt, checked.tokens) for part in parts}
    previous: dict[str, list[str]] = {part.folder: [] for part in parts}  # each part's files last time
    for rel in manifest.entries:
        folder = part_folder(rel)
        if folder in previous:
            previous[folder].append(rel)
    todo = []
    for part in parts:
        kept = {rel: path for rel in previous[part.folder]
                if (path := manifest.reusable(rel, keys[part.folder])) is not None}
        whole = len(kept) == len(previous[part.folder]) and complete(part, kept, manifest.size)
        if previous[part.folder] and whole:
            site.files.update(kept)
            site.keys.update({rel: keys[part.folder] for rel in kept})
        else:
            todo.append(part)
    script = parts_script(parts)
    site.keys[SCRIPT] = key = hashlib.sha256(script).hexdigest()
    site.files[SCRIPT] = manifest.reusable(SCRIPT, key) or script
    return _Search(Indexing(todo, checked.bulletin.bodies, scratch, jobs), keys)


def _take_search(search: _Search, site: Site) -> None:
    """The bundles of the parts made again, once their Pagefind processes have ended."""
    for folder, bundle in search.indexing.files().items():
        site.files.update(bundle)
        site.keys.update({rel: search.keys[folder] for rel in bundle})


def unchanged(out: Path, files: dict[str, bytes | Path | Staged]) -> bool:
    """Whether the output folder already holds exactly these files, each kept as it was."""
    if not all(isinstance(data, Path) for data in files.values()):  # one made again: found at once
        return False
    if not all(data == out / rel for rel, data in files.items()):
        return False
    return set(existing_files(out)) == set(files) | {MARKER}


def kept_from_previous(out: Path, bulletin: Bulletin, selected: tuple[Issue, ...], keep_html: bool) -> dict[str, Path]:
    """What a --period build keeps: the other issues' PDFs and Word files, and the old site when it
    writes no HTML."""
    previous = existing_files(out)
    chosen = {issue.id for issue in selected}
    kept = {key: previous[key] for issue in bulletin.issues + bulletin.specials if issue.id not in chosen
            for kind in ("pdf", "docx") if (key := f"issues/{issue.id}.{kind}") in previous}
    if keep_html:
        kept.update({rel: path for rel, path in previous.items() if not rel.endswith((".pdf", ".docx"))})
    return kept
