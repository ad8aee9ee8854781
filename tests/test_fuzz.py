"""Any input gives diagnostics, never an exception.

Property tests (hypothesis, derandomised so every run tries the same inputs) for the three places
untrusted text enters briefgen -- an item file, an item body, briefgen.yaml -- and a few
end-to-end runs of the real command line on generated items. Then the inputs that are known to
hurt YAML loaders: alias bombs, deep nesting, and a front matter larger than 64 KB.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import CONFIG, item, parse_html, run_briefgen, run_briefgen_process, write_bulletin
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from briefgen.config.settings import Config, load_config
from briefgen.content.assets import localise
from briefgen.content.items import parse_item
from briefgen.content.markdown import MarkdownRenderer
from briefgen.errors import BriefgenError, Diagnostic
from briefgen.model import Item

# Keep hypothesis' files (it has no example database here, but caches Unicode tables) out of the repository.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="briefgen-hypothesis-"))

FUZZ = settings(derandomize=True, database=None, deadline=None, max_examples=300, print_blob=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example, HealthCheck.filter_too_much])
REL = "content/2026/2026-W46/fuzz.md"

# --------------------------------------------------------------------------- the pieces of an item file

KEYS = [
    "title", "unit", "date", "topic", "author", "tags", "grade", "weight", "summary", "note", "status",
    "标题", "单位", "日期", "栏目", "作者", "标签", "等级", "权重", "摘要", "按语", "状态",
    "titel", "Title", "TITLE", "标 题", "title ", "tiltle", "1", "null", "~", "true", "<<", "? x",
    "- title", "'title'", '"unit"', "[a]", "{a: 1}", "", "　title", "\ttitle", "title#x", "秘密",
]
SEPARATORS = [": ", ":", "：", " : ", ":\t", "\u3000: ", ": \u3000", " ： ", "=", ":: "]
VALUES = [
    "市教育局开展教研活动", "市教育局", "市财政局", "江北区人民政府", "工作动态", "要情专报", "经验交流",
    "2026-11-10", "2026-11-31", "2026-02-29", "２０２６－１１－１０", "2026/11/10", "2026-11-10T08:00:00+08:00",
    "2026-11-10 25:61", "9999-12-31", "0000-01-01", "20261110", "2026-1-1",
    "0755", "0x1F", "1:20", "1_000", "1e400", "-1e400", ".nan", ".inf", "-0", "9" * 5000, "3.14",
    "NO", "yes", "on", "off", "Y", "n", "true", "False", "null", "~", "",
    "'单引号'", '"双引号 \\u0000 \\x00 \\ud800"', "'未闭合", '"未闭合', "[a, b, 采用]", "[教育, [嵌套]]",
    "{a: 1, b: [2, 3]}", "{未闭合: 1", "[]", "{}", "-", "- a", "? a", "|", ">-", "|\n  多行\n  文字",
    "\n  - 列表一\n  - 列表二", "\n  键: 值\n  另一: [1, 2]", "\n    深: {a: {b: {c: [1]}}}",
    "&a 锚点", "*a", "&a [x, y]", "*undefined", "!!python/object:os.system ls", "!!python/name:os.system",
    "!!python/object/apply:os.system [ls]", "!!binary aGVsbG8=", "!!str 123", "!!int 12", "!custom 值",
    "!<tag:yaml.org,2002:str> x", "%YAML 1.1", "---", "...", "— 破折号", "标题 # 注释", "#整行注释",
    "a: b: c", "精品", "特色", "采用", "备用", "退稿", "草稿", "adopted", "draft", "reserve", "rejected",
    "绝密★一年", "机密", "x" * 300, "字" * 3000, "{{ config.name }}", "{% raw %}", "<script>alert(1)</script>",
    "\u3000全角空格\u3000", "\u200b零宽", "\u202e反转", "\ufeffBOM", "\x85NEL", "\u2028LS", "\x00NUL",
    "\x1b[31m", "\ud7ff", "😀", "𠀀", "\\", "@at", "`反引号`", "%percent", "| 管道",
]
FENCES = ["---", "--- ", " ---", "---\t", "———", "－－－", "—", "----", "--", "...", "+++", "***", "", "-- -"]
PREFIXES = ["", "", "", "\ufeff", "\n\n", "  \n", "<<<<<<< HEAD\n", "=======\n", ">>>>>>> main\n", "\x00",
            "# 标题\n", "\u3000\n"]
BODY_PIECES = [
    "市教育局组织开展教研活动。", "\n\n", "\n", "## 小标题\n", "# 一级\n", "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "[^1]\n\n[^1]: 注释", "![图](a.png)", "![图](../../../../etc/passwd)", "[链接](http://example.com)",
    "<script>alert(1)</script>", "---\n", "<<<<<<< HEAD\n", "=======\n", ">>>>>>> b\n", "\u3000\u3000段落",
    "```\ncode\n```", "    缩进", "> 引用", "- 列表", "1. 列表", "<div>", "</div>", "&amp;", "&#0;", "\x00",
]
ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "big5",
             "latin-1"]
NEWLINES = ["\n", "\n", "\r\n", "\r"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def yaml_value(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.text(max_size=40))
    if kind == 1:
        return nested(draw(st.sampled_from([3, 500, 980, 990, 995, 999, 1200])))
    if kind == 2:
        return "[" + ", ".join(draw(st.lists(st.sampled_from(VALUES), max_size=4))) + "]"
    return draw(st.sampled_from(VALUES))


@st.composite
def front_matter_line(draw, tidy: bool = False) -> str:
    """One `key: value` line; a tidy one has a known key and a plain `: ` (so the YAML parses more often)."""
    if tidy:
        return draw(st.sampled_from(KEYS[:22])) + ": " + draw(yaml_value())
    indent = draw(st.sampled_from(["", "", "", "  ", "\u3000", "\t", " \u3000"]))
    key = draw(st.sampled_from(KEYS) | st.text(max_size=8))
    return indent + key + draw(st.sampled_from(SEPARATORS)) + draw(yaml_value())


@st.composite
def item_file(draw) -> bytes:
    """Item-ish text: a fence, front-matter-ish lines, a fence, a Markdown-ish body; in some encoding."""
    tidy = draw(st.booleans())
    lines = draw(st.lists(front_matter_line(tidy), max_size=8 if tidy else 14))
    if tidy or draw(st.booleans()):  # often a valid core, so the later checks are reached too
        core = ["title: 市教育局开展教研活动", "unit: 市教育局", "date: 2026-11-10", "topic: 工作动态"]
        lines = draw(st.permutations(core)) + lines
    if draw(st.integers(0, 9)) == 9:  # (9, not 0: hypothesis shrinks towards 0, i.e. without this line)
        lines.append("summary: " + "长" * draw(st.sampled_from([21000, 22000, 40000])))
    body = "".join(draw(st.lists(st.sampled_from(BODY_PIECES) | st.text(max_size=30), max_size=10)))
    if tidy:  # a well-formed file around the lines, so that most reach the YAML loader and the field checks
        prefix, fences, encodings = st.sampled_from(["", "\ufeff"]), st.just("---"), st.sampled_from(["utf-8"])
    else:
        prefix, fences, encodings = (st.sampled_from(PREFIXES), st.sampled_from(FENCES),
                                     st.sampled_from(ENCODINGS))
    text = (draw(prefix) + draw(fences) + "\n" + "\n".join(lines) + "\n" + draw(fences) + "\n" + body)
    text = text.replace("\n", draw(st.sampled_from(NEWLINES)))
    return text.encode(draw(encodings), errors="replace")


# --------------------------------------------------------------------------- parse_item


@pytest.fixture(scope="module")
def config() -> Config:
    with tempfile.TemporaryDirectory() as folder:
        return load_config(write_bulletin(Path(folder), {}))


RECURSION_LIMIT = sys.getrecursionlimit()  # what the command line runs with
CLI_DEPTH = 20  # about how many frames deep `python -m briefgen build` calls parse_item and load_config


def as_on_the_command_line(name: str, call: Callable[[], Any]) -> Any:
    """call(), with the stack the command line has. Hypothesis raises the recursion limit while it
    runs a test, which would hide a RecursionError that stops `briefgen build` with an internal error."""
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    raised = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + RECURSION_LIMIT - CLI_DEPTH)
    recursion = False
    try:
        return call()
    except RecursionError:  # where it is raised depends on the stack: report it from one place
        recursion = True
    finally:
        sys.setrecursionlimit(raised)
        assert not recursion, f"RecursionError in {name}: the command line stops with an internal error"


def check_parse(config: Config, raw: bytes) -> None:
    problems: list[Diagnostic] = [Diagnostic("earlier.md", 3, "warning", "an earlier problem")]
    result = as_on_the_command_line("parse_item", lambda: parse_item(REL, raw, config, problems))
    new = problems[1:]
    assert problems[0] == Diagnostic("earlier.md", 3, "warning", "an earlier problem")
    assert result is None or isinstance(result, Item)
    if result is None:
        assert new, "no item and no problem"
    else:
        assert not [p for p in new if p.severity == "error"], new
        assert result.source == REL
    for problem in new:
        assert isinstance(problem, Diagnostic), problem
        assert problem.path == REL, problem
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.severity in ("error", "warning"), problem
        assert str(problem).startswith(f"{REL}:{problem.line}: {problem.severity}: "), str(problem)
        assert problem.message.strip(), problem


@pytest.mark.slow
@FUZZ
@given(raw=st.binary(max_size=400))
def test_parse_item_random_bytes(config, raw):
    check_parse(config, raw)
    check_parse(config, b"---\ntitle: x\n" + raw + b"\n---\n" + raw)


@pytest.mark.slow
@FUZZ
@given(text=st.text(max_size=300), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_parse_item_random_text_in_any_encoding(config, text, encoding):
    check_parse(config, text.encode(encoding))
    check_parse(config, f"---\n{text}\n---\n正文。\n".encode(encoding))


@pytest.mark.slow
@settings(FUZZ, max_examples=500)
@given(raw=item_file())
def test_parse_item_front_matter_grammar(config, raw):
    check_parse(config, raw)


# --------------------------------------------------------------------------- Markdown bodies

NASTY_HTML = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.example/x.js></SCRIPT>", "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">', "<img src=x onerror=alert(1)//", '<IMG SRC="javascript:alert(1)">',
    '<img src="jav&#x09;ascript:alert(1)">', '<img src=" javascript:alert(1)">', '<img src="data:image/png;base64,AAAA">',
    '<a href="javascript:alert(1)">x</a>', '<a href="JaVaScRiPt:alert(1)">x</a>', '<a href="&#106;avascript:x">x</a>',
    '<a href="java\nscript:alert(1)">x</a>', '<a href="vbscript:msgbox">x</a>', '<a href="data:text/html,<b>x</b>">x</a>',
    '<a href="file:///etc/passwd">x</a>', "<iframe src=//x.example></iframe>", "<IFRAME SRCDOC='<script>'>",
    '<form action="http://x.example"><input name=a><button>go</button></form>', "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>", "<math><mtext><script>alert(1)</script></mtext></math>",
    '<div style="background:url(javascript:alert(1))">x</div>', '<p style="width:expression(alert(1))">x</p>',
    '<td style="text-align:center;background:url(http://x.example/a.png)">x</td>',
    "<style>body{background:red}</style>", '<link rel="stylesheet" href="http://x.example/a.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', '<base href="http://x.example/">',
    "<object data=x.swf></object>", "<embed src=x.swf>", '<body onload="alert(1)">', "<marquee onstart=alert(1)>",
    '<details open ontoggle="alert(1)">', '<video><source onerror="alert(1)"></video>', "<!--<script>-->",
    '<a href="#" onclick="alert(1)" onmouseover=\'x\'>x</a>', "<img src=x ONERROR=alert(1)>",
    '<a href="http://ok.example" title="t onclick=alert(1)">x</a>', "<template><script>x</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", '<textarea><script></textarea>',
    "<", ">", "</", "<!", "<!--", "-->", "<![CDATA[<script>]]>", "&lt;script&gt;", "&#60;script&#62;",
]
MARKDOWN = [
    "[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x]( javascript:alert(1) )", "![x](javascript:alert(1))",
    "![x](data:image/png;base64,AAAA)", "[x](data:text/html,hi)", "[x](vbscript:x)", "<javascript:alert(1)>",
    "<http://example.com>", "[x][r]\n\n[r]: javascript:alert(1)", '[x](http://a.example "t" onclick=x)',
    "[^1]\n\n[^1]: 注 <script>x</script>", "# 标题 <script>x</script>", "| a |\n|---|\n| <script>x</script> |",
    "**粗** _斜_", "> 引用\n> <iframe>", "- 项\n  <form>", "\u3000\u3000段落", "中文\n换行", "\n\n", "\n", " ",
]


RENDERER = MarkdownRenderer()  # one for all examples, as a build uses one for all items


@pytest.mark.slow
@FUZZ
@given(pieces=st.lists(st.sampled_from(NASTY_HTML) | st.sampled_from(MARKDOWN) | st.text(max_size=20),
                       max_size=12),
       joiner=st.sampled_from(["", "\n", "\n\n", " "]))
@example(pieces=['<a href="file:///etc/passwd">x</a>'], joiner="")
def test_markdown_output_is_always_safe(pieces, joiner):
    text = joiner.join(pieces)
    converted = str(RENDERER.convert(text, "slug"))
    assert str(RENDERER.convert(text, "slug")) == converted  # the shared renderer keeps no state between items
    # What the site and the PDF show: file: links survive the sanitiser only to be reported here.
    source = Item(source="content/a.md", slug="slug", title="标题", unit="单位", date=dt.date(2026, 11, 10),
                topic="栏目", body=text, body_line=5)
    html = localise(converted, source, Path("/nonexistent/repo")).html
    lowered = html.lower()
    for tag in ("<script", "<iframe", "<form", "<style", "<link", "<meta", "<base", "<object", "<embed", "<svg",
                "<math", "<input", "<button", "<textarea", "<template", "<video", "<source", "<details"):
        assert tag not in lowered, (tag, text, html)
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
        without_values = re.sub(r'"[^"]*"', '""', tag)
        assert not re.search(r"\son[a-z]+\s*=", without_values, re.I), (tag, text, html)
    for node in parse_html(html).iter():
        for name, value in node.attrs.items():
            assert not name.lower().startswith("on"), (node.tag, name, text, html)
            if name in ("href", "src", "action", "formaction", "background", "poster", "srcset", "data"):
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
                assert urlsplit(cleaned).scheme in ("", "http", "https", "mailto"), (name, value, text, html)
                assert not cleaned.startswith(("javascript:", "vbscript:", "data:", "file:")), (value, text)
            if name == "style":
                assert "url(" not in value.lower() and "expression" not in value.lower(), (value, text)


# --------------------------------------------------------------------------- briefgen.yaml

CONFIG_KEYS = ["name", "publisher", "period", "timezone", "mark", "topics", "units", "distribution", "copies",
               "editor", "signer", "numbering", "site_url", "future_days", "remote_hosts", "nmae", "Topics",
               "单位", "", "1", "~", "<<"]
CONFIG_VALUES = VALUES + [
    "week", "month", "Week", "year", "Asia/Shanghai", "UTC", "../../etc/passwd", "/etc/passwd", "Asia/",
    "zone.tab", "posixrules", "Asia", "Asia/Nowhere", "a" * 300, "\n  - 要情专报\n  - 工作动态",
    "\n  - 要情专报\n  - 要情专报", "\n  - ''\n  - 1", "\n  市教育局: {电话: 123}\n  市财政局:", "\n  报: [甲, 乙]\n  送: 1",
    "\n  first: 5\n  first_total: 105", "\n  first: -1", "\n  first: 0\n  other: 1", "{first: true}",
    "[oa.example.gov.cn]", "[1, 2]", "[' ']", "-5", "0", "2147483648", "99999999999999999999999",
    nested(980), nested(990), "[" + nested(985) + "]", "\n  - " + nested(985), "\n  first: " + nested(985),
]


@st.composite
def config_text(draw) -> str:
    lines = []
    if draw(st.booleans()):  # start from the valid configuration, then add or override
        lines = CONFIG.rstrip("\n").split("\n")
    tidy = draw(st.booleans())  # known keys and `: ` only, so that the YAML parses more often
    for _ in range(draw(st.integers(0, 8))):
        if tidy:
            key, separator, value = (draw(st.sampled_from(CONFIG_KEYS[:15])), ": ",
                                     draw(st.sampled_from(CONFIG_VALUES[-40:])))
        else:
            key, separator, value = (draw(st.sampled_from(CONFIG_KEYS) | st.text(max_size=6)),
                                     draw(st.sampled_from(SEPARATORS)),
                                     draw(st.sampled_from(CONFIG_VALUES) | st.text(max_size=20)))
        lines.insert(draw(st.integers(0, len(lines))), f"{key}{separator}{value}")
    return (draw(st.sampled_from(PREFIXES[:4] if tidy else PREFIXES))
            + draw(st.sampled_from(NEWLINES)).join(lines) + "\n")


@pytest.mark.slow
@FUZZ
@given(text=config_text() | st.text(max_size=200), encoding=st.sampled_from(["utf-8"] * 6 + ["gb18030", "utf-16"]))
def test_load_config_returns_a_config_or_raises_a_briefgen_error(text, encoding):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "briefgen.yaml").write_bytes(text.encode(encoding, errors="replace"))
        try:
            config = as_on_the_command_line("load_config", lambda: load_config(root))
        except BriefgenError as exc:
            message = exc.format_message()
            assert message.strip() and "Traceback" not in message
            return
    assert isinstance(config, Config)
    assert config.zone is not None  # the time zone was checked, so it loads
    assert config.topics and all(isinstance(t, str) and t for t in config.topics)
    assert config.units and all(isinstance(u, str) and u for u in config.units)
    assert config.period in ("week", "month")


# --------------------------------------------------------------------------- the real command line

GOOD = item("合格的稿件", body="合格稿件的正文。\n")


@pytest.mark.slow
@settings(FUZZ, max_examples=20)
@given(raw=item_file())
def test_command_line_on_a_generated_item_exits_0_or_1(raw):
    with tempfile.TemporaryDirectory() as folder:
        root = write_bulletin(Path(folder) / "repo", {"content/2026/good.md": GOOD, "content/2026/fuzz.md": raw})
        result = run_briefgen(root, "build", "--no-pdf")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 1:
        assert re.search(r"^content/2026/fuzz\.md:\d+: error: ", result.stderr, re.M), result.stderr


# --------------------------------------------------------------------------- YAML bombs and big inputs


def alias_bomb(levels: int = 9, width: int = 9) -> list[str]:
    """'Billion laughs': each level is a list of width aliases to the level before."""
    names = "abcdefghijklmnopqrstuvwxyz"
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['笑'] * width)}]"]
    for level in range(1, levels):
        lines.append(f"{names[level]}: &{names[level]} [{', '.join(['*' + names[level - 1]] * width)}]")
    return lines


BOMB = alias_bomb()
BOMB_TARGETS = {
    # where the bomb is, the file, and the text of that file
    "item": ("content/2026/bomb.md",
             lambda: "---\n" + "\n".join(BOMB) + f"\ntitle: *{'abcdefghi'[len(BOMB) - 1]}\nunit: 市教育局\n"
             "date: 2026-11-10\ntopic: 工作动态\n---\n正文。\n"),
    "issue settings": ("content/issues/2026-W46.yaml",
                       lambda: "\n".join(BOMB) + f"\nnote: *{'abcdefghi'[len(BOMB) - 1]}\n"),
    "briefgen.yaml": ("briefgen.yaml",
                      lambda: CONFIG + "\n".join(BOMB) + f"\nmark: *{'abcdefghi'[len(BOMB) - 1]}\n"),
}


@pytest.mark.parametrize("where", list(BOMB_TARGETS))
def test_alias_bomb_is_refused_quickly(tmp_path, where):
    rel, text = BOMB_TARGETS[where]
    root = write_bulletin(tmp_path / "repo", {"content/2026/good.md": GOOD})
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text(), encoding="utf-8")
    started = time.monotonic()
    result = run_briefgen_process(root, "build", "--no-pdf", timeout=30)
    assert time.monotonic() - started < 30
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    # The first anchor, on the first line of the YAML, is where the file is refused.
    first = 2 if rel.endswith(".md") else (CONFIG.count("\n") + 1 if rel == "briefgen.yaml" else 1)
    assert re.search(rf"^{re.escape(rel)}:{first}: error: 不支持 YAML 锚点和别名", result.stderr, re.M), result.stderr
    assert "笑笑" not in result.stderr
    assert not (root / "output").exists()


DEEP = nested(985)  # libyaml refuses 1000 levels or more


def deep_item(field: str) -> tuple[str, str, int]:
    fields = {"title": "深层嵌套的稿件", "unit": "市教育局", "date": "2026-11-10", "topic": "工作动态"}
    fields[field] = DEEP
    text = "---\n" + "".join(f"{key}: {value}\n" for key, value in fields.items()) + "---\n正文。\n"
    return "content/2026/deep.md", text, 2 + list(fields).index(field)


DEEP_TARGETS = {  # where: (file, its text with one value nested 985 levels deep, the line of that value)
    **{f"item {field}": deep_item(field) for field in ("title", "date", "tags", "weight", "status")},
    "briefgen.yaml": ("briefgen.yaml", CONFIG.replace("copies: 30", f"copies: {DEEP}"),
                      CONFIG.split("\n").index("copies: 30") + 1),
    "issue settings": ("content/issues/2026-W46.yaml", f"signer: 张三\nnote: {DEEP}\n", 2),
}


@pytest.mark.parametrize("where", list(DEEP_TARGETS))
def test_deeply_nested_value_is_an_error_not_a_crash(tmp_path, where):
    """A value nested 985 levels deep (libyaml allows up to 999): an error naming the file and line."""
    rel, text, line = DEEP_TARGETS[where]
    root = write_bulletin(tmp_path / "repo", {"content/2026/good.md": GOOD})
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")
    result = run_briefgen_process(root, "build", "--no-pdf", timeout=30)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    assert re.search(rf"^{re.escape(rel)}:{line}: error: ", result.stderr, re.M), result.stderr
    assert not (root / "output").exists()


def test_front_matter_over_64_kb_is_refused(tmp_path):
    summary = "长" * 35000  # 105 000 bytes of UTF-8
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/good.md": GOOD,
        "content/2026/big.md": item("信息头过大的稿件", summary=summary),
    })
    started = time.monotonic()
    result = run_briefgen_process(root, "build", "--no-pdf", timeout=30)
    assert time.monotonic() - started < 30
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"^content/2026/big\.md:\d+: error: .*64 KB", result.stderr, re.M), result.stderr
    assert summary[:100] not in result.stderr  # the message names the file; it does not echo the value
    assert not (root / "output").exists()


def test_front_matter_just_under_64_kb_is_accepted(tmp_path):
    summary = "长" * 21000  # 63 000 bytes of UTF-8, with the other fields still under 64 KB
    root = write_bulletin(tmp_path / "repo", {"content/2026/big.md": item("信息头较大的稿件", summary=summary)})
    result = run_briefgen(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (root / "output" / "items" / "big.html").is_file()

