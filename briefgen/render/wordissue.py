"""The Word edition: an issue laid out as its PDF is (the red 报头, 编者按, 目录, the topics and
their items, 更正, the 报尾 as a table after them), and one item as a
manuscript to send upward (title, unit, body and, at its end, who sent and wrote it)."""

from __future__ import annotations

from collections.abc import Iterator

from docx.text.paragraph import Paragraph

from briefgen.bulletin.periods import chinese_date
from briefgen.config.settings import Config
from briefgen.model import Bulletin, Issue, Item
from briefgen.render.env import masthead_size
from briefgen.render.titles import TITLE_EMS, balanced
from briefgen.render.wordbody import BodyWriter
from briefgen.render.wordcolophon import colophon, distribution
from briefgen.render.wordstyles import BODY, LINE, MASTHEAD, NOTE, TITLE, TOPIC, UNIT, Fonts, new_document
from briefgen.word.blocks import Blocks, Footnotes
from briefgen.word.docx import Look, apply_paragraph, apply_run, border, fixed_bytes, right_tab, twips
from briefgen.workers import ordered_map

VERSION = "2"  # of the Word writer, in every Word file's key: a change of layout makes them all again
CONTENTS_FROM = 7  # items from which an issue has a 目录, as templates/site/issue_content.html has it
CONTENTS_EMS = 24  # the longest line of a title in the 目录 (title_lines(24) in the same template)
DRAFT_MARKS = {"draft": "（草稿）", "submitted": "（待审）"}
PARALLEL_FROM = 8  # fewer Word files are written sooner than a pool of processes starts


def issue_docx(bulletin: Bulletin, issue: Issue, css: str) -> bytes:
    """The Word file of one issue; css: the print stylesheet, whose fonts and red it takes."""
    config = bulletin.config
    fonts = Fonts.from_css(css)
    document = new_document(fonts)
    blocks = Blocks.body(document)
    writer = BodyWriter(fonts, config.root, Footnotes(document))
    _masthead(blocks, config, issue, fonts)
    if issue.heading:
        _line(blocks, issue.heading, Look(font=fonts.sans, size=18, align="center", first_line=0, line=0,
                                          grid=False, after=LINE))
    if issue.settings.note:
        paragraph = blocks.paragraph(NOTE)
        apply_paragraph(paragraph._p, Look(after=LINE))
        apply_run(paragraph.add_run("编者按：")._r, Look(font=fonts.sans))
        paragraph.add_run(issue.settings.note)
    if len(issue.items) >= CONTENTS_FROM:
        _contents(blocks, issue, fonts)
    for section in issue.sections:
        _text(blocks, TOPIC, f"【{section.topic}】")
        for number, item in enumerate(section.items):
            _item(blocks, writer, item, bulletin.bodies[item.slug], after_item=number > 0)
    if issue.settings.errata:
        _text(blocks, TOPIC, "【更正】")
        for erratum in issue.settings.errata:
            _text(blocks, BODY, erratum.text)
    settings = issue.settings
    colophon(blocks, fonts, distribution(config, settings.extra), settings.editor or config.editor,
             settings.signer or config.signer, settings.copies or config.copies)
    return fixed_bytes(document, f"{config.name}{issue.title}", config.publisher, issue.date, subject=issue.heading)


def issue_files(bulletin: Bulletin, issues: tuple[Issue, ...], css: str, jobs: int) -> Iterator[bytes]:
    """The Word file of each issue, in order; many are written on up to `jobs` forked processes,
    which inherit the bulletin (a large issue takes a few tenths of a second)."""
    return ordered_map(_write, range(len(issues)), jobs if len(issues) >= PARALLEL_FROM else 1, _keep,
                       (bulletin, issues, css))


_work: tuple[Bulletin, tuple[Issue, ...], str] | None = None


def _keep(bulletin: Bulletin, issues: tuple[Issue, ...], css: str) -> None:
    global _work
    _work = (bulletin, issues, css)


def _write(index: int) -> bytes:
    assert _work is not None
    bulletin, issues, css = _work
    return issue_docx(bulletin, issues[index], css)


def item_docx(config: Config, item: Item, body: str, css: str) -> bytes:
    """One item as a 信息 manuscript in Word: its title, unit and note, its body with its images and
    footnotes, and its last line (报送单位：…　撰稿：…), on the page and in the fonts of the issue."""
    fonts = Fonts.from_css(css)
    document = new_document(fonts)
    blocks = Blocks.body(document)
    _item(blocks, BodyWriter(fonts, config.root, Footnotes(document)), item, body, after_item=False)
    sender = f"报送单位：{item.unit}" + (f"\u3000撰稿：{item.author}" if item.authors else "")
    _line(blocks, f"（{sender}）", Look(align="right", first_line=0, before=LINE))
    return fixed_bytes(document, item.title, item.author or item.unit, item.date, subject=item.topic)


def _masthead(blocks: Blocks, config: Config, issue: Issue, fonts: Fonts) -> None:
    """The 报头: the mark, the name large and red, the number, and the publisher and the date on
    one line above the red rule that runs across the text block."""
    if issue.draft:
        _line(blocks, "未发布 · 草稿，仅供编辑审阅", Look(font=fonts.sans, size=14, color=fonts.red, align="center",
                                                     first_line=0))
    if config.mark:
        _line(blocks, config.mark, Look(font=fonts.sans, align="left", first_line=0))
    size = masthead_size(config.name)
    name = blocks.paragraph(MASTHEAD)
    apply_paragraph(name._p, Look(line=round(size * 1.3 * 20)), size)
    apply_run(name.add_run(config.name)._r, Look(size=size, tracking=round(size * 0.15, 1)))
    if issue.series:
        _line(blocks, issue.series, Look(font=fonts.sans, size=22, color=fonts.red, tracking=4.4, align="center",
                                         first_line=0, line=0, grid=False))
        _line(blocks, f"第{issue.number}期", Look(align="center", first_line=0))
    else:
        _line(blocks, f"第{issue.number}期（总第{issue.total}期）", Look(align="center", first_line=0))
    byline = blocks.paragraph(BODY)
    apply_paragraph(byline._p, Look(align="left", first_line=0, before=twips(8), after=twips(8)))
    right_tab(byline._p.get_or_add_pPr(), blocks.width)
    border(byline._p.get_or_add_pPr(), "bottom", fonts.red, 20, space=11)  # 2.5 pt, 4 mm below the line
    byline.add_run(config.publisher)
    byline.add_run().add_tab()
    byline.add_run(chinese_date(issue.date))


def _contents(blocks: Blocks, issue: Issue, fonts: Fonts) -> None:
    """本期目录: each topic and the titles of its items (Word has no page of an item to name)."""
    _line(blocks, "本期目录", Look(font=fonts.sans, align="center", first_line=0))
    for section in issue.sections:
        _line(blocks, section.topic, Look(font=fonts.sans, first_line=0))
        for item in section.items:  # broken into balanced lines as the PDF's contents are
            entry = blocks.paragraph(BODY)
            apply_paragraph(entry._p, Look(first_line=0, left=200, align="left"))  # a broken line stays as it is
            _balanced(entry, item.title + DRAFT_MARKS.get(item.status, ""), CONTENTS_EMS)
    blocks.paragraph(BODY)


def _item(blocks: Blocks, writer: BodyWriter, item: Item, body: str, after_item: bool) -> None:
    """An item: its title broken into balanced lines, its unit, its note, its body."""
    title = blocks.paragraph(TITLE)
    if after_item:  # one line between two items of a topic, as print.css has it
        apply_paragraph(title._p, Look(before=LINE + 200))
    _balanced(title, item.title, TITLE_EMS)
    if item.status in DRAFT_MARKS:
        title.add_run(DRAFT_MARKS[item.status])
    _text(blocks, UNIT, f"（{item.unit}）")
    if item.note:
        _text(blocks, NOTE, item.note)
    writer.write(blocks, body)


def _balanced(paragraph: Paragraph, title: str, ems: float) -> None:
    """A title in balanced lines of at most `ems` characters (render/titles), a break between them.
    A space the title is broken at stays at the end of its line: unseen, but the title's text."""
    text = " ".join(title.split())
    at = 0
    for number, line in enumerate(balanced(title, ems)):
        run = paragraph.add_run()
        if number:
            run.add_break()
        at = text.find(line, at) + len(line)
        run.add_text(line + (" " if at < len(text) and text[at] == " " else ""))


def _text(blocks: Blocks, style: str, text: str) -> Paragraph:
    paragraph = blocks.paragraph(style)
    paragraph.add_run(text)
    return paragraph


def _line(blocks: Blocks, text: str, look: Look) -> Paragraph:
    """A paragraph of the body style with look on it and on its text."""
    paragraph = blocks.paragraph(BODY)
    apply_paragraph(paragraph._p, look, look.size or 16)
    apply_run(paragraph.add_run(text)._r, look)
    return paragraph
