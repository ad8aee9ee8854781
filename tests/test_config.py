"""briefgen.yaml: reading, validation, finding it, and a repository's own templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CONFIG, NAME, item, parse_html, write_bulletin

from briefgen.config.settings import Config, find_root, load_config
from briefgen.errors import ConfigError, InputError

SUMMARY_1 = "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。"


def config_problems(root: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_config(root)
    return str(caught.value).splitlines()


def test_valid_config_is_read_into_a_typed_object(tmp_path):
    root = write_bulletin(tmp_path / "repo")
    assert load_config(root) == Config(
        root=root.resolve(), name="测试简报", publisher="测试市人民政府办公室",
        topics=("要情专报", "工作动态", "经验交流"), units=("市教育局", "市财政局", "江北区人民政府"),
        period="week", timezone="Asia/Shanghai", mark="内部资料",
        distribution=(("报", "市委办公室"), ("送", "市人大办公室"), ("发", "各区人民政府")),
        copies=30, editor="李编辑", signer="", first_number=5, first_total=105, site_url="",
        future_days=400, remote_hosts=(),
    )


def test_defaults_of_optional_settings(tmp_path):
    root = write_bulletin(tmp_path / "repo", config="name: 简报\npublisher: 办公室\ntopics: [甲]\nunits: [乙]\n")
    config = load_config(root)
    assert (config.period, config.timezone, config.mark, config.distribution, config.copies) == (
        "week", "Asia/Shanghai", "", (), None)
    assert (config.first_number, config.first_total) == (1, 1)
    assert (config.future_days, config.remote_hosts) == (7, ())


def test_first_total_defaults_to_first(tmp_path):
    root = write_bulletin(tmp_path / "repo", config=CONFIG.replace("  first_total: 105\n", ""))
    config = load_config(root)
    assert (config.first_number, config.first_total) == (5, 5)


def test_units_may_be_a_mapping_with_details(tmp_path):
    text = CONFIG.replace("units:\n  - 市教育局\n  - 市财政局\n  - 江北区人民政府\n",
                          "units:\n  市教育局: {short: 教育局}\n  市财政局:\n  江北区人民政府: {}\n")
    config = load_config(write_bulletin(tmp_path / "repo", config=text))
    assert config.units == ("市教育局", "市财政局", "江北区人民政府")


def test_bom_and_crlf_in_config_are_accepted(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / "briefgen.yaml").write_bytes(b"\xef\xbb\xbf" + CONFIG.replace("\n", "\r\n").encode("utf-8"))
    assert load_config(root).name == NAME


def test_unknown_key_suggests_the_right_one(tmp_path):
    root = write_bulletin(tmp_path / "repo", config=CONFIG.replace("topics:", "topcs:"))
    assert config_problems(root) == [
        "briefgen.yaml:1: error: 'topics' 应是至少包含一项的列表",
        "briefgen.yaml:5: error: 未知的设置项 'topcs'；是不是 'topics'？",
        "发现 2 个错误，未生成任何文件；output/ 保持上次的内容。",
    ]


def test_every_config_problem_is_reported_at_once_with_its_line(tmp_path):
    text = ("publisher: 办公室\nperiod: daily\ntimezone: Mars/Olympus\ntopics: [甲, 乙, 甲]\nunits: []\n"
            "copies: -3\nnumbering: {first: 0, start: 3}\n")
    root = write_bulletin(tmp_path / "repo", config=text)
    assert config_problems(root) == [
        "briefgen.yaml:1: error: 缺少必填设置项 'name'",
        "briefgen.yaml:2: error: period 应是 week（每周一期）或 month（每月一期），而不是 'daily'",
        "briefgen.yaml:3: error: 未知的时区 'Mars/Olympus'；例如 Asia/Shanghai",
        "briefgen.yaml:4: error: 'topics' 中 '甲' 出现了两次",
        "briefgen.yaml:5: error: 'units' 应是至少包含一项的列表",
        "briefgen.yaml:6: error: 'copies' 应是非负整数，而不是 '-3'",
        "briefgen.yaml:7: error: numbering 中未知的设置项 'start'；可用 first 和 first_total",
        "发现 7 个错误，未生成任何文件；output/ 保持上次的内容。",
    ]


def test_yaml_syntax_error_names_the_line(tmp_path):
    root = write_bulletin(tmp_path / "repo", config=CONFIG.replace("copies: 30", "copies: [30"))
    # PyYAML notices the unclosed "[" of line 17 on line 18, where it reports the problem.
    assert config_problems(root) == ["briefgen.yaml:18: error: YAML 格式错误（did not find expected ',' or ']'）",
                                     SUMMARY_1]


def test_find_root_walks_up(tmp_path):
    root = write_bulletin(tmp_path / "repo")
    deep = root / "content" / "2026" / "2026-W47"
    deep.mkdir(parents=True)
    assert find_root(deep) == root.resolve()
    assert find_root(root) == root.resolve()


def test_find_root_without_config(tmp_path):
    with pytest.raises(ConfigError) as caught:
        find_root(tmp_path)
    assert caught.value.format_message() == (
        f"在 {tmp_path.resolve()} 及其上级目录中找不到 briefgen.yaml；请在简报仓库内运行，或用 --root 指定简报仓库的目录。")


# --------------------------------------------------------------------------- through the CLI


def test_cli_finds_config_from_a_subdirectory(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {"content/2026/a.md": item(date="2026-11-10")})
    cwd = root / "content" / "2026"
    result = run(None, "build", "--no-search", "--no-pdf", cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert re.fullmatch(rf"已生成 1 期，网页文件 15 个，输出到 {re.escape(str(root.resolve() / 'output'))}/，"
                        r"用时 \d+\.\d 秒。\n", result.stdout)
    assert (root / "output" / "issues" / "2026-W46.html").is_file()
    assert (root / "output" / "items" / "a.html").is_file()
    assert not (cwd / "output").exists()


def test_cli_without_config_says_so(tmp_path, run):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(None, "build", "--no-search", cwd=empty)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (f"briefgen: 在 {empty.resolve()} 及其上级目录中找不到 briefgen.yaml；"
                             "请在简报仓库内运行，或用 --root 指定简报仓库的目录。\n")
    assert sorted(p.name for p in empty.iterdir()) == []


def test_cli_with_root_without_config(tmp_path, invoke):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(empty, "build", "--no-pdf")
    assert result.exit_code == 1
    assert result.stderr == (f"briefgen: 在 {empty.resolve()} 及其上级目录中找不到 briefgen.yaml；"
                             "请在简报仓库内运行，或用 --root 指定简报仓库的目录。\n")


def test_cli_unknown_key(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {"content/a.md": item()}, config=CONFIG.replace("topics:", "topcs:"))
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "briefgen.yaml:1: error: 'topics' 应是至少包含一项的列表\n"
        "briefgen.yaml:5: error: 未知的设置项 'topcs'；是不是 'topics'？\n"
        "发现 2 个错误，未生成任何文件；output/ 保持上次的内容。\n")
    assert not (root / "output").exists()


def test_cli_version():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "briefgen 0.1.0\n")


def test_user_template_extending_the_default_is_used(tmp_path, run):
    override = ('{% extends "!default/site/item.html" %}\n'
                '{% block title %}覆盖模板：{{ item.title }}{% endblock %}\n')
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/a.md": item("市教育局开展教研活动"),
        "templates/site/item.html": override,
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    page = parse_html(root / "output" / "items" / "a.html")
    assert page.find("title").text() == "覆盖模板：市教育局开展教研活动"
    # The rest of the default item page is still there.
    assert page.find("h1", cls="item-title").text() == "市教育局开展教研活动"
    # Other pages keep the built-in templates.
    issue = parse_html(root / "output" / "issues" / "2026-W46.html")
    assert issue.find("title").text() == f"{NAME} 2026年第5期"


def test_user_template_replacing_a_default_is_used(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {
        "content/2026/a.md": item("市教育局开展教研活动"),
        "templates/site/names.html": "<!DOCTYPE html>\n<p>自定义名录模板 {{ heading }}</p>\n",
    })
    result = run(root, "build", "--no-search", "--no-pdf")
    assert result.returncode == 0, result.stderr
    out = root / "output"
    assert (out / "topics.html").read_text(encoding="utf-8") == "<!DOCTYPE html>\n<p>自定义名录模板 栏目</p>\n"
    assert (out / "units.html").read_text(encoding="utf-8") == "<!DOCTYPE html>\n<p>自定义名录模板 单位</p>\n"
    assert "自定义名录模板" not in (out / "index.html").read_text(encoding="utf-8")


def test_mistyped_option_and_command_get_chinese_hints(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", {})

    option = run(root, "build", "--no-search", "--no-pfd")
    command = run(root, "biuld")

    assert (option.returncode, option.stdout) == (2, "")
    assert option.stderr == (
        "用法：briefgen build [选项]\n"
        "briefgen: 用法错误：没有选项 --no-pfd。是不是 --no-docx 或 --no-pdf？\n"
        "运行 briefgen build -h 查看帮助。\n"
    )
    assert (command.returncode, command.stdout) == (2, "")
    assert command.stderr == (
        "用法：briefgen [选项] 命令 [参数]...\n"
        "briefgen: 用法错误：没有命令 biuld。是不是 build？\n"
        "运行 briefgen -h 查看帮助。\n"
    )


def test_classified_masthead_mark_is_refused(tmp_path, run):
    root = write_bulletin(tmp_path / "repo", config=CONFIG.replace("mark: 内部资料", "mark: 机密★1年"))

    result = run(root, "check")

    assert result.returncode == 1
    assert result.stdout == ("briefgen.yaml:4: error: 报头标志“机密★1年”是密级；"
                             "涉密信息不得进入本系统；内部资料可写“内部资料 注意保存”\n")


def test_the_report_colophon_settings_are_checked_and_default_to_the_bulletins(tmp_path):
    root = write_bulletin(tmp_path / "repo", config=CONFIG + "report: {name: 通报, signer: 王主任}\n")
    colophon = load_config(root).rules.report_colophon
    assert (colophon.distribution, colophon.editor, colophon.signer, colophon.copies) == (None, None, "王主任", None)
    bad = CONFIG + "report:\n  copies: -1\n  editor: [甲]\n  distribution: 各区\n  sender: 我\n"
    root = write_bulletin(tmp_path / "bad", config=bad)
    line = CONFIG.count("\n") + 1
    assert config_problems(root) == [
        f"briefgen.yaml:{line}: error: report 中可用的设置：name、distribution、editor、signer、copies（通报的名称和报尾）"
        "；如 report: {name: 信息工作通报, signer: 王明}",
        "发现 1 个错误，未生成任何文件；output/ 保持上次的内容。",
    ]
    root = write_bulletin(tmp_path / "bad2", config=bad.replace("  sender: 我\n", ""))
    assert config_problems(root) == [
        f"briefgen.yaml:{line}: error: report 中 copies 应是印数（正整数），而不是 '-1'",
        f"briefgen.yaml:{line}: error: report 中 editor 应是文字，而不是 '['甲']'",
        f"briefgen.yaml:{line}: error: report 中的 distribution 应是“报/送/发: 单位”形式的设置",
        "发现 3 个错误，未生成任何文件；output/ 保持上次的内容。",
    ]
