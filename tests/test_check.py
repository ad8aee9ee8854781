"""`briefgen check` and the validation of every input file, run through the real CLI.

Each test writes a small bulletin into tmp_path, runs `python -m briefgen check` as a
subprocess and compares stdout (one line per problem), stderr (the summary line) and
the exit code exactly. Line numbers are lines of the item file as the author sees it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from conftest import (
    CONFIG,
    PROJECT,
    SMALL_ITEMS,
    SMALL_PNG,
    TODAY,
    build_ok,
    item,
    leftovers,
    run_briefgen_process,
    tree_hashes,
    write_bulletin,
)

W46 = "content/2026/2026-W46"
P = f"{W46}/a.md"  # the item most tests write

FIX_HINT = "运行 briefgen check --fix-encoding 自动转换（会先备份原文件），或在编辑器中另存为 UTF-8 编码"
MISSING_HINT = "路径相对于本稿件所在的文件夹；请检查文件名，或把文件放到稿件旁边"
DUPLICATE_HINT = "如果是重复提交，请删去其中一篇"
ALIAS_ERROR = "不支持 YAML 锚点和别名（& 和 *）；请把内容直接写出来；如果 & 或 * 是文字的一部分，请给整个值加引号"
TAG_ERROR = "不支持 YAML 标签（以 ! 开头）；如果 ! 是文字的一部分，请给整个值加引号"
DASH_HINT = "请在英文输入状态下输入 ---（中文输入法会打出破折号或全角减号）"
SECRET_HINT = "涉密信息不得录入本系统；如属误写，请删去"


def summary(checked: int, errors: int, warnings: int) -> str:
    return f"检查了 {checked} 篇稿件：{errors} 个错误，{warnings} 个警告。\n"


def check(run, root: Path, *args: str, timeout: float | None = None):
    """Run `briefgen check ARGS`; return (exit code, stdout lines, stderr). In-process, but with
    a timeout as a subprocess, which can be stopped when it runs over."""
    if timeout is None:
        result = run(root, "check", *args)
    else:
        result = run_briefgen_process(root, "check", *args, timeout=timeout)
    return result.returncode, result.stdout.splitlines(), result.stderr


def one_item(tmp_path: Path, text: str | bytes, rel: str = P, config: str | None = None,
             extra: dict | None = None) -> Path:
    """A bulletin with one item file (and any extra files)."""
    return write_bulletin(tmp_path / "repo", {rel: text, **(extra or {})}, config)


def all_paths(folder: Path) -> list[str]:
    """Every file and folder under folder (tree_hashes sees files only)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


# --------------------------------------------------------------------------- 1. a clean bulletin


def test_clean_bulletin_passes_and_writes_nothing(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    before, paths = tree_hashes(root), all_paths(root)
    result = run(root, "check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", summary(10, 0, 0))
    assert not (root / "output").exists()
    assert not (root / ".briefgen-backup").exists()
    assert tree_hashes(root) == before
    assert all_paths(root) == paths


def test_clean_bulletin_as_json_is_an_empty_list(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    result = run(root, "check", "--format", "json", "--strict")
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")
    assert not (root / "output").exists()


def test_check_finds_the_repository_from_a_subfolder(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {P: item(unit="NO")})
    result = run(None, "check", cwd=root / "content" / "2026")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{P}:3: error: 'NO' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'NO'"]
    assert result.stderr == summary(1, 1, 0)


# --------------------------------------------------------------------------- 2. every problem at once

def several_bad_files(tmp_path: Path) -> Path:
    """Problems found by different stages, so that only sorting puts them in path/line order."""
    return write_bulletin(tmp_path / "repo", {
        # valid: the earlier of two items with the same title
        f"{W46}/a.md": item("市教育局开展教研活动", date="2026-11-10", body="甲稿正文。\n"),
        # the later duplicate (found after all files are read) and a missing image (found last)
        f"{W46}/b.md": item("市教育局开展教研活动", date="2026-11-12",
                           body="乙稿正文。\n\n第二段。\n\n![](missing.png)\n"),
        # a classified mark at line 7 is found before 'NO' at line 3 and the weight at line 6
        f"{W46}/c.md": item("丙稿", unit="NO", weight="高", summary="秘密事项"),
        # an issue settings file for an issue with no items: a warning
        "content/issues/2026-W50.yaml": "signer: 张签发\n",
        # a file that is not UTF-8: found while reading, before anything else
        "content/2026/2026-W47/d.md": item("丁稿", date="2026-11-17").encode("gbk"),
    })


SEVERAL_LINES = [
    f"{W46}/b.md:2: error: 与 {W46}/a.md 是同一单位同一期的同名稿件；{DUPLICATE_HINT}",
    f"{W46}/b.md:12: error: 引用的文件 missing.png 不存在；{MISSING_HINT}",
    f"{W46}/c.md:3: error: 'NO' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'NO'",
    f"{W46}/c.md:6: error: 权重应是整数，而不是 '高'",
    f"{W46}/c.md:7: error: 信息头中有密级标志“秘密”；{SECRET_HINT}",
    f"content/2026/2026-W47/d.md:1: error: 文件是 GBK 编码，不是 UTF-8；{FIX_HINT}",
    "content/issues/2026-W50.yaml:1: warning: 2026-W50 没有已采用的稿件，这期的设置不会用到",
]


def test_one_run_reports_every_problem_sorted_by_path_then_line(tmp_path, run):
    root = several_bad_files(tmp_path)
    assert check(run, root) == (1, SEVERAL_LINES, summary(4, 6, 1))


def test_json_format_lists_every_problem(tmp_path, run):
    root = several_bad_files(tmp_path)
    result = run(root, "check", "--format", "json")
    assert result.returncode == 1
    assert result.stderr == ""
    assert json.loads(result.stdout) == [
        {"path": f"{W46}/b.md", "line": 2, "severity": "error",
         "message": f"与 {W46}/a.md 是同一单位同一期的同名稿件", "hint": DUPLICATE_HINT},
        {"path": f"{W46}/b.md", "line": 12, "severity": "error",
         "message": "引用的文件 missing.png 不存在", "hint": MISSING_HINT},
        {"path": f"{W46}/c.md", "line": 3, "severity": "error",
         "message": "'NO' 会被 YAML 读成“是/否”", "hint": "如果它是文字，请加引号：'NO'"},
        {"path": f"{W46}/c.md", "line": 6, "severity": "error", "message": "权重应是整数，而不是 '高'", "hint": ""},
        {"path": f"{W46}/c.md", "line": 7, "severity": "error",
         "message": "信息头中有密级标志“秘密”", "hint": SECRET_HINT},
        {"path": "content/2026/2026-W47/d.md", "line": 1, "severity": "error",
         "message": "文件是 GBK 编码，不是 UTF-8", "hint": FIX_HINT},
        {"path": "content/issues/2026-W50.yaml", "line": 1, "severity": "warning",
         "message": "2026-W50 没有已采用的稿件，这期的设置不会用到", "hint": ""},
    ]


WARNING_ONLY = {
    "unused-settings": (
        {"content/issues/2026-W50.yaml": "signer: 张签发\n"},
        {"path": "content/issues/2026-W50.yaml", "line": 1, "severity": "warning",
         "message": "2026-W50 没有已采用的稿件，这期的设置不会用到", "hint": ""},
    ),
    "remote-image": (
        {P: item(body="第一段。\n\n![示意图](http://example.com/a.png)\n")},
        {"path": P, "line": 10, "severity": "warning",
         "message": "不载入网络图片 http://example.com/a.png，只显示其说明文字", "hint": ""},
    ),
}


@pytest.mark.parametrize("case", sorted(WARNING_ONLY))
def test_strict_fails_a_run_with_only_warnings(tmp_path, run, case):
    files, problem = WARNING_ONLY[case]
    root = write_bulletin(tmp_path / "repo", {P: item(), **files})
    line = f"{problem['path']}:{problem['line']}: warning: {problem['message']}"
    assert check(run, root) == (0, [line], summary(1, 0, 1))
    assert check(run, root, "--strict") == (1, [line], summary(1, 0, 1))
    for args, code in ((["--format", "json"], 0), (["--format", "json", "--strict"], 1)):
        result = run(root, "check", *args)
        assert (result.returncode, json.loads(result.stdout), result.stderr) == (code, [problem], "")


# --------------------------------------------------------------------------- 3. front matter

def fm(*lines: str, body: str = "正文。\n") -> str:
    """An item whose front matter is exactly these lines (file lines 2, 3, …)."""
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n\n" + body


def swap(old: str, new: str, **fields: object) -> str:
    """The default item with one line of it rewritten."""
    text = item(**fields)
    assert old in text
    return text.replace(old, new, 1)


OPENING_HINT = "文件第一行应是 ---，随后写 title、unit、date、topic 等，再以 --- 结束"
FRONT_MATTER = {
    "missing-opening": ("title: 标题\nunit: 市教育局\n\n正文。\n",
                        [f"1: error: 缺少开头的 YAML 信息头；{OPENING_HINT}"]),
    "missing-opening-after-blank-lines": ("\n\ntitle: 标题\n\n正文。\n",
                                          [f"3: error: 缺少开头的 YAML 信息头；{OPENING_HINT}"]),
    "unterminated": ("---\ntitle: 标题\nunit: 市教育局\n\n正文。\n",
                     ["1: error: 信息头没有结束；请在信息头最后单独写一行 ---"]),
    "unterminated-after-blank-line": ("\n---\ntitle: 标题\n",
                                      ["2: error: 信息头没有结束；请在信息头最后单独写一行 ---"]),
    "empty-file": ("", ["1: error: 文件是空的"]),
    "a-list": (fm("- 标题", "- 市教育局"), ["2: error: 信息头应是“键: 值”形式的若干行"]),
    "nothing-between-the-fences": (fm(), ["2: error: 信息头应是“键: 值”形式的若干行"]),
    "duplicate-key": (swap("topic: 工作动态", "topic: 工作动态\ntitle: 又一个标题"),
                      ["6: error: 键 'title' 出现了不止一次；请删去多余的一行"]),
    "duplicate-through-chinese-alias": (swap("topic: 工作动态", "topic: 工作动态\n标题: 又一个标题"),
                                        ["6: error: 字段 '标题' 与 'title' 重复"]),
    "unknown-key-did-you-mean": (swap("title:", "titel:"), [
        "2: error: 未知的字段 'titel'；是不是 'title'？",
        "2: error: 缺少必填字段 'title'；请在信息头中写 title: …",
    ]),
    "unknown-key": (item(source="新华社"), ["6: error: 未知的字段 'source'"]),
    "title-is-a-list": (item(title="[a, b]"), ["2: error: 标题应是一段文字，而不是 '['a', 'b']'"]),
    "weight-is-text": (item(weight="高"), ["6: error: 权重应是整数，而不是 '高'"]),
    "tags-is-a-mapping": (item(tags="{a: 1}"), ["6: error: 标签应是文字的列表；如 tags: [课后服务, 教育]"]),
    "title-is-a-number": (item(title="2026"), ["2: error: 标题应是文字，'2026' 会被读成数字；请加引号：title: '2026'"]),
    "author-is-a-number": (item(author="12345"), ["6: error: 作者应是文字，'12345' 会被读成数字；请加引号：author: '12345'"]),
    # The hint must quote what the author wrote: '3.1' is not the title "3.10".
    "title-is-a-decimal": (item(title="3.10"), ["2: error: 标题应是文字，'3.10' 会被读成数字；请加引号：title: '3.10'"]),
    "unit-NO": (item(unit="NO"), ["3: error: 'NO' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'NO'"]),
    "author-octal": (item(author="0755"), ["6: error: '0755' 会被 YAML 读成另一个数；请加引号：'0755'"]),
    "summary-sexagesimal": (item(summary="1:20"), ["6: error: '1:20' 会被 YAML 读成另一个数；请加引号：'1:20'"]),
    "title-cut-at-hash": (item(title="标题 #1"), [
        "2: error: “#1”被 YAML 当成注释删掉了，这一项的值只剩“标题”；如果 # 是内容的一部分，请给整个值加引号"]),
    "summary-yes": (item(summary="yes"), ["6: error: 'yes' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'yes'"]),
    "author-on": (item(author="on"), ["6: error: 'on' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'on'"]),
    "note-Off": (item(note="Off"), ["6: error: 'Off' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'Off'"]),
    "impossible-date": (item(date="2026-02-30"), ["4: error: 日期 '2026-02-30' 不存在；请检查月份和日"]),
    "badly-written-date": (item(date="2026/11/10"), ["4: error: 日期 '2026/11/10' 无效；应写成 2026-11-27 这样的格式"]),
    "anchor-and-alias": (item(summary="&x 摘要", note="*x"), [f"6: error: {ALIAS_ERROR}"]),
    "alias-alone": (item(note="*x"), [f"6: error: {ALIAS_ERROR}"]),
    "local-tag": (item(summary="!!str 2026"), [f"6: error: {TAG_ERROR}"]),
}


@pytest.mark.parametrize("case", list(FRONT_MATTER))
def test_front_matter_problem(tmp_path, run, case):
    text, expected = FRONT_MATTER[case]
    root = one_item(tmp_path, text)
    lines = [f"{P}:{line}" for line in expected]
    assert check(run, root) == (1, lines, summary(1, len(lines), 0))


def test_yaml_syntax_error_is_reported_at_the_line_of_the_item_file(tmp_path, run):
    # topic is YAML line 4 of the front matter but line 5 of the file
    root = one_item(tmp_path, swap("topic: 工作动态", "topic: 工作动态: 要情"))
    assert check(run, root) == (
        1, [f"{P}:5: error: YAML 格式错误（mapping values are not allowed in this context）"], summary(1, 1, 0))


def test_yaml_syntax_error_after_leading_blank_lines_counts_them(tmp_path, run):
    root = one_item(tmp_path, "\n\n" + swap("topic: 工作动态", "topic: 工作动态: 要情"))
    assert check(run, root) == (
        1, [f"{P}:7: error: YAML 格式错误（mapping values are not allowed in this context）"], summary(1, 1, 0))


def test_alias_bomb_is_refused_quickly(tmp_path, run):
    lines = ['a: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    root = one_item(tmp_path, fm(*lines))  # 9**9 strings if expanded
    assert check(run, root, timeout=30) == (1, [f"{P}:2: error: {ALIAS_ERROR}"], summary(1, 1, 0))


@pytest.mark.parametrize("command", ["echo hi", "touch pwned"])
def test_python_tags_are_refused_and_never_run(tmp_path, run, command):
    root = one_item(tmp_path, item(summary=f'!!python/object/apply:os.system ["{command}"]'))
    assert check(run, root) == (1, [f"{P}:6: error: {TAG_ERROR}"], summary(1, 1, 0))
    assert not (root / "pwned").exists()


FIXED_FRONT = "title: 市教育局开展教研活动\nunit: 市教育局\ndate: 2026-11-10\ntopic: 工作动态\nsummary: "


@pytest.mark.parametrize("size, refused", [(64 * 1024, False), (64 * 1024 + 1, True)])
def test_front_matter_over_64_kb_is_refused(tmp_path, run, size, refused):
    padding = size - len(FIXED_FRONT.encode("utf-8"))
    text = "---\n" + FIXED_FRONT + "a" * padding + "\n---\n\n正文。\n"
    root = one_item(tmp_path, text)
    if refused:
        assert check(run, root) == (1, [
            f"{P}:1: error: 信息头超过 64 KB；信息头只写标题、单位等几项；正文请写在第二个 --- 之后"], summary(1, 1, 0))
    else:
        assert check(run, root) == (0, [], summary(1, 0, 0))


# --------------------------------------------------------------------------- 4. input methods

INPUT_METHOD = {
    "full-width-colon": (swap("title: 市教育局开展教研活动", "标题：市教育局开展教研活动"),
                         "2: error: '标题' 后面是全角冒号“：”；请改成半角冒号加一个空格，如 标题: 市教育局开展教研活动"),
    "full-width-digits-in-date": (item(date="２０２６-１１-１０"),
                                  "4: error: 日期 '２０２６-１１-１０' 中有全角数字或符号；请在英文输入状态下输入，如 2026-11-27"),
    "ideographic-space-indent": (swap("unit: 市教育局", "\u3000unit: 市教育局"),
                                 "3: error: 行首是全角空格；信息头的缩进只能用半角空格，请删去行首的全角空格"),
    "tab-indent": (swap("topic: 工作动态", "\ttopic: 工作动态"),
                   "5: error: 行首是制表符（Tab）；信息头的缩进只能用半角空格"),
    "em-dash-opening-fence": ("———\n" + item()[4:],
                              f"1: error: 分隔线“———”不是三个半角减号；{DASH_HINT}"),
    "em-dash-closing-fence": (swap("\n---\n", "\n———\n"),
                              f"6: error: 分隔线“———”不是三个半角减号；{DASH_HINT}"),
    "full-width-minus-opening-fence": ("－－－\n" + item()[4:],
                                       f"1: error: 分隔线“－－－”不是三个半角减号；{DASH_HINT}"),
    "full-width-minus-closing-fence": (swap("\n---\n", "\n－－－\n"),
                                       f"6: error: 分隔线“－－－”不是三个半角减号；{DASH_HINT}"),
}


@pytest.mark.parametrize("case", list(INPUT_METHOD))
def test_input_method_problem_says_what_to_type(tmp_path, run, case):
    text, expected = INPUT_METHOD[case]
    root = one_item(tmp_path, text)
    assert check(run, root) == (1, [f"{P}:{expected}"], summary(1, 1, 0))


@pytest.mark.parametrize("summary_lines", [
    ["summary: >", "  会议强调：要压实责任。"],           # a folded block
    ["summary: |", "  一是：加强组织领导。", "  二是：压实工作责任。"],  # a literal block
    ["summary: 会议指出", "  会议强调：要压实责任。"],       # a plain value over two lines
])
def test_full_width_colon_inside_a_multi_line_value_is_text(tmp_path, run, summary_lines):
    # Chinese prose is full of "：". Inside an indented continuation line it is part of the
    # value, valid YAML, and must not be reported as a mistyped key.
    root = one_item(tmp_path, fm("title: 市教育局开展教研活动", "unit: 市教育局", "date: 2026-11-10",
                                 "topic: 工作动态", *summary_lines))
    assert check(run, root) == (0, [], summary(1, 0, 0))


# --------------------------------------------------------------------------- 5. encoding


def test_utf8_with_bom_and_crlf_pass(tmp_path, run):
    text = item(body="第一段。\n\n第二段。\n").replace("\n", "\r\n")
    settings = "signer: 张签发\r\ncopies: 40\r\n"
    root = one_item(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"),
                    extra={"content/issues/2026-W46.yaml": b"\xef\xbb\xbf" + settings.encode("utf-8")})
    assert check(run, root) == (0, [], summary(1, 0, 0))


def test_crlf_keeps_line_numbers(tmp_path, run):
    root = one_item(tmp_path, item(unit="NO").replace("\n", "\r\n").encode("utf-8"))
    assert check(run, root) == (
        1, [f"{P}:3: error: 'NO' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'NO'"], summary(1, 1, 0))


@pytest.mark.parametrize("encoding, name", [("gbk", "GBK"), ("utf-16", "UTF-16")])
def test_file_in_another_encoding_is_an_error_naming_it(tmp_path, run, encoding, name):
    root = one_item(tmp_path, item().encode(encoding))
    assert check(run, root) == (1, [f"{P}:1: error: 文件是 {name} 编码，不是 UTF-8；{FIX_HINT}"], summary(1, 1, 0))


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-16-be"])
def test_fix_encoding_converts_to_utf8_and_keeps_a_backup(tmp_path, run, encoding):
    text = item(body="各地区要加强组织领导。\n\n“双减”工作取得实效——成效明显。\n")
    original = (("\ufeff" + text) if encoding == "utf-16-be" else text).encode(encoding)
    root = one_item(tmp_path, original)
    result = run(root, "check", "--fix-encoding")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == (f"已转换为 UTF-8：{P}（原文件备份为 .briefgen-backup/{P}）\n" + summary(1, 0, 0))
    assert (root / P).read_bytes() == text.encode("utf-8")
    assert (root / ".briefgen-backup" / P).read_bytes() == original
    backups = tree_hashes(root / ".briefgen-backup")

    again = run(root, "check", "--fix-encoding")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", summary(1, 0, 0))
    assert (root / P).read_bytes() == text.encode("utf-8")
    assert tree_hashes(root / ".briefgen-backup") == backups


def test_fix_encoding_reports_remaining_problems_and_leaves_utf8_files_alone(tmp_path, run):
    good = item("市财政局加强预算执行管理", "市财政局")
    root = write_bulletin(tmp_path / "repo", {
        P: item(unit="NO").encode("gbk"),
        f"{W46}/b.md": good,
    })
    result = run(root, "check", "--fix-encoding")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{P}:3: error: 'NO' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'NO'"]
    assert result.stderr == (f"已转换为 UTF-8：{P}（原文件备份为 .briefgen-backup/{P}）\n" + summary(2, 1, 0))
    assert (root / W46 / "b.md").read_text(encoding="utf-8") == good
    assert all_paths(root / ".briefgen-backup") == ["content", "content/2026", "content/2026/2026-W46", P]


def test_fix_encoding_never_overwrites_an_earlier_backup(tmp_path, run):
    first, second = item(body="第一版。\n"), item(body="第二版。\n")
    root = one_item(tmp_path, first.encode("gbk"))
    assert run(root, "check", "--fix-encoding").returncode == 0
    (root / P).write_bytes(second.encode("gbk"))
    result = run(root, "check", "--fix-encoding")
    assert result.returncode == 0
    assert result.stderr == (f"已转换为 UTF-8：{P}（原文件备份为 .briefgen-backup/{P}.1）\n" + summary(1, 0, 0))
    assert (root / ".briefgen-backup" / P).read_bytes() == first.encode("gbk")
    assert (root / ".briefgen-backup" / f"{P}.1").read_bytes() == second.encode("gbk")
    assert (root / P).read_bytes() == second.encode("utf-8")


# --------------------------------------------------------------------------- 6. content


def test_unknown_unit_and_topic_suggest_the_right_one(tmp_path, run):
    root = one_item(tmp_path, item(unit="市教育厅", topic="工作动向"))
    assert check(run, root) == (1, [
        f"{P}:3: error: 未知的单位 '市教育厅'；是不是 '市教育局'？",
        f"{P}:5: error: 未知的栏目 '工作动向'；是不是 '工作动态'？",
    ], summary(1, 2, 0))


def test_unknown_unit_without_a_close_match_points_to_the_config(tmp_path, run):
    root = one_item(tmp_path, item(unit="气象台"))
    assert check(run, root) == (1, [f"{P}:3: error: 未知的单位 '气象台'；可用的单位见 briefgen.yaml"], summary(1, 1, 0))


@pytest.mark.parametrize("body", ["", "\n", "\n  \n\u3000\n"])
def test_empty_body(tmp_path, run, body):
    root = one_item(tmp_path, item(body=body))
    assert check(run, root) == (1, [f"{P}:6: error: 正文是空的；请在第二个 --- 之后写稿件正文"], summary(1, 1, 0))


CONFLICT = "有未解决的 Git 合并冲突；请保留正确的内容，删去 <<<<<<<、=======、>>>>>>> 这几行标记"


def test_git_conflict_markers_in_the_body(tmp_path, run):
    body = "第一段。\n<<<<<<< HEAD\n甲方案。\n=======\n乙方案。\n>>>>>>> feature/tongzhi\n\n末段。\n"
    root = one_item(tmp_path, item(body=body))
    assert check(run, root) == (1, [f"{P}:9: error: {CONFLICT}"], summary(1, 1, 0))


def test_git_conflict_markers_in_the_front_matter(tmp_path, run):
    text = fm("<<<<<<< HEAD", "title: 甲标题", "=======", "title: 乙标题", ">>>>>>> feature",
              "unit: 市教育局", "date: 2026-11-10", "topic: 工作动态")
    root = one_item(tmp_path, text)
    assert check(run, root) == (1, [f"{P}:2: error: {CONFLICT}"], summary(1, 1, 0))


def test_missing_image_and_attachment_are_errors_at_their_body_line(tmp_path, run):
    body = "第一段。\n\n![](missing.png)\n\n详见[附件](missing.docx)。\n"
    root = one_item(tmp_path, item(body=body))
    assert check(run, root) == (1, [
        f"{P}:10: error: 引用的文件 missing.png 不存在；{MISSING_HINT}",
        f"{P}:12: error: 引用的文件 missing.docx 不存在；{MISSING_HINT}",
    ], summary(1, 2, 0))


def test_missing_file_is_reported_at_its_own_line_not_where_a_longer_name_contains_it(tmp_path, run):
    # 11.png exists (line 8); 1.png does not (line 10). The error belongs on line 10.
    root = one_item(tmp_path, item(body="![](11.png)\n\n![](1.png)\n"), extra={f"{W46}/11.png": SMALL_PNG})
    assert check(run, root) == (1, [f"{P}:10: error: 引用的文件 1.png 不存在；{MISSING_HINT}"], summary(1, 1, 0))


def test_the_same_missing_file_twice_is_reported_at_each_line(tmp_path, run):
    root = one_item(tmp_path, item(body="![](gone.png)\n\n第二段。\n\n![](gone.png)\n"))
    assert check(run, root) == (1, [
        f"{P}:8: error: 引用的文件 gone.png 不存在；{MISSING_HINT}",
        f"{P}:12: error: 引用的文件 gone.png 不存在；{MISSING_HINT}",
    ], summary(1, 2, 0))


def test_existing_image_and_attachment_next_to_the_item_are_fine(tmp_path, run):
    body = "第一段。\n\n![现场照片](图片%201.png)\n\n![](pic/现场.png)\n\n详见[附件](附件.docx)。\n"
    root = one_item(tmp_path, item(body=body), extra={
        f"{W46}/图片 1.png": SMALL_PNG, f"{W46}/pic/现场.png": SMALL_PNG, f"{W46}/附件.docx": b"PK\x03\x04"})
    assert check(run, root) == (0, [], summary(1, 0, 0))


def test_reference_outside_content_is_a_warning(tmp_path, run):
    rel = "content/2026/a.md"  # ../../secret.png from here is the repository root
    root = one_item(tmp_path, item(body="第一段。\n\n![](../../secret.png)\n"), rel=rel,
                    extra={"secret.png": SMALL_PNG})
    assert check(run, root) == (
        0, [f"{rel}:10: warning: 引用了 content/ 以外的文件 ../../secret.png，已忽略；图片和附件请放在 content/ 内，稿件旁边"],
        summary(1, 0, 1))
    assert check(run, root, "--strict")[0] == 1


def test_same_title_and_unit_in_one_week_is_an_error_on_the_later_file(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        f"{W46}/a.md": item("市教育局开展教研活动", date="2026-11-09", body="甲稿。\n"),
        f"{W46}/b.md": item("市教育局开展教研活动", date="2026-11-15", body="乙稿。\n"),
        # not duplicates: another unit, another week, or a draft
        f"{W46}/c.md": item("市教育局开展教研活动", "市财政局", body="丙稿。\n"),
        "content/2026/2026-W47/d.md": item("市教育局开展教研活动", date="2026-11-16", body="丁稿。\n"),
        f"{W46}/e.md": item("市教育局开展教研活动", date="2026-11-10", body="戊稿。\n", status="draft"),
    })
    assert check(run, root) == (1, [
        f"{W46}/b.md:2: error: 与 {W46}/a.md 是同一单位同一期的同名稿件；{DUPLICATE_HINT}",
    ], summary(5, 1, 0))


def test_same_body_in_two_files_is_an_error(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        f"{W46}/a.md": item("甲标题", body="相同的正文。\n\n第二段。\n"),
        f"{W46}/b.md": item("乙标题", "市财政局", "2026-11-20", body="相同的 正文。\n第二段。\n"),
        f"{W46}/c.md": item("丙标题", body="相同的正文。\n\n第二段。\n", status="draft"),
    })
    assert check(run, root) == (1, [
        f"{W46}/b.md:8: error: 正文与 {W46}/a.md 完全相同；{DUPLICATE_HINT}",
    ], summary(3, 1, 0))


def _future_check(run, tmp_path, drafts: bool):
    """Items dated 7 and 8 days ahead with future_days: 7; rerun if the date changes meanwhile."""
    config = CONFIG.replace("future_days: 400", "future_days: 7")
    assert config != CONFIG
    for attempt in range(2):
        today = TODAY
        extra = {"status": "draft"} if drafts else {}
        root = write_bulletin(tmp_path / f"repo{attempt}", {
            f"{W46}/a.md": item("七天后", date=(today + dt.timedelta(days=7)).isoformat(), **extra),
            f"{W46}/b.md": item("八天后", date=(today + dt.timedelta(days=8)).isoformat(), **extra),
        }, config)
        outcome = check(run, root)
        if TODAY == today:
            return today, outcome
    raise AssertionError("the date changed twice during the test")


def test_item_dated_more_than_future_days_ahead_is_an_error(tmp_path, run):
    today, outcome = _future_check(run, tmp_path, drafts=False)
    late = (today + dt.timedelta(days=8)).isoformat()
    assert outcome == (1, [
        f"{W46}/b.md:4: error: 日期 {late} 晚于今天（{today.isoformat()}）7 天以上；"
        "请检查年份和月份；提前写好的稿件可以先设 status: draft",
    ], summary(2, 1, 0))


def test_draft_dated_ahead_is_not_an_error(tmp_path, run):
    # The future-date error tells the author to set status: draft; a draft must then pass.
    _today, outcome = _future_check(run, tmp_path, drafts=True)
    assert outcome == (0, [], summary(2, 0, 0))


@pytest.mark.parametrize("mark", ["秘密", "机密", "绝密"])
@pytest.mark.parametrize("where, line", [("summary", 6), ("title", 2), ("comment", 6)])
def test_classification_mark_in_front_matter_is_an_error(tmp_path, run, mark, where, line):
    if where == "title":
        text = item(title=f"关于{mark}文件管理的通报")
    elif where == "summary":
        text = item(summary=f"本文涉及{mark}事项")
    else:
        text = swap("topic: 工作动态", f"topic: 工作动态\n# 密级：{mark}")
    root = one_item(tmp_path, text)
    assert check(run, root) == (
        1, [f"{P}:{line}: error: 信息头中有密级标志“{mark}”；{SECRET_HINT}"], summary(1, 1, 0))


def test_every_classification_mark_is_reported(tmp_path, run):
    root = one_item(tmp_path, item(summary="秘密与机密", note="绝密"))
    assert check(run, root) == (1, [
        f"{P}:6: error: 信息头中有密级标志“机密”；{SECRET_HINT}",
        f"{P}:6: error: 信息头中有密级标志“秘密”；{SECRET_HINT}",
        f"{P}:7: error: 信息头中有密级标志“绝密”；{SECRET_HINT}",
    ], summary(1, 3, 0))


# --------------------------------------------------------------------------- 7. briefgen.yaml

CONFIG_PROBLEMS = {
    "unknown-key": (CONFIG.replace("editor:", "edtor:"),
                    "briefgen.yaml:18: error: 未知的设置项 'edtor'；是不是 'editor'？"),
    "copies-text": (CONFIG.replace("copies: 30", "copies: 很多"),
                    "briefgen.yaml:17: error: 'copies' 应是非负整数，而不是 '很多'"),
    "period-weekly": (CONFIG.replace("period: week", "period: weekly"),
                      "briefgen.yaml:3: error: period 应是 week（每周一期）或 month（每月一期），而不是 'weekly'"),
    "timezone-unknown": (CONFIG.replace("mark: 内部资料", "timezone: Mars/Base\nmark: 内部资料"),
                         "briefgen.yaml:4: error: 未知的时区 'Mars/Base'；例如 Asia/Shanghai"),
    "topics-empty-list": (CONFIG.replace("topics:\n  - 要情专报\n  - 工作动态\n  - 经验交流\n", "topics: []\n"),
                          "briefgen.yaml:5: error: 'topics' 应是至少包含一项的列表"),
    "topics-nothing": (CONFIG.replace("  - 要情专报\n  - 工作动态\n  - 经验交流\n", ""),
                       "briefgen.yaml:5: error: 'topics' 应是至少包含一项的列表"),
    "future-days-NO": (CONFIG.replace("future_days: 400", "future_days: NO"),
                       "briefgen.yaml:22: error: 'NO' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'NO'"),
    "alias": (CONFIG.replace("editor: 李编辑", "editor: &e 李编辑\nsigner: *e"),
              f"briefgen.yaml:18: error: {ALIAS_ERROR}"),
}


@pytest.mark.parametrize("case", list(CONFIG_PROBLEMS))
def test_config_problem_is_reported_with_its_line(tmp_path, run, case):
    config, expected = CONFIG_PROBLEMS[case]
    assert config != CONFIG
    root = one_item(tmp_path, item(), config=config)
    assert check(run, root) == (1, [expected], summary(0, 1, 0))
    path, line, _, message = expected.split(":", 3)
    message, _, hint = message.strip().removeprefix("error: ").partition("；")
    result = run(root, "check", "--format", "json")
    assert (result.returncode, result.stderr) == (1, "")
    assert json.loads(result.stdout) == [
        {"path": path, "line": int(line), "severity": "error", "message": message, "hint": hint}]


def test_several_config_problems_at_once(tmp_path, run):
    config = (CONFIG.replace("copies: 30", "copies: 很多").replace("period: week", "period: weekly")
              .replace("editor:", "edtor:"))
    root = one_item(tmp_path, item(), config=config)
    assert check(run, root) == (1, [
        "briefgen.yaml:3: error: period 应是 week（每周一期）或 month（每月一期），而不是 'weekly'",
        "briefgen.yaml:17: error: 'copies' 应是非负整数，而不是 '很多'",
        "briefgen.yaml:18: error: 未知的设置项 'edtor'；是不是 'editor'？",
    ], summary(0, 3, 0))


# --------------------------------------------------------------------------- 8. build checks first


def test_build_runs_the_same_checks_and_keeps_the_previous_output(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", SMALL_ITEMS)
    build_ok(root, "--no-search", "--no-pdf")
    out = root / "output"
    before = tree_hashes(out)
    assert before
    write_bulletin(root, {
        f"{W46}/bad.md": item("坏稿", unit="NO", body="坏稿正文。\n"),
        f"{W46}/empty.md": item("空稿", body=""),
    })
    checked = run(root, "check")
    expected = [
        f"{W46}/bad.md:3: error: 'NO' 会被 YAML 读成“是/否”；如果它是文字，请加引号：'NO'",
        f"{W46}/empty.md:6: error: 正文是空的；请在第二个 --- 之后写稿件正文",
    ]
    assert (checked.returncode, checked.stdout.splitlines(), checked.stderr) == (1, expected, summary(12, 2, 0))
    built = run(root, "build", "--no-search")
    assert built.returncode == 1
    assert built.stdout == ""
    assert built.stderr.splitlines() == expected + ["发现 2 个错误，未生成任何文件；output/ 保持上次的内容。"]
    assert tree_hashes(out) == before
    assert leftovers(out) == []


# --------------------------------------------------------------------------- 9. symlinks


SECRET_TITLE = "外部文件里的标题不应出现"
SECRET_BODY = "外部文件里的正文不应出现。"


def test_item_that_links_outside_the_repository_is_refused(tmp_path, run):
    outside = tmp_path / "elsewhere" / "secret.md"
    outside.parent.mkdir()
    outside.write_text(item(SECRET_TITLE, body=SECRET_BODY + "\n"), encoding="utf-8")
    root = write_bulletin(tmp_path / "repo", {f"{W46}/ok.md": item()})
    (root / W46 / "link.md").symlink_to(outside)
    message = f"{W46}/link.md:1: error: 稿件文件是指向简报仓库以外的链接；请把稿件本身放进 content/"

    result = run(root, "check")
    assert (result.returncode, result.stdout.splitlines(), result.stderr) == (1, [message], summary(2, 1, 0))
    result = run(root, "check", "--format", "json")
    assert json.loads(result.stdout) == [{"path": f"{W46}/link.md", "line": 1, "severity": "error",
                                          "message": "稿件文件是指向简报仓库以外的链接", "hint": "请把稿件本身放进 content/"}]
    built = run(root, "build", "--no-search", "--no-pdf")
    assert built.returncode == 1
    assert built.stderr.splitlines() == [message, "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。"]
    for text in (result.stdout, built.stdout, built.stderr):
        assert SECRET_TITLE not in text and SECRET_BODY not in text
    assert not (root / "output").exists()
    # --fix-encoding does not follow the link either
    assert run(root, "check", "--fix-encoding").stderr == summary(2, 1, 0)
    assert outside.read_text(encoding="utf-8") == item(SECRET_TITLE, body=SECRET_BODY + "\n")


def test_gbk_file_behind_an_outside_link_is_not_converted(tmp_path, run):
    outside = tmp_path / "elsewhere" / "secret.md"
    outside.parent.mkdir()
    original = item(SECRET_TITLE).encode("gbk")
    outside.write_bytes(original)
    root = write_bulletin(tmp_path / "repo", {f"{W46}/ok.md": item()})
    (root / W46 / "link.md").symlink_to(outside)
    result = run(root, "check", "--fix-encoding")
    assert result.stdout.splitlines() == [
        f"{W46}/link.md:1: error: 稿件文件是指向简报仓库以外的链接；请把稿件本身放进 content/"]
    assert result.stderr == summary(2, 1, 0)
    assert outside.read_bytes() == original
    assert not (root / ".briefgen-backup").exists()


# --------------------------------------------------------------------------- 10. pre-commit


def test_pre_commit_hook_runs_briefgen_check():
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    by_id = {hook["id"]: hook for hook in hooks}
    hook = by_id["briefgen-check"]
    assert hook["entry"] == "briefgen check"
    assert hook["pass_filenames"] is False
    assert hook["language"] == "python"


def test_source_date_epoch_sets_today_for_the_future_date_check(tmp_path, run):
    import os

    config = CONFIG.replace("future_days: 400", "future_days: 7")
    root = write_bulletin(tmp_path / "repo", {f"{W46}/a.md": item("十一月二十日的稿件", date="2026-11-20")}, config)
    early = dt.datetime(2026, 11, 1, 4, tzinfo=dt.timezone.utc).timestamp()  # noon in Asia/Shanghai
    late = dt.datetime(2026, 11, 15, 4, tzinfo=dt.timezone.utc).timestamp()
    before = run(root, "check", env={**os.environ, "SOURCE_DATE_EPOCH": str(int(early))})
    assert before.returncode == 1 and "（2026-11-01）" in before.stdout, before.stdout
    after = run(root, "check", env={**os.environ, "SOURCE_DATE_EPOCH": str(int(late))})
    assert (after.returncode, after.stdout) == (0, "")
