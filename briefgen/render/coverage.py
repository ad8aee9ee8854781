"""Characters of the items that no installed or bundled font has: found before the PDF is printed."""

from __future__ import annotations

from briefgen.content.items import line_of
from briefgen.errors import Diagnostic, warning
from briefgen.model import Bulletin, Issue
from briefgen.render.fonts import (
    family_names,
    file_coverage,
    font_files,
    system_coverage,
    uncovered,
)


def font_warnings(bulletin: Bulletin, issues: tuple[Issue, ...]) -> list[Diagnostic]:
    """Warn, with file and line, about characters that no installed or bundled font has."""
    covered = system_coverage()
    if covered is None:
        return [warning("briefgen.yaml", 0, "找不到 fc-list，无法检查 PDF 中是否有字体缺字",
                        "请安装 fontconfig")]
    bundled = font_files(bulletin.config.fonts_dir)
    covered |= file_coverage(bundled)
    problems = [warning(path.relative_to(bulletin.config.root).as_posix(), 0, "无法读取这个字体文件，已忽略",
                        "请确认它是完整的 .ttf、.otf 或 .ttc 字体")
                for path in bundled if not family_names(path)]
    for issue in issues:
        for item in issue.items:
            text = "\n".join((item.title, item.note, item.body))
            for char in uncovered(text, covered):
                fields = [name for name in ("title", "note") if char in getattr(item, name)]
                line = item.field_lines[fields[0]] if fields else line_of(item, char)
                problems.append(warning(
                    item.source, line, f"字符“{char}”(U+{ord(char):04X}) 没有任何字体包含，PDF 中会印成方框",
                    "请改用常用字，或把含有此字的字体文件放进 fonts/ 文件夹",
                ))
    return problems
