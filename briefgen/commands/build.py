"""`briefgen build`: render the checked bulletin, then swap the output folder in whole.

Only what changed is made again: a file whose key (a digest of everything it is made
from, see incremental/keys.py) matches the last build's, and which is still as that build
left it, is kept; a build with nothing to do answers from the record of the last one."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, cast

import click

from briefgen.commands.progress import Progress
from briefgen.config.fields import did_you_mean
from briefgen.config.settings import CONFIG_NAME, Config, load_config
from briefgen.errors import BriefgenError, BuildError, Diagnostic, InputError, error, shown
from briefgen.incremental import keys, uptodate
from briefgen.incremental.warm import Warm
from briefgen.model import Issue

if TYPE_CHECKING:
    import jinja2

    from briefgen.bulletin.assemble import Checked
    from briefgen.commands.products import Made
    from briefgen.incremental.manifest import Manifest


@dataclass(frozen=True)
class BuildOptions:
    periods: tuple[str, ...] = ()  # only these issues; empty means all
    pdf: bool = True
    html: bool = True
    out: Path | None = None
    jobs: int = 0  # processes for PDFs and pages; 0 means one per core
    drafts: bool = False  # also unpublished issues and draft items, marked as drafts
    search: bool = True  # the site search index (and the search box on every page)
    docx: bool | None = None  # each issue's Word file; None: with the PDFs (a print edition, like them)

    @property
    def word(self) -> bool:
        return self.pdf if self.docx is None else self.docx


class BuildSummary(TypedDict):
    """What the no-op record keeps of a build."""

    issues: int
    html_files: int
    pdf_pages: dict[str, int]  # issue id -> pages
    docx_files: int  # the issues' Word files
    warnings: list[dict[str, Any]]  # each a Diagnostic's fields
    fonts: str  # the line naming the free fonts the PDFs use instead of official ones, or ""


class ReportedSummary(BuildSummary, total=False):
    """A summary as the summary line reads it; a real build also says what it reused."""

    html_reused: int
    pdf_reused: int
    docx_reused: int


@dataclass
class BuildResult:
    out: Path
    issues: tuple[Issue, ...] = ()
    html_files: int = 0
    html_reused: int = 0  # pages kept from the last build, unchanged
    pdf_pages: dict[str, int] = field(default_factory=dict)
    pdf_reused: int = 0  # PDFs kept or taken from the cache, unchanged
    docx_files: int = 0  # the issues' Word files
    docx_reused: int = 0  # Word files kept from the last build, unchanged
    warnings: list[Diagnostic] = field(default_factory=list)
    fonts: str = ""  # see BuildSummary
    seconds: float = 0.0

    def summary(self) -> BuildSummary:
        """What the no-op record keeps of a build, and the summary line reads."""
        return {"issues": len(self.issues), "html_files": self.html_files, "pdf_pages": self.pdf_pages,
                "docx_files": self.docx_files, "warnings": [asdict(problem) for problem in sorted(self.warnings)],
                "fonts": self.fonts}

    def reported(self) -> ReportedSummary:
        """The summary and what was kept of each kind, as the summary line reads them."""
        return {**self.summary(), "html_reused": self.html_reused, "pdf_reused": self.pdf_reused,
                "docx_reused": self.docx_reused}


def run_build(root: Path, options: BuildOptions) -> None:
    """The build command: answer from the record when nothing changed, else build; print the
    warnings, then one line saying what the output folder holds."""
    from briefgen.storage.lock import repository_lock

    with repository_lock(root, "build", say=lambda text: click.echo(text, err=True)):
        _run_build(root, options)


def _run_build(root: Path, options: BuildOptions) -> None:
    target = (options.out or root / "output").absolute()
    started = time.perf_counter()
    options_text = (*sorted(options.periods), str(target), str(not options.pdf), str(not options.html),
                    str(options.drafts), str(options.search), str(options.word),
                    os.environ.get("SOURCE_DATE_EPOCH", ""))
    inputs = uptodate.inputs_digest(root, options_text, options.pdf)
    recorded = uptodate.recorded_result(root, target, inputs)
    if recorded is not None:
        # The record holds what summary() returned for these very inputs.
        report(cast(ReportedSummary, recorded), target, time.perf_counter() - started, unchanged=True)
        return

    import jinja2

    from briefgen.commands.progress import PdfProgress
    from briefgen.render.env import template_failure

    config = load_config(root)
    try:
        with PdfProgress() as progress:
            result = build(config, options, progress=progress)
    except jinja2.TemplateError as exc:
        raise template_failure(exc, config.root) from None
    summary = result.summary()
    uptodate.record(root, target, inputs, uptodate.end_of_day(config.zone), summary)
    report(result.reported(), target, result.seconds, unchanged=False)


def report(summary: ReportedSummary, out: Path, seconds: float, unchanged: bool) -> None:
    """The warnings and the free fonts used, then one line: what the output folder holds and how
    much was made again."""
    for problem in summary["warnings"]:
        click.echo(str(Diagnostic(**problem)), err=True)
    if summary["fonts"]:
        click.echo(summary["fonts"], err=True)
    click.echo(summary_line(summary, out, seconds, unchanged))


def summary_line(summary: ReportedSummary, out: Path, seconds: float, unchanged: bool) -> str:
    html_reused = summary["html_files"] if unchanged else summary["html_reused"]
    pdf_reused = len(summary["pdf_pages"]) if unchanged else summary["pdf_reused"]
    docx_reused = summary["docx_files"] if unchanged else summary["docx_reused"]
    parts = [f"{summary['issues']} 期"]
    if summary["html_files"]:
        changed = summary["html_files"] - html_reused
        parts.append(f"网页文件 {summary['html_files']} 个" + (f"（重新生成 {changed} 个）" if html_reused else ""))
    if summary["pdf_pages"]:
        changed = len(summary["pdf_pages"]) - pdf_reused
        parts.append(f"PDF {len(summary['pdf_pages'])} 份（共 {sum(summary['pdf_pages'].values())} 页"
                     + (f"，重新排版 {changed} 份）" if pdf_reused else "）"))
    if summary["docx_files"]:
        changed = summary["docx_files"] - docx_reused
        parts.append(f"Word 版 {summary['docx_files']} 份" + (f"（重新生成 {changed} 份）" if docx_reused else ""))
    return f"已生成 {'，'.join(parts)}，输出到 {shown(out)}/，用时 {seconds:.1f} 秒。"


def build(config: Config, options: BuildOptions, progress: Progress = lambda done, total, line: None,
          warm: Warm | None = None) -> BuildResult:
    """Build the site and PDFs into the output folder; on any error it stays as it was. Holds the
    repository's write lock while it runs; a full disk or a folder it may not write is named.
    warm: what a process that builds again and again keeps from one build for the next."""
    from briefgen.errors import os_problem
    from briefgen.storage.lock import repository_lock
    from briefgen.storage.resources import SCRATCH, own_folder
    from briefgen.storage.scratch import clear_area

    out = (options.out or config.root / "output").absolute()
    with repository_lock(config.root, "build", say=lambda text: click.echo(text, err=True)):
        try:
            return _build(config, options, out, progress, warm or Warm())
        except OSError as exc:
            problem = os_problem(exc)
            if problem is None:
                raise
            raise BuildError(f"{problem}。{shown(out)}/ 保持上次的内容。") from exc
        except BriefgenError as exc:
            _name_output(exc, out, config.root)
            raise
        finally:
            clear_area(own_folder(config.root, SCRATCH))


def _name_output(exc: BriefgenError, out: Path, root: Path) -> None:
    """A failed build --out DIR says that DIR, not output/, was left as it was."""
    if out != (root / "output").absolute():
        # ClickException.message is Final only in its type stubs; the instance's dict holds it.
        vars(exc)["message"] = exc.message.replace("output/ 保持上次的内容", f"{shown(out)}/ 保持上次的内容")


def source_folders(config: Config) -> dict[str, Path]:
    """What an output folder may never be, hold or lie in, by the name a message gives it."""
    from briefgen.bulletin.ledger import ARCHIVE
    from briefgen.storage.resources import CACHE

    return {"content/": config.content_dir, "templates/": config.templates_dir, "fonts/": config.fonts_dir,
            f"{ARCHIVE}/": config.root / ARCHIVE, ".git/": config.root / ".git", f"{CACHE}/": config.root / CACHE}


def _build(config: Config, options: BuildOptions, out: Path, progress: Progress, warm: Warm) -> BuildResult:
    from briefgen.bulletin.assemble import load_bulletin
    from briefgen.commands.products import html_files, kept_from_previous, unchanged
    from briefgen.incremental.manifest import Manifest
    from briefgen.render.coverage import font_warnings
    from briefgen.render.env import make_environment
    from briefgen.storage.resources import PREVIEW, STAGING, own_folder
    from briefgen.storage.scratch import scratch_area
    from briefgen.storage.staged import Staged
    from briefgen.storage.tree import check_out_dir, remove_leftovers, write_tree

    started = time.perf_counter()
    staging = own_folder(config.root, STAGING)
    remove_leftovers(out, staging)
    check_out_dir(out, config.root, source_folders(config), inside_ok=(config.root / PREVIEW,))
    jobs = options.jobs or os.cpu_count() or 1
    checked = load_bulletin(config, jobs, save_cache=True, drafts=options.drafts, warm=warm)
    bulletin = checked.bulletin
    selected = _select(bulletin.issues + bulletin.specials, options.periods)
    result = BuildResult(out=out, issues=selected, warnings=list(checked.problems))
    if options.pdf:
        result.warnings += font_warnings(bulletin, selected)

    base = keys.pages_base((config.root / CONFIG_NAME).read_bytes(), config.templates_dir)
    env = warm.templates(base) or make_environment(config.templates_dir)
    warm.keep_templates(base, env)
    manifest = warm.manifest(out) or Manifest(config.root, out)
    files: dict[str, bytes | Path | Staged] = {}
    made: dict[str, str] = {}  # output path -> the key it was made from
    for edition in _editions(checked, env, options, base, manifest, progress, jobs, result):
        files.update(edition.files)
        made.update(edition.keys)
    if options.periods:
        kept = kept_from_previous(out, bulletin, selected, keep_html=not options.html)
        files.update(kept)
        made.update({rel: manifest.entries[rel][0] for rel in kept if rel in manifest.entries})
    if options.html:
        with_pdf, with_docx = (frozenset(i.id for i in bulletin.issues + bulletin.specials
                                         if f"issues/{i.id}.{kind}" in files) for kind in ("pdf", "docx"))
        site = html_files(checked, env, (with_pdf, with_docx), base, manifest, jobs, options.search,
                          scratch_area(config.root))
        files.update(site.files)
        made.update(site.keys)
        result.html_files, result.html_reused = site.pages, site.reused
    if not unchanged(out, files):
        write_tree(out, files, staging)
        warm.keep_manifest(manifest, manifest.record(made))
    result.seconds = time.perf_counter() - started
    return result


def _editions(checked: Checked, env: jinja2.Environment, options: BuildOptions, base: str, manifest: Manifest,
              progress: Progress, jobs: int, result: BuildResult) -> list[Made]:
    """The issues' PDFs and Word files that options ask for, what was made of them told to result."""
    from briefgen.commands.products import pdf_files, word_files
    from briefgen.render.env import template_source
    from briefgen.render.fontroles import fonts_line

    editions = []
    if options.pdf:
        pdfs = pdf_files(checked, env, result.issues, base, manifest, progress, jobs)
        result.pdf_pages, result.pdf_reused = pdfs.pages, pdfs.reused
        result.warnings += pdfs.warnings
        if pdfs.pages:
            result.fonts = fonts_line(template_source(env, "print/print.css"), checked.bulletin.config.fonts_dir)
        editions.append(pdfs)
    if options.word:
        word = word_files(checked, env, result.issues, base, manifest, jobs)
        result.docx_files, result.docx_reused = len(word.files), word.reused
        editions.append(word)
    return editions


def _select(issues: tuple[Issue, ...], wanted: tuple[str, ...]) -> tuple[Issue, ...]:
    if not wanted:
        return issues
    ids = [issue.id for issue in issues]
    problems = [error("--period", 0, f"没有 {issue_id} 这一期",
                      did_you_mean(issue_id, ids, otherwise=f"现有各期：{'、'.join(ids) or '无'}"))
                for issue_id in wanted if issue_id not in ids]
    if problems:
        raise InputError(problems)
    return tuple(issue for issue in issues if issue.id in wanted)
