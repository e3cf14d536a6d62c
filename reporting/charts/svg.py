"""Small geometry shared by the chart kinds: linear scales, "nice" axis ticks, numbers written
for SVG attributes, the polyline of a series with gaps, a colour-blind-safe palette.

Pure functions without Django or a database, so each kind's geometry is tested as arithmetic.
Every chart is drawn with SVG presentation attributes only (``fill=``, ``stroke=``; no
``<style>`` element, no ``style=`` attribute and no script): CSP-clean on pages, and drawn the
same by WeasyPrint in PDFs (docs/dashboards.md, "Charts").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Number = Decimal | float | int


@dataclass(frozen=True)
class Point:
    """One value of a series: its label on the x axis ("nov. 2026"), the value (None: no
    figure, e.g. a share of nobody) and the text shown for it ("23 %")."""

    label: str
    value: Number | None
    display: str


# Okabe & Ito's palette (distinguishable with the common colour-vision deficiencies), darkened
# where needed to reach 3:1 against white for lines (WCAG 1.4.11). Lines also differ by dash
# pattern and marker, so colour is never the only cue.
PALETTE = ["#0a5fa3", "#b35900", "#007a5a", "#a3247a", "#5c5c5c", "#8a6d00", "#3b3b98"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square", "diamond"]

INK = "#1b1f29"  # text
MUTED = "#4a5365"  # axis labels (7:1 on white)
GRID = "#d9dde5"
TARGET = "#0b7a3b"


def num(value: float) -> str:
    """A coordinate for an SVG attribute: at most one decimal, a dot, never ``-0``."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


@dataclass(frozen=True)
class Scale:
    """Linear map from a value domain onto pixels (``high`` may be below ``low``: the y axis)."""

    domain_min: float
    domain_max: float
    low: float
    high: float

    def __call__(self, value: Number) -> float:
        span = self.domain_max - self.domain_min
        if span == 0:
            return (self.low + self.high) / 2
        share = (float(value) - self.domain_min) / span
        return self.low + share * (self.high - self.low)


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals."""
    if span <= 0:
        return 1.0
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def nice_range(
    values: Sequence[Number | None], ticks: int = 4, include_zero: bool = True
) -> tuple[float, float, list[float]]:
    """The axis ``(min, max, ticks)`` covering ``values`` (None ignored), widened to round
    steps; zero included unless ``include_zero`` is False. Empty or constant data still gives a
    usable axis."""
    present = [float(v) for v in values if v is not None]
    low = min(present, default=0.0)
    high = max(present, default=0.0)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + (abs(low) or 1.0)
    step = nice_step(high - low, ticks)
    start = math.floor(low / step + 1e-9) * step
    stop = math.ceil(high / step - 1e-9) * step
    count = round((stop - start) / step)
    ticks_at = [round(start + i * step, 10) for i in range(count + 1)]
    return round(start, 10), round(stop, 10), ticks_at


def segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Split a series' points at gaps (None: a month without a value) into drawable runs."""
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for point in points:
        if point is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(point)
    if current:
        runs.append(current)
    return runs


def points_attr(run: Sequence[tuple[float, float]]) -> str:
    """The ``points=`` of a ``<polyline>``."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in run)


def marker_path(shape: str, x: float, y: float, size: float = 3.5) -> str:
    """The ``d=`` of a small marker centred on (x, y)."""
    s = size
    if shape == "square":
        return f"M{num(x - s)} {num(y - s)}h{num(2 * s)}v{num(2 * s)}h{num(-2 * s)}Z"
    if shape == "diamond":
        return (
            f"M{num(x)} {num(y - s - 1)}L{num(x + s + 1)} {num(y)}"
            f"L{num(x)} {num(y + s + 1)}L{num(x - s - 1)} {num(y)}Z"
        )
    if shape == "triangle":
        return (
            f"M{num(x)} {num(y - s - 1)}L{num(x + s + 1)} {num(y + s)}"
            f"L{num(x - s - 1)} {num(y + s)}Z"
        )
    # circle, drawn as two arcs so every marker is a <path>
    return (
        f"M{num(x - s)} {num(y)}a{num(s)} {num(s)} 0 1 0 {num(2 * s)} 0"
        f"a{num(s)} {num(s)} 0 1 0 {num(-2 * s)} 0Z"
    )


def style(index: int) -> tuple[str, str, str]:
    """(colour, dash pattern, marker shape) of the ``index``-th series."""
    i = index % len(PALETTE)
    return PALETTE[i], DASHES[i], MARKERS[i]
