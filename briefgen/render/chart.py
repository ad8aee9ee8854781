"""The 通报's bar chart: each unit's submissions against its quota, drawn by matplotlib."""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from briefgen.stats.tally import Row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FONTS = ["黑体", "SimHei", "Noto Sans CJK SC", "DejaVu Sans"]
RED, GREY = "#e60012", "#c8c8c8"


class Shape(NamedTuple):
    """The chart's size in inches and its text in points, before the page scales it."""

    width: float
    row_height: float
    frame_height: float
    font_size: float


# On a screen the SVG is scaled to the column: 3.6 inches (259 pt) shown 364 px wide on a 390 px
# phone is 1.4 px a point, so 8 pt text is 11 px there.
SCREEN = Shape(3.6, 0.27, 0.75, 8)
# In print it fills the 156 mm text block at its own size: 9 pt text, and a year's seventeen
# units in about 110 mm, so that the chart and the text around it share a page.
PRINT = Shape(6.1, 0.2, 0.7, 9)


def bar_label(row: Row) -> str:
    """What the chart says of a unit, right of its bars: its count against the quota and the
    completion rate, e.g. 2/24篇 8%; just 2篇 when it has no quota."""
    completion = row.completion
    if completion is None:
        return f"{row.figures.submitted}篇"
    return f"{row.figures.submitted}/{row.quota}篇 {completion:.0%}"


def quota_figure(rows: tuple[Row, ...], shape: Shape = SCREEN) -> Figure:
    """The chart as a matplotlib figure (draw it inside chart_context()): one line per row, top-down
    in the rows' order; the quota a grey bar, the items submitted a red bar over it, the unit's
    name on the left and its bar_label on the right."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = tuple(reversed(rows))  # barh draws bottom-up: keep the ranking order top-down
    figure = Figure(figsize=(shape.width, shape.row_height * len(rows) + shape.frame_height))
    axes = figure.subplots()
    positions = list(range(len(rows)))
    quota = axes.barh(positions, [r.quota or 0 for r in rows], height=0.7, color=GREY, label="报送任务")
    submitted = axes.barh(positions, [r.figures.submitted for r in rows], height=0.38, color=RED,
                          label="报送篇数")
    axes.set_yticks(positions, [r.key for r in rows])
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.margins(x=0.04)
    axes.set_xlim(left=0)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    labels = axes.twinx()  # a column of labels the layout makes room for: never cut off
    labels.set_ylim(axes.get_ylim())
    labels.set_yticks(positions, [bar_label(r) for r in rows])
    for side in (axes, labels):
        side.tick_params(length=2, pad=2)
        side.spines[["top", "right"]].set_visible(False)
    labels.tick_params(length=0)
    axes.legend(handles=[submitted, quota], loc="upper center", bbox_to_anchor=(0.5, 0), ncol=2, frameon=False,
                borderaxespad=1.6, handlelength=1.2, handleheight=0.6, columnspacing=1.5)
    figure.tight_layout(pad=0.3)
    return figure


@contextlib.contextmanager
def chart_context(font_size: float = SCREEN.font_size) -> Iterator[None]:
    """Where quota_figure draws: a CJK font of font_size, text as paths, ids that never change."""
    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # 黑体 missing: Noto instead
    settings = {"svg.hashsalt": "briefgen", "svg.fonttype": "path", "font.family": FONTS, "font.size": font_size}
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        yield


def quota_chart(rows: tuple[Row, ...], shape: Shape = SCREEN) -> str:
    """An inline SVG (no XML prolog) of submitted items and quota per row; same rows, same bytes."""
    with chart_context(shape.font_size):
        buffer = io.StringIO()
        quota_figure(rows, shape).savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)  # RDF boilerplate
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype to inline it


def strip_size(svg: str) -> str:
    """Let the page decide the chart's width."""
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
