"""A sparkline: one measure month by month in a small box (a dashboard tile), with the
target as a dashed line and the newest value marked.

It shows the shape, not the scale: the y axis is the range of the values and the target, with
no axis drawn. The numbers are in the chart's table (``Chart.rows``: month and value), read by
screen readers and printed under the chart in a PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reporting.charts.base import Chart
from reporting.charts.svg import (
    PALETTE,
    TARGET,
    Number,
    Point,
    Scale,
    marker_path,
    num,
    points_attr,
    segments,
)

WIDTH = 120
HEIGHT = 32
PAD = 4  # room for the newest value's marker


def geometry(
    points: Sequence[Point],
    target: Number | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> tuple[list[list[tuple[float, float]]], tuple[float, float] | None, float | None]:
    """(the runs of the line, the newest point, the target's y). Pure arithmetic."""
    values = [float(p.value) for p in points if p.value is not None]
    if target is not None:
        values.append(float(target))
    low, high = min(values, default=0.0), max(values, default=0.0)
    y = Scale(low, high, height - PAD, PAD)
    count = len(points)
    x = Scale(0, max(count - 1, 1), PAD, width - PAD)
    coords: list[tuple[float, float] | None] = [
        None if p.value is None else (x(i), y(p.value)) for i, p in enumerate(points)
    ]
    last = coords[-1] if coords else None
    target_y = None if target is None else y(target)
    return segments(coords), last, target_y


def describe(points: Sequence[Point], target_display: str = "") -> str:
    """The text alternative: first and newest month, lowest and highest, the target."""
    shown = [p for p in points if p.value is not None]
    if not shown:
        text = _("Ingen tal i perioden.")
    else:
        first, last = shown[0], shown[-1]
        low = min(shown, key=lambda p: Decimal(str(p.value)))
        high = max(shown, key=lambda p: Decimal(str(p.value)))
        text = _(
            "%(count)s måneder: %(first_label)s %(first)s, %(last_label)s %(last)s; "
            "lavest %(low)s (%(low_label)s), højest %(high)s (%(high_label)s)."
        ) % {
            "count": len(points),
            "first_label": first.label,
            "first": first.display,
            "last_label": last.label,
            "last": last.display,
            "low": low.display,
            "low_label": low.label,
            "high": high.display,
            "high_label": high.label,
        }
    if target_display:
        text += " " + _("Mål: %(target)s.") % {"target": target_display}
    return text


def sparkline(
    points: Sequence[Point],
    *,
    title: str,
    target: Number | None = None,
    target_display: str = "",
    colour: str = PALETTE[0],
    x_header: str = "",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """The chart of ``points`` (oldest first)."""
    runs, last, target_y = geometry(points, target, width, height)
    description = describe(points, target_display)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" focusable="false" '
        f'aria-label="{escape(title)}. {escape(description)}" class="sparkline">',
        f"<title>{escape(title)}</title>",
    ]
    if target_y is not None:
        parts.append(
            f'<line x1="0" x2="{width}" y1="{num(target_y)}" y2="{num(target_y)}" '
            f'stroke="{TARGET}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    for run in runs:
        if len(run) == 1:
            continue  # a lone month is drawn by its marker below when newest, else omitted
        parts.append(
            f'<polyline points="{points_attr(run)}" fill="none" stroke="{colour}" '
            f'stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>'
        )
    if last is not None:
        parts.append(f'<path d="{marker_path("circle", last[0], last[1], 2.5)}" fill="{colour}"/>')
    parts.append("</svg>")
    return Chart(
        title=title,
        description=description,
        svg=SafeString("".join(parts)),
        headers=[x_header or _("Måned"), title],
        rows=[[p.label, p.display] for p in points],
    )
