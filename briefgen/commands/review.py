"""`briefgen review`: the editor decides on the items officers submitted (采用 / 备用 / 退稿) and
may add a remark (点评); both are written into the item's front matter, nothing else is changed."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import click

from briefgen.config.settings import Config, load_config
from briefgen.content.rewrite import set_fields
from briefgen.errors import BriefgenError
from briefgen.model import Item
from briefgen.storage.atomic import atomic_write
from briefgen.storage.lock import repository_lock

ALIASES = {"status": ("状态",), "review": ("点评",)}
KEYS = {"a": "采用", "r": "备用", "x": "退稿", "s": ""}  # the interactive walk's answers; s: skip


def run_review(root: Path, files: tuple[Path, ...], decision: str | None, comment: str | None) -> None:
    config = load_config(root)
    items, published = _items(config)
    if files:
        chosen = [_item_of(config, items, published, path) for path in files]
    else:
        chosen = sorted((i for i in items.values() if i.status == "submitted"), key=_by_unit(config))
    if decision is None and comment is None:
        if not sys.stdin.isatty():
            _list(chosen, config, bool(files))
            return
        _walk(config, chosen)
        return
    if decision == "退稿" and not comment:
        raise click.UsageError("退稿请用 --comment 写明原因，供报送单位修改或参考")
    if not files:
        raise click.UsageError("请写明要审的稿件文件，如 briefgen review content/2026/2026-W48/稿件.md --adopt")
    with _lock(config):
        for item in chosen:
            click.echo(record(config, item, decision, comment))


def _items(config: Config) -> tuple[dict[str, Item], frozenset[str]]:
    """Every item without errors, by its file, and the files of the items of published issues."""
    from briefgen.bulletin.assemble import check_bulletin

    checked = check_bulletin(config)
    published = frozenset(item.source for issue in checked.bulletin.issues if issue.published for item in issue.items)
    return {item.source: item for item in checked.bulletin.submitted}, published


def _item_of(config: Config, items: dict[str, Item], published: frozenset[str], path: Path) -> Item:
    try:
        rel = path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        raise BriefgenError(f"{path} 不在这个简报仓库中") from None
    if rel not in items:
        raise BriefgenError(f"{rel} 不是可以审阅的稿件（文件不存在、不在 content/ 中、是草稿，或有错误）；"
                            "请先运行 briefgen check")
    if rel in published:
        raise BriefgenError(f"{rel} 已刊登在已发布的一期中，不能再改审稿结论；如需更正，请在下一期中刊登更正")
    return items[rel]


def record(config: Config, item: Item, decision: str | None, comment: str | None) -> str:
    """Write the decision and remark into the item's file; what was done, in a line."""
    values = {}
    if decision:
        values["status"] = decision
    if comment is not None:
        values["review"] = " ".join(comment.split())
    path = config.root / item.source
    atomic_write(path, set_fields(path.read_bytes(), values, ALIASES))
    done = f"已{decision}" if decision else "已写点评"
    remark = f"；点评：{values['review']}" if values.get("review") else ""
    return f"{done}：{item.source}（{item.unit}，{item.title}）{remark}"


def _list(items: list[Item], config: Config, named: bool) -> None:
    if not items:
        click.echo("没有待审稿件。" if not named else "")
        return
    click.echo(f"待审稿件 {len(items)} 篇：" if not named else f"稿件 {len(items)} 篇：")
    unit = None
    for item in items:
        if item.unit != unit:
            unit = item.unit
            click.echo(f"{unit}（{sum(i.unit == unit for i in items)} 篇）")
        click.echo(f"  {item.source}  {item.date.isoformat()}  {item.title}")
    click.echo("用 briefgen review 文件… --adopt（采用）、--reserve（备用）或 --reject（退稿）记录审稿结论，"
               "--comment 写点评；在终端中直接运行 briefgen review 可以逐篇审阅。")


def _walk(config: Config, items: list[Item], ask: Callable[..., str] = click.prompt) -> None:
    """One item after another: its title, unit, date and opening, then the editor's decision."""
    if not items:
        click.echo("没有待审稿件。")
        return
    with _lock(config):
        for number, item in enumerate(items, start=1):
            click.echo(f"\n[{number}/{len(items)}] {item.title}\n{item.unit} · {item.date.isoformat()} · {item.source}")
            opening = " ".join(item.body.split())[:120]
            click.echo(f"  {opening}{'……' if len(opening) == 120 else ''}")
            answer = ask("采用 a / 备用 r / 退稿 x / 跳过 s", type=click.Choice(list(KEYS)), show_choices=False)
            if not KEYS[answer]:
                continue
            remark = ask("点评（可留空）" if answer != "x" else "退稿原因", default="" if answer != "x" else None,
                         show_default=False)
            click.echo(record(config, item, KEYS[answer], remark or None))


def _lock(config: Config) -> AbstractContextManager[None]:
    """The repository's write lock, saying in the terminal when another command holds it."""
    return repository_lock(config.root, "briefgen review", say=lambda text: click.echo(text, err=True))


def _by_unit(config: Config) -> Callable[[Item], tuple[int, str, str]]:
    order = {unit: index for index, unit in enumerate(config.units)}
    return lambda item: (order.get(item.unit, len(order)), item.date.isoformat(), item.source)
