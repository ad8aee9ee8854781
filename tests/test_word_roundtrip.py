"""Word out and back in: every item of the sample exported as a manuscript (`briefgen export`)
and imported again (`briefgen import`) arrives with the same title, unit, date, authors and
note, and a body that renders to the same text. Each side is checked against the other, and
the originals are read with PyYAML, not with briefgen."""

from __future__ import annotations

import re

import lxml.html
import yaml
from conftest import ALIASES, copy_sample, run_briefgen, write_bulletin
from test_import import ENV

from briefgen.content.markdown import MarkdownRenderer

SPACE = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


def item_file(path):
    """(front matter with English keys, the body's rendered text without spaces)."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    names = {**ALIASES, "作者": "author", "按语": "note"}
    data = {names.get(str(k), str(k)): v for k, v in yaml.safe_load(front).items()}
    page = lxml.html.fragment_fromstring(str(MarkdownRenderer().convert(body, "t")), create_parent="div")
    for numbered in page.iter("ol"):  # the numbers a reader sees, which a browser draws
        for number, point in enumerate(numbered.findall("li"), start=int(numbered.get("start", 1))):
            point.text = f"{number}.{point.text or ''}"
    return data, SPACE.sub("", page.text_content())


def authors(value) -> list[str]:
    if not value:
        return []
    return value if isinstance(value, list) else re.split(r"[、，,；; ]+", str(value))


def test_every_sample_item_comes_back_from_its_word_manuscript(tmp_path):
    sample = copy_sample(tmp_path / "sample")
    sources = sorted(p for p in (sample / "content").rglob("*.md"))
    exported = tmp_path / "报送"
    result = run_briefgen(sample, "export", *map(str, sources), "--out", str(exported), env=ENV)
    assert result.returncode == 0, result.stderr
    assert len(list(exported.glob("*.docx"))) == len(sources)

    again = write_bulletin(tmp_path / "again", config=(sample / "briefgen.yaml").read_text(encoding="utf-8"))
    result = run_briefgen(again, "import", str(exported), "--topic", "工作动态", env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == f"共 {len(sources)} 个文件：导入 {len(sources)} 篇，未导入 0 个。"

    originals = {data["title"]: (data, body) for data, body in map(item_file, sources)}
    # a draft or an unreviewed item goes out marked as one, and comes back with the mark in its title
    arrived = {re.sub("（(草稿|待审)）$", "", data["title"]): (data, body)
               for data, body in map(item_file, (again / "content").rglob("*.md"))}
    assert sorted(arrived) == sorted(originals)
    for title, (data, body) in arrived.items():
        before, text = originals[title]
        assert (data["unit"], str(data["date"]), authors(data.get("author")), data.get("note", "")) == (
            before["unit"], str(before["date"]), authors(before.get("author")), before.get("note", "")), title
        assert body == text, title
