"""briefgen export FILE.md... --format docx: one item as a Word manuscript, to send upward."""

from __future__ import annotations

import docx
import pytest
from conftest import SMALL_PNG, item, pdf_info, pdf_text, write_bulletin
from wordfiles import NS, attributes, flat, members, office_pdfs, part

ITEM = "content/2026/w46/jiaoyan.md"
BODY = "全市开展教研活动[^1]。\n\n![活动现场](现场.png)\n\n[^1]: 共有三十所学校参加。\n"


def bulletin(root):
    return write_bulletin(root, {
        ITEM: item("市教育局开展教研活动", author="王芳", body=BODY),
        "content/2026/w46/现场.png": SMALL_PNG,
        "content/2026/w46/nobody.md": item("无作者的稿件", unit="市财政局"),
        "content/2026/w46/wrong.md": item("单位写错的稿件", unit="市教育厅"),
        "README.md": "# 说明\n",
    })


def test_an_item_is_exported_into_the_current_folder(tmp_path, run):
    root = bulletin(tmp_path / "repo")
    result = run(root, "export", ITEM)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "已导出 jiaoyan.docx\n"
    document = docx.Document(str(root / "jiaoyan.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["市教育局开展教研活动", "（市教育局）", "全市开展教研活动。"]
    assert texts[-1] == "（报送单位：市教育局\u3000撰稿：王芳）"
    assert "活动现场" in texts  # the picture's caption, under the picture
    assert [name for name in members(root / "jiaoyan.docx") if name.startswith("word/media/")] != []
    notes = part(root / "jiaoyan.docx", "word/footnotes.xml")
    assert "共有三十所学校参加。" in flat("".join(t.text or "" for t in notes.iter(f"{{{NS['w']}}}t")))
    core = document.core_properties
    assert (core.title, core.author, core.created.isoformat()) == ("市教育局开展教研活动", "王芳", "2026-11-10T00:00:00+00:00")


def test_out_names_the_folder_and_each_file_gets_a_line(tmp_path, run):
    root = bulletin(tmp_path / "repo")
    result = run(root, "export", ITEM, "content/2026/w46/nobody.md", "--format", "docx", "--out", str(tmp_path / "上报"))

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"已导出 {tmp_path / '上报' / 'jiaoyan.docx'}\n已导出 {tmp_path / '上报' / 'nobody.docx'}\n"
    last = docx.Document(str(tmp_path / "上报" / "nobody.docx")).paragraphs[-1]
    assert last.text == "（报送单位：市财政局）"  # no author written
    page = part(tmp_path / "上报" / "nobody.docx", "word/document.xml").find("w:body/w:sectPr/w:pgSz", NS)
    assert attributes(page) == {"w": "11906", "h": "16838"}


def test_a_file_that_is_not_an_item_is_refused_by_name(tmp_path, run):
    root = bulletin(tmp_path / "repo")
    result = run(root, "export", "README.md", ITEM)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("README.md: error: 不是稿件：稿件是简报仓库 content/ 下的 .md 文件；"
                             "请写出 content/ 下某篇稿件的路径\n"
                             "发现 1 个错误，未导出任何文件。\n")
    assert not (root / "jiaoyan.docx").exists()  # the good file is not exported either


def test_an_item_with_errors_is_refused_with_them(tmp_path, run):
    root = bulletin(tmp_path / "repo")
    result = run(root, "export", "content/2026/w46/wrong.md", "content/2026/missing.md")

    assert result.returncode == 1
    assert result.stderr == ("content/2026/missing.md: error: 文件不存在；请写出稿件文件的路径，如 content/2026/2026-W48/稿件.md\n"
                             "content/2026/w46/wrong.md:3: error: 未知的单位 '市教育厅'；是不是 '市教育局'？\n"
                             "发现 2 个错误，未导出任何文件。\n")
    assert list(root.glob("*.docx")) == []


def test_a_file_briefgen_did_not_write_is_not_replaced(tmp_path, run):
    root = bulletin(tmp_path / "repo")
    (root / "jiaoyan.docx").write_bytes(b"the office's own manuscript")
    result = run(root, "export", ITEM)

    assert result.returncode == 1
    assert result.stderr == ("briefgen: jiaoyan.docx 已存在，而且不是 briefgen 写的导出文件；为免覆盖，未导出任何文件。"
                             "请换一个文件名，或先把它移走。\n")
    assert (root / "jiaoyan.docx").read_bytes() == b"the office's own manuscript"

    (root / "jiaoyan.docx").unlink()
    assert run(root, "export", ITEM).returncode == 0
    assert run(root, "export", ITEM).returncode == 0  # its own file it replaces


def test_only_docx_is_a_format_and_a_file_must_be_named(tmp_path, run):
    root = bulletin(tmp_path / "repo")
    wrong = run(root, "export", ITEM, "--format", "pdf")
    assert wrong.returncode == 2
    assert "选项 --format 的值无效" in wrong.stderr
    none = run(root, "export")
    assert none.returncode == 2
    assert "请写出要导出的稿件文件" in none.stderr


@pytest.mark.slow
def test_libreoffice_opens_the_manuscript(tmp_path, run):
    root = bulletin(tmp_path / "repo")
    assert run(root, "export", ITEM, "--out", str(tmp_path / "out")).returncode == 0

    pdf = office_pdfs([tmp_path / "out" / "jiaoyan.docx"], tmp_path / "pdf")[tmp_path / "out" / "jiaoyan.docx"]

    assert pdf_info(pdf)["Page size"] == "595.304 x 841.89 pts (A4)"
    text = flat(pdf_text(pdf, layout=True))
    for expected in ("市教育局开展教研活动", "（市教育局）", "全市开展教研活动", "活动现场", "共有三十所学校参加。",
                     "（报送单位：市教育局撰稿：王芳）"):
        assert expected in text, expected
