"""A line chart: several series over the same x labels (months), with a y axis, an optional
target line and a legend drawn inside the SVG (so it prints in a PDF too).

Series differ by colour, dash pattern and marker (``svg.style``), never by colour alone. A
value of None is a gap in the line (a month without a figure). The text alternative is the
numbers as a table: one row per x label, one column per series.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reporting.charts.base import Chart
from reporting.charts.svg import (
    GRID,
    INK,
    MUTED,
    TARGET,
    Number,
    Point,
    Scale,
    marker_path,
    nice_range,
    num,
    points_attr,
    segments,
    style,
)

WIDTH = 720
PLOT_HEIGHT = 220
LEFT = 52
RIGHT = 16
TOP = 12
AXIS = 28  # room under the plot for the x labels
LEGEND_ROW = 20
CHAR_WIDTH = 6.6  # a generous estimate of one character at font-size 11
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]


@dataclass(frozen=True)
class Layout:
    """Positions computed from the data (pure; tested without rendering)."""

    width: int
    height: int
    plot_top: float
    plot_bottom: float
    plot_left: float
    plot_right: float
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    lines: list[list[list[tuple[float, float]]]]  # per series: its runs
    markers: list[list[tuple[float, float, str]]]  # per series: (x, y, hover text)
    legend: list[tuple[float, float, str]]  # per series: (x, y, name)
    target_y: float | None


def percent_axis(value: float) -> str:
    return f"{round(value * 100):d} %"


def plain_axis(value: float) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def layout(
    series: Sequence[Series],
    *,
    y_format: Callable[[float], str] = plain_axis,
    target: Number | None = None,
    width: int = WIDTH,
    plot_height: int = PLOT_HEIGHT,
    include_zero: bool = True,
) -> Layout:
    labels = [p.label for p in series[0].points] if series else []
    values: list[Number | None] = [p.value for s in series for p in s.points]
    if target is not None:
        values.append(target)
    low, high, ticks = nice_range(values, include_zero=include_zero)
    plot_top, plot_bottom = float(TOP), float(TOP + plot_height)
    plot_left, plot_right = float(LEFT), float(width - RIGHT)
    y = Scale(low, high, plot_bottom, plot_top)
    count = len(labels)
    slot = (plot_right - plot_left) / max(count, 1)
    x = Scale(0, max(count - 1, 1), plot_left + slot / 2, plot_right - slot / 2)
    if count == 1:
        x = Scale(0, 1, (plot_left + plot_right) / 2, (plot_left + plot_right) / 2)
    every = max(1, -(-count // MAX_X_LABELS))
    # Every ``every``-th label counted back from the newest, which is always shown.
    x_ticks = [(x(i), labels[i]) for i in range(count) if (count - 1 - i) % every == 0]
    lines, markers = [], []
    for s in series:
        coords: list[tuple[float, float] | None] = []
        hover: list[tuple[float, float, str]] = []
        for i, p in enumerate(s.points):
            if p.value is None:
                coords.append(None)
                continue
            point = (x(i), y(p.value))
            coords.append(point)
            hover.append((point[0], point[1], f"{s.name}, {p.label}: {p.display}"))
        lines.append(segments(coords))
        markers.append(hover)
    legend = []
    legend_x, legend_y = plot_left, plot_bottom + AXIS + LEGEND_ROW / 2
    for s in series:
        item_width = 34 + len(s.name) * CHAR_WIDTH + 16
        if legend_x + item_width > width and legend_x > plot_left:
            legend_x, legend_y = plot_left, legend_y + LEGEND_ROW
        legend.append((legend_x, legend_y, s.name))
        legend_x += item_width
    height = round(legend_y + LEGEND_ROW / 2 + 4) if series else round(plot_bottom + AXIS)
    return Layout(
        width=width,
        height=height,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        plot_left=plot_left,
        plot_right=plot_right,
        y_ticks=[(y(t), y_format(t)) for t in ticks],
        x_ticks=x_ticks,
        lines=lines,
        markers=markers,
        legend=legend,
        target_y=None if target is None else y(target),
    )


def describe(series: Sequence[Series], target_display: str = "") -> str:
    parts = []
    for s in series:
        shown = [p for p in s.points if p.value is not None]
        if shown:
            parts.append(
                _("%(name)s fra %(first)s (%(first_label)s) til %(last)s (%(last_label)s)")
                % {
                    "name": s.name,
                    "first": shown[0].display,
                    "first_label": shown[0].label,
                    "last": shown[-1].display,
                    "last_label": shown[-1].label,
                }
            )
        else:
            parts.append(_("%(name)s: ingen tal") % {"name": s.name})
    text = "; ".join(parts) + "." if parts else _("Ingen tal.")
    if target_display:
        text += " " + _("Mål: %(target)s.") % {"target": target_display}
    return text


def line(
    series: Sequence[Series],
    *,
    title: str,
    description: str = "",
    y_format: Callable[[float], str] = plain_axis,
    target: Number | None = None,
    target_display: str = "",
    x_header: str = "",
    width: int = WIDTH,
    plot_height: int = PLOT_HEIGHT,
    include_zero: bool = True,
) -> Chart:
    """The chart of ``series`` (each oldest first, all over the same x labels)."""
    geo = layout(
        series,
        y_format=y_format,
        target=target,
        width=width,
        plot_height=plot_height,
        include_zero=include_zero,
    )
    description = description or describe(series, target_display)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {geo.width} {geo.height}" '
        f'width="{geo.width}" height="{geo.height}" role="img" focusable="false" '
        f'aria-label="{escape(title)}. {escape(description)}" class="line-chart" '
        f'font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    left, right = num(geo.plot_left), num(geo.plot_right)
    for ty, label in geo.y_ticks:
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{num(ty)}" y2="{num(ty)}" stroke="{GRID}" '
            f'stroke-width="1"/><text x="{num(geo.plot_left - 6)}" y="{num(ty)}" '
            f'text-anchor="end" dominant-baseline="middle" fill="{MUTED}">{escape(label)}</text>'
        )
    bottom = num(geo.plot_bottom)
    out.append(
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}" '
        f'stroke-width="1"/>'
    )
    for tx, label in geo.x_ticks:
        out.append(
            f'<text x="{num(tx)}" y="{num(geo.plot_bottom + 16)}" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
    if geo.target_y is not None:
        target_label = (
            _("Mål %(target)s") % {"target": target_display} if target_display else _("Mål")
        )
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{num(geo.target_y)}" y2="{num(geo.target_y)}" '
            f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{right}" y="{num(geo.target_y - 4)}" text-anchor="end" '
            f'fill="{TARGET}">{escape(target_label)}</text>'
        )
    for index, (runs, marks) in enumerate(zip(geo.lines, geo.markers, strict=True)):
        colour, dash, shape = style(index)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in runs:
            out.append(
                f'<polyline points="{points_attr(run)}" fill="none" stroke="{colour}" '
                f'stroke-width="2" stroke-linejoin="round"{dash_attr}/>'
            )
        for mx, my, hover in marks:
            out.append(
                f'<path d="{marker_path(shape, mx, my)}" fill="{colour}">'
                f"<title>{escape(hover)}</title></path>"
            )
    for index, (lx, ly, name) in enumerate(geo.legend):
        colour, dash, shape = style(index)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{num(lx)}" x2="{num(lx + 28)}" y1="{num(ly)}" y2="{num(ly)}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            f'<path d="{marker_path(shape, lx + 14, ly)}" fill="{colour}"/>'
            f'<text x="{num(lx + 34)}" y="{num(ly)}" dominant-baseline="middle" '
            f'fill="{INK}">{escape(name)}</text>'
        )
    out.append("</svg>")
    labels = [p.label for p in series[0].points] if series else []
    rows = [
        [label, *[s.points[i].display if i < len(s.points) else "–" for s in series]]
        for i, label in enumerate(labels)
    ]
    return Chart(
        title=title,
        description=description,
        svg=SafeString("".join(out)),
        headers=[x_header or _("Måned"), *[s.name for s in series]],
        rows=rows,
    )
