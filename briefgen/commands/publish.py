"""`briefgen publish`: freeze an issue in the ledger, so its number and items never change.

The ledger is written last: it is the moment of publication. A publish killed at any step
leaves the ledger naming only PDFs that are in archive/ with the recorded hash, and running
the same command again completes it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import click
import jinja2

from briefgen.bulletin.assemble import Checked, check_bulletin
from briefgen.bulletin.ledger import (
    ARCHIVE,
    Ledger,
    Publication,
    Release,
    archive_path,
    complete_pending,
    file_digest,
    load_ledger,
    partial_files,
    pending_path,
    published_problems,
    save_ledger,
)
from briefgen.bulletin.periods import today
from briefgen.config.fields import did_you_mean
from briefgen.config.settings import Config, load_config
from briefgen.errors import BriefgenError, InputError, error, os_problem
from briefgen.model import Issue
from briefgen.render.env import make_environment, template_failure
from briefgen.render.printdoc import issue_document, print_stylesheet
from briefgen.storage import faults
from briefgen.storage.atomic import atomic_write
from briefgen.storage.lock import repository_lock

NOT_PUBLISHED = "未发布；published.yaml 没有改动。"


def run_publish(root: Path, issue_id: str, reissue: bool) -> None:
    """Publish the issue and say what was recorded; one publish (or build) at a time."""
    with repository_lock(root, "publish", say=lambda text: click.echo(text, err=True)):
        try:
            _run_publish(root, issue_id, reissue)
        except OSError as exc:
            problem = os_problem(exc)
            if problem is None:
                raise
            raise BriefgenError(f"{problem}。{NOT_PUBLISHED}") from exc


def _run_publish(root: Path, issue_id: str, reissue: bool) -> None:
    config = load_config(root)
    for partial in partial_files(config.root):
        partial.unlink(missing_ok=True)
    ledger, _ = load_ledger(config.root, config.zone)
    if issue_id in complete_pending(config.root, ledger):
        click.echo(f"已完成上次中断的发布：{issue_id} 的 PDF 已放入 archive/；请把 published.yaml 和 archive/ "
                   "与稿件一起提交。")
        return
    publication = publish(config, issue_id, reissue, today(config.timezone))
    verb = "重新发布" if reissue else "发布"
    click.echo(f"已{verb} {issue_id}：{publication.id[:4]}年第{publication.number}期（总第{publication.total}期），"
               f"稿件 {len(publication.release.items)} 篇，记入 published.yaml；请把它和稿件一起提交。")


def publish(config: Config, issue_id: str, reissue: bool, today: dt.date) -> Publication:
    """Record the issue as it is now and keep its PDF in archive/; with reissue, replace its record
    and keep the old one in history (and its PDF as archive/<id>.<n>.pdf)."""
    checked = check_bulletin(config, unpublished=True)
    ledger, _ = load_ledger(config.root, config.zone)
    issue = _issue(checked, issue_id)
    earlier = ledger.publications.get(issue_id)
    if earlier is not None and not reissue:
        raise BriefgenError(f"{issue_id} 已于 {earlier.date.isoformat()} 发布为{issue.title}，发布记录没有改动；"
                            f"如确需按现在的稿件重新发布，请加 --reissue。")
    if earlier is None and reissue:
        raise BriefgenError(f"{issue_id} 还没有发布过，不需要 --reissue。")
    # What republishing answers (this issue's items changed since it was published) does not block it.
    answered = set(published_problems(checked.bulletin.issues, list(checked.bulletin.submitted), checked.digests,
                                      Ledger({issue_id: earlier}) if earlier else Ledger()))
    blocking = [p for p in checked.problems if p.is_error and p not in answered]
    if blocking:
        raise InputError(blocking, NOT_PUBLISHED)
    issue = dataclasses.replace(issue, draft=False)  # published from now on: printed without the mark
    pdf, pages = _render(checked, issue)
    faults.point("publish:rendered")
    release = Release(today, {item.source: checked.digests[item.source] for item in issue.items},
                      hashlib.sha256(pdf).hexdigest(), pages)
    history = (*earlier.history, earlier.release) if earlier else ()
    publication = Publication(issue_id, issue.number, issue.total, release, history)
    current = archive_path(config.root, issue_id)
    if earlier is None:
        _refuse_to_replace(config.root, current, pdf)
        atomic_write(current, pdf)  # not named by the ledger yet: a kill here leaves it unused
        faults.point("publish:pdf-written")
        ledger.publications[issue_id] = publication
        save_ledger(config.root, ledger)
        return publication
    _keep_earlier(config.root, current, archive_path(config.root, issue_id, len(history)), earlier.release.pdf)
    faults.point("publish:earlier-kept")
    atomic_write(pending_path(config.root, issue_id), pdf)  # beside the PDF the ledger still names
    faults.point("publish:pdf-written")
    ledger.publications[issue_id] = publication
    save_ledger(config.root, ledger)  # published: from here a kill is completed by the next publish
    faults.point("publish:recorded")
    complete_pending(config.root, ledger)
    return publication


def _issue(checked: Checked, issue_id: str) -> Issue:
    issue = next((i for i in checked.bulletin.issues if i.id == issue_id), None)
    if issue is None:
        ids = [i.id for i in checked.bulletin.issues]
        raise InputError([error("publish", 0, f"没有 {issue_id} 这一期",
                                did_you_mean(issue_id, ids, otherwise=f"现有各期：{'、'.join(ids) or '无'}"))],
                         NOT_PUBLISHED)
    return issue


def _refuse_to_replace(root: Path, path: Path, pdf: bytes) -> None:
    """Stop before replacing a file in archive/ that the ledger does not record, unless it holds
    these very bytes (what a publish killed before its last step leaves)."""
    if path.exists() and file_digest(path) != hashlib.sha256(pdf).hexdigest():
        rel = path.relative_to(root).as_posix()
        raise BriefgenError(f"{rel} 已存在，但发布记录中没有它（可能是手工放入的，或是中断的发布之后稿件又改过）；"
                            f"为免覆盖，{NOT_PUBLISHED}请先把它移出 {ARCHIVE}/，再运行本命令。")


def _keep_earlier(root: Path, current: Path, kept: Path, digest: str) -> None:
    """Copy the earlier release's PDF to its own name, unless an interrupted run already did;
    never over a file of that name that is not the earlier release."""
    if file_digest(kept) == digest or file_digest(current) != digest:
        return
    if kept.exists():
        rel = kept.relative_to(root).as_posix()
        raise BriefgenError(f"{rel} 已存在，但它不是发布记录中的上一版；为免覆盖，{NOT_PUBLISHED}"
                            f"请先把它移出 {ARCHIVE}/，再运行本命令。")
    atomic_write(kept, current.read_bytes())


def _render(checked: Checked, issue: Issue) -> tuple[bytes, int]:
    """The issue's PDF as it is published, laid out with the templates and fonts of today."""
    from briefgen.render.pdf import PdfRenderer  # WeasyPrint is loaded only here

    config = checked.bulletin.config
    env = make_environment(config.templates_dir)
    try:
        printed = PdfRenderer(config, print_stylesheet(config, env)).write(issue_document(checked.bulletin, env, issue))
        return printed.data, printed.pages
    except jinja2.TemplateError as exc:
        raise template_failure(exc, config.root, NOT_PUBLISHED) from None
