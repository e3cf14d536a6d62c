"""The grouped bar chart (reporting/charts/bars.py)."""

from __future__ import annotations

from decimal import Decimal

from reporting.charts.bars import bars, nice_max


def test_nice_max_rounds_up_to_1_2_25_5() -> None:
    assert [nice_max(Decimal(v)) for v in ("0", "0.4", "7", "13", "24", "26", "99", "101")] == [
        1, Decimal("0.5"), 10, 20, Decimal(25), 50, 100, 200
    ]  # fmt: skip


def test_bars_draw_one_rect_per_value_and_a_table() -> None:
    chart = bars(
        "Forløb startet",
        "Denne og sidste måned pr. team.",
        ["Nord", "Syd <&>"],
        [("November", [Decimal(7), Decimal(3)]), ("Oktober", [Decimal(10), None])],
        display=[["7", "3"], ["10", "–"]],
    )
    assert chart.svg.count("<rect ") == 3 + 2  # three bars, two legend keys
    assert 'role="img"' in chart.svg and "<script" not in chart.svg and "style=" not in chart.svg
    assert "Syd &lt;&amp;&gt;" in chart.svg
    assert "<title>Nord, Oktober: 10</title>" in chart.svg
    assert chart.headers == ["Team", "November", "Oktober"]
    assert chart.rows == [["Nord", "7", "10"], ["Syd <&>", "3", "–"]]
    # The tallest bar (10 on an axis to 10) fills the plot height.
    assert 'height="172"' in chart.svg
