"""Print titles broken into balanced lines (render/titles.py), as GB/T 9704 asks."""

from __future__ import annotations

import pytest

from briefgen.render.env import title_lines
from briefgen.render.titles import balanced, width


@pytest.mark.parametrize(("title", "lines"), [
    # fits the 20-character line: one line
    ("市教育局开展教研活动", ("市教育局开展教研活动",)),
    ("市交通运输局优化公交线网提升群众出行便利", ("市交通运输局优化公交线网提升群众出行便利",)),
    # a main title and its subtitle break at their space, whatever their lengths
    ("江南区推进农村生活污水治理 提升农村人居环境", ("江南区推进农村生活污水治理", "提升农村人居环境")),
    ("江北区滨江高新园区集中签约项目12个 总投资86.5亿元", ("江北区滨江高新园区集中签约项目12个", "总投资86.5亿元")),
    # no space: near-equal lines between words, never one or two characters left over
    ("关于我市秋冬季大气污染防治面临的问题及建议", ("关于我市秋冬季大气污染", "防治面临的问题及建议")),
    ("市教育局多措并举推进中小学课后服务提质增效", ("市教育局多措并举推进", "中小学课后服务提质增效")),
    # a short quoted term stays whole, with its marks
    ("江南区枫林街道以“红色物业”提升小区治理水平", ("江南区枫林街道以", "“红色物业”提升小区治理水平")),
    ("江南区公安分局“警民议事厅”就地化解矛盾纠纷", ("江南区公安分局“警民议事厅”", "就地化解矛盾纠纷")),
    # a number keeps the word after it
    ("市人力资源社会保障局举办2026年秋季高校毕业生专场招聘活动", ("市人力资源社会保障局举办2026年", "秋季高校毕业生专场招聘活动")),
])
def test_titles_break_into_balanced_lines(title, lines):
    assert balanced(title) == lines


def test_a_long_title_takes_three_even_lines_none_too_long():
    title = "关于进一步加强和改进新时代基层政务信息报送工作推动全市信息工作高质量发展的实施意见和具体措施"
    lines = balanced(title)
    assert lines == ("关于进一步加强和改进新时代基层", "政务信息报送工作推动全市信息工作", "高质量发展的实施意见和具体措施")
    assert "".join(lines) == title
    assert all(width(line) <= 20 for line in lines)


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one():
    for title in ("我市召开全市信息工作会议（扩大）部署明年全市政务信息工作重点任务",
                  "市政府办公室印发《关于加强政务信息报送工作的通知》要求各地落实"):
        lines = balanced(title)
        assert len(lines) == 2 and "".join(lines) == title
        assert not any(line[0] in "，。、）》”" or line[-1] in "（《“" for line in lines), lines


def test_the_filter_marks_a_subtitle_break_and_escapes_the_title():
    assert str(title_lines("江南区推进农村生活污水治理 提升农村人居环境")) == (
        '江南区推进农村生活污水治理<br class="clause">提升农村人居环境')
    assert str(title_lines("关于我市秋冬季大气污染防治面临的问题及建议")) == "关于我市秋冬季大气污染<br>防治面临的问题及建议"
    assert str(title_lines("市局<开展>活动")) == "市局&lt;开展&gt;活动"
