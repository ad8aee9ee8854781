"""`briefgen calls`: each request for items (约稿) and 报送要点, with the units that answered it and,
once it is due, those that did not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from briefgen.bulletin.periods import today
from briefgen.config.settings import load_config
from briefgen.model import Call, Item
from briefgen.stats.calls import answers, missing

NO_CALLS = ("还没有约稿。约稿写在 content/calls/<编号>.yaml 中（title 题目，units 单位，due 截止日期，topics 栏目，"
            "note 说明；不写 due 的是报送要点），稿件在信息头写 call: <编号> 响应。")


def run_calls(root: Path) -> None:
    from briefgen.bulletin.assemble import load_bulletin

    config = load_config(root)
    bulletin = load_bulletin(config).bulletin
    if not bulletin.calls:
        click.echo(NO_CALLS)
        return
    now = today(config.timezone)
    for call in bulletin.calls:
        click.echo("\n".join(describe(call, bulletin.submitted, now)))


def describe(call: Call, items: tuple[Item, ...], now: dt.date) -> list[str]:
    """The lines that tell one call's state."""
    answered = answers(call, items)
    sent = "、".join(f"{unit} {count} 篇" for unit, count in answered.items()) or "（还没有）"
    if call.due is None:
        return [f"报送要点 {call.id}：{call.title}", f"  已报送：{sent}"]
    left = (call.due - now).days
    when = (f"截止 {call.due.isoformat()}，还有 {left} 天" if left > 0 else
            f"截止 {call.due.isoformat()}，今天截止" if left == 0 else f"{call.due.isoformat()} 已截止")
    lines = [f"约稿 {call.id}（{when}）：{call.title}", f"  已报送：{sent}"]
    absent = missing(call, items)
    if absent:
        lines.append(f"  {'未报送' if left < 0 else '尚未报送'}：{'、'.join(absent)}")
    return lines
