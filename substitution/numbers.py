"""Numbers shown to people: one Danish form for hours (``cases.placements.hours`` and the
``hours`` template filter use it)."""

from __future__ import annotations

from decimal import Decimal


def format_hours(value: Decimal | None) -> str:
    """Danish display: ``7,5``, ``30``, ``7,25`` (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
