"""The line chart: layout, legend, gaps, target, table (no database)."""

from __future__ import annotations

from decimal import Decimal

from reporting.charts import line as ln
from reporting.charts.svg import Point

D = Decimal


def series(name: str, *values: float | None) -> ln.Series:
    return ln.Series(
        name,
        [
            Point(f"m{i + 1}", None if v is None else D(str(v)), "–" if v is None else f"{v}")
            for i, v in enumerate(values)
        ],
    )


def test_values_map_onto_the_y_axis_from_zero() -> None:
    geo = ln.layout([series("A", 0, 50, 100)], plot_height=200)
    (runs,) = geo.lines
    (run,) = runs
    assert [y for _, y in run] == [geo.plot_bottom, geo.plot_bottom - 100, geo.plot_top]
    assert [label for _, label in geo.y_ticks] == ["0", "25", "50", "75", "100"]
    xs = [x for x, _ in run]
    assert xs == sorted(xs) and xs[0] > geo.plot_left and xs[-1] < geo.plot_right


def test_at_most_eight_x_labels_and_the_newest_always() -> None:
    geo = ln.layout([series("A", *range(13))])
    labels = [label for _, label in geo.x_ticks]
    assert len(labels) <= ln.MAX_X_LABELS
    assert labels[-1] == "m13"
    geo = ln.layout([series("A", *range(29))])
    assert len(geo.x_ticks) <= ln.MAX_X_LABELS and geo.x_ticks[-1][1] == "m29"


def test_gaps_split_a_line_and_leave_out_the_marker() -> None:
    geo = ln.layout([series("A", 1, None, 3, 4)])
    assert len(geo.lines[0]) == 2
    assert len(geo.markers[0]) == 3
    assert geo.markers[0][1][2] == "A, m3: 3"


def test_legend_wraps_into_rows_inside_the_width() -> None:
    names = [f"Team med et meget langt navn {i}" for i in range(6)]
    geo = ln.layout([series(n, 1, 2) for n in names], width=400)
    rows = sorted({y for _, y, _ in geo.legend})
    assert len(rows) >= 3
    for x, _, name in geo.legend:
        assert x + 34 + len(name) * ln.CHAR_WIDTH <= 400 + 16
    assert geo.height >= rows[-1] + ln.LEGEND_ROW / 2


def test_series_differ_by_more_than_colour() -> None:
    chart = ln.line([series("A", 1, 2), series("B", 2, 1)], title="To hold")
    svg = str(chart.svg)
    assert 'stroke-dasharray="6 3"' in svg  # the second series is dashed
    assert svg.count("<polyline") == 2


def test_target_line_and_percent_axis() -> None:
    chart = ln.line(
        [series("Team A", 0.3, 0.45)],
        title="Andel",
        target=D("0.4"),
        target_display="40 %",
        y_format=ln.percent_axis,
    )
    assert "Mål 40 %" in chart.svg
    assert ">20 %<" in chart.svg  # an axis tick
    assert "Mål: 40 %" in chart.description


def test_table_has_one_row_per_label_and_one_column_per_series() -> None:
    chart = ln.line([series("A", 1, None), series("B", 3, 4)], title="t", x_header="Måned")
    assert chart.headers == ["Måned", "A", "B"]
    assert chart.rows == [["m1", "1", "3"], ["m2", "–", "4"]]
    assert chart.description == "A fra 1 (m1) til 1 (m1); B fra 3 (m1) til 4 (m2)."


def test_no_series_at_all() -> None:
    chart = ln.line([], title="Intet")
    assert chart.rows == [] and "Ingen tal" in chart.description
    assert "<svg" in chart.svg and "<style" not in chart.svg
