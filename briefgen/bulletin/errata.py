"""Checks on what the editor set for issues: corrections (更正) and the explicit order of items."""

from __future__ import annotations

from briefgen.bulletin.ledger import Ledger
from briefgen.config.fields import did_you_mean
from briefgen.errors import Diagnostic, error
from briefgen.model import Issue


def errata(issues: tuple[Issue, ...], ledger: Ledger) -> tuple[frozenset[str], list[Diagnostic]]:
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
                problems.append(error(
                    f"content/issues/{issue.id}.yaml", issue.settings.errata_line,
                    f"更正的稿件 '{erratum.item}' 不在本期之前已发布的各期中",
                    did_you_mean(erratum.item, published_in, otherwise="请写已发布稿件的文件名（不带 .md）")))
            else:
                corrected.add(found[1])
    return frozenset(corrected), problems


def order_problems(issues: tuple[Issue, ...]) -> list[Diagnostic]:
    """An item named in an issue's `order` that is not in the issue."""
    problems = []
    for issue in issues:
        slugs = [item.slug for item in issue.items]
        for slug in issue.settings.order:
            if slug not in slugs:
                problems.append(error(f"content/issues/{issue.id}.yaml", issue.settings.order_line,
                                      f"order 中的 '{slug}' 不是本期刊登的稿件",
                                      did_you_mean(slug, slugs, otherwise=f"本期的稿件：{'、'.join(slugs)}")))
    return problems
