"""The least-squares line through points and its R² (FSM figure 4-6: share in
virksomhedsforløb mv. against fidelity, y = 0.0514x + 0.5811, R² = 0.078)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Fit:
    slope: float
    intercept: float
    r_squared: float | None  # None when every y is the same (nothing to explain)
    n: int

    def at(self, x: float) -> float:
        return self.slope * x + self.intercept

    def equation(self, places: int = 4) -> str:
        """Danish decimals, as the evaluation prints it: ``y = 0,0514x + 0,5811``."""
        sign = "-" if self.intercept < 0 else "+"
        return f"y = {danish(self.slope, places)}x {sign} {danish(abs(self.intercept), places)}"


def danish(value: float, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return text.replace(".", ",")


def least_squares(points: Sequence[tuple[float, float]]) -> Fit | None:
    """The ordinary least-squares line y = a·x + b and R² = 1 − SS_res / SS_tot. None with
    fewer than two points or when every x is the same (no line is defined)."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _y in points) / n
    mean_y = sum(y for _x, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _y in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    ss_tot = sum((y - mean_y) ** 2 for _x, y in points)
    ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in points)
    r_squared = None if ss_tot == 0 else 1 - ss_res / ss_tot
    return Fit(slope, intercept, r_squared, n)
