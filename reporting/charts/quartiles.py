"""A box/quartile strip: where each team lies among the teams on one measure, with the box from
the first to the third quartile, the median as a line and whiskers to the lowest and highest
team (FSM compared municipalities this way). Server-rendered SVG, a ``Chart``.

The five numbers are computed by the caller (``reporting.dashboards.manager.Spread``): a chart
draws, it does not decide a quartile method. Presentation attributes only (CSP-clean); each
team's dot has a ``<title>``, and the text alternative is the numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from reporting.charts.bars import nice_max
from reporting.charts.base import Chart

WIDTH = 320
HEIGHT = 40
PAD = 8
MID = 20

Point = tuple[str, Decimal, str]  # label, value, its text ("57 %")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def quartiles(
    title: str,
    description: str,
    points: Sequence[Point],
    spread: Sequence[Decimal | None],
    spread_texts: Sequence[str],
    *,
    scale_max: Decimal | None = None,
    total: Point | None = None,
) -> Chart:
    """``spread``: minimum, first quartile, median, third quartile, maximum (None without
    teams); ``spread_texts`` their display. ``scale_max``: the axis' end (1 for shares), default
    a round number above the highest value."""
    values = [p[1] for p in points] + ([total[1]] if total else [])
    top = scale_max or nice_max(max(values, default=Decimal(0)))

    def x(value: Decimal) -> str:
        return _fmt(PAD + (WIDTH - 2 * PAD) * float(value) / float(top or 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" class="chart chart-quartiles" width="100%" '
        f'preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>",
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{MID}" y2="{MID}" stroke="#d0d7de"/>',
    ]
    low, q1, median, q3, high = spread
    if low is not None and high is not None and q1 is not None and q3 is not None:
        parts.append(
            f'<line x1="{x(low)}" x2="{x(high)}" y1="{MID}" y2="{MID}" stroke="#57606a" '
            f'stroke-width="2"/>'
            f'<rect x="{x(q1)}" y="{MID - 9}" width="{_fmt(float(x(q3)) - float(x(q1)))}" '
            f'height="18" fill="#ddf4ff" stroke="#0969da"/>'
        )
    if median is not None:
        parts.append(
            f'<line x1="{x(median)}" x2="{x(median)}" y1="{MID - 11}" y2="{MID + 11}" '
            f'stroke="#0969da" stroke-width="3"/>'
        )
    for label, value, text in points:
        parts.append(
            f'<circle cx="{x(value)}" cy="{MID}" r="4" fill="#1f2328">'
            f"<title>{escape(label)}: {escape(text)}</title></circle>"
        )
    if total is not None:
        label, value, text = total
        parts.append(
            f'<path d="M{x(value)} {MID - 14} l5 -6 h-10 z" fill="#D55E00">'
            f"<title>{escape(label)}: {escape(text)}</title></path>"
        )
    parts.append("</svg>")
    names = [_("Laveste"), _("1. kvartil"), _("Median"), _("3. kvartil"), _("Højeste")]
    rows = [[label, text] for label, _v, text in points]
    rows += [[name, text] for name, text in zip(names, spread_texts, strict=True)]
    if total is not None:
        rows.append([total[0], total[2]])
    return Chart(
        title=title,
        description=description,
        svg=mark_safe("".join(parts)),  # noqa: S308 - every text above is escaped
        headers=[_("Team"), _("Værdi")],
        rows=rows,
    )
