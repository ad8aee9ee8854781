"""`briefgen import`: Word manuscripts (.docx, and through LibreOffice .doc, .wps, .odt, .rtf)
made into items under content/, one file each, with their images beside them; then `check`
on what was written. A file is refused, with the reason, when its unit or topic is not known,
when it repeats an item of the same unit and period, or when its text would not all arrive."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from briefgen.bulletin.periods import period_of, today
from briefgen.commands.new import item_path
from briefgen.config.fields import FieldError, did_you_mean, parse_date
from briefgen.config.settings import Config, load_config
from briefgen.content.items import STATUS_ALIASES
from briefgen.errors import BriefgenError
from briefgen.model import STATUSES
from briefgen.storage.atomic import atomic_write
from briefgen.word.meta import Meta, read_meta
from briefgen.word.office import BROKEN, DOCX, SUFFIXES, UNKNOWN, OfficeMissing, kind_of, to_docx
from briefgen.word.reader import Unreadable, read_docx
from briefgen.word.toitem import Draft, Fields, make_draft, squeeze

STATUS_NAMES = {english: chinese for chinese, english in STATUS_ALIASES.items()}
# Images Word keeps that neither a browser nor the PDF can show (pasted charts are often EMF).
UNSHOWN = {".emf": "EMF", ".wmf": "WMF", ".tif": "TIFF", ".tiff": "TIFF"}


@dataclass(frozen=True)
class Options:
    unit: str | None = None
    topic: str | None = None
    day: str | None = None
    status: str | None = None
    author: str | None = None
    dry_run: bool = False  # say what each file would become, write nothing


@dataclass
class Row:
    source: str  # as the user named it
    item: str = ""  # the item written, relative to the root
    refused: str = ""


class Refused(Exception):
    """This file is not imported; the message says why."""


def run_import(root: Path, paths: tuple[Path, ...], options: Options) -> int:
    """Import every Word file named or found in the folders named; print a table; 1 if any failed."""
    from briefgen.storage.lock import repository_lock

    config = load_config(root)
    status = _status(options.status)
    now = today(config.timezone)
    rows, files = gather(paths)
    if not files and not rows:
        raise BriefgenError("没有找到 Word 文件（.docx、.doc、.wps、.odt、.rtf）。")
    with repository_lock(root, "import", say=lambda text: click.echo(text, err=True)):
        known = existing_titles(config)
        with tempfile.TemporaryDirectory(prefix="briefgen-import-") as work:
            opened = open_all(files, Path(work))
            for path in files:
                row = Row(shown(path))
                rows.append(row)
                try:
                    row.item = import_one(config, path, opened[path], options, status, now, known)
                except Refused as exc:
                    row.refused = str(exc)
    rows.sort(key=lambda row: row.source)
    print_table(rows, options.dry_run)
    written = [row.item for row in rows if row.item and not options.dry_run]
    problems = check_written(root, written) if written else 0
    return 1 if problems or any(row.refused for row in rows) else 0


def gather(paths: tuple[Path, ...]) -> tuple[list[Row], list[Path]]:
    """The Word files named, and those in the folders named (not their lock files: ~$…); rows for
    the files named that are not Word files."""
    rows: list[Row] = []
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith(("~$", ".")))
        elif not path.exists():
            rows.append(Row(shown(path), refused="没有这个文件"))
        elif path.suffix.lower() not in SUFFIXES:
            rows.append(Row(shown(path), refused="不是 Word 文件（可导入 .docx、.doc、.wps、.odt、.rtf）"))
        else:
            files.append(path)
    return rows, list(dict.fromkeys(files))


def shown(path: Path) -> str:
    """The file as the editor knows it: relative to the working folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def open_all(files: list[Path], work: Path) -> dict[Path, Path | str]:
    """Each file as a .docx to read (itself, or LibreOffice's conversion), or why it cannot be."""
    opened: dict[Path, Path | str] = {}
    others: dict[str, tuple[Path, str]] = {}
    for path in files:
        try:
            kind = kind_of(path)
        except OSError as exc:
            opened[path] = f"无法读取（{exc.strerror}）"
            continue
        if kind == DOCX:
            opened[path] = path
        elif kind == BROKEN:
            opened[path] = "文件不完整或已损坏（是 Word 或 OpenDocument 文件，但打不开）"
        elif kind == UNKNOWN:
            opened[path] = f"不是 Word、WPS、OpenDocument 或 RTF 文件（文件名是 {path.suffix}，内容不是）"
        else:
            others[str(path)] = (path, kind)
    if others:
        try:
            converted = to_docx(others, work)
        except OfficeMissing as exc:
            converted = {key: str(exc) for key in others}
        for key, (path, _) in others.items():
            opened[path] = converted[key]
    return opened


def import_one(config: Config, path: Path, opened: Path | str, options: Options, status: str,
               now: dt.date, known: dict[tuple[str, str, str], str]) -> str:
    """Write the item for one file; the item's path relative to the root, or Refused."""
    if isinstance(opened, str):
        raise Refused(opened)
    try:
        document = read_docx(opened)
    except Unreadable as exc:
        raise Refused(str(exc)) from None
    meta, blocks = read_meta(document, now, config.zone)
    fields = resolve(config, meta, options, status, now, path)
    period = period_of(fields.day, config.period).id
    key = (squeeze(fields.title), fields.unit, period)
    if key in known:
        raise Refused(f"与 {known[key]} 标题相同（同一单位、同一期），是重复稿件")
    target = item_path(config, fields.title, fields.day)
    rel = target.relative_to(config.root).as_posix()
    if target.exists():
        raise Refused(f"{rel} 已经存在（同一天同名的稿件）")
    draft = make_draft(document, meta, blocks, fields, target.stem, shown(path))
    if draft.lost:
        raise Refused(f"转换后找不到这段文字：“{draft.lost[0][:30]}”；为免丢字，没有导入")
    if not options.dry_run:
        write(target, draft)
    known[key] = rel
    for name in draft.images:
        kind = UNSHOWN.get(Path(name).suffix)
        if kind:
            click.echo(f"{rel}: warning: 图片 {name} 是 {kind} 格式，网页和 PDF 都显示不了；"
                       f"请在 Word 中把这张图另存为 PNG 或 JPG，替换这个文件并改正文中的文件名", err=True)
    return rel


def write(target: Path, draft: Draft) -> None:
    """The images first, then the item (never over an existing file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for name, image in draft.images.items():
        atomic_write(target.parent / name, image.data)
    with target.open("x", encoding="utf-8", newline="\n") as stream:
        stream.write(draft.text)


def resolve(config: Config, meta: Meta, options: Options, status: str, now: dt.date, path: Path) -> Fields:
    """The front matter: the options, then the folders the file is in, over what the document
    says; a unit or topic briefgen.yaml does not list is refused with the nearest one it does."""
    unit = options.unit or folder_named(path, config.units) or match_unit(meta.unit, config.units)
    if not unit:
        raise Refused(f"文中没有报送单位，请用 --unit 指定（{'、'.join(config.units[:6])}…）")
    if unit not in config.units:
        close = did_you_mean(unit, config.units, cutoff=0.5)
        raise Refused(f"单位“{unit}”不在 briefgen.yaml 的 units 中；{close}请用 --unit 指定")
    topic = options.topic or folder_named(path, config.topics)
    if not topic:
        raise Refused(f"没有栏目，请用 --topic 指定，或把文件放在以栏目命名的文件夹中（{'、'.join(config.topics)}）")
    if topic not in config.topics:
        close = did_you_mean(topic, config.topics, cutoff=0.5)
        raise Refused(f"栏目“{topic}”不在 briefgen.yaml 的 topics 中；{close}请用 --topic 指定")
    day = meta.day or dt.datetime.fromtimestamp(path.stat().st_mtime, config.zone).date()
    if options.day:
        try:
            day = parse_date(options.day, config.zone)
        except FieldError as exc:
            raise Refused(f"{exc.message}；{exc.hint}") from None
    title = meta.title or path.stem
    author = options.author if options.author is not None else meta.author
    return Fields(title, unit, topic, day, author, status, now)


def folder_named(path: Path, names: tuple[str, ...]) -> str:
    """The nearest folder above the file named like one of names: an editor who sorts the
    week's files into 来稿/工作动态/ or 来稿/市教育局/ need not say it again."""
    return next((parent.name for parent in path.absolute().parents if parent.name in names), "")


def match_unit(written: str, units: tuple[str, ...]) -> str:
    """The unit of briefgen.yaml the document names: exactly, or the one name inside the other."""
    if not written or written in units:
        return written
    inside = [unit for unit in units if unit in written or written in unit]
    return inside[0] if len(inside) == 1 else written


def _status(value: str | None) -> str:
    if value is None:
        return "待审"
    if value in STATUS_ALIASES:
        return value
    if value in STATUSES:
        return STATUS_NAMES.get(value, value)
    raise click.BadParameter(f"“{value}”不是状态；可用：{'、'.join(STATUS_ALIASES)}", param_hint="--status")


def existing_titles(config: Config) -> dict[tuple[str, str, str], str]:
    """(title without spaces, unit, period) -> the item that has it, for every item of the repository."""
    from briefgen.content.loader import load_items

    loaded = load_items(config)
    return {(squeeze(item.title), item.unit, period_of(item.date, config.period).id): item.source
            for item in loaded.items}


def print_table(rows: list[Row], dry_run: bool) -> None:
    from briefgen.stats.formats import pad, text_width

    width = max([text_width("文件")] + [text_width(row.source) for row in rows])
    click.echo(f"{pad('文件', width, False)}  结果")
    for row in rows:
        result = row.item if row.item else f"未导入：{row.refused}"
        click.echo(f"{pad(row.source, width, False)}  {result}")
    done = sum(bool(row.item) for row in rows)
    if dry_run:
        click.echo(f"共 {len(rows)} 个文件：可以导入 {done} 篇，不能导入 {len(rows) - done} 个。"
                   "这是试运行（--dry-run），没有写入任何文件。")
    else:
        click.echo(f"共 {len(rows)} 个文件：导入 {done} 篇，未导入 {len(rows) - done} 个。")


def check_written(root: Path, written: list[str]) -> int:
    """briefgen check's problems of the files written, printed; how many are errors."""
    from briefgen.bulletin.assemble import check_bulletin

    checked = check_bulletin(load_config(root), unpublished=True)
    mine = sorted(p for p in checked.problems if p.path in set(written))
    for problem in mine:
        click.echo(str(problem), err=True)
    if mine:
        click.echo(f"检查已导入的稿件：{sum(p.is_error for p in mine)} 个错误，"
                   f"{sum(not p.is_error for p in mine)} 个警告。", err=True)
    return sum(p.is_error for p in mine)
