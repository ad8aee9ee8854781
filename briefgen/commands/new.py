"""`briefgen new`: a new item file with complete front matter, at a predictable path."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from briefgen.bulletin.periods import period_of, today
from briefgen.config.fields import FieldError, did_you_mean
from briefgen.config.settings import Config
from briefgen.content.items import choice
from briefgen.content.rewrite import new_front_matter
from briefgen.errors import BriefgenError

SLUG_LENGTH = 24  # characters of the title kept in the file name
UNSAFE_IN_NAME = re.compile(r"[^\w\u3400-\u9fff\uf900-\ufaff-]+")  # keep letters, digits and ideographs


def slug(title: str) -> str:
    """The title as a file name: readable Chinese, without punctuation or spaces."""
    text = UNSAFE_IN_NAME.sub("", title.replace(" ", "-")).strip("-_")
    return text[:SLUG_LENGTH] or "稿件"


def item_path(config: Config, title: str, day: dt.date) -> Path:
    """content/<year>/<period>/<date>-<slug>.md, e.g. content/2026/2026-W48/2026-11-27-市教育局开展教研活动.md"""
    period = period_of(day, config.period)
    return config.content_dir / str(period.year) / period.id / f"{day.isoformat()}-{slug(title)}.md"


def item_text(title: str, unit: str, topic: str, day: dt.date, author: str, today: dt.date) -> str:
    """The file: every field an editor looks at, then an empty body for the author to write."""
    return "\n".join([*new_front_matter(title, unit, topic, day, author, today, "待审"), "---", "", ""])


def create_item(config: Config, title: str, unit: str, topic: str, day: dt.date, author: str,
                today: dt.date) -> Path:
    """Write the new item; refuse an unknown unit or topic (with a suggestion) and an existing file."""
    title = " ".join(title.split())
    if not title:
        raise BriefgenError("标题不能为空。")
    for label, value, choices in (("单位", unit, config.units), ("栏目", topic, config.topics)):
        try:
            choice(label, choices)(value)
        except FieldError as exc:
            raise BriefgenError(f"{exc.message}；{exc.hint}") from None
    path = item_path(config, title, day)
    rel = path.relative_to(config.root).as_posix()
    if path.exists():
        raise BriefgenError(f"{rel} 已经存在，没有改动它；同一天同名的稿件请换个标题。")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as stream:  # "x": never overwrite
        stream.write(item_text(title, unit, topic, day, author, today))
    return path


def run_new(root: Path, title: str | None, unit: str | None, topic: str | None, day: str | None,
            author: str | None) -> None:
    """Create the item; in a terminal, ask for what is missing with numbered choices."""
    import sys

    import click

    from briefgen.config.fields import parse_date
    from briefgen.config.settings import load_config

    config = load_config(root)
    now = today(config.timezone)
    asking = sys.stdin.isatty()
    missing = [label for label, value in (("标题", title), ("--unit", unit), ("--topic", topic)) if not value]
    if missing and not asking:
        raise click.UsageError(f"缺少{'、'.join(missing)}；例如 briefgen new \"稿件标题\" --unit 单位 --topic 栏目")
    title = title or click.prompt("标题")
    unit = unit or pick("单位", config.units)
    topic = topic or pick("栏目", config.topics)
    if author is None:
        officers = config.rules.units[unit].officers if unit in config.rules.units else ()
        author = pick("作者", officers, optional=True) if asking and officers else ""
    try:
        when = parse_date(day, config.zone) if day else now
    except FieldError as exc:
        raise BriefgenError(f"{exc.message}；{exc.hint}") from None
    if (when - now).days > config.future_days:
        raise BriefgenError(f"日期 {when.isoformat()} 比今天（{now.isoformat()}）晚 {(when - now).days} 天，"
                            f"超过了 briefgen.yaml 中 future_days 允许的 {config.future_days} 天；请检查日期")
    lateness = late_warning(config, when, now)
    if lateness:
        click.echo(lateness, err=True)
    path = create_item(config, title, unit, topic, when, author, now)
    click.echo(f"已新建 {path.relative_to(config.root).as_posix()}")
    click.echo("请在第二个 --- 之后写正文（每段一行，段落之间空一行），写好后运行 briefgen check 检查。")


def pick(label: str, choices: tuple[str, ...], optional: bool = False) -> str:
    """Ask for one of choices, by number or by name; empty is allowed when optional."""
    import click

    for number, name in enumerate(choices, start=1):
        click.echo(f"  {number}. {name}", err=True)
    while True:
        answer = click.prompt(f"{label}（填序号或名称{'，可不填' if optional else ''}）", default="",
                              show_default=False, err=True).strip()
        if not answer and optional:
            return ""
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        if answer in choices:
            return answer
        close = did_you_mean(answer, choices, cutoff=0.5)  # "是不是 X？", or nothing
        click.echo(f"没有“{answer}”这一项，{close}请重新输入。", err=True)


def late_warning(config: Config, when: dt.date, now: dt.date) -> str:
    """Said before the file is written, when an item of this date would be late (bulletin/late)."""
    from briefgen.bulletin.assemble import check_bulletin
    from briefgen.bulletin.late import next_open

    checked = check_bulletin(config, today=now, unpublished=True)
    published = [issue for issue in checked.bulletin.issues if issue.published]
    if not published:
        return ""
    newest = max(published, key=lambda issue: issue.period.start)
    own = period_of(when, config.period)
    if own.start > newest.period.start:
        return ""
    target = next_open(newest.period, [issue.period for issue in checked.bulletin.issues], now, config.period)
    shown = next((issue for issue in checked.bulletin.issues if issue.period == target), None)
    name = f"{shown.title}（{target.id}）" if shown else f"新的一期（{target.id}）"
    why = (f"所在的一期（{own.id}）已经发布" if own.id in {i.id for i in published}
           else f"早于已发布的最新一期（{newest.id}）")
    return f"注意：日期 {when.isoformat()} {why}；这篇稿件将作为迟报编入 {name}，日期不变。"
