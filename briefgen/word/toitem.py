"""A read Word document made into the text of an item file, and the check that nothing of the
source is missing from it: every paragraph, table cell and footnote of the document must be
found, spaces aside, in the item's front matter or in its body as briefgen renders it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser

from briefgen.content.rewrite import new_front_matter
from briefgen.word.markdown import BULLET, body_markdown, tidy
from briefgen.word.meta import ANY_SPACE, Meta, one_line, plain
from briefgen.word.model import Block, Document, Image, Paragraph, texts


@dataclass(frozen=True)
class Fields:
    title: str
    unit: str
    topic: str
    day: dt.date
    author: str
    status: str
    submitted: dt.date


@dataclass
class Draft:
    text: str  # the item file
    images: dict[str, Image] = field(default_factory=dict)  # file name beside the item -> image
    lost: list[str] = field(default_factory=list)  # source texts not found in the item


def make_draft(document: Document, meta: Meta, blocks: tuple[Block, ...], fields: Fields, stem: str,
               source: str) -> Draft:
    """The item file for a document: front matter, the lines it was read from (as comments, so
    that the officer's own words stay in the file), and the body."""
    prefix = f"{stem}-"
    body = body_markdown(document, blocks, prefix)
    lines = [*new_front_matter(fields.title, fields.unit, fields.topic, fields.day, fields.author,
                               fields.submitted, fields.status, meta.note),
             f"# 导入自 {yaml_comment(source)}"]
    read = [plain(block.text) for i in sorted(meta.removed)
            if isinstance(block := document.blocks[i], Paragraph)
            and one_line(block.text) not in (fields.title, meta.note)]
    if read:
        lines.append("# 原稿中的以下各行已写入上面的字段，不再出现在正文中：")
        lines += [f"#   {yaml_comment(line)}" for line in read]
    text = "\n".join([*lines, "---", "", body])
    used = {name: image for name, image in document.images.items() if f"]({prefix}{name})" in body}
    draft = Draft(text, {prefix + name: image for name, image in used.items()})
    draft.lost = lost(document, text, body)
    return draft


def yaml_comment(text: str) -> str:
    """One line of text, safe inside a YAML comment."""
    return " ".join(text.split())


def lost(document: Document, item_text: str, body: str) -> list[str]:
    """The source texts that cannot be found in the item (spaces aside): none, or a bug to report."""
    from briefgen.content.markdown import MarkdownRenderer

    rendered = _Text()
    rendered.feed(MarkdownRenderer(quick=True).convert(body, "import"))
    found = squeeze(item_text.split("\n---\n", 1)[0]) + squeeze("".join(rendered.parts))
    return [text for text in texts(document) if squeeze(BULLET.sub("", tidy(text))) not in found]


def squeeze(text: str) -> str:
    return ANY_SPACE.sub("", text)


class _Text(HTMLParser):
    """The text of rendered HTML, without the numbers of footnote references and back links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        if tag == "a" and (self._skip or "footnote-ref" in classes or "footnote-backref" in classes):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._skip and tag == "a":
            self._skip -= 1
        self.parts.append("\n" if tag in ("p", "li", "td", "th") else "")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)
