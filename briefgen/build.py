"""The build: load and validate everything, render, then swap the output in whole."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

from briefgen import checks
from briefgen.assets import localise
from briefgen.cache import PdfCache, code_fingerprint, package_version
from briefgen.config import CONFIG_NAME, Config
from briefgen.errors import Diagnostic, InputError, error, warning
from briefgen.group import build_issues
from briefgen.history import submitted_on
from briefgen.issuesettings import load_issue_settings
from briefgen.specials import build_specials
from briefgen.fingerprint import Fingerprinter, item_token
from briefgen.items import line_of
from briefgen.loader import load_items
from briefgen.model import Issue, Item
from briefgen.render.context import Bulletin
from briefgen.ledger import Ledger, archived_pdfs, load_ledger, published_problems
from briefgen.manifest import Manifest
from briefgen.render.env import make_environment, templates_digest
from briefgen.render.printdoc import issue_document, print_stylesheet, refusal_warnings
from briefgen.render.fonts import family_names, file_coverage, font_files, system_coverage, uncovered
from briefgen.site import MARKER, check_out_dir, existing_files, write_tree


@dataclass(frozen=True)
class BuildOptions:
    periods: tuple[str, ...] = ()  # only these issues; empty means all
    pdf: bool = True
    html: bool = True
    out: Path | None = None
    jobs: int = 0  # PDF processes; 0 means one per core
    drafts: bool = False  # also unpublished issues and draft items, marked as drafts


Progress = Callable[[int, int, str], None]  # (PDFs rendered so far, PDFs to render, a line about the last)


@dataclass
class BuildResult:
    out: Path
    issues: tuple[Issue, ...] = ()
    html_files: int = 0
    html_reused: int = 0  # pages kept from the last build, unchanged
    pdf_pages: dict[str, int] = field(default_factory=dict)
    pdf_reused: int = 0  # PDFs kept or taken from the cache, unchanged
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


def check_bulletin(config: Config, today: dt.date | None = None, jobs: int = 0, save_cache: bool = False,
                   drafts: bool = False, unpublished: bool = False) -> tuple[Bulletin, list[Diagnostic]]:
    """Read and check everything; return the bulletin a build would render and every problem.

    Once the bulletin publishes, its issues are the published ones; with unpublished also the
    others, and with drafts also those and the items with status draft, marked as drafts."""
    loaded = load_items(config, jobs or os.cpu_count() or 1, save_cache)
    items, problems = loaded.items, loaded.problems
    settings, special_settings, settings_problems = load_issue_settings(config)
    ledger, ledger_problems = load_ledger(config.root, config.zone)
    problems += settings_problems + ledger_problems
    problems += checks.duplicates(items, config.period)
    problems += checks.future_dates(items, today or dt.datetime.now(config.zone).date(), config.future_days)
    issues = build_issues(items, config, settings, ledger, drafts)
    corrected, errata_problems = _errata(issues, items, ledger)
    problems += errata_problems
    problems += published_problems(issues, items, loaded.digests, ledger, corrected)
    archived, archive_problems = archived_pdfs(config.root, ledger)
    problems += archive_problems
    ids = {issue.id for issue in issues}
    for issue_id in sorted(set(settings) - ids):
        problems.append(warning(f"content/issues/{issue_id}.yaml", 1,
                                f"{issue_id} 没有已采用的稿件，这期的设置不会用到"))
    problems += _order_problems(issues)
    specials, special_problems = build_specials(items, config, special_settings)
    problems += special_problems
    if not (drafts or unpublished):
        issues = tuple(issue for issue in issues if not issue.draft)
    bodies: dict[str, Markup] = {}
    tokens: dict[str, str] = {}
    files: dict[str, dict[str, Path]] = {}
    media: dict[str, Path] = {}
    for item in items:
        local = localise(loaded.html[item.slug], item, config.root, config.remote_hosts)
        bodies[item.slug] = Markup(local.html)  # still the sanitised markup, with paths rewritten
        tokens[item.slug] = item_token(item.source, loaded.digests[item.source], local.html,
                                       {rel: _state(path) for rel, path in local.files.items()})
        problems += local.problems
        files[item.slug] = local.files
    for issue in issues + specials:
        for item in issue.items:
            media.update(files[item.slug])  # what the shown items refer to is copied into the site
    submitted = tuple(item for item in items if item.status != "draft")
    bulletin = Bulletin(config, issues, bodies, media, submitted, tokens, loaded.metas, loaded.digests, archived,
                        specials)
    return bulletin, problems


def _errata(issues: tuple[Issue, ...], items: list[Item],
            ledger: Ledger) -> tuple[frozenset[str], list[Diagnostic]]:
    """The item files corrected by an erratum that a later issue carries, and an error for an
    erratum naming an item that is not in an earlier published issue."""
    corrected: set[str] = set()
    problems = []
    published_in = {item.slug: (issue, item.source) for issue in issues if issue.id in ledger.publications
                    for item in issue.items}
    for issue in issues:
        for erratum in issue.settings.errata:
            found = published_in.get(erratum.item)
            if found is None or found[0].period.start >= issue.period.start:
                close = difflib.get_close_matches(erratum.item, list(published_in), n=1)
                problems.append(error(
                    f"content/issues/{issue.id}.yaml", issue.settings.errata_line,
                    f"更正的稿件 '{erratum.item}' 不在本期之前已发布的各期中",
                    f"是不是 {close[0]}？" if close else "请写已发布稿件的文件名（不带 .md）"))
            else:
                corrected.add(found[1])
    return frozenset(corrected), problems


def _order_problems(issues: tuple[Issue, ...]) -> list[Diagnostic]:
    """An item named in an issue's `order` that is not in the issue."""
    problems = []
    for issue in issues:
        slugs = [item.slug for item in issue.items]
        for slug in issue.settings.order:
            if slug not in slugs:
                close = difflib.get_close_matches(slug, slugs, n=1)
                hint = f"是不是 {close[0]}？" if close else f"本期的稿件：{'、'.join(slugs)}"
                problems.append(error(f"content/issues/{issue.id}.yaml", issue.settings.order_line,
                                      f"order 中的 '{slug}' 不是本期刊登的稿件", hint))
    return problems


def _state(path: Path) -> str:
    """Enough of a referenced file to notice that it changed."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def load_bulletin(config: Config, jobs: int = 0, save_cache: bool = False,
                  drafts: bool = False) -> tuple[Bulletin, list[Diagnostic]]:
    """The checked bulletin and its warnings; raise InputError listing every problem if any is an error."""
    bulletin, problems = check_bulletin(config, jobs=jobs, save_cache=save_cache, drafts=drafts)
    if any(p.is_error for p in problems):
        raise InputError(problems)
    return bulletin, problems


def build(config: Config, options: BuildOptions, progress: Progress = lambda done, total, line: None) -> BuildResult:
    """Build the site and PDFs into the output folder; on any error it stays as it was.

    Only what changed is made again: a file whose key (a digest of everything it is made
    from) matches the last build's, and which is still as that build left it, is kept."""
    started = time.perf_counter()
    out = (options.out or config.root / "output").absolute()
    check_out_dir(out, config.root)
    bulletin, problems = load_bulletin(config, options.jobs, save_cache=True, drafts=options.drafts)
    selected = _select(bulletin.issues + bulletin.specials, options.periods)
    if options.pdf:
        problems += font_warnings(bulletin, selected)

    env = make_environment(config.templates_dir)
    result = BuildResult(out=out, issues=selected, warnings=problems)
    manifest = Manifest(config.root, out)
    base = _base_digest(config)
    files: dict[str, bytes | Path] = {}
    keys: dict[str, str] = {}
    if options.pdf:
        _render_pdfs(bulletin, env, selected, base, manifest, result, files, keys, progress,
                     options.jobs or os.cpu_count() or 1)
    if options.periods:
        kept = _kept_from_previous(out, bulletin, selected, keep_html=not options.html)
        files.update(kept)
        keys.update({rel: manifest.entries[rel][0] for rel in kept if rel in manifest.entries})
    if options.html:
        from briefgen.render.html import render_pages, site_pages

        pdfs = frozenset(i.id for i in bulletin.issues + bulletin.specials if f"issues/{i.id}.pdf" in files)
        todo = []
        for page in site_pages(bulletin, env, pdfs, base, submitted_on(config)):
            reused = manifest.reusable(page.path, page.key)
            files[page.path] = reused or b""
            keys[page.path] = page.key
            result.html_files += 1
            if reused is None:
                todo.append(page)
        result.html_reused = result.html_files - len(todo)
        for page, html in zip(todo, render_pages(todo, config.root, options.jobs or os.cpu_count() or 1)):
            files[page.path] = html
        files.update(_search_bundle(bulletin, manifest, keys, out.parent))
        for rel, source in bulletin.media.items():
            keys[rel] = f"{source}:{_state(source)}"
            files[rel] = manifest.reusable(rel, keys[rel]) or source
    if not _unchanged(out, files):
        write_tree(out, files)
        manifest.record(keys)
    result.seconds = time.perf_counter() - started
    return result


def _search_bundle(bulletin: Bulletin, manifest: Manifest, keys: dict[str, str],
                   scratch: Path) -> dict[str, bytes | Path]:
    """The site search index: kept from the last build when no shown item changed, else made again
    (Pagefind indexes the whole site at once)."""
    from briefgen.search import FOLDER, search_files, search_key

    key = search_key(bulletin)
    previous = [rel for rel in manifest.entries if rel.startswith(f"{FOLDER}/")]
    kept = {rel: manifest.reusable(rel, key) for rel in previous}
    bundle: dict[str, bytes | Path] = {}
    if previous and all(kept.values()):
        bundle.update({rel: path for rel, path in kept.items() if path is not None})
    else:
        bundle.update(search_files(bulletin, scratch))
    keys.update({rel: key for rel in bundle})
    return bundle


def _base_digest(config: Config) -> str:
    """What every page and PDF is made from besides its own values: the settings, the
    templates and the code that renders them."""
    digest = hashlib.sha256()
    for part in (code_fingerprint(), package_version("jinja2"), templates_digest(config.templates_dir)):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update((config.root / CONFIG_NAME).read_bytes())
    return digest.hexdigest()


def _unchanged(out: Path, files: dict[str, bytes | Path]) -> bool:
    """Whether the output folder already holds exactly these files, each kept as it was."""
    if not all(data == out / rel for rel, data in files.items()):
        return False
    return set(existing_files(out)) == set(files) | {MARKER}


def _render_pdfs(
    bulletin: Bulletin, env: jinja2.Environment, issues: tuple[Issue, ...], base: str, manifest: Manifest,
    result: BuildResult, files: dict[str, bytes | Path], keys: dict[str, str], progress: Progress, jobs: int,
) -> None:
    """Each issue's PDF: kept in the output folder or taken from the cache when nothing that
    makes it changed, else rendered on up to `jobs` processes (WeasyPrint is imported only then)."""
    config = bulletin.config
    stylesheet = print_stylesheet(config, env)
    cache = PdfCache(config.root, base, stylesheet, config.remote_hosts)
    fp = Fingerprinter(bulletin.tokens)
    refused: dict[str, str] = {}
    missing = []
    for issue in issues:
        rel = f"issues/{issue.id}.pdf"
        if issue.id in bulletin.archived:  # published: the PDF exactly as it went out
            path, result.pdf_pages[issue.id] = bulletin.archived[issue.id]
            keys[rel] = f"archive:{path.stat().st_size}:{path.stat().st_mtime_ns}"
            files[rel] = manifest.reusable(rel, keys[rel]) or path
            result.pdf_reused += 1
            continue
        keys[rel] = key = cache.key(fp.digest("print/issue.html", issue))
        kept = manifest.reusable(rel, key)
        known = cache.info(key) if kept else None  # the page count, without reading the PDF again
        hit = (kept, *known) if kept and known else cache.get(key)
        if hit is None:
            missing.append(issue)
            continue
        files[rel], result.pdf_pages[issue.id], refusals = hit
        refused.update(refusals)
        result.pdf_reused += 1
    if missing:
        from briefgen.render.pdf import render_documents

        documents = [issue_document(bulletin, env, issue) for issue in missing]
        rendered = render_documents(config, stylesheet, documents, jobs)
        for done, (issue, (data, pages, refusals)) in enumerate(zip(missing, rendered), start=1):
            rel = f"issues/{issue.id}.pdf"
            cache.put(keys[rel], data, pages, refusals)
            files[rel] = data
            result.pdf_pages[issue.id] = pages
            refused.update(refusals)
            progress(done, len(missing),
                     f"PDF  {issue.id}  {issue.title}{'' if issue.series else f'（总第{issue.total}期）'}  "
                     f"{len(issue.items)}篇  {pages}页")
    cache.prune()
    result.pdf_pages = {issue.id: result.pdf_pages[issue.id] for issue in issues}  # in issue order
    result.warnings += refusal_warnings(refused, bulletin.items)


def _kept_from_previous(
    out: Path, bulletin: Bulletin, selected: tuple[Issue, ...], keep_html: bool
) -> dict[str, Path]:
    """What a --period build keeps: the other issues' PDFs, and the old site when it writes no HTML."""
    previous = existing_files(out)
    chosen = {issue.id for issue in selected}
    kept = {key: previous[key] for issue in bulletin.issues + bulletin.specials if issue.id not in chosen
            and (key := f"issues/{issue.id}.pdf") in previous}
    if keep_html:
        kept.update({rel: path for rel, path in previous.items() if not rel.endswith(".pdf")})
    return kept


def _select(issues: tuple[Issue, ...], wanted: tuple[str, ...]) -> tuple[Issue, ...]:
    if not wanted:
        return issues
    ids = [issue.id for issue in issues]
    problems = []
    for issue_id in wanted:
        if issue_id not in ids:
            close = difflib.get_close_matches(issue_id, ids, n=1)
            hint = f"是不是 {close[0]}？" if close else f"现有各期：{'、'.join(ids) or '无'}"
            problems.append(error("--period", 0, f"没有 {issue_id} 这一期", hint))
    if problems:
        raise InputError(problems)
    return tuple(issue for issue in issues if issue.id in wanted)


def font_warnings(bulletin: Bulletin, issues: tuple[Issue, ...]) -> list[Diagnostic]:
    """Warn, with file and line, about characters that no installed or bundled font has."""
    covered = system_coverage()
    if covered is None:
        return [warning("briefgen.yaml", 0, "找不到 fc-list，无法检查 PDF 中是否有字体缺字",
                        "请安装 fontconfig")]
    bundled = font_files(bulletin.config.fonts_dir)
    covered |= file_coverage(bundled)
    problems = [warning(path.relative_to(bulletin.config.root).as_posix(), 0, "无法读取这个字体文件，已忽略",
                        "请确认它是完整的 .ttf、.otf 或 .ttc 字体")
                for path in bundled if not family_names(path)]
    for issue in issues:
        for item in issue.items:
            text = "\n".join((item.title, item.note, item.body))
            for char in uncovered(text, covered):
                fields = [name for name in ("title", "note") if char in getattr(item, name)]
                line = item.field_lines[fields[0]] if fields else line_of(item, char)
                problems.append(warning(
                    item.source, line, f"字符“{char}”(U+{ord(char):04X}) 没有任何字体包含，PDF 中会印成方框",
                    "请改用常用字，或把含有此字的字体文件放进 fonts/ 文件夹",
                ))
    return problems
