"""The build: load and validate everything, render, then swap the output in whole."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import jinja2
from markupsafe import Markup

from briefgen import checks
from briefgen.assets import localise
from briefgen.cache import PdfCache
from briefgen.config import Config
from briefgen.errors import Diagnostic, InputError, error, warning
from briefgen.group import build_issues
from briefgen.history import first_added
from briefgen.issuesettings import load_issue_settings
from briefgen.items import line_of, load_items
from briefgen.markdown import convert_all
from briefgen.model import Issue
from briefgen.render.context import Bulletin
from briefgen.render.env import make_environment
from briefgen.render.printdoc import issue_document, print_stylesheet, refusal_warnings
from briefgen.render.fonts import family_names, file_coverage, font_files, system_coverage, uncovered
from briefgen.site import check_out_dir, existing_files, write_tree


@dataclass(frozen=True)
class BuildOptions:
    periods: tuple[str, ...] = ()  # only these issues; empty means all
    pdf: bool = True
    html: bool = True
    out: Path | None = None
    jobs: int = 0  # PDF processes; 0 means one per core


@dataclass
class BuildResult:
    out: Path
    issues: tuple[Issue, ...] = ()
    html_files: int = 0
    pdf_pages: dict[str, int] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


def check_bulletin(config: Config, today: dt.date | None = None) -> tuple[Bulletin, list[Diagnostic]]:
    """Read and check everything; return the bulletin a build would render and every problem."""
    items, problems = load_items(config)
    settings, settings_problems = load_issue_settings(config)
    problems += settings_problems
    problems += checks.duplicates(items, config.period)
    problems += checks.future_dates(items, today or dt.datetime.now(config.zone).date(), config.future_days)
    issues = build_issues(items, config, settings)
    ids = {issue.id for issue in issues}
    for issue_id in sorted(set(settings) - ids):
        problems.append(warning(f"content/issues/{issue_id}.yaml", 1,
                                f"{issue_id} 没有已采用的稿件，这期的设置不会用到"))
    bodies: dict[str, Markup] = {}
    media: dict[str, Path] = {}
    shown = [item for item in items if item.status != "draft"]
    converted = convert_all([(item.body, item.slug) for item in shown], os.cpu_count() or 1)
    for item, html in zip(shown, converted):
        local = localise(html, item, config.root, config.remote_hosts)
        bodies[item.slug] = Markup(local.html)  # still the sanitised markup, with paths rewritten
        problems += local.problems
        if item.published:
            media.update(local.files)
    submitted = tuple(item for item in items if item.status != "draft")
    return Bulletin(config, issues, bodies, media, submitted), problems


def load_bulletin(config: Config) -> tuple[Bulletin, list[Diagnostic]]:
    """The checked bulletin and its warnings; raise InputError listing every problem if any is an error."""
    bulletin, problems = check_bulletin(config)
    if any(p.is_error for p in problems):
        raise InputError(problems)
    return bulletin, problems


def build(config: Config, options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the site and PDFs into the output folder; on any error it stays as it was."""
    started = time.perf_counter()
    out = (options.out or config.root / "output").absolute()
    check_out_dir(out, config.root)
    bulletin, problems = load_bulletin(config)
    selected = _select(bulletin.issues, options.periods)
    if options.pdf:
        problems += font_warnings(bulletin, selected)

    env = make_environment(config.templates_dir)
    result = BuildResult(out=out, issues=selected, warnings=problems)
    files: dict[str, bytes | Path] = {}
    if options.pdf:
        files.update(_render_pdfs(bulletin, env, selected, result, progress, options.jobs or os.cpu_count() or 1))
    if options.periods:
        files.update(_kept_from_previous(out, bulletin, selected, keep_html=not options.html))
    if options.html:
        from briefgen.render.html import render_site

        pdfs = frozenset(i.id for i in bulletin.issues if f"issues/{i.id}.pdf" in files)
        site_files = render_site(bulletin, env, pdfs, first_added(config.root, config.zone))
        files.update(site_files)
        files.update(bulletin.media)
        result.html_files = len(site_files)
    write_tree(out, files)
    result.seconds = time.perf_counter() - started
    return result


def _render_pdfs(
    bulletin: Bulletin, env: jinja2.Environment, issues: tuple[Issue, ...], result: BuildResult,
    progress: Callable[[str], None], jobs: int,
) -> dict[str, bytes]:
    """Each issue's PDF: from the cache when nothing that makes it changed, else rendered
    on up to `jobs` processes (WeasyPrint is imported only then)."""
    config = bulletin.config
    stylesheet = print_stylesheet(config, env)
    cache = PdfCache(config.root, stylesheet, config.remote_hosts)
    documents = {issue.id: issue_document(bulletin, env, issue) for issue in issues}
    keys = {issue.id: cache.key(documents[issue.id]) for issue in issues}
    cached = {issue.id: hit for issue in issues if (hit := cache.get(keys[issue.id])) is not None}
    missing = [issue for issue in issues if issue.id not in cached]
    rendered: Iterator[tuple[bytes, int, dict[str, str]]] = iter(())
    if missing:
        from briefgen.render.pdf import render_documents

        rendered = render_documents(config, stylesheet, [documents[i.id] for i in missing], jobs)
    files, refused = {}, {}
    for issue in issues:  # in order: cached ones at once, the others as their renderer finishes
        if issue.id in cached:
            data, pages = cached[issue.id]
        else:
            data, pages, refusals = next(rendered)
            cache.put(keys[issue.id], data, pages)
            refused.update(refusals)
        files[f"issues/{issue.id}.pdf"] = data
        result.pdf_pages[issue.id] = pages
        progress(f"PDF  {issue.id}  {issue.title}（总第{issue.total}期）  {len(issue.items)}篇  {pages}页")
    result.warnings += refusal_warnings(refused, bulletin.items)
    return files


def _kept_from_previous(
    out: Path, bulletin: Bulletin, selected: tuple[Issue, ...], keep_html: bool
) -> dict[str, Path]:
    """What a --period build keeps: the other issues' PDFs, and the old site when it writes no HTML."""
    previous = existing_files(out)
    chosen = {issue.id for issue in selected}
    kept = {key: previous[key] for issue in bulletin.issues if issue.id not in chosen
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
