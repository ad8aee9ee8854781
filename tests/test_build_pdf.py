"""The print edition: what pdftotext, pdffonts and pdfinfo find in the built PDFs."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import (
    FONTS_LINE,
    HIDDEN_TITLES,
    NAME,
    PUBLISHER,
    SMALL_ITEMS,
    SMALL_ORDER,
    build_ok,
    cn_date,
    copy_sample,
    environ,
    flat,
    item,
    link_problems,
    pdf_fonts,
    pdf_info,
    pdf_lines,
    pdf_text,
    tree_hashes,
    write_bulletin,
)

SMALL_ISSUES = {
    # id: (第N期, 总第M期, date, topics printed, colophon lines)
    "2026-W46": (5, 105, "2026年11月13日", ["要情专报", "工作动态"],
                 ["报：市委办公室", "送：市人大办公室", "发：各区人民政府", "责任编辑：李编辑", "（共印30份）"]),
    "2026-W47": (6, 106, "2026年11月20日", ["要情专报", "经验交流"],
                 ["报：市委办公室", "送：市人大办公室", "发：各区人民政府", "本期增发：市统计局",
                  "责任编辑：李编辑", "签发：张签发", "（共印50份）"]),
}


def positions(text: str, needles: list[str], start: int = 0) -> list[int]:
    """Index of each needle in text, searching each after the previous one; -1 when missing."""
    found, at = [], start
    for needle in needles:
        index = text.find(needle, at)
        found.append(index)
        if index >= 0:
            at = index + len(needle)
    return found


# --------------------------------------------------------------------------- a bulletin written here


@pytest.mark.slow
@pytest.mark.parametrize("issue_id", sorted(SMALL_ISSUES))
def test_masthead_items_in_order_and_colophon(small_build, issue_id):
    number, total, date, topics, colophon = SMALL_ISSUES[issue_id]
    path = small_build.out / "issues" / f"{issue_id}.pdf"
    text = flat(pdf_text(path))
    lines = pdf_lines(path)

    # 报头: mark, name, 第N期（总第M期）, publisher and date, in that order, first on the page.
    masthead = ["内部资料", NAME, f"第{number}期（总第{total}期）", PUBLISHER, date]
    assert text.startswith("".join(masthead)), text[:80]
    assert lines[:5] == masthead

    # Topics in config order, each item once, in order, followed by its unit.
    titles = SMALL_ORDER[issue_id]
    headings = [f"【{topic}】" for topic in topics]
    assert all(text.count(h) == 1 for h in headings)
    assert [h for h in ("【要情专报】", "【工作动态】", "【经验交流】") if h in text] == headings
    for title in titles:
        assert text.count(title) == 1, title
    found = positions(text, titles)
    assert -1 not in found and found == sorted(found)
    assert found[0] > text.index(headings[0])

    # 报尾 after the last item, each line once.
    for line in colophon:
        assert lines.count(line) == 1, (line, lines)
    assert text.index("报：") > found[-1]
    assert positions(text, colophon, found[-1]) == sorted(positions(text, colophon, found[-1]))
    assert -1 not in positions(text, colophon, found[-1])


@pytest.mark.slow
def test_issue_order_in_detail(small_build):
    lines = pdf_lines(small_build.out / "issues" / "2026-W46.pdf")
    body = [line for line in lines if line.startswith("【") or line in SMALL_ORDER["2026-W46"]]
    assert body == ["【要情专报】", "江北区召开安全生产工作会议",
                    "【工作动态】", "市教育局部署冬季校园安全工作", "市教育局启动教师培训计划",
                    "市财政局加强预算执行管理", "为民办实事项目全部完工"]


@pytest.mark.slow
def test_pdf_metadata_and_progress_lines(small_build):
    stdout = small_build.result.stdout.splitlines()
    pages = {}
    for issue_id, (number, _total, _, _, _) in SMALL_ISSUES.items():
        info = pdf_info(small_build.out / "issues" / f"{issue_id}.pdf")
        assert info["Title"] == f"{NAME}2026年第{number}期"
        assert info["Author"] == PUBLISHER
        assert info["Creator"] == "briefgen"
        assert info["Page size"].endswith("(A4)")
        pages[issue_id] = int(info["Pages"])
    count = {"2026-W46": 5, "2026-W47": 2}
    assert stdout[:2] == [
        f"PDF  {issue_id}  2026年第{n}期（总第{t}期）  {count[issue_id]}篇  {pages[issue_id]}页"
        for issue_id, (n, t, *_rest) in SMALL_ISSUES.items()
    ]
    assert re.fullmatch(
        rf"已生成 2 期，网页文件 22 个，PDF 2 份（共 {sum(pages.values())} 页），Word 版 2 份，输出到 output/，用时 \d+\.\d 秒。",
        stdout[2])
    assert len(stdout) == 3
    assert small_build.result.stderr == FONTS_LINE


@pytest.mark.slow
def test_reserve_rejected_and_draft_items_are_not_printed(small_build):
    texts = {p.stem: flat(pdf_text(p)) for p in (small_build.out / "issues").glob("*.pdf")}
    assert sorted(texts) == ["2026-W46", "2026-W47"]
    for text in texts.values():
        for title in HIDDEN_TITLES:
            assert title not in text
        for body in ("备用稿件正文", "退稿稿件正文", "草稿稿件正文"):
            assert body not in text
    # Every adopted item is printed in its own issue only.
    for issue_id, titles in SMALL_ORDER.items():
        other = next(i for i in texts if i != issue_id)
        for title in titles:
            assert title in texts[issue_id]
            assert title not in texts[other]


@pytest.mark.slow
def test_cjk_line_break_joined_in_pdf(small_build):
    lines = pdf_lines(small_build.out / "issues" / "2026-W47.pdf")
    assert "各地区要加强组织领导，压实责任。" in lines
    assert "一、强化组织领导" in lines
    text = pdf_text(small_build.out / "issues" / "2026-W47.pdf")
    assert "组织 领导" not in text and "组织\n领导" not in text


@pytest.mark.slow
def test_item_image_is_in_the_pdf(small_build):
    def images(issue_id):
        listing = subprocess.run(["pdfimages", "-list", str(small_build.out / "issues" / f"{issue_id}.pdf")],
                                 capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        return [line.split()[3:5] for line in listing]
    assert images("2026-W47") == [["2", "2"]]  # the 2x2 PNG the item refers to
    assert images("2026-W46") == []


@pytest.mark.slow
def test_fonts_embedded_small(small_build):
    for pdf in sorted((small_build.out / "issues").glob("*.pdf")):
        rows = pdf_fonts(pdf)
        assert rows, pdf
        assert [r.emb for r in rows] == ["yes"] * len(rows), (pdf, rows)


# --------------------------------------------------------------------------- the sample bulletin


@pytest.mark.slow
def test_sample_fonts_are_embedded_cjk_sc(sample_build):
    """The free fonts scripts/system-packages installs: FandolFang for the body, FandolKai for the
    unit lines and notes, Noto Serif CJK SC Bold for titles, Noto Sans CJK SC for headings."""
    pdfs = sorted((sample_build.out / "issues").glob("*.pdf"))
    assert [p.stem for p in pdfs] == [i.id for i in sample_build.issues]
    for pdf in pdfs:
        rows = pdf_fonts(pdf)
        assert len(rows) >= 2
        assert [r.emb for r in rows] == ["yes"] * len(rows), (pdf.name, rows)
        names = {r.name.split("+", 1)[-1].replace("-", " ") for r in rows}
        assert {"FandolFang", "FandolKai", "Noto Serif CJK SC Bold", "Noto Sans CJK SC"} <= names, (pdf.name, names)


@pytest.mark.slow
def test_sample_issues_masthead_order_and_colophon(sample_build):
    config = sample_build.config
    assert len(sample_build.issues) >= 2
    for issue in sample_build.issues:
        path = sample_build.out / "issues" / f"{issue.id}.pdf"
        text = flat(pdf_text(path))
        masthead = [config.get("mark") or "", config["name"], f"第{issue.number}期（总第{issue.total}期）",
                    config["publisher"], cn_date(issue.date)]
        assert text.startswith(flat("".join(masthead))), (issue.id, text[:80])

        # The contents list is printed for issues of more than six items.
        assert ("本期目录" in text) == (len(issue.items) > 6), issue.id
        first_topic = f"【{issue.items[0].topic}】"
        start = text.index(first_topic)
        if "本期目录" in text:
            toc = positions(text[:start], [flat(i.title) for i in issue.items], text.index("本期目录"))
            assert -1 not in toc and toc == sorted(toc), issue.id

        # Items in order (topic, weight, date, title), each followed by its unit.
        blocks = [flat(f"{i.title}（{i.unit}）") for i in issue.items]
        found = positions(text, blocks, start)
        assert -1 not in found, (issue.id, [b for b, f in zip(blocks, found, strict=True) if f < 0])
        topics = list(dict.fromkeys(i.topic for i in issue.items))
        heads = positions(text, [f"【{t}】" for t in topics], 0)
        assert -1 not in heads and heads == sorted(heads)
        for topic, head in zip(topics, heads, strict=True):
            first = next(f for i, f in zip(issue.items, found, strict=True) if i.topic == topic)
            assert head < first

        # 报尾, once, after the last item.
        settings = issue.settings
        colophon = [f"{label}：{value}" for label, value in config["distribution"].items()]
        if settings.get("extra"):
            colophon.append(f"本期增发：{settings['extra']}")
        colophon.append(f"责任编辑：{settings.get('editor') or config['editor']}")
        if settings.get("signer") or config.get("signer"):
            colophon.append(f"签发：{settings.get('signer') or config.get('signer')}")
        colophon.append(f"（共印{settings.get('copies') or config['copies']}份）")
        for line in colophon:
            assert text.count(flat(line)) == 1, (issue.id, line)
        assert -1 not in positions(text, [flat(c) for c in colophon], found[-1])


@pytest.mark.slow
def test_sample_hidden_items_not_printed(sample_build):
    hidden = [i for i in sample_build.all_items if i.status != "adopted"]
    assert hidden, "the sample has reserve/rejected/draft items"
    texts = [flat(pdf_text(p)) for p in (sample_build.out / "issues").glob("*.pdf")]
    for entry in hidden:
        assert all(flat(entry.title) not in t for t in texts), entry.title


@pytest.mark.slow
def test_sample_progress_lines_match_pdfinfo(sample_build):
    stdout = sample_build.result.stdout.splitlines()
    expected = []
    for issue in sample_build.issues:
        pages = int(pdf_info(sample_build.out / "issues" / f"{issue.id}.pdf")["Pages"])
        year = issue.id[:4]
        expected.append(f"PDF  {issue.id}  {year}年第{issue.number}期（总第{issue.total}期）  "
                        f"{len(issue.items)}篇  {pages}页")
    assert stdout[:-1] == expected


# --------------------------------------------------------------------------- options and warnings


@pytest.mark.slow
def test_period_rebuilds_only_that_pdf(tmp_path):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    build_ok(root)
    out = root / "output"
    before = tree_hashes(out)

    # Change one item in each issue; only 2026-W47 is asked for.
    for rel, old, new in (("content/2026/2026-W46/anquan-huiyi.md", "江北区召开安全生产工作会议", "江北区召开冬季安全生产会议"),
                          ("content/2026/2026-W47/fangxun.md", "江北区全力做好防汛准备", "江北区全力做好防冻准备")):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = build_ok(root, "--period", "2026-W47")

    after = tree_hashes(out)
    assert after["issues/2026-W46.pdf"] == before["issues/2026-W46.pdf"]  # kept as it was
    assert after["issues/2026-W47.pdf"] != before["issues/2026-W47.pdf"]
    w46, w47 = flat(pdf_text(out / "issues" / "2026-W46.pdf")), flat(pdf_text(out / "issues" / "2026-W47.pdf"))
    assert "江北区召开安全生产工作会议" in w46 and "江北区召开冬季安全生产会议" not in w46
    assert "江北区全力做好防冻准备" in w47 and "江北区全力做好防汛准备" not in w47
    # The site is rebuilt whole, and still links both PDFs.
    page = (out / "issues" / "2026-W46.html").read_text(encoding="utf-8")
    assert "江北区召开冬季安全生产会议" in page
    assert 'href="../issues/2026-W46.pdf"' in page
    assert 'href="../issues/2026-W47.pdf"' in (out / "issues" / "2026-W47.html").read_text(encoding="utf-8")
    # The same files, but for the search index, whose fragments are named by their content.
    assert sorted(r for r in after if not r.startswith("pagefind/")) == sorted(r for r in before if not r.startswith("pagefind/"))
    pages = int(pdf_info(out / "issues" / "2026-W47.pdf")["Pages"])
    lines = result.stdout.splitlines()
    assert lines[0] == f"PDF  2026-W47  2026年第6期（总第106期）  2篇  {pages}页"
    # Pages showing neither edited item nor their issues are kept from the first build.
    assert re.fullmatch(rf"已生成 1 期，网页文件 22 个（重新生成 14 个），PDF 1 份（共 {pages} 页），Word 版 1 份，输出到 output/，用时 \d+\.\d 秒。",
                        lines[1])


def test_unknown_period_is_refused_with_a_hint(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    build_ok(root, "--no-search", "--no-pdf")
    before = tree_hashes(root)
    result = run(root, "build", "--no-search", "--period", "2026-w47")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("--period: error: 没有 2026-w47 这一期；是不是 2026-W47？\n"
                             "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。\n")
    result = run(root, "build", "--no-search", "--period", "1999")
    assert result.returncode == 1
    assert result.stderr == ("--period: error: 没有 1999 这一期；现有各期：2026-W46、2026-W47\n"
                             "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。\n")
    assert tree_hashes(root) == before


@pytest.mark.slow
def test_no_html_writes_only_pdfs(tmp_path):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    result = build_ok(root, "--no-search", "--no-html", "--no-docx")
    assert sorted(tree_hashes(root / "output")) == [".briefgen-output", "issues/2026-W46.pdf", "issues/2026-W47.pdf"]
    assert "网页文件" not in result.stdout


@pytest.mark.parametrize("no_docx", [(), ("--no-docx",)])
def test_no_pdf_and_no_html_together_is_a_usage_error(tmp_path, run, no_docx):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    result = run(root, "build", "--no-search", "--no-pdf", *no_docx, "--no-html")
    assert result.returncode == 2
    assert result.stderr == (
        "用法：briefgen build [选项]\n"
        "briefgen: 用法错误：--no-pdf 与 --no-html 同时使用时什么也不会生成（Word 版随 PDF 不生成；只要 Word 版时加 --docx）。\n"
        "运行 briefgen build -h 查看帮助。\n"
    )
    assert not (root / "output").exists()


@pytest.mark.slow
def test_character_without_font_is_a_warning_with_file_and_line(tmp_path, run):
    body = "第一段正文。\n\n第二段有一个缺字\U0010FFFD在这里。\n"
    root = write_bulletin(tmp_path / "repo", {"content/2026/quezi.md": item("缺字稿件", body=body)})
    result = run(root, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    # Front matter: lines 1-6, a blank line 7, the body from line 8: the character is on line 10.
    assert result.stderr == (
        "content/2026/quezi.md:10: warning: 字符“\U0010FFFD”(U+10FFFD) 没有任何字体包含，PDF 中会印成方框；"
        "请改用常用字，或把含有此字的字体文件放进 fonts/ 文件夹\n" + FONTS_LINE)
    assert (root / "output" / "issues" / "2026-W46.pdf").is_file()
    assert "缺字稿件" in flat(pdf_text(root / "output" / "issues" / "2026-W46.pdf"))


@pytest.mark.slow
def test_character_without_font_in_title_and_note_names_their_lines(tmp_path, run):
    text = ("---\ntitle: 标题有缺字\U0010FFFD\nunit: 市教育局\ndate: 2026-11-10\ntopic: 工作动态\n"
            "note: 按语有缺字\U0010FFFE\n---\n\n正文没有缺字。\n")
    root = write_bulletin(tmp_path / "repo", {"content/2026/quezi.md": text})
    result = run(root, "build", "--no-search", "--no-html")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "content/2026/quezi.md:2: warning: 字符“\U0010FFFD”(U+10FFFD) 没有任何字体包含，PDF 中会印成方框；"
        "请改用常用字，或把含有此字的字体文件放进 fonts/ 文件夹\n"
        "content/2026/quezi.md:6: warning: 字符“\U0010FFFE”(U+10FFFE) 没有任何字体包含，PDF 中会印成方框；"
        "请改用常用字，或把含有此字的字体文件放进 fonts/ 文件夹\n" + FONTS_LINE)


@pytest.mark.slow
def test_period_on_a_fresh_output_links_only_its_pdf(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    result = run(root, "build", "--no-search", "--period", "2026-W46", "--period", "2026-W46")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    assert sorted(p.name for p in (out / "issues").glob("*.pdf")) == ["2026-W46.pdf"]
    w46 = (out / "issues" / "2026-W46.html").read_text(encoding="utf-8")
    w47 = (out / "issues" / "2026-W47.html").read_text(encoding="utf-8")
    assert 'href="../issues/2026-W46.pdf"' in w46
    assert ".pdf" not in w47
    assert link_problems(out) == []


def test_no_font_check_without_pdf(tmp_path, run):
    body = "有一个缺字\U0010FFFD在这里。\n"
    root = write_bulletin(tmp_path / "repo", {"content/2026/quezi.md": item("缺字稿件", body=body)})
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0
    assert result.stderr == ""


# --------------------------------------------------------------------------- determinism


@pytest.mark.slow
def test_sample_builds_are_byte_identical(sample_build, tmp_path):
    """Two independent builds of the sample give the same bytes: sample_build (a process with
    PYTHONHASHSEED=1) and one made here from another copy of the repository, in another
    folder, with no .briefgen-cache of its own yet and nothing shared with the first (a process
    with PYTHONHASHSEED=2).

    Every file is compared, PDFs too. WeasyPrint names an image in a PDF after its URL, which
    briefgen gives relative to the repository (bulletin:content/…), so an issue with an image
    (the sample has one, asserted below) does not depend on the folder either."""
    assert sum(p.suffix == ".png" for p in (sample_build.root / "content").rglob("*")) == 1
    root = copy_sample(tmp_path / "elsewhere" / "repo")
    assert not (root / ".briefgen-cache").exists()
    build_ok(root, process=True, env=environ(PYTHONHASHSEED="2"))
    first, second = tree_hashes(sample_build.out), tree_hashes(root / "output")
    assert sorted(first) == sorted(second)
    assert [name for name in sorted(first) if first[name] != second[name]] == []
    assert any(name.endswith(".pdf") for name in first)
    assert any(name.startswith("pagefind/") for name in first)


@pytest.mark.slow
def test_small_builds_are_byte_identical(small_build, tmp_path):
    other = tmp_path / "elsewhere"
    build_ok(small_build.root, "--out", str(other))
    first, second = tree_hashes(small_build.out), tree_hashes(other)
    assert [name for name in sorted(set(first) | set(second)) if first.get(name) != second.get(name)] == []
