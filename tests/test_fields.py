"""The validation helper every settings and item file goes through."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.config.fields import FieldError, Fields, count, did_you_mean, one_of, parse_date, text
from briefgen.config.yamlsafe import load_mapping
from briefgen.errors import Diagnostic, error

SETTINGS = "name: 简报\ncopise: 3\ncopies: 很多\nsigner: NO\n"


def fields_of(yaml_text: str, first_line: int = 1) -> tuple[Fields, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    return Fields("a.yaml", load_mapping(yaml_text), problems, first_line), problems


def test_a_field_error_becomes_a_diagnostic_at_the_fields_line_with_message_and_hint_apart():
    fields, problems = fields_of("name: 简报\ndate: 2026-13-01\n")
    assert fields.field("date", lambda value: parse_date(value, dt.timezone.utc), None) is None
    assert problems == [Diagnostic("a.yaml", 2, "error", "日期 '2026-13-01' 不存在", "请检查月份和日")]


def test_lines_are_counted_from_the_first_line_of_the_yaml_text():
    fields, problems = fields_of("title: 标题\nweight: 高\n", first_line=2)
    fields.field("weight", count("权重"), 0)
    fields.add(1, "缺少必填字段 'unit'")
    assert problems == [error("a.yaml", 3, "权重 应是非负整数，而不是 '高'"), error("a.yaml", 2, "缺少必填字段 'unit'")]
    assert (fields.line("weight"), fields.line("unit")) == (3, 2)


def test_an_absent_or_empty_field_is_its_default_without_a_problem():
    fields, problems = fields_of("copies:\n")
    assert fields.field("copies", count("copies"), None) is None
    assert fields.field("editor", text("'editor'"), "李编辑") == "李编辑"
    assert problems == []


def test_parsers_return_the_value():
    fields, problems = fields_of("copies: 30\nnote: \"  第一段\\n第二段  \"\ntitle: \"冬季  安全\"\n")
    assert fields.field("copies", count("copies"), None) == 30
    assert fields.field("note", text("'note'"), "") == "第一段\n第二段"
    assert fields.field("title", text("'title'", one_line=True), "") == "冬季 安全"
    assert problems == []


def test_a_line_the_yaml_checks_reported_gets_no_second_message():
    fields, problems = fields_of(SETTINGS)
    assert fields.field("signer", text("'signer'"), "") == ""
    assert problems == [error("a.yaml", 4, "'NO' 会被 YAML 读成“是/否”", "如果它是文字，请加引号：'NO'")]


def test_unknown_keys_get_the_closest_known_key_quoted():
    fields, problems = fields_of(SETTINGS)
    fields.unknown_keys(("name", "copies", "signer"))
    assert problems[1:] == [error("a.yaml", 2, "未知的设置项 'copise'", "是不是 'copies'？")]
    assert list(fields.values) == ["name", "copies", "signer"]


def test_unknown_keys_without_a_close_one_get_the_otherwise_hint():
    fields, problems = fields_of("source: 新华社\n")
    fields.unknown_keys(("title",), otherwise="可用：title")
    assert problems == [error("a.yaml", 1, "未知的设置项 'source'", "可用：title")]


def test_aliases_name_the_same_field_and_may_not_both_be_written():
    fields, problems = fields_of("title: 标题\n标题: 又一个\n标题名: 三\n", first_line=2)
    fields.unknown_keys(("title",), {"标题": "title"}, noun="字段")
    assert problems == [error("a.yaml", 3, "字段 '标题' 与 'title' 重复"),
                        error("a.yaml", 4, "未知的字段 '标题名'", "是不是 '标题'？")]
    assert (fields.values, fields.line("title")) == ({"title": "标题"}, 2)


def test_did_you_mean():
    assert did_you_mean("工作动向", ("要情专报", "工作动态")) == "是不是 工作动态？"
    assert did_you_mean("工作动向", ("要情专报", "工作动态"), quote=True) == "是不是 '工作动态'？"
    assert did_you_mean("xyz", ("要情专报", "工作动态"), otherwise="请写栏目") == "请写栏目"
    assert did_you_mean("xyz", ()) == ""


def test_one_of_hints_at_the_closest_choice_or_where_the_choices_are():
    units = ("市教育局", "市财政局")
    with pytest.raises(FieldError) as caught:
        one_of("单位", units)("市教育")
    assert (caught.value.message, caught.value.hint) == ("未知的单位 '市教育'", "是不是 '市教育局'？")
    with pytest.raises(FieldError) as caught:
        one_of("单位", units)("气象台")
    assert (caught.value.message, caught.value.hint) == ("未知的单位 '气象台'", "可用的单位见 briefgen.yaml")
    assert one_of("单位", units)("市财政局") == "市财政局"


def test_count_refuses_what_is_not_a_whole_number_of_at_least_its_smallest():
    with pytest.raises(FieldError, match="^number 应是正整数，而不是 '0'$"):
        count("number", smallest=1)(0)
    with pytest.raises(FieldError, match="^copies 应是非负整数，而不是 'True'$"):
        count("copies")(True)


def test_parse_date_says_how_to_write_a_date():
    zone = dt.timezone(dt.timedelta(hours=8))
    assert parse_date("2026-11-27T20:00:00Z", zone) == dt.date(2026, 11, 28)
    with pytest.raises(FieldError) as caught:
        parse_date("２０２６-11-27", zone)
    assert (caught.value.message, caught.value.hint) == ("日期 '２０２６-11-27' 中有全角数字或符号",
                                                         "请在英文输入状态下输入，如 2026-11-27")
