"""The scatter chart and its least-squares line (reporting/charts/scatter.py, fit.py)."""

from __future__ import annotations

import pytest

from reporting.charts.fit import Fit, least_squares
from reporting.charts.scatter import Point, scatter


def test_least_squares_on_a_hand_computed_set() -> None:
    # x = 1..4, y = 2, 3, 5, 6: mean x 2.5, mean y 4; Sxx = 5, Sxy = 7 -> slope 1.4,
    # intercept 4 - 1.4*2.5 = 0.5;
    # fitted 1.9, 3.3, 4.7, 6.1 -> residuals 0.1, -0.3, 0.3, -0.1 -> SS_res = 0.2;
    # SS_tot = 4 + 1 + 1 + 4 = 10 -> R² = 1 - 0.2/10 = 0.98.
    fit = least_squares([(1, 2), (2, 3), (3, 5), (4, 6)])
    assert fit is not None
    assert fit.slope == pytest.approx(1.4)
    assert fit.intercept == pytest.approx(0.5)
    assert fit.r_squared == pytest.approx(0.98)
    assert fit.n == 4
    assert fit.equation() == "y = 1,4000x + 0,5000"


def test_a_cloud_without_a_trend_explains_nothing() -> None:
    # The four corners of a square: slope 0, intercept 2, R² 0.
    fit = least_squares([(1, 1), (1, 3), (3, 1), (3, 3)])
    assert fit is not None
    assert fit.slope == pytest.approx(0)
    assert fit.intercept == pytest.approx(2)
    assert fit.r_squared == pytest.approx(0)


def test_no_line_without_two_distinct_x() -> None:
    assert least_squares([]) is None
    assert least_squares([(3, 0.5)]) is None
    assert least_squares([(3, 0.5), (3, 0.7)]) is None
    same_y = least_squares([(1, 0.5), (2, 0.5)])
    assert same_y is not None and same_y.slope == 0 and same_y.r_squared is None


def test_fsm_figure_4_6_equation_prints_as_the_evaluation_does() -> None:
    fit = Fit(slope=0.0514, intercept=0.5811, r_squared=0.078, n=71)
    assert fit.equation() == "y = 0,0514x + 0,5811"
    assert Fit(slope=-0.2, intercept=-0.05, r_squared=None, n=2).equation() == (
        "y = -0,2000x - 0,0500"
    )


def test_the_chart_has_points_line_equation_and_a_table() -> None:
    chart = scatter(
        [Point("Team A", 2, 0.3), Point("Team B", 3, 0.5), Point("Team <C>", 4, 0.4)],
        title="Fidelitet og resultater",
        x_label="Samlet fidelitet",
        y_label="Andel i virksomhedsforløb mv.",
    )
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert svg.count("<circle") == 3
    assert "stroke-dasharray" in svg  # the fitted line
    assert "Team &lt;C&gt;" in svg and "<C>" not in svg  # labels are escaped
    assert "<style" not in svg and "<script" not in svg and " style=" not in svg
    # slope 0.05, intercept 0.25, R² 0.25 (hand: Sxx 2, Sxy 0.1, SS_tot 0.02, SS_res 0.015)
    assert "y = 0,0500x + 0,2500, R² = 0,250" in chart.description
    assert chart.rows == [
        ["Team A", "2,0", "30 %"],
        ["Team B", "3,0", "50 %"],
        ["Team <C>", "4,0", "40 %"],
    ]


def test_too_few_points_draw_no_line() -> None:
    chart = scatter([Point("Team A", 2, 0.3)], title="t", x_label="x", y_label="y")
    assert "stroke-dasharray" not in str(chart.svg)
    assert "For få punkter" in chart.description
