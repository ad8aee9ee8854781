"""The print layout read back from the PDFs' text boxes (pdftotext -bbox-layout): the 报尾 never
alone, titles balanced, pages filled, footnote references bound, fixed gaps around Latin words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build_ok, item, png, run_briefgen, write_bulletin
from layout import colophon_only, empty_share, ink_empty_shares, pdf_lines, title_lines

FULL_LINE = "一二三四五六七八九十" * 2 + "甲乙丙丁戊己"  # 26 characters: one line after the 2-character indent


def _paragraphs(count: int) -> str:
    return "".join(f"{FULL_LINE}\n\n" for _ in range(count))


def _emptiest(pdf: Path, folder: Path) -> dict[int, str]:
    """The pages, but the last, whose text block is more than 30% empty below its last ink."""
    folder.mkdir()
    shares = ink_empty_shares(pdf, folder)
    return {number: f"{share:.0%}" for number, share in enumerate(shares[:-1], start=1) if share > 0.30}


@pytest.mark.slow
def test_sample_issues_have_no_lone_colophon_no_short_title_line_and_no_empty_page(sample_build, tmp_path):
    for pdf in sorted((sample_build.out / "issues").glob("*.pdf")):
        pages = pdf_lines(pdf)
        assert not colophon_only(pages[-1]), pdf.name
        assert pages[-1][-1].text.startswith(("责任编辑", "（共印")), pdf.name  # the 报尾 closes the last page
        assert [line for page in pages for line in title_lines(page) if len(line) < 3] == [], pdf.name
        assert _emptiest(pdf, tmp_path / pdf.stem) == {}, pdf.name
        for number, page in enumerate(pages, start=1):
            texts = [line.text for line in page]
            assert not texts[-1].startswith("【"), (pdf.name, number)  # a 栏目 heading never ends a page
            titles = title_lines(page)
            if titles and number < len(pages):  # a title keeps its unit line and two lines of text
                assert len(texts) - 1 - texts.index(titles[-1]) >= 3, (pdf.name, number)
    assert "报尾" not in sample_build.result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("period", ["2026-11", "2026"])
def test_sample_reports_fill_their_pages_and_end_with_a_colophon(sample_build, tmp_path, period):
    result = run_briefgen(sample_build.root, "stats", "--period", period, "--format", "pdf",
                          "--out", str(tmp_path / "tb.pdf"))
    assert result.returncode == 0, result.stderr
    pages = pdf_lines(tmp_path / "tb.pdf")
    assert not colophon_only(pages[-1])
    assert [line.text for line in pages[-1]][-3:] == ["发：各区人民政府，市政府各部门", "责任编辑：陈静", "（共印80份）"]
    assert _emptiest(tmp_path / "tb.pdf", tmp_path / "pages") == {}


@pytest.mark.slow
def test_sample_titles_break_at_their_space_and_between_words(sample_build):
    lines = [line for page in pdf_lines(sample_build.out / "issues" / "2026-W45.pdf") for line in title_lines(page)]
    start = lines.index("江北区滨江高新园区集中签约项目12个")
    assert lines[start:start + 2] == ["江北区滨江高新园区集中签约项目12个", "总投资86.5亿元"]
    lines = [line for page in pdf_lines(sample_build.out / "issues" / "2026-W47.pdf") for line in title_lines(page)]
    start = lines.index("江南区枫林街道以")
    assert lines[start:start + 2] == ["江南区枫林街道以", "“红色物业”提升小区治理水平"]


@pytest.mark.slow
def test_a_colophon_that_no_adjustment_can_fit_gets_its_own_page_and_a_warning(tmp_path, run):
    # Page 2 is full of one-line paragraphs: nothing on it can be tightened.
    root = write_bulletin(tmp_path / "b", {"content/a.md": item(body=_paragraphs(30))})
    result = run(root, "build", "--no-html")
    assert result.returncode == 0, result.stderr
    pages = pdf_lines(root / "output" / "issues" / "2026-W46.pdf")
    assert len(pages) == 3 and colophon_only(pages[-1])
    assert [line.text for line in pages[-1]] == ["报：市委办公室", "送：市人大办公室", "发：各区人民政府",
                                                 "责任编辑：李编辑", "（共印30份）"]
    assert ("content/a.md: warning: 2026年第5期（2026-W46）的报尾在最后一页正文之下放不下，压缩间距也不够，"
            "单独排在了第 3 页；删减本期末尾稿件几行，或把一篇稿件移到下一期，报尾就能与正文同页") in result.stderr
    again = run(root, "build", "--no-html")  # the PDF now comes from the cache: the warning stays
    assert "单独排在了第 3 页" in again.stderr


@pytest.mark.slow
def test_a_title_with_its_first_paragraph_does_not_leave_a_page_largely_empty(tmp_path):
    # The first item ends about 60% down page 2. The next 栏目's heading, a two-line title, the
    # unit line and a three-line first paragraph, kept together, would leave a third of it empty;
    # the paragraph splits 2 + 1 instead.
    first = item(title="市教育局开展教研活动", topic="要情专报", body=_paragraphs(24))
    three_lines = FULL_LINE + FULL_LINE[:-2] * 2 + "。"
    second = item(title="市财政局强化预算执行管理前三季度民生支出占比达到百分之七十八", unit="市财政局",
                  body=f"{three_lines}\n\n" + _paragraphs(12))
    root = write_bulletin(tmp_path / "b", {"content/a.md": first, "content/b.md": second})
    build_ok(root, "--no-html")
    pages = pdf_lines(root / "output" / "issues" / "2026-W46.pdf")
    assert [f"{empty_share(page):.0%}" for page in pages[:-1] if empty_share(page) > 0.30] == []
    titles = [(number, line) for number, page in enumerate(pages, start=1) for line in title_lines(page)]
    assert titles == [(1, "市教育局开展教研活动"), (2, "市财政局强化预算执行管理前三季度"), (2, "民生支出占比达到百分之七十八")]


@pytest.mark.slow
def test_a_figure_that_does_not_fit_is_scaled_to_the_space_left(tmp_path):
    body = _paragraphs(22) + "![全市重点项目分布示意图](map.png)\n\n" + _paragraphs(3)
    root = write_bulletin(tmp_path / "b", {"content/a.md": item(body=body),
                                           "content/map.png": png(1500, 1000)})
    build_ok(root, "--no-html")
    pages = pdf_lines(root / "output" / "issues" / "2026-W46.pdf")
    caption_page = next(number for number, page in enumerate(pages, start=1)
                        if any(line.text == "全市重点项目分布示意图" for line in page))
    assert caption_page == 2  # beside the text before it, not pushed to page 3
    assert [f"{empty_share(page):.0%}" for page in pages[:-1] if empty_share(page) > 0.30] == []


@pytest.mark.slow
def test_a_footnote_reference_stays_with_the_character_before_it(tmp_path):
    # The reference falls right after the 26th character: the character goes down with it.
    lines = _printed_lines(tmp_path, f"{FULL_LINE[:-1]}办[^1]。后文。\n\n[^1]: 截至10月底的数据。\n")
    start = lines.index(FULL_LINE[:-1])
    assert lines[start + 1] == "办1。后文。"


@pytest.mark.slow
def test_the_gap_between_chinese_and_a_latin_word_is_a_fixed_quarter(tmp_path):
    body = "OpenAI 公司刚刚推出了一款便捷键盘，方便操作 AI 代理。会议要求在 2026 年底前完成。\n"
    root = write_bulletin(tmp_path / "b", {"content/a.md": item(body=body)})
    build_ok(root, "--no-html")
    words = _words(root / "output" / "issues" / "2026-W46.pdf")
    gaps = [round(after[1] - before[2], 1) for before, after in zip(words, words[1:], strict=False)
            if before[3] == after[3] and ("AI" in (before[0], after[0]) or "OpenAI" == before[0])]
    assert gaps and all(3.0 <= gap <= 4.5 for gap in gaps), gaps


def _words(pdf) -> list[tuple[str, float, float, float]]:
    """(text, left, right, top) of each word pdftotext finds, in reading order."""
    import subprocess
    import xml.etree.ElementTree as ET

    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    return [(w.text or "", float(w.get("xMin") or 0), float(w.get("xMax") or 0), float(w.get("yMin") or 0))
            for w in ET.fromstring(xml).iter("{http://www.w3.org/1999/xhtml}word")]


@pytest.mark.slow
def test_the_report_has_a_colophon_from_its_own_settings(tmp_path):
    root = write_bulletin(tmp_path / "b", {"content/a.md": item(date="2026-11-10")})
    yaml_text = (root / "briefgen.yaml").read_text(encoding="utf-8")
    (root / "briefgen.yaml").write_text(
        yaml_text + "report:\n  name: 信息工作通报\n  signer: 王主任\n  distribution:\n    发: 各区政府办公室\n",
        encoding="utf-8")
    result = run_briefgen(root, "stats", "--period", "2026-11", "--format", "pdf", "--out", "tb.pdf")
    assert result.returncode == 0, result.stderr
    pages = pdf_lines(root / "tb.pdf")
    assert not colophon_only(pages[-1])
    last = [line.text for line in pages[-1]]
    assert last[-4:] == ["发：各区政府办公室", "责任编辑：李编辑", "签发：王主任", "（共印30份）"]


@pytest.mark.slow
def test_a_long_table_splits_with_two_rows_a_side_and_its_header_repeated(tmp_path):
    rows = "".join(f"| 第{n}项 | {n * 7} |\n" for n in range(1, 41))
    body = _paragraphs(12) + "| 项目 | 数量 |\n| --- | --- |\n" + rows + "\n" + _paragraphs(2)
    root = write_bulletin(tmp_path / "b", {"content/a.md": item(body=body)})
    build_ok(root, "--no-html")
    pages = pdf_lines(root / "output" / "issues" / "2026-W46.pdf")
    with_rows = [(number, [line.text for line in page if re.fullmatch(r"第\d+项", line.text)], page)
                 for number, page in enumerate(pages, start=1)]
    with_rows = [(number, found, page) for number, found, page in with_rows if found]
    assert len(with_rows) >= 2, "the table is not split"
    assert all(len(found) >= 2 for _, found, _ in with_rows), [(n, len(f)) for n, f, _ in with_rows]
    for _number, _found, page in with_rows[1:]:
        texts = [line.text for line in page]
        assert texts.index("项目") < texts.index(_found[0])  # the header comes first on every page
    assert [row for _, found, _ in with_rows for row in found] == [f"第{n}项" for n in range(1, 41)]


@pytest.mark.slow
def test_a_line_may_end_before_an_opening_quote(tmp_path):
    # The 26th character is followed by an opening quote: the line still takes it.
    lines = _printed_lines(tmp_path, f"{FULL_LINE[:-1]}罪“秋风行动”取得阶段性成效。\n")
    start = lines.index(f"{FULL_LINE[:-1]}罪")
    assert lines[start + 1] == "“秋风行动”取得阶段性成效。"


def _printed_lines(tmp_path: Path, body: str) -> list[str]:
    """The lines of the PDF of an issue of one item with this body."""
    root = write_bulletin(tmp_path / "b", {"content/a.md": item(body=body)})
    build_ok(root, "--no-html")
    return [line.text for page in pdf_lines(root / "output" / "issues" / "2026-W46.pdf") for line in page]
