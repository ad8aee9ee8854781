"""The data that flows between stages: plain frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, overload

if TYPE_CHECKING:
    from briefgen.config.settings import Config

STATUSES = ("adopted", "reserve", "rejected", "draft", "submitted")  # submitted: 待审, awaiting the editor
GRADES = ("精品", "特色")


class Deferred(Protocol):
    """A text kept elsewhere (an item cache's block of bodies), read each time it is asked for."""

    def text(self) -> str: ...


class Text:
    """A dataclass field of text that may be held or Deferred: reading the field gives the text
    either way, so that ten thousand bodies need not stay in memory for the few readers that
    ask. The field has no default (a class-level read raises AttributeError, which dataclasses
    take to mean none); held() gives what is stored without reading it."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = "_" + name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Text: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> str: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> Text | str:
        if instance is None:
            raise AttributeError(self.slot)
        value: str | Deferred = instance.__dict__[self.slot]
        return value if isinstance(value, str) else value.text()

    def __set__(self, instance: object, value: str | Deferred) -> None:
        instance.__dict__[self.slot] = value  # only through __init__: the dataclass is frozen


def held(instance: object, name: str) -> str | Deferred:
    """What a Text field of instance stores: the text, or where to read it."""
    value: str | Deferred = instance.__dict__["_" + name]
    return value


@dataclass(frozen=True)
class HigherAdoption:
    """A higher body's bulletin also used the item (上级采用)."""

    by: str  # the bulletin or body, e.g. 省政府办公厅《每日要情》
    level: str  # 国家级, 省级, 市级 …
    date: dt.date | None = None


@dataclass(frozen=True)
class Instruction:
    """A leader's written instruction on the item (领导批示)."""

    leader: str
    level: str
    date: dt.date | None = None
    text: str = ""


@dataclass(frozen=True)
class Item:
    """One information item (信息稿件), parsed and validated."""

    source: str  # path relative to the repository root, with "/" separators
    slug: str
    title: str
    unit: str
    date: dt.date
    topic: str
    body: Text = Text()  # Markdown (no default: see Text)
    body_line: int  # type: ignore[misc]  # line of the file where the body starts (body has no default)
    authors: tuple[str, ...] = ()  # the officers who wrote it (co-authors in the order written)
    tags: tuple[str, ...] = ()
    grade: str = ""
    weight: int = 0
    summary: str = ""
    note: str = ""
    status: str = "adopted"
    review: str = ""  # the editor's remark (点评), written by briefgen review
    issue: str = ""  # the unpublished issue the item asks to go into (期号), e.g. 2026-W50
    call: str = ""  # the call (约稿) the item answers, by its id
    adopted_by: tuple[HigherAdoption, ...] = ()
    instructions: tuple[Instruction, ...] = ()
    submitted: dt.date | None = None  # when the unit submitted it, if written in the front matter
    field_lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False)

    @property
    def author(self) -> str:
        """The authors as printed: joined with 、 (templates written for one author keep working)."""
        return "、".join(self.authors)

    @property
    def published(self) -> bool:
        """Whether the item appears in its issue."""
        return self.status == "adopted"


@dataclass(frozen=True)
class Body:
    """The Markdown body of an item file whose front matter has errors: it is still converted and
    checked for what it refers to, so that one run reports every problem of the file."""

    source: str
    body: str
    body_line: int


@dataclass(frozen=True)
class Period:
    """An ISO week or a calendar month."""

    kind: str  # "week" or "month"
    id: str  # "2026-W48" or "2026-11"
    year: int  # the year whose issue numbering this period belongs to
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == "week":
            return f"{self.year}年第{int(self.id.split('-W')[1])}周"
        return f"{self.start.year}年{self.start.month}月"


@dataclass(frozen=True)
class Section:
    """The items of one topic (栏目) within an issue."""

    topic: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Erratum:
    """A correction (更正) an issue carries for an item of an issue already published."""

    item: str  # the corrected item's file name (slug)
    text: str  # 本刊第6期《……》一文中“……”应为“……”。


@dataclass(frozen=True)
class IssueSettings:
    """What the editor sets for one issue in content/issues/<id>.yaml."""

    note: str = ""  # 编者按 (Markdown)
    date: dt.date | None = None  # sign-off date in the masthead
    signer: str = ""  # 签发
    editor: str = ""  # 责任编辑
    extra: str = ""  # 本期增发
    copies: int | None = None
    order: tuple[str, ...] = ()  # item file names (slugs) to print first, in this order, within their topics
    order_line: int = field(default=0, compare=False)  # where `order` is, for messages
    errata: tuple[Erratum, ...] = ()
    errata_line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Issue:
    """One numbered issue (期) of the bulletin."""

    period: Period
    number: int  # 第N期, restarting every year
    total: int  # 总第M期
    date: dt.date  # the sign-off date printed in the masthead
    sections: tuple[Section, ...]
    settings: IssueSettings = IssueSettings()
    published: dt.date | None = None  # when `briefgen publish` froze it (None: not yet)
    draft: bool = False  # not published although the bulletin publishes: shown only to the editor
    series: str = ""  # a special issue's series (安全生产专刊), numbered on its own; "" for the regular ones
    heading: str = ""  # a special issue's own title (冬季安全生产工作专题)

    @property
    def id(self) -> str:
        return self.period.id

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def title(self) -> str:
        if self.series:
            return f"{self.series}第{self.number}期"
        return f"{self.period.year}年第{self.number}期"


@dataclass(frozen=True)
class Call:
    """A request for items (约稿), content/calls/<id>.yaml: which units are asked, about what, by
    when. Without a due date it is a standing 报送要点, steering what units report."""

    id: str
    title: str
    units: tuple[str, ...]
    due: dt.date | None = None
    topics: tuple[str, ...] = ()
    note: str = ""
    source: str = ""

    @property
    def standing(self) -> bool:
        return self.due is None


@dataclass(frozen=True)
class Bulletin:
    """What the renderers read: the settings, the issues shown, each item's HTML body, and every
    submitted item (for the statistics). Whatever only the build needs travels beside it."""

    config: Config
    issues: tuple[Issue, ...]
    bodies: Mapping[str, str]  # item slug -> sanitised HTML, with paths rewritten for the site
    submitted: tuple[Item, ...] = ()  # every item that is not a draft, shown or not (for statistics)
    specials: tuple[Issue, ...] = ()  # special issues (专刊), in date order; items also stay in their issues
    calls: tuple[Call, ...] = ()  # 约稿 and 报送要点, by due date (standing ones last)
    late: frozenset[str] = frozenset()  # item files sent after their issue was published (迟报)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for issue in self.issues for item in issue.items)

    @cached_property
    def _issue_by_slug(self) -> dict[str, Issue]:
        return {item.slug: issue for issue in self.issues for item in issue.items}

    def issue_of(self, item: Item) -> Issue:
        """The issue an item appears in."""
        return self._issue_by_slug[item.slug]
