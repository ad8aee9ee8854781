"""The bulletin as a build renders it: load and check every item, group and number the issues,
check what the ledger and the issue settings say, and report every problem at once."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from briefgen.bulletin import checks, periods
from briefgen.bulletin.calls import call_problems, load_calls
from briefgen.bulletin.errata import errata, order_problems
from briefgen.bulletin.group import build_issues
from briefgen.bulletin.issuesettings import load_issue_settings
from briefgen.bulletin.late import issue_field_problems, late_notes, place
from briefgen.bulletin.ledger import (
    archived_pdfs,
    load_ledger,
    partial_problems,
    published_problems,
    unrecorded_pdfs,
)
from briefgen.bulletin.specials import build_specials
from briefgen.config.settings import Config
from briefgen.content.assets import localise
from briefgen.content.loader import Bodies, Loaded, load_items, sanitised
from briefgen.errors import Diagnostic, InputError, warning
from briefgen.incremental.blocks import text_digest
from briefgen.incremental.fingerprint import item_token
from briefgen.incremental.warm import Warm
from briefgen.model import Bulletin, Item


@dataclass(frozen=True)
class Checked:
    """The bulletin, every problem found, and what only the build and publish need beside it."""

    bulletin: Bulletin
    problems: list[Diagnostic]
    digests: Mapping[str, str] = field(default_factory=dict)  # item file -> SHA-256 of its bytes
    tokens: Mapping[str, str] = field(default_factory=dict)  # item slug -> digest of all it is made of
    media: Mapping[str, Path] = field(default_factory=dict)  # output path -> a file the shown items refer to
    archived: Mapping[str, tuple[Path, int]] = field(default_factory=dict)  # issue -> published PDF, pages


def check_bulletin(config: Config, today: dt.date | None = None, jobs: int = 0, save_cache: bool = False,
                   drafts: bool = False, unpublished: bool = False, warm: Warm | None = None) -> Checked:
    """Read and check everything; return the bulletin a build would render and every problem.

    Once the bulletin publishes, its issues are the published ones; with unpublished also the
    others, and with drafts also those and the items with status draft, marked as drafts. warm:
    what this process's last build kept (incremental.warm)."""
    loaded = load_items(config, jobs or os.cpu_count() or 1, save_cache, warm)
    today = today or periods.today(config.zone)
    items, problems = checks.within_reach(loaded.items, today)
    problems[:0] = loaded.problems
    settings, special_settings, settings_problems = load_issue_settings(config)
    ledger, ledger_problems = load_ledger(config.root, config.zone)
    problems += settings_problems + ledger_problems
    problems += checks.duplicates(items, config.period, loaded.plain)
    problems += checks.future_dates(items, today, config.future_days)
    problems += checks.submitted_ahead(items, today)
    calls, call_file_problems = load_calls(config)
    problems += call_file_problems + call_problems(items, calls)
    placement = place(items, config.period, ledger, today)
    issues = build_issues(items, config, settings, ledger, drafts, placement)
    problems += late_notes(placement, issues, ledger) + issue_field_problems(items, config.period, ledger)
    corrected, errata_problems = errata(issues, ledger)
    problems += errata_problems
    problems += published_problems(issues, items, loaded.digests, ledger, corrected)
    archived, archive_problems = archived_pdfs(config.root, ledger)
    problems += archive_problems
    if not ledger_problems:  # a damaged ledger records nothing: its own error says what to do
        problems += unrecorded_pdfs(config.root, ledger)
    problems += partial_problems(config.root)
    ids = {issue.id for issue in issues}
    for issue_id in sorted(set(settings) - ids):
        problems.append(warning(f"content/issues/{issue_id}.yaml", 1,
                                f"{issue_id} 没有已采用的稿件，这期的设置不会用到"))
    problems += order_problems(issues)
    specials, special_problems = build_specials(items, config, special_settings)
    problems += special_problems
    if not (drafts or unpublished):
        issues = tuple(issue for issue in issues if not issue.draft)
    bodies, tokens, files = _bodies(items, loaded, config, problems)
    for body, html in loaded.unchecked:  # a file with errors: what its body refers to, in the same run
        problems += localise(html, body, config.root, config.remote_hosts).problems
    media: dict[str, Path] = {}
    for issue in issues + specials:
        for item in issue.items:
            media.update(files[item.slug])  # what the shown items refer to is copied into the site
    submitted = tuple(item for item in items if item.status != "draft")
    bulletin = Bulletin(config, issues, bodies, submitted, specials, calls,
                        frozenset(item.source for item in placement.late))
    return Checked(bulletin, problems, loaded.digests, tokens, media, archived)


def _bodies(items: list[Item], loaded: Loaded, config: Config, problems: list[Diagnostic]
            ) -> tuple[Bodies, dict[str, str], dict[str, dict[str, Path]]]:
    """Each item's body as the site shows it, its token and the files it refers to; what those
    references get wrong is added to problems. Only a body that may refer to something is
    sanitised now; the others when they are shown (read from the item cache's block only then)."""
    bodies = Bodies()
    tokens: dict[str, str] = {}
    files: dict[str, dict[str, Path]] = {}
    for item in items:
        html = loaded.html[item.slug]
        files[item.slug] = {}
        if item.slug in loaded.referring:  # refers(html), found when it was converted
            local = localise(sanitised(html if isinstance(html, str) else html.text()), item, config.root,
                             config.remote_hosts)
            bodies.ready(item.slug, Markup(local.html))  # still the sanitised markup, with paths rewritten
            problems += local.problems
            files[item.slug] = local.files
        else:
            bodies.pending(item.slug, html)
        # The body as loaded (by its digest, the same whether cached or not): what the site shows
        # is made from it, the files and the code alone.
        tokens[item.slug] = item_token(item.source, loaded.digests[item.source], text_digest(html),
                                       {rel: file_state(path) for rel, path in files[item.slug].items()})
    return bodies, tokens, files


def load_bulletin(config: Config, jobs: int = 0, save_cache: bool = False, drafts: bool = False,
                  warm: Warm | None = None) -> Checked:
    """The checked bulletin and its warnings; raise InputError listing every problem if any is an error."""
    checked = check_bulletin(config, jobs=jobs, save_cache=save_cache, drafts=drafts, warm=warm)
    if any(p.is_error for p in checked.problems):
        raise InputError(checked.problems)
    return checked


def file_state(path: Path) -> str:
    """Enough of a referenced file to notice that it changed."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"
