"""The weekly hours grid: rows, per-cell saving with Danish errors, corrections, and a constant
number of queries whatever the caseload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from cases.placements.models import WeeklyHours, WeeklyHoursRevision
from substitution.models import AuditEvent
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

TODAY = dt.date(2026, 4, 15)  # 2026-W16
W15 = dt.date(2026, 4, 6)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 4, 15, 10, 0), tick=False):
        yield


def make_rows(team, jobformidler, n: int) -> list:
    rows = []
    for _ in range(n):
        citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
        p = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 1, 5))
        WeeklyHoursFactory.create(placement=p, week_start=W15, hours=D("7.5"))
        rows.append(p)
    return rows


def cell(client, placement, week="2026-W15", hours="7,5", previous=""):
    return client.post(
        reverse("cases:hours_cell"),
        {"placement": placement.pk, "week": week, "hours": hours, "previous": previous},
        HTTP_HX_REQUEST="true",
    )


def test_grid_lists_paid_ordinary_placements_only(jf_client, team, jobformidler) -> None:
    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aya", last_name="Berg"
    )
    PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 1, 5))
    for code in ("loentilskud", "fleksjob", "virksomhedspraktik"):
        PlacementFactory.create(
            citizen=CitizenFactory.create(
                team=team, jobformidler=jobformidler, last_name=f"X{code}"
            ),
            type_code=code,
        )
    page = jf_client.get(reverse("cases:hours_grid")).content.decode()
    assert "Aya Berg" in page
    assert (
        "Xloentilskud" not in page and "Xfleksjob" not in page and "Xvirksomhedspraktik" not in page
    )
    assert "2026-W16" in page and "2026-W09" in page  # eight weeks ending with the current one
    older = jf_client.get(reverse("cases:hours_grid") + "?uge=2026-W08").content.decode()
    assert 'title="2026-W01:' in older and "2026-W16:" not in older
    assert ">Uge 1<" in older  # "Uge 1" shown, the ISO week and dates on hover


def test_cell_saves_and_returns_the_cell(jf_client, team, jobformidler) -> None:
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team, jobformidler=jobformidler)
    )
    response = cell(jf_client, placement, hours="7,5")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith("<td") and "Gemt" in body and 'value="7,5"' in body
    row = WeeklyHours.objects.get()
    assert (row.week_start, row.hours, row.registered_by) == (W15, D("7.5"), jobformidler)
    assert AuditEvent.objects.filter(action="create", citizen_id=placement.citizen_id).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("-2", "negative"), ("81", "Højst 80"), ("syv", "fx 7,5")],
)
def test_rejected_cell_shows_danish_error_and_keeps_value(
    jf_client, team, jobformidler, typed, message
) -> None:
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team, jobformidler=jobformidler)
    )
    body = cell(jf_client, placement, hours=typed).content.decode()
    assert message in body
    assert f'value="{typed}"' in body and 'aria-invalid="true"' in body
    assert not WeeklyHours.objects.exists()


def test_week_outside_dates_and_non_ordinary_type_are_rejected(
    jf_client, team, jobformidler
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    placement = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 4, 13))
    assert "uden for forløbets datoer" in cell(jf_client, placement).content.decode()
    lt = PlacementFactory.create(citizen=citizen, type_code="loentilskud")
    assert "tæller ikke som ordinære timer" in cell(jf_client, lt).content.decode()
    assert not WeeklyHours.objects.exists()


def test_second_entry_refused_but_editing_the_shown_value_is_a_correction(
    jf_client, team, jobformidler
) -> None:
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team, jobformidler=jobformidler)
    )
    WeeklyHoursFactory.create(placement=placement, week_start=W15, hours=D("7.5"))
    # A cell that was rendered empty (someone else saved meanwhile) must not overwrite.
    body = cell(jf_client, placement, hours="9", previous="").content.decode()
    assert "netop registreret" in body and 'value="9"' in body
    assert WeeklyHours.objects.get().hours == D("7.5")
    # Editing the value the cell showed is the explicit correction.
    body = cell(jf_client, placement, hours="9", previous="7,5").content.decode()
    assert "Gemt" in body
    assert WeeklyHours.objects.get().hours == D(9)
    assert WeeklyHoursRevision.objects.get().hours == D("7.5")


@pytest.mark.not_swept  # query counts vary with the data, not the date
def test_grid_runs_constant_queries(
    jf_client, team, jobformidler, django_assert_max_num_queries
) -> None:
    make_rows(team, jobformidler, 2)
    url = reverse("cases:hours_grid")
    # The session's first request also asks django-otp for the user's device: not the grid's.
    jf_client.get(url)
    with django_assert_max_num_queries(18) as small:
        assert jf_client.get(url).status_code == 200
    make_rows(team, jobformidler, 25)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        page = jf_client.get(url).content.decode()
    assert page.count('name="hours"') == 27 * 8
    assert len(large.captured_queries) == len(small.captured_queries)


def test_teamleder_sees_the_team(team, jobformidler, teamleder) -> None:
    from tests.conftest import client_for

    make_rows(team, jobformidler, 2)
    page = client_for(teamleder).get(reverse("cases:hours_grid")).content.decode()
    assert page.count('name="hours"') == 16


def test_a_monthly_row_starting_on_a_monday_is_not_shown_as_that_weeks_hours(
    jf_client, team, jobformidler
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    p = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 1, 5))
    # March 2026 as one payslip row would start on a Sunday; 1 December 2025 is a Monday, so
    # use a 28-day period from Monday 9 March (inside the grid's eight weeks).
    WeeklyHoursFactory.create(
        placement=p, week_start=dt.date(2026, 3, 9), ends_on=dt.date(2026, 4, 5), hours=D(123)
    )
    page = jf_client.get(reverse("cases:hours_grid")).content.decode()
    # Not in the week's cell; the month columns (issue 14) do count the period's hours.
    assert 'name="hours" value="123"' not in page
    # Typing that week's hours is refused: the period already holds them.
    response = cell(jf_client, p, week="2026-W11", hours="5")
    assert "overlapper" in response.content.decode()
    assert WeeklyHours.objects.filter(placement=p).count() == 1


def test_grid_cells_are_the_saved_cells_markup(jf_client, team, jobformidler) -> None:
    """The grid builds its rows in one go (``grid_row_html``); each week cell is the same
    ``<td>`` as the one ``cell_context`` answers a save with (inside the placement's dates,
    with a value or empty, and outside them)."""
    from cases.placements import hours
    from cases.placements.views.hours import cell_context

    citizen = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Ida <b>", last_name="Lund & Co"
    )
    placement = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 3, 30))
    WeeklyHoursFactory.create(placement=placement, week_start=W15, hours=D("7.25"))
    page = jf_client.get(reverse("cases:hours_grid")).content.decode()
    for monday, saved in (
        (W15, D("7.25")),  # a value
        (dt.date(2026, 4, 13), None),  # inside the dates, empty
        (dt.date(2026, 3, 23), None),  # before the start: outside
    ):
        expected = str(cell_context(placement, monday, saved)["html"])
        assert expected in page, hours.iso_week_label(monday)
    assert "Ida &lt;b&gt; Lund &amp; Co" in page
