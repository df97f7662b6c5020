"""Charts for the dashboard, drawn by matplotlib as inline SVG.

Text is drawn as glyph outlines (svg.fonttype = path), so the page needs no font to show the Chinese
labels and opens the same on any computer, offline. The Chinese font is the first of the families the
PDF pages use that matplotlib finds on this computer.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from gridtool.output.pdf import CJK_FAMILIES
from gridtool.table.invisible import shown

GREEN, AMBER, RED, GREY, BLUE = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e", "#1565c0"
STATUS_COLOURS = {"out_of_stock": RED, "below_threshold": RED, "running_low": AMBER, "ok": GREEN}


@lru_cache(maxsize=1)
def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    installed = {f.name for f in font_manager.fontManager.ttflist}
    chinese = [family for family in CJK_FAMILIES if family in installed]
    plt.rcParams.update({"font.family": "sans-serif", "font.sans-serif": [*chinese, "DejaVu Sans"],
                         "svg.fonttype": "path", "axes.unicode_minus": False, "font.size": 11,
                         "svg.hashsalt": "gridtool"})  # the same input draws the same file
    return plt


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(figure)
    text = buffer.getvalue()
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF namespaces only: nothing to show
    return text[text.index("<svg"):]  # inline: no XML prolog or doctype


def rate_chart(days: Sequence[str], rates: Sequence[float]) -> str:
    """Check-in rate per day, as a line with the value at each point."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(6.4, 2.6))
    values = [r * 100 for r in rates]
    axes.plot(list(days), values, marker="o", color=BLUE)
    for x, y in zip(days, values, strict=True):
        axes.annotate(f"{y:.1f}%", (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=9)
    axes.set_ylim(max(0.0, min(values, default=100) - 10), 105)
    axes.set_ylabel("打卡率 %")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def _labels(values: pd.Series) -> list[Any]:
    """Bar labels as staff read them: a hidden character (U+202E …) drawn as its marker `〔U+202E〕`."""
    return [shown(v) if isinstance(v, str) else v for v in values]


def _bar_figure(rows: int, xlabel: str) -> tuple[Any, Any]:
    """A figure for one horizontal bar per row, tall enough for its labels."""
    figure, axes = _pyplot().subplots(figsize=(6.4, 0.45 * rows + 0.9))
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def stock_chart(items: pd.DataFrame) -> str:
    """Days of supply left per item, coloured by status, with each item's lead time marked."""
    rows = items.iloc[::-1]
    figure, axes = _bar_figure(len(rows), "可用天数（竖线：到货天数）")
    left = rows["days_left"].fillna(0).clip(upper=60)
    labels = _labels(rows["item"])
    axes.barh(labels, left, color=[STATUS_COLOURS.get(s, GREY) for s in rows["status"]])
    axes.scatter(rows["lead_time"], labels, marker="|", s=300, color="black", label="到货天数")
    for y, (value, days) in enumerate(zip(left, rows["days_left"], strict=True)):
        text = "—" if pd.isna(days) else f"{days:g} 天"
        axes.annotate(text, (value, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
    return _svg(figure)


def completion_chart(by_worker: pd.DataFrame) -> str:
    """Follow-up items per worker: done, open and overdue, stacked."""
    rows = by_worker.iloc[::-1]
    figure, axes = _bar_figure(len(rows), "事项数")
    done, overdue = rows["done"], rows["overdue"]
    waiting = rows["open"] - overdue
    labels = _labels(rows["worker"])
    axes.barh(labels, done, color=GREEN, label="已办结")
    axes.barh(labels, waiting, left=done, color=AMBER, label="未办结")
    axes.barh(labels, overdue, left=done + waiting, color=RED, label="已超时")
    axes.legend(loc="lower right", fontsize=9, frameon=False, ncols=3, bbox_to_anchor=(1, 1))
    return _svg(figure)


def requests_chart(by_category: pd.DataFrame) -> str:
    """Requests logged on the day per category, each bar labelled with the change on the day before."""
    rows = by_category.iloc[::-1]
    figure, axes = _bar_figure(len(rows), "当天登记的诉求（括号内：较前一天）")
    axes.barh(_labels(rows["category"]), rows["today"], color=[RED if c > 0 else BLUE for c in rows["change"]])
    for y, (today, change) in enumerate(zip(rows["today"], rows["change"], strict=True)):
        axes.annotate(f"{today}（{change:+d}）", (today, y), xytext=(4, 0), textcoords="offset points", va="center",
                      fontsize=9)
    return _svg(figure)
