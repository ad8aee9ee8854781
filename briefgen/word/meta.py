"""The front matter a manuscript carries in its own lines: the title (the first centred, large
or bold paragraph), the unit and the author (报送单位：…, 撰稿：…, or a bracketed line such as
（市教育局　王芳）), the telephone, and the date (a dated last line, else a date in the text,
else the file's own). The lines read for the front matter leave the body; nothing else does."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefgen.content.spaces import CJK_CHAR
from briefgen.word.markdown import tidy
from briefgen.word.model import Block, Document, Paragraph

UNIT_LABELS = ("报送单位", "供稿单位", "来稿单位", "单位", "来源")
AUTHOR_LABELS = ("联系人", "撰稿人", "撰稿", "作者", "执笔人", "执笔", "供稿人", "信息员", "审核")
PHONE_LABELS = ("联系电话", "电话", "手机")
LABEL = re.compile(r"(" + "|".join(UNIT_LABELS + AUTHOR_LABELS + PHONE_LABELS) + r")\s*[:：]\s*")
BRACKETED = re.compile(r"^[（(]([^（）()]{2,40})[）)]$")
FULL_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_LINE = re.compile(r"^(20\d\d)\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$")
NOTE = re.compile(r"^(?:编者按|按语|按)\s*[:：]\s*(.+)$", re.S)
NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
EDGE = 8  # paragraphs at each end where the labelled lines are looked for
TITLE_SIZE = 18.0  # points: 小二 and above is a title's size, not a body's
TITLE_LENGTH = 80
FRESH_DAYS = 90  # a date in the text older than this is what the text tells of, not the manuscript's
STAMP_DAYS = 366
PLACEHOLDER_TITLES = {"Word Document", "Microsoft Word", "文档", "新建文档"}  # written by tools, not people
ANY_SPACE = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


@dataclass
class Meta:
    title: str = ""
    unit: str = ""
    author: str = ""
    phone: str = ""
    note: str = ""  # 按：…, the note set before the text
    day: dt.date | None = None
    day_from: str = ""  # "正文" or "文件属性": where the date was found
    removed: list[int] = field(default_factory=list)  # indexes (in blocks) of the lines read


def read_meta(document: Document, today: dt.date, zone: dt.tzinfo = dt.timezone.utc) -> tuple[Meta, tuple[Block, ...]]:
    """What the manuscript says of itself, and its blocks without the lines that said it."""
    blocks = list(document.blocks)
    meta = Meta()
    paragraphs = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Paragraph) and tidy(b.text)]
    edges = paragraphs[:EDGE] + [pair for pair in paragraphs[-EDGE:] if pair not in paragraphs[:EDGE]]
    for i, block in edges:
        text = plain(block.text)
        inside = BRACKETED.match(text)
        if _labelled(inside.group(1).strip() if inside else text, meta):
            meta.removed.append(i)
    _title(paragraphs, meta, document)
    _bracketed(paragraphs, meta)
    _note(paragraphs, meta)
    _dated(paragraphs, meta, document, today, zone)
    kept = tuple(block for i, block in enumerate(blocks) if i not in set(meta.removed))
    return meta, kept


def one_line(text: str) -> str:
    """A title as one line: a line break Word has in it (a title set in two lines) is no space
    between Chinese characters, unless a space was left at the break, and one space elsewhere."""
    joined, spaced = "", False
    for raw in text.split("\n"):
        part = tidy(raw)
        if joined and part and (spaced or raw[:1].isspace()
                                or not (CJK_CHAR.fullmatch(joined[-1]) and CJK_CHAR.fullmatch(part[0]))):
            joined += " "
        joined += part
        spaced = raw[-1:].isspace()
    return joined


def plain(text: str) -> str:
    """The text with every kind of space, one or many, made one ordinary space: for reading fields."""
    return ANY_SPACE.sub(" ", text).strip()


def _labelled(text: str, meta: Meta) -> bool:
    """Read a line made only of labelled fields (报送单位：市教育局　撰稿：王芳　电话：…)."""
    if not LABEL.match(text):
        return False
    pieces = LABEL.split(text)[1:]
    for label, value in zip(pieces[::2], pieces[1::2], strict=False):
        value = value.strip(" ，,；;。")
        if not value:
            continue
        if label in UNIT_LABELS and not meta.unit:
            meta.unit = value
        elif label in AUTHOR_LABELS and not meta.author:
            meta.author = "、".join(part for part in re.split(r"[\s、，,]+", value) if part)
        elif label in PHONE_LABELS and not meta.phone:
            meta.phone = value
    return True


def _title(paragraphs: list[tuple[int, Paragraph]], meta: Meta, document: Document) -> None:
    """The first paragraph set as a title; two such lines in a row are one title broken in two."""
    body_size = _body_size(paragraphs)
    candidates = [(i, p) for i, p in paragraphs[:EDGE] if i not in meta.removed]
    for position, (i, block) in enumerate(candidates):
        if _looks_like_title(block, body_size):
            title = one_line(block.text)
            meta.removed.append(i)
            if position + 1 < len(candidates):
                j, after = candidates[position + 1]
                if (j == i + 1 and _looks_like_title(after, body_size) and after.size == block.size
                        and after.centered == block.centered and not BRACKETED.match(plain(after.text))
                        and not title.endswith(("。", "！", "？"))):
                    title += one_line(after.text)
                    meta.removed.append(j)
            meta.title = title
            return
    first = one_line(candidates[0][1].text) if candidates else ""
    if first and len(first) <= TITLE_LENGTH and not first.endswith(("。", "；", "：")) \
            and not candidates[0][1].marker:
        meta.title = first
        meta.removed.append(candidates[0][0])
    elif document.title and document.title not in PLACEHOLDER_TITLES:
        meta.title = document.title


def _body_size(paragraphs: list[tuple[int, Paragraph]]) -> float:
    sizes = sorted(p.size for _, p in paragraphs if p.size)
    return sizes[len(sizes) // 2] if sizes else 0.0


def _looks_like_title(block: Paragraph, body_size: float) -> bool:
    text = tidy(block.text)
    if not text or len(text) > TITLE_LENGTH or block.images or block.marker or BRACKETED.match(plain(text)):
        return False
    if DATE_LINE.match(plain(text)) or LABEL.match(plain(text)):
        return False
    large = block.size >= TITLE_SIZE or (body_size and block.size >= body_size + 4)
    return block.title_style or block.heading == 1 or (block.centered and (large or block.bold)) or bool(large)


def _bracketed(paragraphs: list[tuple[int, Paragraph]], meta: Meta) -> None:
    """（市教育局　王芳）under the title or at the end: the unit, and the author when a name follows."""
    for i, block in paragraphs[:EDGE] + paragraphs[-3:]:
        found = BRACKETED.match(plain(block.text))
        if i in meta.removed or not found:
            continue
        inside = found.group(1).strip()
        if LABEL.search(inside):
            _labelled(inside, meta)
        else:
            words = [w for w in re.split(r"[\s、，,]+", inside) if w and w not in ("供稿", "报送", "来稿")]
            if not words:
                continue
            names = [w for w in words[1:] if NAME.match(w)]
            meta.unit = meta.unit or words[0]
            meta.author = meta.author or "、".join(names)
        meta.removed.append(i)
        return


def _note(paragraphs: list[tuple[int, Paragraph]], meta: Meta) -> None:
    """A first paragraph that begins 按： (or 编者按：) is the note set before an item's text."""
    rest = [(i, block) for i, block in paragraphs if i not in meta.removed]
    if rest and rest[0][0] < max(meta.removed, default=-1) + 2:
        text = tidy(rest[0][1].text)
        if NOTE.match(text):
            meta.note = text  # with its 按：, as notes are written
            meta.removed.append(rest[0][0])


def _dated(paragraphs: list[tuple[int, Paragraph]], meta: Meta, document: Document, today: dt.date,
           zone: dt.tzinfo) -> None:
    """A last line that is only a date (the manuscript's date) leaves the body; else the latest
    date in the text of the last FRESH_DAYS; else the file's creation (or last saved) date, if in
    the last year: a file made from an old template carries the template's."""
    for i, block in reversed(paragraphs[-4:]):
        found = DATE_LINE.match(plain(block.text))
        if found and i not in meta.removed:
            day = _date(*found.groups())
            if day:
                meta.day, meta.day_from = day, "正文"
                meta.removed.append(i)
                return
    fresh = today - dt.timedelta(days=FRESH_DAYS)
    mentioned = [day for _, block in paragraphs for match in FULL_DATE.finditer(plain(block.text))
                 if (day := _date(*match.groups())) and fresh <= day <= today]
    stamps = [_local(stamp, zone) for stamp in (document.created, document.modified) if stamp is not None]
    stamps = [day for day in stamps if today - dt.timedelta(days=STAMP_DAYS) <= day <= today]
    if mentioned:
        meta.day, meta.day_from = max(mentioned), "正文"
    elif stamps:
        meta.day, meta.day_from = stamps[0], "文件属性"


def _local(stamp: dt.datetime, zone: dt.tzinfo) -> dt.date:
    """The day of a time Word wrote (UTC, or without a zone), where the bulletin is made."""
    return (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc)).astimezone(zone).date()


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
