"""Hostile and huge content: every case is an error at its file and line, from `check` and from
`build` alike, with a non-zero exit that is not 70 (an internal error), in seconds, and the
output of the last good build left byte for byte as it was."""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CONFIG, TODAY, build_ok, item, run_briefgen, run_briefgen_process, tree_hashes, write_bulletin

GOOD = {"content/2026/good.md": item("市财政局加强预算执行管理", "市财政局", "2026-11-10", body="按月通报支出进度。\n")}
BAD = "content/2026/bad.md"
NEST_HINT = "请减少嵌套的层次；稿件的层次一般不超过“一、（一）1.（1）”四层"
RUN_HINT = "请删去多余的符号；加粗只需在文字前后各写两个 *"
LINK_HINT = "请删去这个链接，或换成稿件本身"


def body(text: str) -> dict[str, str | bytes]:
    """A bad item whose body is text: its first line is line 8 of the file, the body line 7."""
    return {BAD: item("江北区召开安全生产工作会议", "江北区人民政府", "2026-11-12", body=text + "\n")}


def dated(day: str) -> dict[str, str | bytes]:
    return {BAD: item("江北区召开安全生产工作会议", "江北区人民政府", day)}


def link(name: str, target: str) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        os.symlink(target, root / "content" / name)
    return make


def gbk_name(root: Path) -> None:
    name = os.fsencode(root / "content/2026") + b"/" + "会议".encode("gbk") + b".md"
    with open(name, "w", encoding="utf-8") as file:
        file.write(item("江北区召开安全生产工作会议", "江北区人民政府", "2026-11-12"))


def config(old: str, new: str) -> str:
    assert old in CONFIG
    return CONFIG.replace(old, new)


# (id, the files or a function making them, or a briefgen.yaml, the errors check and build report)
CASES: list[tuple[str, dict[str, str | bytes] | Callable[[Path], None] | str, list[str]]] = [
    ("asterisks", body("*" * 2000 + "中文" + "*" * 2000),
     [f"{BAD}:8: error: 这一行有 2,000 个连续的“*”，超过了 50 个的上限；{RUN_HINT}"]),
    ("lists-by-indent", body("\n".join("  " * i + "- x" for i in range(300))),
     [f"{BAD}:28: error: 这一行的列表嵌套了 21 层，超过了 20 层的上限；{NEST_HINT}"]),
    ("lists-on-a-line", body("- " * 300 + "x"),
     [f"{BAD}:8: error: 这一行的列表嵌套了 300 层，超过了 20 层的上限；{NEST_HINT}"]),
    ("blockquotes", body(">" * 150 + " 中文"),
     [f"{BAD}:8: error: 这一行的引用（>）嵌套了 150 层，超过了 20 层的上限；{NEST_HINT}"]),
    ("divs", body("<div>" * 200 + "中文" + "</div>" * 200),
     [f"{BAD}:8: error: 这一行的 HTML 标记嵌套了 200 层，超过了 20 层的上限；{NEST_HINT}"]),
    ("brackets", body("[" * 8000 + "中文" + "]" * 8000),
     [f"{BAD}:8: error: 这一行有 8,000 个连续的“[”，超过了 50 个的上限；"
      "请删去多余的方括号；普通的括号请用全角的“【】”或“［］”"]),
    ("unmatched-brackets", body("\n\n".join(["[中" * 900] * 10)),
     [f"{BAD}:8: error: 从这一行起的一段有 900 个“[”，没有配对的或层层嵌套的太多，处理起来太慢；"
      "请删去多余的“[”，让“[”和“]”成对；普通的括号请用全角的“【】”或“［］”"]),
    ("one-long-paragraph", body("\n".join(["中<b>文</b>"] * 20000)),
     [f"{BAD}:8: error: 从这一行起的一段（共 20,000 行）有 180,000 字，超过了一段 20,000 字的上限；"
      "请在段落之间空一行，把它分成几段（从 PDF 复制的文字常常没有空行）"]),
    ("format-marks", body("中*文*" * 600),
     [f"{BAD}:8: error: 从这一行起的一段有 1,200 个格式符号（* _ [ < & \\ `），超过了 1,000 个的上限；"
      "请删去多余的符号，或在段落之间空一行，把它分成几段"]),
    ("5-megabytes", body("\n\n".join(["各地区要加强组织领导，压实责任。" * 20] * 5500)),
     [f"{BAD}:7: error: 正文有 5.0 MB，超过了 1 MB 的上限；请只保留要编入简报的内容；很长的报告可以作为附件另行报送"]),
    ("date-9999", dated("9999-12-31"),
     [f"{BAD}:4: error: 日期 9999-12-31 比今天（{TODAY.isoformat()}）晚 5 年以上；请检查年份"]),
    ("date-0001", dated("0001-01-01"),
     [f"{BAD}:4: error: 日期 '0001-01-01' 早于 2000-01-01；请检查年份，如是否把 2026 写成了 0026"]),
    ("gbk-name", gbk_name,
     ["content/2026/\\xbb\\xe1\\xd2\\xe9.md:1: error: 文件名或文件夹名不是 UTF-8 编码（多半是 GBK 编码的"
      "“content/2026/会议.md”），常见于从 Windows 压缩包解压的文件；请给文件或文件夹改名（重新输入名称即可）"]),
    ("backslash-name", {"content/2026/x\\g<0>.md": item("江北区召开安全生产工作会议", "江北区人民政府", "2026-11-12",
                                                      body="会议部署工作[^1]。\n\n[^1]: 注释。\n")},
     ["content/2026/x\\g<0>.md:1: error: 文件名中有“<”“>”“\\”，在网址或文件路径中另有含义；"
      "请给文件改名，只用汉字、字母、数字、“-”和“_”"]),
    ("link-to-itself", link("2026/self.md", "self.md"),
     [f"content/2026/self.md:1: error: 稿件文件是指向自身的链接（循环链接）；{LINK_HINT}"]),
    ("link-to-nothing", link("2026/gone.md", "nowhere.md"),
     [f"content/2026/gone.md:1: error: 稿件文件是链接，但它指向的文件不存在；{LINK_HINT}"]),
    ("folder-link-to-usr", link("usr", "/usr"),
     ["content/usr: error: 文件夹是指向简报仓库以外的链接，其中的内容没有编入简报；请把稿件本身放进 content/，不要链接到别处"]),
    ("folder-link-to-proc", link("2026/proc", "/proc"),
     ["content/2026/proc: error: 文件夹是指向简报仓库以外的链接，其中的内容没有编入简报；"
      "请把稿件本身放进 content/，不要链接到别处"]),
    ("future-days", config("future_days: 400", "future_days: 1000000000"),
     ["briefgen.yaml:22: error: 'future_days' 最大为 1,826，而不是 1,000,000,000；"
      "即 5 年：比今天晚 5 年以上的日期总是作为错误报告"]),
    ("5001-digits", config("copies: 30", "copies: " + "1" * 5001),
     ["briefgen.yaml:17: error: 数字有 5,001 位，太长了；请检查这一项的值；如果它是文字，请加引号"]),
    ("numbering", config("first_total: 105", "first_total: 10000000"),
     ["briefgen.yaml:19: error: 'numbering' 最大为 1,000,000，而不是 10,000,000；请检查是否多写了几位"]),
    ("scoring", CONFIG + "scoring:\n  adopted: .inf\n",
     ["briefgen.yaml:23: error: 分值应是 0 到 10,000 之间的数，而不是 'inf'"]),
]


def errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": error: " in line]


@pytest.mark.parametrize(("files", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_check_and_build_report_it_at_its_line(tmp_path, files, expected):
    root = write_bulletin(tmp_path / "repo", GOOD)
    build_ok(root, "--no-pdf", "--no-search")
    before = tree_hashes(root / "output")
    if isinstance(files, str):
        (root / "briefgen.yaml").write_text(files, encoding="utf-8")
    elif callable(files):
        files(root)
    else:
        write_bulletin(root, files)

    started = time.perf_counter()
    checked = run_briefgen(root, "check")
    built = run_briefgen(root, "build", "--no-pdf", "--no-search")

    assert time.perf_counter() - started < 10
    assert (checked.returncode, errors(checked.stdout)) == (1, expected), checked.stderr
    assert (built.returncode, errors(built.stderr)) == (1, expected), built.stdout
    assert tree_hashes(root / "output") == before


@pytest.mark.slow
@pytest.mark.parametrize("text", [">" * 150 + " 中文", "<div>" * 200 + "中文" + "</div>" * 200],
                         ids=["blockquotes", "divs"])
def test_build_with_pdf_and_publish_in_a_real_process(tmp_path, text):
    """What passed check before and then crashed WeasyPrint in build and publish."""
    root = write_bulletin(tmp_path / "repo", GOOD)
    build_ok(root, "--no-search", process=True)
    before = tree_hashes(root / "output")
    write_bulletin(root, body(text))

    built = run_briefgen_process(root, "build", "--no-search")
    published = run_briefgen_process(root, "publish", "2026-W46")

    line = [line for case in CASES if case[1] == body(text) for line in case[2]]
    assert (built.returncode, errors(built.stderr)) == (1, line)
    assert (published.returncode, errors(published.stderr)) == (1, line)
    assert tree_hashes(root / "output") == before
    assert not (root / "published.yaml").exists() and not (root / "archive").exists()


def realistic_body(paragraphs: int = 180) -> str:
    """About 300 KB (at 180 paragraphs): a pasted report of ordinary paragraphs with some bold and
    links, a list nested six levels deep, a 50-row table and a footnote."""
    paragraph = ("各地区要加强**组织领导**，压实工作责任，确保各项任务落到实处，"
                 "详见[市政府网站](https://www.example.gov.cn/a_b)。") * 12
    nested = "\n".join("  " * level + f"- 第{level + 1}层" for level in range(6))
    table = "| 单位 | 报送 | 采用 |\n|---|---:|---:|\n" + "".join(f"| 单位{n} | {n} | {n // 2} |\n" for n in range(50))
    parts = [nested, table, "注释在此[^1]。", *([paragraph] * paragraphs), "[^1]: 注释内容。"]
    return "\n\n".join(parts) + "\n"


def test_a_large_realistic_item_is_within_every_limit(tmp_path):
    text = realistic_body()
    assert 250_000 < len(text.encode("utf-8")) < 350_000
    root = write_bulletin(tmp_path / "repo", {**GOOD, **body(text)})

    checked = run_briefgen(root, "check")

    assert checked.returncode == 0, checked.stdout


@pytest.mark.slow
def test_a_long_realistic_item_builds_with_its_pdf(tmp_path):
    """The 300 KB item is within every limit (above); a sixth of it, with the same nested list,
    table and footnote, is laid out here, to keep the suite fast."""
    root = write_bulletin(tmp_path / "repo", {**GOOD, **body(realistic_body(paragraphs=30))})

    build_ok(root, "--no-search")

    assert (root / "output/issues/2026-W46.pdf").stat().st_size > 50_000


def test_footnote_anchors_keep_a_backslash_in_the_prefix():
    from briefgen.content.markdown import MarkdownRenderer

    html = MarkdownRenderer().convert("正文[^1]。\n\n[^1]: 注释。\n", "x\\g<0>")

    assert 'href="#fn-x\\g&lt;0&gt;-1"' in html or 'href="#fn-x\\g<0>-1"' in html, html
    assert "fn:1" not in html and "fnref:" not in html


def test_a_linked_folder_outside_is_not_walked(tmp_path, monkeypatch):
    """/usr holds tens of thousands of files: none of them is even listed."""
    from briefgen.storage import walk

    root = write_bulletin(tmp_path / "repo", GOOD)
    os.symlink("/usr", root / "content/usr")
    os.symlink("2026", root / "content/again")  # inside the repository: followed, once
    listed: list[str] = []
    scandir = os.scandir
    monkeypatch.setattr(walk.os, "scandir", lambda path: listed.append(path) or scandir(path))

    outside: list[str] = []
    found = [entry.path for entry, _ in walk.walk_files(str(root / "content"), [], str(root.resolve()), outside)]

    assert outside == [str(root / "content/usr")]
    assert not any(path.startswith("/usr") or "/content/usr" in path for path in listed)
    assert found == [str(root / "content/2026/good.md")] or found == [str(root / "content/again/good.md")]


# --------------------------------------------------------------------------- the second defence
# What the limits would stop is let through here, to see that the converter's and the layout's
# own failures are still this item's errors.


def test_a_recursion_error_in_markdown_is_the_items_error(tmp_path, monkeypatch):
    monkeypatch.setattr("briefgen.content.limits.MAX_NESTING", 10_000)
    root = write_bulletin(tmp_path / "repo", {**GOOD, **body("\n".join("    " * i + "- x" for i in range(300)))})

    checked = run_briefgen(root, "check")

    assert (checked.returncode, errors(checked.stdout)) == (1, [
        f"{BAD}:7: error: 正文的结构太复杂（嵌套太深），无法转换；请减少列表、引用和 HTML 标记的嵌套层次"])


def test_html_nested_too_deep_to_lay_out_is_the_items_error(tmp_path, monkeypatch):
    monkeypatch.setattr("briefgen.content.limits.MAX_NESTING", 10_000)
    root = write_bulletin(tmp_path / "repo", {**GOOD, **body(">" * 150 + " 中文")})

    checked = run_briefgen(root, "check")

    assert (checked.returncode, errors(checked.stdout)) == (1, [
        f"{BAD}:7: error: 正文转换后嵌套了 151 层，超过了 80 层的上限，无法排版；请减少列表、引用和 HTML 标记的嵌套层次"])


def test_a_conversion_past_its_time_is_the_items_error_and_not_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("briefgen.content.limits.MAX_BRACKET_SCAN", 10**12)
    monkeypatch.setattr("briefgen.content.limits.MAX_MARKS", 10**12)
    monkeypatch.setattr("briefgen.content.loader.CONVERT_SECONDS", 0.2)
    root = write_bulletin(tmp_path / "repo", {**GOOD, **body("[中" * 2500)})  # about 1.5 s

    started = time.perf_counter()
    checked = run_briefgen(root, "check")
    built = run_briefgen(root, "build", "--no-pdf", "--no-search")

    assert time.perf_counter() - started < 3
    message = f"{BAD}:7: error: 正文转换了 0.2 秒还没有完成；请删去大量重复的符号，或把很长的正文分成几篇稿件"
    assert (checked.returncode, errors(checked.stdout)) == (1, [message])
    assert (built.returncode, errors(built.stderr)) == (1, [message])
    # How long a conversion takes depends on the machine: the item cache does not keep it.
    monkeypatch.setattr("briefgen.content.loader.CONVERT_SECONDS", 30)
    build_ok(root, "--no-pdf", "--no-search")


@pytest.mark.slow
def test_a_layout_past_the_recursion_limit_names_the_item(tmp_path):
    """Two issues on two worker processes: the error comes back from the worker whole."""
    from briefgen.config.settings import load_config
    from briefgen.render.pdf import LayoutFailed, render_documents
    from briefgen.render.printdoc import PrintDocument

    config = load_config(write_bulletin(tmp_path / "repo", GOOD))
    documents = []
    for source, inner in (("content/a.md", "<p>正常</p>"), ("content/b.md", "<div>" * 300 + "中" + "</div>" * 300)):
        document = PrintDocument(f"<html><body><p>报头</p>{inner}</body></html>")
        document.parts = ((source, 7, inner),)
        documents.append(document)

    with pytest.raises(LayoutFailed) as failed:
        list(render_documents(config, "", documents, jobs=2))

    assert [str(d) for d in failed.value.diagnostics] == [
        "content/b.md:7: error: PDF 排版时发现这篇稿件的正文嵌套太深，无法排版；请减少列表、引用和 HTML 标记的嵌套层次"]
    assert pickle.loads(pickle.dumps(failed.value)).diagnostics == failed.value.diagnostics


@pytest.mark.slow
def test_build_and_publish_name_the_item_whose_layout_fails(tmp_path, monkeypatch):
    """Through commands/products and publish, in this process: the item, not an internal error."""
    monkeypatch.setattr("briefgen.content.limits.MAX_NESTING", 10_000)
    monkeypatch.setattr("briefgen.content.loader.MAX_HTML_DEPTH", 10_000)
    root = write_bulletin(tmp_path / "repo", GOOD)
    build_ok(root, "--no-search")
    before = tree_hashes(root / "output")
    write_bulletin(root, body(">" * 150 + " 中文"))

    built = run_briefgen(root, "build", "--no-search")
    published = run_briefgen(root, "publish", "2026-W46")

    message = f"{BAD}:7: error: PDF 排版时发现这篇稿件的正文嵌套太深，无法排版；请减少列表、引用和 HTML 标记的嵌套层次"
    outcome = "发现 1 个错误，PDF 未能排版，没有写入任何文件；output/、archive/ 和 published.yaml 都保持原样。"
    assert (built.returncode, built.stderr.splitlines()[-2:]) == (1, [message, outcome]), built.stderr
    assert (published.returncode, published.stderr.splitlines()) == (1, [message, outcome]), published.stderr
    assert tree_hashes(root / "output") == before
    assert not (root / "published.yaml").exists() and not (root / "archive").exists()
