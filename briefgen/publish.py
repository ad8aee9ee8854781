"""`briefgen publish`: freeze an issue in the ledger, so its number and items never change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import os

import jinja2

from briefgen.build import check_bulletin
from briefgen.config import Config
from briefgen.errors import BriefgenError, InputError, error
from briefgen.ledger import (Ledger, Publication, Release, archive_path, load_ledger, published_problems,
                             save_ledger)
from briefgen.model import Issue
from briefgen.render.context import Bulletin
from briefgen.render.env import make_environment, template_failure
from briefgen.render.printdoc import issue_document, print_stylesheet

NOT_PUBLISHED = "未发布；published.yaml 没有改动。"


def publish(config: Config, issue_id: str, reissue: bool, today: dt.date) -> Publication:
    """Record the issue as it is now and keep its PDF in archive/; with reissue, replace its record
    and keep the old one in history (and its PDF as archive/<id>.<n>.pdf)."""
    bulletin, problems = check_bulletin(config, unpublished=True)
    ledger, _ = load_ledger(config.root, config.zone)
    issue = next((i for i in bulletin.issues if i.id == issue_id), None)
    if issue is None:
        ids = [i.id for i in bulletin.issues]
        close = difflib.get_close_matches(issue_id, ids, n=1)
        hint = f"是不是 {close[0]}？" if close else f"现有各期：{'、'.join(ids) or '无'}"
        raise InputError([error("publish", 0, f"没有 {issue_id} 这一期", hint)], NOT_PUBLISHED)
    earlier = ledger.publications.get(issue_id)
    if earlier is not None and not reissue:
        raise BriefgenError(f"{issue_id} 已于 {earlier.date.isoformat()} 发布为{issue.title}，发布记录没有改动；"
                            f"如确需按现在的稿件重新发布，请加 --reissue。")
    if earlier is None and reissue:
        raise BriefgenError(f"{issue_id} 还没有发布过，不需要 --reissue。")
    # What republishing answers (this issue's items changed since it was published) does not block it.
    answered = set(published_problems(bulletin.issues, list(bulletin.submitted), bulletin.digests,
                                      Ledger({issue_id: earlier}) if earlier else Ledger()))
    blocking = [p for p in problems if p.is_error and p not in answered]
    if blocking:
        raise InputError(blocking, NOT_PUBLISHED)
    issue = dataclasses.replace(issue, draft=False)  # published from now on: printed without the mark
    pdf, pages = _render(bulletin, issue)
    release = Release(today, {item.source: bulletin.digests[item.source] for item in issue.items},
                      hashlib.sha256(pdf).hexdigest(), pages)
    history = (*earlier.history, earlier.release) if earlier else ()
    publication = Publication(issue_id, issue.number, issue.total, release, history)
    ledger.publications[issue_id] = publication
    current = archive_path(config.root, issue_id)
    current.parent.mkdir(parents=True, exist_ok=True)
    partial = current.with_name(f".{current.name}.{os.getpid()}.tmp")
    partial.write_bytes(pdf)
    save_ledger(config.root, ledger)
    if earlier is not None and current.exists():  # the earlier release's PDF is kept beside it
        current.replace(archive_path(config.root, issue_id, len(history)))
    partial.replace(current)
    return publication


def _render(bulletin: Bulletin, issue: Issue) -> tuple[bytes, int]:
    """The issue's PDF as it is published, laid out with the templates and fonts of today."""
    from briefgen.render.pdf import PdfRenderer  # WeasyPrint is loaded only here

    config = bulletin.config
    env = make_environment(config.templates_dir)
    try:
        return PdfRenderer(config, print_stylesheet(config, env)).write(issue_document(bulletin, env, issue))
    except jinja2.TemplateError as exc:
        raise template_failure(exc, config.root, NOT_PUBLISHED) from None
