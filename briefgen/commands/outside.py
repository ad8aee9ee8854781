"""Files a command writes outside an output folder (a report, an exported manuscript): never into
the sources or an output folder, whose next build would delete it, never over the settings, and
never over a file briefgen did not write (storage/written)."""

from __future__ import annotations

from pathlib import Path

from briefgen.bulletin.ledger import LEDGER
from briefgen.config.settings import CONFIG_NAME, Config
from briefgen.errors import BriefgenError, os_problem, shown
from briefgen.storage.atomic import atomic_write
from briefgen.storage.written import may_replace, remember


def check_place(config: Config, out: Path, kind: str, nothing: str) -> None:
    """Refuse a place a file of this kind (统计) may not go to; nothing: what the refusal leaves."""
    from briefgen.commands.build import source_folders
    from briefgen.storage.tree import MARKER

    target = out.absolute().resolve()
    where = shown(out)
    for name, folder in source_folders(config).items():
        if target.is_relative_to(folder.resolve()):
            raise BriefgenError(f"{where} 位于 {name} 之内，{kind}不能写在那里；{nothing}请换一个位置。")
    if target.parent == config.root.resolve() and target.name in (CONFIG_NAME, LEDGER):
        raise BriefgenError(f"{where} 是简报仓库的设置文件，不能被{kind}覆盖；{nothing}请换一个文件名。")
    if any((parent / MARKER).is_file() for parent in target.parents):
        raise BriefgenError(f"{where} 位于 briefgen 生成的输出目录之内，下次生成时会被删除；{nothing}请换一个位置。")


def check_replace(config: Config, out: Path, data: bytes, kind: str, nothing: str) -> None:
    """Refuse to replace a file that briefgen did not write (and that does not hold data already)."""
    if not may_replace(config.root, out.absolute().resolve(), data):
        raise BriefgenError(f"{shown(out)} 已存在，而且不是 briefgen 写的{kind}；为免覆盖，{nothing}"
                            "请换一个文件名，或先把它移走。")


def write_outside(config: Config, out: Path, data: bytes, nothing: str) -> None:
    """Write data to out whole (never half a file), and remember that briefgen wrote it."""
    target = out.absolute().resolve()
    try:
        atomic_write(target, data)
    except OSError as exc:
        problem = os_problem(exc)
        if problem is None:
            raise
        raise BriefgenError(f"{problem}。{nothing}") from exc
    remember(config.root, target, data)
