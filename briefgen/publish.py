"""`briefgen publish`: freeze an issue in the ledger, so its number and items never change."""

from __future__ import annotations

import datetime as dt
import difflib

from briefgen.build import check_bulletin
from briefgen.config import Config
from briefgen.errors import BriefgenError, InputError, error
from briefgen.ledger import Ledger, Publication, Release, load_ledger, published_problems, save_ledger

NOT_PUBLISHED = "未发布；published.yaml 没有改动。"


def publish(config: Config, issue_id: str, reissue: bool, today: dt.date) -> Publication:
    """Record the issue as it is now; with reissue, replace its record and keep the old one in history."""
    bulletin, problems = check_bulletin(config)
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
    release = Release(today, {item.source: bulletin.digests[item.source] for item in issue.items})
    history = (*earlier.history, earlier.release) if earlier else ()
    publication = Publication(issue_id, issue.number, issue.total, release, history)
    ledger.publications[issue_id] = publication
    save_ledger(config.root, ledger)
    return publication
