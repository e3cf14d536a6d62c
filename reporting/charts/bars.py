"""A grouped bar chart: one group per category (a team, a month), one bar per series (this
month, last month …), server-rendered SVG (``reporting.charts.base.Chart``).

Presentation attributes only (no ``<style>``, no script: CSP-clean, WeasyPrint draws it); every
bar carries a ``<title>`` with its number, and the chart's text alternative is the numbers as a
table (one row per category, one column per series).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reporting.charts.base import Chart

WIDTH = 640
HEIGHT = 240
LEFT = 40
RIGHT = 10
TOP = 24
BOTTOM = 44
# Colour-blind safe (Okabe–Ito), dark enough against white for the bars' 3:1 contrast.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00"]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_max(value: Decimal) -> Decimal:
    """A round upper bound for the axis (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1 if value >= 1 else -1
    scale = Decimal(10) ** exponent
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if value <= step * scale:
            return step * scale
    return 10 * scale  # pragma: no cover - the loop ends at 10


def bars(
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
    *,
    display: Sequence[Sequence[str]] | None = None,
    category_header: str = "",
) -> Chart:
    """``series``: (name, one value per category; None = no figure). ``display``: the text of
    each value (per series, per category) for the titles and the table; default the number.
    ``category_header``: the table's first column header (default "Team")."""
    texts = [
        [str(v) if v is not None else "–" for v in values] for _name, values in series
    ] if display is None else [list(d) for d in display]  # fmt: skip
    top = nice_max(max([v for _n, vs in series for v in vs if v is not None], default=Decimal(0)))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(1, len(categories))
    bar_w = group_w * 0.8 / max(1, len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart chart-bars" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
    ]
    for k in range(5):  # grid lines and the axis' numbers
        y = TOP + plot_h - plot_h * k / 4
        label = _fmt(float(top) * k / 4)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_fmt(y)}" y2="{_fmt(y)}" '
            f'stroke="#d0d7de" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{_fmt(y + 4)}" text-anchor="end" fill="#444">{label}</text>'
        )
    for c, category in enumerate(categories):
        x0 = LEFT + group_w * c + group_w * 0.1
        for s, (name, values) in enumerate(series):
            value = values[c]
            if value is None:
                continue
            h = plot_h * float(value) / float(top)
            x = x0 + bar_w * s
            parts.append(
                f'<rect x="{_fmt(x)}" y="{_fmt(TOP + plot_h - h)}" width="{_fmt(bar_w * 0.92)}" '
                f'height="{_fmt(h)}" fill="{PALETTE[s % len(PALETTE)]}">'
                f"<title>{escape(category)}, {escape(name)}: {escape(texts[s][c])}</title></rect>"
            )
        parts.append(
            f'<text x="{_fmt(LEFT + group_w * (c + 0.5))}" y="{HEIGHT - BOTTOM + 14}" '
            f'text-anchor="middle" fill="#222">{escape(category[:14])}</text>'
        )
    for s, (name, _values) in enumerate(series):  # the legend, top left
        x = LEFT + 130 * s
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{PALETTE[s % len(PALETTE)]}"/>'
            f'<text x="{x + 14}" y="13" fill="#222">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Chart(
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped
        headers=[category_header or _("Team"), *[name for name, _v in series]],
        rows=[
            [category, *[texts[s][c] for s in range(len(series))]]
            for c, category in enumerate(categories)
        ],
    )
