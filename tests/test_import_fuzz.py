"""Whatever text a Word file holds, the import keeps it: property tests (hypothesis, derandomised)
that write .docx files with python-docx, paragraphs and table cells of any text -- Markdown's
own characters, HTML, entities, list and heading starts, odd spaces, emoji -- with bold and
italic runs, read them as `briefgen import` does, and render the item's body with briefgen's
Markdown converter: every text of the file is found in the item, and nothing raises."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from briefgen.word.markdown import body_markdown
from briefgen.word.meta import read_meta
from briefgen.word.reader import read_docx
from briefgen.word.toitem import Fields, lost

set_hypothesis_home_dir(tempfile.mkdtemp(prefix="briefgen-hypothesis-"))
FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=60, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TODAY = dt.date(2026, 12, 2)

PIECES = ["1.", "1)", "#", "##", "- ", "+ ", "* ", "> ", "*", "**", "_", "__", "`", "\\", "[", "]", "(", ")",
          "![x](y.png)", "[^1]", "<b>", "</p>", "<script>alert(1)</script>", "&amp;", "&lt;", "&", "|", "---",
          "===", "一、", "（一）", "1.", "（1）", "①", "一是", "报送单位：", "（市教育局　王芳）", "按：",
          "2026年11月25日", "\u00a0", "\u3000", "\u200b", "\u2002", "\t", "  ", "😀", "𠀀", "é", "市教育局",
          "开展", "课后服务", "。", "，", "“", "”", "%", "$", "{", "}", "~", "^", "="]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=4)), min_size=1, max_size=12).map(
    "".join).filter(lambda text: text.strip() and all(ord(c) >= 32 or c == "\t" for c in text)
                    and not any(0xD800 <= ord(c) <= 0xDFFF or ord(c) in (0xFFFE, 0xFFFF) for c in text))
RUN = st.tuples(TEXT, st.booleans(), st.booleans())
PARAGRAPH = st.lists(RUN, min_size=1, max_size=3)
CELLS = st.lists(st.lists(TEXT, min_size=2, max_size=2), min_size=1, max_size=3)


def written(paragraphs: list[list[tuple[str, bool, bool]]], table: list[list[str]], folder: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("市教育局开展课后服务专项行动")
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, bold, italic in runs:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
    grid = document.add_table(rows=len(table), cols=2)
    for row, texts in zip(grid.rows, table, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    path = folder / "稿件.docx"
    document.save(str(path))
    return path


@pytest.mark.slow  # a property test
@FUZZ
@given(st.lists(PARAGRAPH, min_size=1, max_size=5), CELLS)
def test_every_text_of_a_word_file_arrives(paragraphs, table):
    with tempfile.TemporaryDirectory() as folder:
        document = read_docx(written(paragraphs, table, Path(folder)))
    meta, blocks = read_meta(document, TODAY)
    body = body_markdown(document, blocks, "x-")
    fields = Fields(meta.title or "标题", "市教育局", "工作动态", TODAY, meta.author, "待审", TODAY)
    front = "\n".join([fields.title, meta.unit, meta.author, meta.phone, meta.note, *(
        block.text for i, block in enumerate(document.blocks) if i in meta.removed)])
    assert lost(document, front + "\n---\n", body) == []
