"""The statistics as a terminal table, CSV for Excel, or JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from typing import Any

from briefgen.stats.tally import Report, Row, score_text

KEY_HEADER = {"unit": "单位", "author": "信息员", "topic": "栏目"}
QUARTERS = ("一季度", "二季度", "三季度", "四季度")


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def columns(report: Report) -> list[tuple[str, Callable[[Row], Any]]]:
    """(header, value) for each column of the report's table, in order: what a reader looks for
    first (rank, name, score, completion) leads, the counts follow, the quarters of a year or of a
    half year come last."""
    cols: list[tuple[str, Callable[[Row], Any]]] = [
        ("排名", lambda r: "" if r.rank is None else r.rank),
        (KEY_HEADER[report.by], lambda r: f"{r.key}（{r.parent}）" if r.parent else r.key),
        ("得分", lambda r: score_text(r.figures.score)),
    ]
    if report.by == "unit":
        cols += [("完成率", lambda r: _percent(r.completion)),
                 ("报送任务", lambda r: "" if r.quota is None else r.quota)]
    cols += [
        ("报送", lambda r: r.figures.submitted),
        ("采用", lambda r: r.figures.adopted),
        ("上级采用", lambda r: r.figures.higher),
        ("领导批示", lambda r: r.figures.instructions),
        ("精品", lambda r: r.figures.premium),
    ]
    if report.total.late:  # only when the period had late items
        cols.append(("迟报", lambda r: r.figures.late))
    if report.by == "unit" and report.calls:  # only when the period had 约稿 due
        cols += [("响应约稿", lambda r: r.figures.calls_answered), ("未响应约稿", lambda r: r.figures.calls_missed)]
    cols.append(("时效（天）", lambda r: "" if r.figures.timeliness is None else r.figures.timeliness))
    for index, quarter in enumerate(report.period.quarters()):
        cols.append((f"{QUARTERS[quarter.number - 1]}得分", _quarter_score(index)))
    return cols


def _quarter_score(index: int) -> Callable[[Row], Any]:
    return lambda row: score_text(row.quarters[index].score)


def as_table(report: Report) -> str:
    """A table for the terminal, aligned for Chinese characters."""
    cols = columns(report)
    cells = [[header for header, _ in cols]] + [[str(get(row)) for _, get in cols] for row in report.rows]
    widths = [max(text_width(line[i]) for line in cells) for i in range(len(cols))]
    lines = ["  ".join(pad(text, width, i > 1)
                       for i, (text, width) in enumerate(zip(line, widths, strict=True))).rstrip()
             for line in cells]
    lines.insert(1, "  ".join("─" * width for width in widths))
    return "\n".join(lines) + "\n"


def as_csv(report: Report) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese headers correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    cols = columns(report)
    writer.writerow([header for header, _ in cols])
    for row in report.rows:
        writer.writerow([get(row) for _, get in cols])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_json(report: Report) -> str:
    """One object per row with the keys unit (or author/topic), submitted, adopted, higher,
    instructions, premium, score, quota, completion and rank; a year or a half year adds its quarters."""
    objects = []
    for row in report.rows:
        entry: dict[str, Any] = {
            report.by: row.key,
            "submitted": row.figures.submitted,
            "adopted": row.figures.adopted,
            "higher": row.figures.higher,
            "instructions": row.figures.instructions,
            "premium": row.figures.premium,
            "score": _plain(row.figures.score),
            "quota": row.quota,
            "completion": row.completion,
            "rank": row.rank,
        }
        if report.period.quarters():
            entry["quarters"] = [{"submitted": q.submitted, "adopted": q.adopted, "score": _plain(q.score)}
                                 for q in row.quarters]
        objects.append(entry)
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def text_width(text: str) -> int:
    """Columns the text takes in a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, right: bool) -> str:
    """text padded with spaces to width terminal columns, on the left when right-aligned."""
    space = " " * (width - text_width(text))
    return space + text if right else text + space
