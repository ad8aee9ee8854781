"""The 通报's bar chart: each unit's submissions against its quota, drawn by matplotlib."""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from briefgen.stats.tally import Row, score_text

FONTS = ["黑体", "SimHei", "Noto Sans CJK SC", "DejaVu Sans"]
RED, GREY = "#e60012", "#b0b0b0"


def quota_chart(rows: tuple[Row, ...]) -> str:
    """An inline SVG (no XML prolog) of submitted items and quota per row; same rows, same bytes."""
    import matplotlib

    matplotlib.use("Agg")
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    from matplotlib.figure import Figure

    rows = tuple(reversed(rows))  # barh draws bottom-up: keep the ranking order top-down
    settings: dict[str, Any] = {"svg.hashsalt": "briefgen", "svg.fonttype": "path",
                                "font.family": FONTS, "font.size": 11}
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        figure = Figure(figsize=(7, 0.34 * len(rows) + 1.0))
        axes = figure.subplots()
        positions = range(len(rows))
        axes.barh([p + 0.2 for p in positions], [r.figures.submitted for r in rows], height=0.4,
                  color=RED, label="报送篇数")
        axes.barh([p - 0.2 for p in positions], [r.quota or 0 for r in rows], height=0.4,
                  color=GREY, label="报送任务")
        for position, row in zip(positions, rows, strict=True):
            axes.annotate(f"{score_text(row.figures.score)}分", (max(row.figures.submitted, row.quota or 0), position),
                          xytext=(4, 0), textcoords="offset points", va="center", fontsize=10)
        axes.set_yticks(list(positions), [r.key for r in rows])
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, 0), ncol=2, frameon=False,
                    borderaxespad=2)
        axes.margins(x=0.12)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)  # RDF boilerplate
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype to inline it


def strip_size(svg: str) -> str:
    """Let the page decide the chart's width."""
    return re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', svg, count=1)
