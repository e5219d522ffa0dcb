"""Bar charts drawn on the server as SVG geometry, for ``templates/partials/chart.html``.

No JavaScript and nothing from a CDN: the template writes ``<rect>`` and ``<text>`` elements from
what this computes, colours come from CSS classes (``chart-series-N``), and every chart sits beside
a table of its numbers (the accessible form of the same facts).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Bar", "Chart", "Label", "LegendItem", "Line", "Series", "bar_chart"]

WIDTH = 640
ROW_HEIGHT = 26  # horizontal charts: per category
PLOT_HEIGHT = 220  # vertical charts
LEFT_VERTICAL = 44
LEFT_HORIZONTAL = 170
TOP = 12
BOTTOM = 56
RIGHT = 16
LEGEND_CHARACTER = 7  # about the width of one character of the 12-unit labels


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int  # 1-based, for the CSS class
    title: str  # the tooltip: "category, series: value"


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    series: int
    name: str

    @property
    def text_x(self) -> float:
        return self.x + 16

    @property
    def text_y(self) -> float:
        return self.y + 11


@dataclass
class Chart:
    width: int
    height: int
    horizontal: bool
    bars: list[Bar] = field(default_factory=list)
    category_labels: list[Label] = field(default_factory=list)
    grid: list[Line] = field(default_factory=list)
    tick_labels: list[Label] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(bar.height > 0 and bar.width > 0 for bar in self.bars)


def _nice_maximum(value: float) -> tuple[float, float]:
    """An axis maximum at or above ``value`` and a round step for about five grid lines."""
    if value <= 0:
        return 1, 1
    raw = value / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(step, 1)  # the charts count cases and days: no fractional grid lines
    return math.ceil(value / step) * step, step


def _format(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(
    categories: Sequence[str], series: Sequence[Series], *, stacked: bool = False, horizontal: bool = False
) -> Chart:
    """Grouped (or stacked) bars of ``series`` over ``categories``; horizontal suits long names."""
    count = len(categories)
    totals = [
        sum(s.values[i] or 0 for s in series) if stacked else max((s.values[i] or 0 for s in series), default=0)
        for i in range(count)
    ]
    maximum, step = _nice_maximum(max(totals, default=0))
    if horizontal:
        left, plot_height = LEFT_HORIZONTAL, max(count, 1) * ROW_HEIGHT
    else:
        left, plot_height = LEFT_VERTICAL, PLOT_HEIGHT
    plot_width = WIDTH - left - RIGHT
    height = TOP + plot_height + BOTTOM
    chart = Chart(width=WIDTH, height=height, horizontal=horizontal)
    if len(series) > 1:
        x = float(left)
        for index, s in enumerate(series, start=1):
            chart.legend.append(LegendItem(x, height - 20, index, s.name))
            x += 16 + LEGEND_CHARACTER * len(s.name) + 20
    scale = (plot_width if horizontal else plot_height) / maximum
    band = (plot_height if horizontal else plot_width) / max(count, 1)
    inner = band * 0.7
    groups = 1 if stacked else max(len(series), 1)
    thickness = inner / groups
    for i, category in enumerate(categories):
        start = i * band + (band - inner) / 2
        offset = 0.0
        for j, s in enumerate(series):
            value = s.values[i] or 0
            length = value * scale
            position = start if stacked else start + j * thickness
            title = f"{category}, {s.name}: {_format(value)}" if len(series) > 1 else f"{category}: {_format(value)}"
            if horizontal:
                bar = Bar(left + offset, TOP + position, length, thickness, j + 1, title)
            else:
                bar = Bar(left + position, TOP + plot_height - offset - length, thickness, length, j + 1, title)
            chart.bars.append(bar)
            if stacked:
                offset += length
        middle = start + inner / 2
        if horizontal:
            chart.category_labels.append(Label(left - 6, TOP + middle + 4, category, "end"))
        else:
            chart.category_labels.append(Label(left + middle, TOP + plot_height + 16, category))
    tick = 0.0
    while tick <= maximum:
        if horizontal:
            x = left + tick * scale
            chart.grid.append(Line(x, TOP, x, TOP + plot_height))
            chart.tick_labels.append(Label(x, TOP + plot_height + 16, _format(tick)))
        else:
            y = TOP + plot_height - tick * scale
            chart.grid.append(Line(left, y, left + plot_width, y))
            chart.tick_labels.append(Label(left - 6, y + 4, _format(tick), "end"))
        tick += step
    return chart
