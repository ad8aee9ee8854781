"""`briefgen import` on real office files (tests/fixtures/word, written by LibreOffice): the
front matter read from the manuscript, every text arriving, Word's numbering as an office suite
displays it, tables, images and footnotes, refusals, and the table an editor reads.

Two readers that are not briefgen's check what arrives: python-docx's own paragraph and cell
texts, and LibreOffice's plain-text rendering of each file (the committed oracle, which has the
automatic numbering markers in it)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import lxml.html
import pytest
import yaml
from conftest import CONFIG, run_briefgen, write_bulletin

from briefgen.content.markdown import MarkdownRenderer

FIXTURES = Path(__file__).parent / "fixtures" / "word"
UNITS = CONFIG.replace("  - 江北区人民政府\n", "  - 江北区人民政府\n  - 市卫生健康委\n  - 区应急管理局\n")
# The fixtures were written in November 2026; a file's own dates are believed only for a year
# and a date in the text for three months, so every import here runs as of 2 December 2026.
AS_OF = dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
ENV = {**os.environ, "SOURCE_DATE_EPOCH": str(int(AS_OF.timestamp()))}
SPACE = re.compile(r"[\s\u00a0\u2000-\u200b\u3000\ufeff]+")


def squeeze(text: str) -> str:
    return SPACE.sub("", text)


def bulletin(tmp_path: Path, *names: str) -> tuple[Path, Path]:
    """A bulletin with the units of the fixtures, and an inbox holding copies of the named fixtures."""
    root = write_bulletin(tmp_path / "bulletin", config=UNITS)
    inbox = tmp_path / "来稿"
    inbox.mkdir()
    for name in names:
        shutil.copy(FIXTURES / name, inbox / name)
    return root, inbox


def imported(root: Path) -> dict[str, Path]:
    """The items written, by title."""
    found = {}
    for path in sorted((root / "content").rglob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        found[front["title"]] = path
    return found


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def shown_text(path: Path, references: bool = True) -> str:
    """The item as a reader finds it: the front matter as written (with its comments) and the
    body as briefgen renders it (with or without the numbers of footnote references), spaces
    taken out."""
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    page = lxml.html.fragment_fromstring(str(MarkdownRenderer().convert(body, "t")), create_parent="div")
    if not references:
        for mark in page.xpath("//a[contains(@class, 'footnote-ref')]"):
            mark.drop_tree()
    return squeeze(head) + squeeze(page.text_content())


def oracle_lines(name: str) -> list[str]:
    lines = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8-sig").splitlines()
    return [squeeze(line) for line in lines if squeeze(line)]


def python_docx_texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [squeeze(t) for t in texts if squeeze(t)]


def test_a_folder_of_manuscripts_becomes_items_and_the_table_says_what_became_of_each(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx", "weisheng.docx", "anjian.docx", "notword.wps")
    (inbox / "说明.txt").write_text("不是稿件", encoding="utf-8")
    result = run_briefgen(root, "import", str(inbox), "--topic", "工作动态", cwd=tmp_path, env=ENV)
    assert result.stdout.splitlines() == [
        "文件                结果",
        "来稿/anjian.docx    content/2026/2026-W48/2026-11-27-区应急管理局全面开展岁末年初安全生产大检查.md",
        "来稿/jiaoyu.docx    content/2026/2026-W48/2026-11-25-市教育局多措并举推动中小学课后服务提质扩面.md",
        "来稿/notword.wps    未导入：不是 Word、WPS、OpenDocument 或 RTF 文件（文件名是 .wps，内容不是）",
        "来稿/weisheng.docx  content/2026/2026-W48/2026-11-24-市卫生健康委扎实做好冬季流感防治工作.md",
        "共 4 个文件：导入 3 篇，未导入 1 个。",
    ]
    assert result.returncode == 1
    # check ran on what was written: the authors are not among the units' officers (none are listed)
    assert result.stderr == ""
    assert run_briefgen(root, "check", env=ENV).returncode == 0


def test_the_front_matter_comes_from_the_manuscripts_own_lines(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx", "weisheng.docx", "anjian.docx")
    assert run_briefgen(root, "import", str(inbox), "--topic", "工作动态", env=ENV).returncode == 0
    items = {title: front_matter(path) for title, path in imported(root).items()}
    found = {title: (f["unit"], f["author"], str(f["date"]), f["topic"], f["status"]) for title, f in items.items()}
    assert found == {
        "市教育局多措并举推动中小学课后服务提质扩面": ("市教育局", "王芳", "2026-11-25", "工作动态", "待审"),
        "市卫生健康委扎实做好冬季流感防治工作": ("市卫生健康委", "李娜", "2026-11-24", "工作动态", "待审"),
        "区应急管理局全面开展岁末年初安全生产大检查": ("区应急管理局", "赵强", "2026-11-27", "工作动态", "待审"),
    }
    assert all(str(f["submitted"]) == "2026-12-02" for f in items.values())
    text = imported(root)["市卫生健康委扎实做好冬季流感防治工作"].read_text(encoding="utf-8")
    # the lines read leave the body and stay, as written, in comments of the front matter
    assert "#   供稿单位：市卫生健康委\n#   联系人：李娜 电话：13900001111\n---" in text
    body = text.split("\n---\n", 1)[1]
    assert "供稿单位" not in body and "13900001111" not in body


@pytest.mark.parametrize("name", ["jiaoyu.docx", "weisheng.docx", "anjian.docx"])
def test_every_paragraph_and_cell_arrives_and_the_numbering_is_as_libreoffice_shows_it(tmp_path, name):
    root, inbox = bulletin(tmp_path, name)
    assert run_briefgen(root, "import", str(inbox / name), "--topic", "工作动态", env=ENV).returncode == 0
    [item] = imported(root).values()
    missing = [text for text in python_docx_texts(FIXTURES / name) if text not in shown_text(item, False)]
    assert missing == []
    missing = [line for line in oracle_lines(name) if line not in shown_text(item)]
    assert missing == []


def test_the_markers_and_headings_of_a_long_manuscript(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx")
    run_briefgen(root, "import", str(inbox), "--topic", "工作动态", env=ENV)
    [item] = imported(root).values()
    body = item.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    lines = [line for line in body.splitlines() if line]
    assert "## 一、总体情况" in lines and "### （一）健全工作机制" in lines
    assert "1\\.开设科技、体育、艺术等特色课程，每校平均开设 14 门。" in lines
    assert "（2）遴选 303 名非遗传承人、退休教师担任志愿辅导员，其中：" in lines
    assert "①非遗类 86 人；" in lines
    # twelve short points in a row are a list, not twelve headings; they count on past 十
    points = [line for line in lines if re.match(r"^[一二三四五六七八九十]+、", line)]
    assert points[-3:] == ["十、开展家长满意度调查", "十一、总结推广典型经验", "十二、健全长效评价机制"]
    assert "**一是强化统筹。**成立由分管局领导牵头的工作专班，每月召开一次推进会。" in lines
    assert "组织责任督学开展*随机抽查*，发现问题限期整改" in body
    assert "<u>不得以任何形式变相收费</u>" in body
    # the header, the footer and the page number are not the manuscript
    assert "市教育局信息" not in body


def test_tables_images_and_footnotes_arrive_in_the_built_page(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx")
    run_briefgen(root, "import", str(inbox), "--topic", "工作动态", "--status", "采用", env=ENV)
    [item] = imported(root).values()
    [image] = [p for p in item.parent.iterdir() if p.suffix == ".png"]
    assert image.name == f"{item.stem}-1.png"
    media = [part.blob for part in docx.Document(str(FIXTURES / "jiaoyu.docx")).part.package.parts
             if part.partname.startswith("/word/media/")]
    assert media == [image.read_bytes()]
    result = run_briefgen(root, "build", "--no-pdf", "--no-search", env=ENV)
    assert result.returncode == 0, result.stderr
    [page] = (root / "output").rglob(f"{item.stem}.html")
    tree = lxml.html.parse(str(page))
    [table] = tree.xpath("//article//table")
    assert [c.get("rowspan") for c in table.xpath(".//td[text()='城区']")] == ["2"]
    assert [c.get("colspan") for c in table.xpath(".//td[text()='合计']")] == ["2"]
    [figure] = tree.xpath("//figure")
    assert figure.xpath("string(.//figcaption)") == "图1 全市课后服务学生参与率（2022—2026年）"
    assert len(tree.xpath("//div[contains(@class, 'footnote')]//li")) == 2


def test_the_options_win_over_what_the_manuscript_says(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx")
    result = run_briefgen(root, "import", str(inbox / "jiaoyu.docx"), "--topic", "经验交流", "--unit", "市财政局",
                          "--date", "2026-11-20", "--author", "陈静", "--status", "备用", env=ENV)
    assert result.returncode == 0, result.stdout
    [item] = imported(root).values()
    f = front_matter(item)
    assert (f["unit"], f["topic"], str(f["date"]), f["author"], f["status"]) == (
        "市财政局", "经验交流", "2026-11-20", "陈静", "备用")
    assert item.parent.name == "2026-W47"


def test_a_unit_or_topic_not_in_the_settings_is_refused_with_the_nearest(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx")
    result = run_briefgen(root, "import", str(inbox / "jiaoyu.docx"), "--topic", "工作动向", env=ENV)
    assert result.returncode == 1
    assert "未导入：栏目“工作动向”不在 briefgen.yaml 的 topics 中；是不是 工作动态？请用 --topic 指定" in result.stdout
    result = run_briefgen(root, "import", str(inbox / "jiaoyu.docx"), env=ENV)
    assert "未导入：没有栏目，请用 --topic 指定，或把文件放在以栏目命名的文件夹中（要情专报、工作动态、经验交流）" in result.stdout
    result = run_briefgen(root, "import", str(inbox / "jiaoyu.docx"), "--topic", "工作动态", "--unit", "市教育厅", env=ENV)
    assert "未导入：单位“市教育厅”不在 briefgen.yaml 的 units 中；是不是 市教育局？请用 --unit 指定" in result.stdout
    assert not (root / "content").exists()


def test_the_same_manuscript_twice_is_a_duplicate(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx")
    assert run_briefgen(root, "import", str(inbox), "--topic", "工作动态", env=ENV).returncode == 0
    [item] = imported(root).values()
    before = item.read_bytes()
    result = run_briefgen(root, "import", str(inbox), "--topic", "工作动态", cwd=tmp_path, env=ENV)
    assert result.returncode == 1
    rel = item.relative_to(root).as_posix()
    assert result.stdout.splitlines()[1] == f"来稿/jiaoyu.docx  未导入：与 {rel} 标题相同（同一单位、同一期），是重复稿件"
    assert item.read_bytes() == before


def test_a_broken_docx_is_refused_and_nothing_is_written(tmp_path):
    root, inbox = bulletin(tmp_path)
    data = (FIXTURES / "jiaoyu.docx").read_bytes()
    (inbox / "坏的.docx").write_bytes(data[: len(data) // 2])
    result = run_briefgen(root, "import", str(inbox), "--topic", "工作动态", cwd=tmp_path, env=ENV)
    assert result.stdout.splitlines()[1] == "来稿/坏的.docx  未导入：文件不完整或已损坏（是 Word 或 OpenDocument 文件，但打不开）"
    assert result.returncode == 1
    assert not (root / "content").exists()


def test_without_libreoffice_the_message_names_the_package(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.doc", "jiaoyu.docx")
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_briefgen(root, "import", str(inbox), "--topic", "工作动态", cwd=tmp_path,
                          env={**ENV, "PATH": str(empty)})
    lines = result.stdout.splitlines()
    assert lines[1] == ("来稿/jiaoyu.doc   未导入：要导入 .doc、.wps、.odt、.rtf 文件，须先安装 LibreOffice："
                        "sudo apt-get install libreoffice-writer-nogui（或在 Word、WPS 中把文件另存为 .docx 后再导入）")
    assert lines[2].startswith("来稿/jiaoyu.docx  content/")
    assert result.returncode == 1


@pytest.mark.slow
def test_doc_wps_odt_and_rtf_arrive_through_libreoffice(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.wps", "anjian.odt", "weisheng.docx")
    shutil.copy(FIXTURES / "anjian.rtf", inbox / "anjian-rtf-saved-as.doc")  # a .doc that is RTF
    result = run_briefgen(root, "import", str(inbox), "--topic", "工作动态", cwd=tmp_path, env=ENV)
    lines = result.stdout.splitlines()
    assert lines[1] == "来稿/anjian-rtf-saved-as.doc  content/2026/2026-W48/2026-11-27-区应急管理局全面开展岁末年初安全生产大检查.md"
    assert lines[2] == ("来稿/anjian.odt               未导入：与 content/2026/2026-W48/2026-11-27-区应急管理局全面开展岁末年初"
                        "安全生产大检查.md 标题相同（同一单位、同一期），是重复稿件")
    assert lines[3] == "来稿/jiaoyu.wps               content/2026/2026-W48/2026-11-25-市教育局多措并举推动中小学课后服务提质扩面.md"
    items = imported(root)
    shown = shown_text(items["市教育局多措并举推动中小学课后服务提质扩面"])
    assert [line for line in oracle_lines("jiaoyu.doc") if line not in shown] == []
    assert [line for line in oracle_lines("anjian.rtf") if line not in shown_text(
        items["区应急管理局全面开展岁末年初安全生产大检查"])] == []
    other, inbox = bulletin(tmp_path / "二", "anjian.odt", "jiaoyu.doc")
    assert run_briefgen(other, "import", str(inbox), "--topic", "工作动态", env=ENV).returncode == 0
    items = imported(other)
    assert [line for line in oracle_lines("anjian.odt") if line not in shown_text(
        items["区应急管理局全面开展岁末年初安全生产大检查"])] == []
    assert [line for line in oracle_lines("jiaoyu.doc") if line not in shown_text(
        items["市教育局多措并举推动中小学课后服务提质扩面"])] == []


def test_folders_named_after_a_topic_or_a_unit_give_it(tmp_path):
    root, inbox = bulletin(tmp_path)
    (inbox / "经验交流" / "市财政局").mkdir(parents=True)
    shutil.copy(FIXTURES / "weisheng.docx", inbox / "经验交流" / "市财政局" / "来稿.docx")
    shutil.copy(FIXTURES / "jiaoyu.docx", inbox / "经验交流" / "jiaoyu.docx")
    assert run_briefgen(root, "import", str(inbox), env=ENV).returncode == 0
    found = {title: (f["topic"], f["unit"]) for title, f in
             ((title, front_matter(path)) for title, path in imported(root).items())}
    # the folder the editor sorted a file into says more than the manuscript
    assert found == {"市教育局多措并举推动中小学课后服务提质扩面": ("经验交流", "市教育局"),
                     "市卫生健康委扎实做好冬季流感防治工作": ("经验交流", "市财政局")}


def test_check_runs_on_what_was_written(tmp_path):
    config = UNITS.replace("  - 市教育局\n", "  市教育局:\n    officers: [李明]\n").replace("units:\n  - 市财政局", "units:\n  市财政局: {}")
    config = config.replace("  - 市财政局\n", "  市财政局: {}\n").replace("  - 江北区人民政府\n", "  江北区人民政府: {}\n")
    config = config.replace("  - 市卫生健康委\n", "  市卫生健康委: {}\n").replace("  - 区应急管理局\n", "  区应急管理局: {}\n")
    root = write_bulletin(tmp_path / "bulletin", config=config)
    shutil.copy(FIXTURES / "jiaoyu.docx", tmp_path / "jiaoyu.docx")
    result = run_briefgen(root, "import", str(tmp_path / "jiaoyu.docx"), "--topic", "工作动态", env=ENV)
    [item] = imported(root).values()
    rel = item.relative_to(root).as_posix()
    assert result.stderr.splitlines() == [
        f"{rel}:6: warning: 作者“王芳”不在市教育局的信息员名单中；信息员名单见 briefgen.yaml 中 units 的 officers",
        "检查已导入的稿件：0 个错误，1 个警告。",
    ]
    assert result.returncode == 0


def test_import_without_a_file_says_what_is_missing(tmp_path):
    root, _ = bulletin(tmp_path)
    result = run_briefgen(root, "import", env=ENV)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2:] == ["briefgen: 用法错误：缺少参数 文件或文件夹...。", "运行 briefgen import -h 查看帮助。"]


def test_an_image_no_browser_shows_is_kept_and_named(tmp_path):
    from PIL import Image

    root, inbox = bulletin(tmp_path)
    Image.new("RGB", (40, 20), "red").save(tmp_path / "图.tif")
    document = docx.Document()
    document.add_paragraph("市教育局召开课后服务推进会")
    document.add_paragraph("（市教育局　王芳）")
    document.add_paragraph("会议部署了下一阶段工作。")
    document.add_picture(str(tmp_path / "图.tif"))
    document.save(str(inbox / "会议.docx"))
    result = run_briefgen(root, "import", str(inbox), "--topic", "工作动态", env=ENV)
    [item] = imported(root).values()
    rel = item.relative_to(root).as_posix()
    assert result.stderr.splitlines()[0] == (
        f"{rel}: warning: 图片 {item.stem}-1.tif 是 TIFF 格式，网页和 PDF 都显示不了；"
        "请在 Word 中把这张图另存为 PNG 或 JPG，替换这个文件并改正文中的文件名")
    assert (item.parent / f"{item.stem}-1.tif").read_bytes() == (tmp_path / "图.tif").read_bytes()
    assert f"![图片]({item.stem}-1.tif)" in item.read_text(encoding="utf-8")
    # python-docx's template says it was made in 2013: a date that old is not the manuscript's
    assert front_matter(item)["date"] == dt.datetime.fromtimestamp((inbox / "会议.docx").stat().st_mtime,
                                                                   ZoneInfo("Asia/Shanghai")).date()


def test_a_dry_run_shows_the_table_and_writes_nothing(tmp_path):
    root, inbox = bulletin(tmp_path, "jiaoyu.docx", "weisheng.docx", "notword.wps")
    shutil.copy(FIXTURES / "jiaoyu.docx", inbox / "jiaoyu-again.docx")
    result = run_briefgen(root, "import", str(inbox), "--topic", "工作动态", "--dry-run", cwd=tmp_path, env=ENV)
    jiaoyu = "content/2026/2026-W48/2026-11-25-市教育局多措并举推动中小学课后服务提质扩面.md"
    assert result.stdout.splitlines() == [
        "文件                    结果",
        f"来稿/jiaoyu-again.docx  {jiaoyu}",
        f"来稿/jiaoyu.docx        未导入：与 {jiaoyu} 标题相同（同一单位、同一期），是重复稿件",
        "来稿/notword.wps        未导入：不是 Word、WPS、OpenDocument 或 RTF 文件（文件名是 .wps，内容不是）",
        "来稿/weisheng.docx      content/2026/2026-W48/2026-11-24-市卫生健康委扎实做好冬季流感防治工作.md",
        "共 4 个文件：可以导入 2 篇，不能导入 2 个。这是试运行（--dry-run），没有写入任何文件。",
    ]
    assert result.returncode == 1
    assert not (root / "content").exists()
