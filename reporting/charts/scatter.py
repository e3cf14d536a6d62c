"""A scatter plot with its least-squares line, equation and R² (FSM figure 4-6).

Self-contained SVG (presentation attributes only, ``role="img"``), so pages and PDFs draw it
alike; the text alternative is the points as a table and the fitted line in the description.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reporting.charts.base import Chart
from reporting.charts.fit import Fit, danish, least_squares

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 20, 56
INK = "#1f2933"
GRID = "#d9dee3"
POINT = "#1d5fa7"
LINE = "#b3261e"


@dataclass(frozen=True)
class Point:
    label: str
    x: float
    y: float


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / (count - 1)
    return [low + i * step for i in range(count)]


def scatter(
    points: Sequence[Point],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_range: tuple[float, float] = (1.0, 5.0),
    y_range: tuple[float, float] = (0.0, 1.0),
    x_format: Callable[[float], str] = lambda v: danish(v, 1),
    y_format: Callable[[float], str] = lambda v: f"{danish(v * 100, 0)} %",
) -> Chart:
    fit = least_squares([(p.x, p.y) for p in points])
    x0, x1 = x_range
    y0, y1 = y_range

    def sx(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT)

    def sy(y: float) -> float:
        return HEIGHT - BOTTOM - (y - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart-svg" role="img" aria-label="{escape(title)}" '
        f'preserveAspectRatio="xMidYMid meet">'
    ]
    for tick in _ticks(y0, y1):
        y = sy(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{INK}">{escape(y_format(tick))}</text>'
        )
    for tick in _ticks(x0, x1):
        x = sx(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="12" fill="{INK}">{escape(x_format(tick))}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
        f'font-size="13" fill="{INK}">{escape(x_label)}</text>'
        f'<text x="16" y="{(TOP + HEIGHT - BOTTOM) / 2:.1f}" text-anchor="middle" '
        f'font-size="13" fill="{INK}" '
        f'transform="rotate(-90 16 {(TOP + HEIGHT - BOTTOM) / 2:.1f})">{escape(y_label)}</text>'
    )
    if fit is not None:
        # The line over the x range, clipped to the plot by clamping the ends' y.
        ya, yb = fit.at(x0), fit.at(x1)
        clamp = [min(max(v, y0), y1) for v in (ya, yb)]
        parts.append(
            f'<line x1="{sx(x0):.1f}" y1="{sy(clamp[0]):.1f}" x2="{sx(x1):.1f}" '
            f'y2="{sy(clamp[1]):.1f}" stroke="{LINE}" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT - 4}" y="{TOP + 14}" text-anchor="end" font-size="13" '
            f'fill="{LINE}">{escape(fit_text(fit))}</text>'
        )
    for p in points:
        cx = sx(min(max(p.x, x0), x1))
        cy = sy(min(max(p.y, y0), y1))
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{POINT}" stroke="#ffffff" '
            f'stroke-width="1"><title>{escape(p.label)}: {escape(x_format(p.x))}; '
            f"{escape(y_format(p.y))}</title></circle>"
        )
    parts.append("</svg>")
    if fit is None:
        description = _("For få punkter til en tendenslinje (mindst to med forskellig x).")
    else:
        description = _("Tendenslinje (mindste kvadraters metode): %(fit)s, %(n)s punkter.") % {
            "fit": fit_text(fit),
            "n": fit.n,
        }
    return Chart(
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text in it is escaped above
        headers=[_("Punkt"), x_label, y_label],
        rows=[[p.label, x_format(p.x), y_format(p.y)] for p in points],
    )


def fit_text(fit: Fit) -> str:
    r2 = "–" if fit.r_squared is None else danish(fit.r_squared, 3)
    return f"{fit.equation()}, R² = {r2}"
