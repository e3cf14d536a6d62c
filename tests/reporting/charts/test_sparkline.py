"""The sparkline: geometry, gaps, the target line, and its text alternative (no database)."""

from __future__ import annotations

import re
from decimal import Decimal

from reporting.charts import sparkline as sp
from reporting.charts.svg import Point, nice_range, num, segments

D = Decimal


def months(*values: int | None) -> list[Point]:
    return [
        Point(f"m{i + 1}", None if v is None else D(v), "–" if v is None else f"{v} %")
        for i, v in enumerate(values)
    ]


def test_lowest_value_sits_at_the_bottom_and_highest_at_the_top() -> None:
    runs, last, target_y = sp.geometry(months(10, 30, 20), width=120, height=32)
    (run,) = runs
    ys = [y for _, y in run]
    assert ys[0] == 32 - sp.PAD  # 10: the lowest
    assert ys[1] == sp.PAD  # 30: the highest
    assert ys[2] == (32 - sp.PAD + sp.PAD) / 2  # 20: half-way
    assert [x for x, _ in run] == [sp.PAD, 60, 120 - sp.PAD]
    assert last == run[-1]
    assert target_y is None


def test_the_target_widens_the_range_and_is_drawn() -> None:
    _, _, target_y = sp.geometry(months(10, 20), target=D(40), height=32)
    assert target_y == sp.PAD  # the target is above every value: top of the box
    chart = sp.sparkline(months(10, 20), title="Med ordinære timer", target=D(40))
    assert 'stroke-dasharray="3 2"' in chart.svg


def test_a_month_without_a_figure_is_a_gap_not_a_zero() -> None:
    runs, last, _ = sp.geometry(months(10, None, 20, 30))
    assert len(runs) == 2
    assert len(runs[0]) == 1 and len(runs[1]) == 2
    chart = sp.sparkline(months(10, None, 20, 30), title="t")
    assert chart.svg.count("<polyline") == 1  # the lone first month is not a line


def test_the_newest_month_without_a_value_has_no_marker() -> None:
    _, last, _ = sp.geometry(months(10, 20, None))
    assert last is None


def test_constant_and_empty_series_still_draw() -> None:
    runs, _, _ = sp.geometry(months(5, 5, 5))
    assert {y for _, y in runs[0]} == {16.0}  # the middle
    assert sp.geometry([]) == ([], None, None)
    chart = sp.sparkline([], title="Tom")
    assert "Ingen tal" in chart.description


def test_text_alternative_has_every_month_as_a_table_row() -> None:
    chart = sp.sparkline(months(10, 30, 20), title="Samtale", target=D(25), target_display="25 %")
    assert chart.headers == ["Måned", "Samtale"]
    assert chart.rows == [["m1", "10 %"], ["m2", "30 %"], ["m3", "20 %"]]
    assert "m1 10 %" in chart.description and "m3 20 %" in chart.description
    assert "lavest 10 % (m1), højest 30 % (m2)" in chart.description
    assert "Mål: 25 %" in chart.description


def test_svg_is_csp_clean_and_labelled() -> None:
    chart = sp.sparkline(months(1, 2), title='Borgere "uden" <samtale>')
    svg = str(chart.svg)
    assert 'role="img"' in svg
    assert "<style" not in svg and "style=" not in svg and "<script" not in svg
    assert "&lt;samtale&gt;" in svg and "<samtale>" not in svg
    assert re.search(r'aria-label="Borgere &quot;uden&quot; &lt;samtale&gt;\. ', svg)


def test_helpers() -> None:
    assert num(1.25) in {"1.2", "1.3"}
    assert num(-0.01) == "0"
    assert num(3.0) == "3"
    assert segments([(0, 0), None, None, (1, 1)]) == [[(0, 0)], [(1, 1)]]
    assert nice_range([D("0.23"), D("0.41")]) == (0.0, 0.6, [0.0, 0.2, 0.4, 0.6])
    low, high, ticks = nice_range([52, 47, 61])
    assert (low, high) == (0.0, 80.0) and ticks == [0, 20, 40, 60, 80]
    assert nice_range([], include_zero=True)[:2] == (0.0, 1.0)
