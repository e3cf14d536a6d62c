"""The box/quartile strip (reporting/charts/quartiles.py)."""

from __future__ import annotations

from decimal import Decimal

from reporting.charts.quartiles import quartiles

D = Decimal


def test_the_strip_places_box_median_whiskers_and_teams() -> None:
    values = [D("0.57"), D("0.73"), D("0.78"), D("0.84"), D(1)]
    chart = quartiles(
        "CV oprettet",
        "Teams og kvartiler.",
        [(f"Team {i}", v, f"{int(v * 100)} %") for i, v in enumerate(values)],
        [D("0.57"), D("0.73"), D("0.78"), D("0.84"), D(1)],
        ["57 %", "73 %", "78 %", "84 %", "100 %"],
        scale_max=D(1),
        total=("I alt", D("0.78"), "78 %"),
    )
    svg = str(chart.svg)
    assert svg.count("<circle") == 5
    # x = 8 + 304 * value: the box from 0.73 (229.9) to 0.84 (263.4), the median at 0.78.
    assert '<rect x="229.9" y="11" width="33.5"' in svg
    assert 'x1="245.1" x2="245.1"' in svg
    assert "<title>I alt: 78 %</title>" in svg
    assert chart.rows[-6:] == [
        ["Laveste", "57 %"], ["1. kvartil", "73 %"], ["Median", "78 %"], ["3. kvartil", "84 %"],
        ["Højeste", "100 %"], ["I alt", "78 %"],
    ]  # fmt: skip


def test_a_strip_without_teams_draws_only_the_axis() -> None:
    chart = quartiles("X", "Y", [], [None] * 5, ["–"] * 5)
    assert "<circle" not in chart.svg and "<rect" not in chart.svg
