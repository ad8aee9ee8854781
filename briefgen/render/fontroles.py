"""Which font each role of the print stylesheet gets here, and whether it is a free substitute for
the official one: what `briefgen doctor` reports, and the line a build prints about it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from briefgen.render.fonts import family_names, font_files, installed_fonts

# The font stacks of the print template, by role (read from print.css so an override counts).
ROLES = (("--title", "标题（小标宋）"), ("--serif", "正文（仿宋）"),
         ("--sans", "一级标题（黑体）"), ("--kai", "编者按（楷体）"))
# The free fonts a stack may name after the official ones; any other name counts as official.
FREE_FONTS = frozenset({
    "FandolFang", "FandolKai", "FandolSong", "FandolHei", "Noto Serif CJK SC", "Noto Sans CJK SC",
    "Source Han Serif SC", "Source Han Sans SC", "AR PL UKai CN", "AR PL KaitiM GB", "LXGW WenKai",
})


@dataclass(frozen=True)
class RoleFont:
    """One role: its stack, the first family of it that is available, and whether from fonts/."""

    role: str
    stack: tuple[str, ...]
    found: str | None
    bundled: bool = False

    @property
    def official(self) -> tuple[str, ...]:
        return tuple(family for family in self.stack if family not in FREE_FONTS)

    @property
    def substitute(self) -> bool:
        """Whether a free font, or none at all, stands in for an official one the stack names."""
        return bool(self.official) and (self.found is None or self.found in FREE_FONTS)

    @property
    def closer(self) -> tuple[str, ...]:
        """The free fonts the stack prefers to the one found, none of them available."""
        if self.found is None:
            return tuple(family for family in self.stack if family in FREE_FONTS)
        return tuple(family for family in self.stack[:self.stack.index(self.found)] if family in FREE_FONTS)


def stack_of(css: str, variable: str) -> list[str]:
    """The font families of a CSS custom property such as --serif, in order."""
    match = re.search(rf"{re.escape(variable)}\s*:\s*([^;]+);", css)
    if not match:
        return []
    return [name.strip().strip("\"'") for name in match.group(1).split(",")
            if name.strip().strip("\"'") not in ("serif", "sans-serif")]


def role_fonts(css: str, installed: set[str], bundled: set[str]) -> list[RoleFont]:
    """Each role of the stylesheet with the first family of its stack that is installed or in fonts/."""
    roles = []
    for variable, role in ROLES:
        stack = tuple(stack_of(css, variable))
        found = next((family for family in stack if family in installed or family in bundled), None)
        roles.append(RoleFont(role, stack, found, found in bundled))
    return roles


def substitutes_line(roles: list[RoleFont]) -> str:
    """One line naming each role that uses a free substitute, and the font it uses; "" for none."""
    used = [f"{role.role}用{f' {role.found} ' if role.found else '系统默认字体'}代替{role.official[0]}"
            for role in roles if role.substitute]
    if not used:
        return ""
    return f"字体：{'，'.join(used)}；把正式字体文件放进 fonts/ 即可改用。"


def installed_families() -> set[str] | None:
    """Every family name fontconfig knows, or None without fontconfig."""
    fonts = installed_fonts()
    if fonts is None:
        return None
    return {name.strip() for _, families, _ in fonts for name in families.split(",") if name.strip()}


def bundled_families(fonts_dir: Path) -> set[str]:
    """Every family name the font files in the repository's fonts/ folder declare."""
    return {name for path in font_files(fonts_dir) for name in family_names(path)}


def fonts_line(css: str, fonts_dir: Path) -> str:
    """The line a build that makes PDFs prints when a role uses a free substitute."""
    return substitutes_line(role_fonts(css, installed_families() or set(), bundled_families(fonts_dir)))
