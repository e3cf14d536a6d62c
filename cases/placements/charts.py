"""Server-rendered SVG chart of ordinary hours per week, with milestone lines.

A few lines of Python (``svg``, fed by ``hours_chart``) instead of a charting library: pygal
embeds ``<style>`` and scripts in its SVG (blocked by our CSP and noisy in PDFs) and
matplotlib is a heavy native dependency for one bar chart. Here the geometry is a few lines of
tested arithmetic, colours are SVG presentation attributes (``fill=``, ``stroke=``; allowed by
``style-src 'self'``), and the same markup works inline in a page and in WeasyPrint PDFs. The
chart carries ``role="img"``, a title and a description, and the page shows the numbers as a
table as well.

Horizontal lines: the weekly target (``weekly_hours_target``) and full time
(``full_time_hours``). Vertical lines: the weeks in which the first paid hour, the småjob month
(>= ``monthly_smalljob_hours`` in a calendar month) and the weekly target were first reached,
when they fall inside the chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases.placements.hours import (
    Milestone,
    Targets,
    format_hours,
    iso_week_label,
    week_number,
    week_start,
)

WIDTH = 720
HEIGHT = 260
LEFT = 44
# The milestone lines' labels sit in a column right of the plot, so they neither cover the bars
# nor run past the edge of the SVG. CHAR_WIDTH is a generous estimate of one character at
# font-size 11 in a sans-serif font (DejaVu Sans, the widest common fallback, is about 6.9 px).
RIGHT = 120  # room for 16 characters, e.g. "Fuld tid 37,5 t"
LABEL_GAP = 6
CHAR_WIDTH = 7.0
LABEL_HEIGHT = 13.0
TOP = 16
BOTTOM = 36
MIN_WEEKS = 12
MAX_WEEKS = 52


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "2026-W14: 7,5 timer"
    tick: str  # week number, shown under some bars


@dataclass(frozen=True)
class HLine:
    y: float
    label: str
    css: str
    label_y: float = 0.0  # the label's vertical centre (moved apart when lines are close)


@dataclass(frozen=True)
class VLine:
    x: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    hlines: list[HLine]
    vlines: list[VLine]
    yticks: list[tuple[float, str]]
    title: str
    description: str
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    ticks: list[tuple[float, str]] = field(default_factory=list)


def clamp_weeks(value: object, default: int = 26) -> int:
    """Number of weeks to show: 12 to 52 (default 26); anything else falls back."""
    try:
        weeks = int(str(value))
    except (TypeError, ValueError):
        return default
    return max(MIN_WEEKS, min(MAX_WEEKS, weeks))


def build_chart(
    series: Sequence[tuple[dt.date, Decimal]],
    targets: Targets,
    milestones: Sequence[Milestone] = (),
    title: str = "Ordinære timer pr. uge",
) -> Chart:
    """Geometry for ``series`` (oldest first). Pure: tested without a database."""
    count = max(len(series), 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top_value = max(
        [float(h) for _, h in series] + [float(targets.full_time), float(targets.weekly_target)]
    )
    y_max = float(int((top_value + 9) // 10 * 10)) or 10.0

    def y_of(value: float) -> float:
        return round(TOP + plot_h * (1 - value / y_max), 1)

    slot = plot_w / count
    bars = []
    ticks = []
    every = 1 if count <= 13 else 4 if count <= 52 else 8
    for index, (monday, hours) in enumerate(series):
        x = round(LEFT + index * slot + slot * 0.15, 1)
        y = y_of(float(hours))
        tick = str(week_number(monday))
        bars.append(
            Bar(
                x=x,
                y=y,
                width=round(slot * 0.7, 1),
                height=round(TOP + plot_h - y, 1),
                label=f"{iso_week_label(monday)}: {format_hours(hours)} timer",
                tick=tick,
            )
        )
        # Regular ticks, and the newest week unless a regular tick sits right next to it.
        last = index == count - 1
        if (index % every == 0 and (every == 1 or count - 1 - index >= 2)) or last:
            ticks.append((round(LEFT + index * slot + slot / 2, 1), tick))
    hlines = _spread_labels(
        [
            HLine(
                y_of(float(targets.weekly_target)),
                f"Mål {format_hours(targets.weekly_target)} t/uge",
                "target",
            ),
            HLine(
                y_of(float(targets.full_time)),
                f"Fuld tid {format_hours(targets.full_time)} t",
                "fulltime",
            ),
        ]
    )
    index_of = {week_start(monday): i for i, (monday, _) in enumerate(series)}
    vlines = []
    for milestone in milestones:
        if milestone.reached_on is None or milestone.key == "full_time":
            continue
        i = index_of.get(week_start(milestone.reached_on))
        if i is not None:
            vlines.append(VLine(round(LEFT + i * slot + slot / 2, 1), milestone.label))
    step = 10 if y_max <= 50 else 20
    yticks = [(y_of(v), str(v)) for v in range(0, int(y_max) + 1, step)]
    total = sum((h for _, h in series), Decimal(0))
    if series:
        description = (
            f"{len(series)} uger fra {iso_week_label(series[0][0])} til "
            f"{iso_week_label(series[-1][0])}, i alt {format_hours(total)} ordinære timer."
        )
    else:
        description = "Ingen uger."
    return Chart(WIDTH, HEIGHT, bars, hlines, vlines, yticks, title, description, ticks=ticks)


def _spread_labels(lines: list[HLine]) -> list[HLine]:
    """Give each line's label a vertical centre: on its line, pushed down when the line above
    is closer than a label's height, the whole stack kept inside the SVG. Keeps the order."""
    top_first = sorted(range(len(lines)), key=lambda i: lines[i].y)
    centres: dict[int, float] = {}
    previous: float | None = None
    for i in top_first:
        y = lines[i].y if previous is None else max(lines[i].y, previous + LABEL_HEIGHT)
        centres[i] = previous = y
    if centres:
        low = max(centres.values()) - (HEIGHT - BOTTOM)  # ran past the x axis: shift up
        high = LABEL_HEIGHT / 2 - min(centres.values())  # above the SVG: shift down
        shift = -low if low > 0 else high if high > 0 else 0.0
        centres = {i: round(y + shift, 1) for i, y in centres.items()}
    return [HLine(line.y, line.label, line.css, centres[i]) for i, line in enumerate(lines)]


def label_box(line: HLine, plot_right: float = WIDTH - RIGHT) -> tuple[float, float, float, float]:
    """Estimated (left, top, right, bottom) of a milestone line's label (used by the tests)."""
    left = plot_right + LABEL_GAP
    return (
        left,
        line.label_y - LABEL_HEIGHT / 2,
        left + len(line.label) * CHAR_WIDTH,
        line.label_y + LABEL_HEIGHT / 2,
    )


def hours_chart(
    series: Sequence[tuple[dt.date, Decimal]],
    targets: Targets,
    milestones: Sequence[Milestone] = (),
    chart_id: str = "hours-chart",
) -> SafeString:
    """The SVG markup."""
    return svg(build_chart(series, targets, milestones), chart_id)


def svg(chart: Chart, chart_id: str) -> SafeString:
    """The chart's SVG, built in Python (the template it replaced cost a few ms per citizen
    panel, docs/performance.md issue 13). Numbers as ``str()`` gives them (never a decimal
    comma), texts escaped."""
    left, right, top, bottom = chart.plot_left, chart.plot_right, chart.plot_top, chart.plot_bottom
    cid = escape(chart_id)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="{chart.width}" height="{chart.height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" class="hours-chart" font-family="sans-serif" '
        'font-size="11">\n'
        f'  <title id="{cid}-title">{escape(chart.title)}</title>\n'
        f'  <desc id="{cid}-desc">{escape(chart.description)}</desc>\n  '
    ]
    for y, label in chart.yticks:
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#d9dde5" '
            'stroke-width="1"/>\n'
            f'  <text x="{left - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'fill="#4a5365">{escape(label)}</text>\n  '
        )
    out.append("\n  ")
    for bar in chart.bars:
        out.append(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" '
            f'fill="#1f5fae"><title>{escape(bar.label)}</title></rect>\n  '
        )
    out.append("\n  ")
    for line in chart.hlines:
        colour = "#0b7a3b" if line.css == "target" else "#a04a00"
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{line.y}" y2="{line.y}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="6 4" class="milestone-{escape(line.css)}"/>\n'
            f'  <text x="{right + 6}" y="{line.label_y}" dominant-baseline="middle" '
            f'fill="{colour}" class="milestone-label">{escape(line.label)}</text>\n  '
        )
    out.append("\n  ")
    for vline in chart.vlines:
        out.append(
            f'<line x1="{vline.x}" x2="{vline.x}" y1="{top}" y2="{bottom}" stroke="#6b3fa0" '
            'stroke-width="1.5" stroke-dasharray="2 3" class="milestone-reached">'
            f"<title>{escape(vline.label)}</title></line>\n  "
        )
    out.append(
        f'\n  <line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#4a5365" '
        'stroke-width="1"/>\n  '
    )
    for x, label in chart.ticks:
        out.append(
            f'<text x="{x}" y="{bottom + 14}" text-anchor="middle" '
            f'fill="#4a5365">{escape(label)}</text>\n  '
        )
    out.append(f'\n  <text x="{left}" y="{chart.height - 4}" fill="#4a5365">Uge</text>\n</svg>\n')
    return mark_safe("".join(out))  # noqa: S308 - every text escaped, the numbers are numbers
