"""A chart's HTML built in Python (reporting/charts/base.py ``html``) is the include's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from reporting.charts import base
from reporting.charts.base import Chart
from reporting.charts.quartiles import quartiles

D = Decimal


def _charts() -> list[Chart]:
    strip = quartiles(
        "Team <Nord> & co: CV",
        'Hvert punkt er et "team".',
        [("Team <Nord>", D("0.57"), "57 %"), ("Team Syd & Vest", D("0.73"), "73 %")],
        [D("0.57"), D("0.61"), D("0.65"), D("0.69"), D("0.73")],
        ["57 %", "61 %", "65 %", "69 %", "73 %"],
        scale_max=D(1),
        total=("I alt", D("0.65"), "65 %"),
    )
    numbers = Chart(
        "Tal",
        "Beskrivelse",
        mark_safe("<svg></svg>"),  # noqa: S308 - a constant
        headers=["Måned", "Værdi"],
        rows=[["jan.", "1,5 < 2"], ["feb.", mark_safe("<b>2</b>")]],  # noqa: S308
    )
    bare = Chart("Uden tabel", "Ingen rækker", mark_safe("<svg/>"))  # noqa: S308
    return [strip, numbers, bare]


@pytest.mark.parametrize("show_caption", [False, True])
@pytest.mark.parametrize("show_table", [False, True])
def test_html_is_the_includes_output_byte_for_byte(show_caption: bool, show_table: bool) -> None:
    for chart in _charts():
        expected = render_to_string(
            "reporting/charts/_chart.html",
            {"chart": chart, "show_caption": show_caption, "show_table": show_table},
        )
        got = base.html(chart, show_caption=show_caption, show_table=show_table)
        assert got == expected, chart.title
    assert "Team &lt;Nord&gt; &amp; co" in base.html(_charts()[0])
