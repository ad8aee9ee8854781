"""What every page template is given: the bulletin, its issues and rendered bodies."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Mapping

from briefgen.config import Config
from briefgen.model import Issue, Item


@dataclass(frozen=True)
class Bulletin:
    """Everything a build renders: the settings, the issues and each item's HTML body."""

    config: Config
    issues: tuple[Issue, ...]
    bodies: Mapping[str, str]  # item slug -> sanitised HTML
    media: Mapping[str, Path] = field(default_factory=dict)  # output path -> file items refer to
    submitted: tuple[Item, ...] = ()  # every item that is not a draft, shown or not (for statistics)
    tokens: Mapping[str, str] = field(default_factory=dict)  # item slug -> digest of all it is made of
    metas: Mapping[str, str] = field(default_factory=dict)  # item slug -> digest of its front matter
    digests: Mapping[str, str] = field(default_factory=dict)  # item file -> SHA-256 of its bytes
    archived: Mapping[str, tuple[Path, int]] = field(default_factory=dict)  # issue -> published PDF, pages
    specials: tuple[Issue, ...] = ()  # special issues (专刊), in date order; items also stay in their issues

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for issue in self.issues for item in issue.items)

    @cached_property
    def _issue_by_slug(self) -> dict[str, Issue]:
        return {item.slug: issue for issue in self.issues for item in issue.items}

    def issue_of(self, item: Item) -> Issue:
        """The issue an item appears in."""
        return self._issue_by_slug[item.slug]
