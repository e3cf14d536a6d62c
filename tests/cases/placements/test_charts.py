"""The SVG hours chart (geometry, CSP-safe markup) and the citizen panel that shows it
(chart, milestones, alerts) with a constant number of queries."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from cases.citizens.models import Citizen
from cases.placements.charts import build_chart, clamp_weeks, hours_chart, label_box
from cases.placements.hours import DEFAULT_TARGETS, Targets, milestones
from substitution.models import Team, User
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

SVG = "{http://www.w3.org/2000/svg}"
MONDAYS = [dt.date(2026, 1, 5) + dt.timedelta(weeks=n) for n in range(12)]


def test_clamp_weeks() -> None:
    assert [clamp_weeks(v) for v in ("5", "12", "26", "52", "99", "x", None)] == [
        12,
        12,
        26,
        52,
        52,
        26,
        26,
    ]


def test_geometry_bars_and_lines() -> None:
    data = [(m, D(n * 4)) for n, m in enumerate(MONDAYS)]  # 0, 4, ..., 44 hours
    chart = build_chart(data, DEFAULT_TARGETS, milestones(dict(data)))
    assert len(chart.bars) == 12
    # y axis rounds the top (44) up to 50; plot height = 260 - 16 - 36 = 208.
    zero, top = chart.bars[0], chart.bars[-1]
    assert zero.height == 0 and zero.y == 224.0
    assert top.y == round(16 + 208 * (1 - 44 / 50), 1)
    target = next(h for h in chart.hlines if h.css == "target")
    assert target.y == round(16 + 208 * (1 - 30 / 50), 1)
    assert [v.label for v in chart.vlines] == [
        "Første lønnede time",
        "Småjob: 30 timer i en kalendermåned",
        "Ugentligt mål: 30 timer",
    ]
    assert top.label == "2026-W13: 44 timer"


def test_svg_is_well_formed_and_csp_safe() -> None:
    data = [(m, D("7.5")) for m in MONDAYS]
    markup = str(hours_chart(data, DEFAULT_TARGETS, milestones(dict(data)), chart_id="c1"))
    root = ET.fromstring(markup)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == "Ordinære timer pr. uge"
    assert "90 ordinære timer" in (desc.text or "")
    assert len(root.findall(f"{SVG}rect")) == 12
    assert "style=" not in markup and "<script" not in markup and "<style" not in markup
    # Numbers are never localised with a decimal comma inside SVG attributes.
    assert not re.search(r'(x|y|width|height)="\d+,\d', markup)


# The template the chart was rendered with before it was built in Python (issue 13).
CHART_TEMPLATE = (Path(__file__).parent / "chart_before.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("weeks", [0, 12, 26, 52])
def test_svg_in_python_is_the_template_s_markup_byte_for_byte(weeks: int) -> None:
    from django.template import engines

    mondays = [dt.date(2025, 1, 6) + dt.timedelta(weeks=n) for n in range(weeks)]
    data = [(m, D("37.5") if n == 5 else D(n * 4 % 45)) for n, m in enumerate(mondays)]
    chart = build_chart(data, Targets(D("36.5"), D(30), D(37)), milestones(dict(data)))
    assert len(chart.vlines) == (3 if weeks else 0)
    expected = (
        engines["django"].from_string(CHART_TEMPLATE).render({"chart": chart, "chart_id": 'c<"1">'})
    )
    assert (
        str(
            hours_chart(
                data, Targets(D("36.5"), D(30), D(37)), milestones(dict(data)), chart_id='c<"1">'
            )
        )
        == expected
    )


@pytest.mark.parametrize(
    ("weekly", "full_time", "top_hours"),
    [
        (D(30), D(37), D(12)),  # the defaults, low hours: y axis to 40
        (D(30), D(37), D(80)),  # a long week pushes the axis to 80
        (D("36.5"), D(37), D(20)),  # lines 0.5 h apart: labels must not overlap
        (D("37.5"), D("37.5"), D(37)),  # the same value, decimals in the label
    ],
)
def test_milestone_labels_fit_inside_the_svg_beside_the_plot(weekly, full_time, top_hours) -> None:
    data = [(m, top_hours if n == 5 else D(2)) for n, m in enumerate(MONDAYS)]
    chart = build_chart(data, Targets(weekly, D(30), full_time))
    boxes = [label_box(line, chart.plot_right) for line in chart.hlines]
    for left, top, right, bottom in boxes:
        # Right of every bar, inside the SVG's right edge and its height.
        assert left > max(bar.x + bar.width for bar in chart.bars)
        assert right <= chart.width and top >= 0 and bottom <= chart.height
    (_, top_a, _, bottom_a), (_, top_b, _, bottom_b) = boxes
    assert bottom_a <= top_b or bottom_b <= top_a  # no overlap
    for line in chart.hlines:  # a label stays next to its line
        assert abs(line.label_y - line.y) <= 13
    markup = str(hours_chart(data, Targets(weekly, D(30), full_time), chart_id="c2"))
    root = ET.fromstring(markup)
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "milestone-label"]
    assert [t.text for t in labels] == [h.label for h in chart.hlines]
    assert all(float(t.get("x", "")) == chart.plot_right + 6 for t in labels)
    assert all(t.get("text-anchor") in (None, "start") for t in labels)


def test_week_ticks_do_not_crowd_the_newest_week() -> None:
    mondays = [dt.date(2025, 5, 26) + dt.timedelta(weeks=n) for n in range(26)]
    chart = build_chart([(m, D(1)) for m in mondays], DEFAULT_TARGETS)
    xs = [x for x, _ in chart.ticks]
    slot = (chart.plot_right - chart.plot_left) / 26
    assert chart.ticks[-1][1] == str(mondays[-1].isocalendar().week)
    assert all(b - a >= 2 * slot - 0.2 for a, b in zip(xs, xs[1:], strict=False))


@pytest.fixture
def frozen():
    """Travel before logging in (list it before the client): a jump forward past the idle
    timeout after ``force_login`` would log the client out."""
    with time_machine.travel(dt.datetime(2026, 4, 15, 10, 0), tick=False):
        yield


def test_citizen_panel_shows_chart_milestones_and_alerts(
    frozen, jf_client, team, jobformidler
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    p = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 1, 5))
    WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 3, 2), hours=D(4))
    WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 3, 9), hours=D(8))
    lt = PlacementFactory.create(
        citizen=citizen, type_code="loentilskud", starts_on=dt.date(2026, 1, 5)
    )
    WeeklyHoursFactory.create(placement=lt, week_start=dt.date(2026, 3, 2), hours=D(37))
    response = jf_client.get(reverse("cases:citizen_placements", args=[citizen.pk]) + "?uger=12")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page and page.count("<rect") == 12
    assert "Første lønnede time" in page and "nået 2. marts 2026" in page
    assert "Fuld tid: 37 timer pr. uge" in page  # listed, not reached: løntilskud never counts
    assert page.count("ikke nået") == 3
    assert "Ingen timer registreret for de seneste uger" in page  # hours_missing alert


def _seed(team: Team, jobformidler: User, n: int) -> Citizen:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    for i in range(n):
        p = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2025, 6, 2))
        for w in range(10):
            WeeklyHoursFactory.create(
                placement=p,
                week_start=dt.date(2025, 6, 2) + dt.timedelta(weeks=w + 10 * i),
                hours=D(5),
            )
    return citizen


@pytest.mark.not_swept  # query counts vary with the data, not the date
def test_citizen_panel_runs_constant_queries(
    frozen, jf_client, team, jobformidler, django_assert_max_num_queries
) -> None:
    small = _seed(team, jobformidler, 1)
    # The session's first request also asks django-otp for the user's device: not the panel's.
    jf_client.get(reverse("cases:citizen_placements", args=[small.pk]))
    # One query for every alert and the placements read once (issue 13).
    with django_assert_max_num_queries(16) as few:
        jf_client.get(reverse("cases:citizen_placements", args=[small.pk]))
    large = _seed(team, jobformidler, 4)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        page = jf_client.get(reverse("cases:citizen_placements", args=[large.pk])).content.decode()
    assert page.count(">mangler<") == 4  # one row per placement (no agreements)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_first_paid_hour_is_not_before_the_placement_started(jf_client, team, jobformidler) -> None:
    """Issue 14, defect 4: a placement that started Tuesday 3 November reaches its first paid
    hour on the 3rd, not on the ISO week's Monday the 2nd."""
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    p = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 11, 3))
    WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 11, 2), hours=D(4))
    WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 11, 9), hours=D(12))
    page = jf_client.get(reverse("cases:citizen_placements", args=[citizen.pk])).content.decode()
    assert "nået 3. november 2026" in page
    assert "2. november" not in page
