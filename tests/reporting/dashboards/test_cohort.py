"""The cohort view (reporting/dashboards/cohort.py), as FSM's figure 4-3: by months since
visitation, the share ever in virksomhedsforløb mv. and with ordinary hours (or in that month).

Frozen at 2 December 2026: a citizen visited in September 2026 has reached month 4 (December).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.citizens.models import Citizen, VisitationGroup, VisitationPeriod
from reporting.dashboards import cohort
from reporting.measures import Population
from substitution.models import Role, Team, Unit, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def visited(team: Team, on: dt.date) -> Citizen:
    citizen = CitizenFactory.create(team=team, opened_on=on)
    group = VisitationGroup.objects.get(code="gruppe-1")
    VisitationPeriod.objects.create(citizen=citizen, group=group, starts_on=on)
    return citizen


@pytest.fixture
def september(team: Team) -> list[Citizen]:
    """Four citizens visited in September 2026: one in praktik in October only, one with
    ordinary hours in November, two with nothing."""
    a, b, c, d = (visited(team, dt.date(2026, 9, 10)) for _ in range(4))
    PlacementFactory.create(
        citizen=a, type_code="virksomhedspraktik", starts_on=dt.date(2026, 10, 5),
        ends_on=dt.date(2026, 10, 30),
    )  # fmt: skip
    paid = PlacementFactory.create(citizen=b, starts_on=dt.date(2026, 11, 2))
    WeeklyHoursFactory.create(placement=paid, week_start=dt.date(2026, 11, 2), hours=Decimal(6))
    return [a, b, c, d]


def test_ever_counts_from_the_first_month_on(unit: Unit, team: Team, september: list) -> None:
    result = cohort.curves(Population(unit_id=unit.pk), [team], TODAY)
    vf, hours = result.lines[cohort.VF][team.pk], result.lines[cohort.HOURS][team.pk]
    # Months 1..4 are September..December; month 5 has not begun.
    assert vf.denominators[:5] == [4, 4, 4, 4, 0]
    # Ordinary hours are on a placement of ordinary hours, which is also virksomhedsforløb mv.
    assert vf.numerators[:4] == [0, 1, 2, 2]
    assert hours.numerators[:4] == [0, 0, 1, 1]
    assert [vf.display(k) for k in (1, 2, 3, 4, 5)] == ["0 %", "25 %", "50 %", "50 %", "–"]
    assert vf.share(5) is None
    total = result.lines[cohort.VF][cohort.TOTAL]
    assert total.numerators == vf.numerators and total.denominators == vf.denominators


def test_in_that_month_counts_only_the_month(unit: Unit, team: Team, september: list) -> None:
    result = cohort.curves(Population(unit_id=unit.pk), [team], TODAY, mode=cohort.IN_MONTH)
    vf = result.lines[cohort.VF][team.pk]
    # October: the praktik; November and December: the paid placement (still running).
    assert vf.numerators[:4] == [0, 1, 1, 1]
    assert result.lines[cohort.HOURS][team.pk].numerators[:4] == [0, 0, 1, 0]


def test_younger_cohorts_count_only_in_months_they_reached(
    unit: Unit, team: Team, september: list
) -> None:
    november = visited(team, dt.date(2026, 11, 20))
    PlacementFactory.create(citizen=november, type_code="virksomhedspraktik",
                            starts_on=dt.date(2026, 11, 23))  # fmt: skip
    vf = cohort.curves(Population(unit_id=unit.pk), [team], TODAY).lines[cohort.VF][team.pk]
    assert vf.denominators[:4] == [5, 5, 4, 4]
    assert vf.numerators[:2] == [1, 2]  # the November citizen in month 1 and 2


def test_a_citizen_without_visitation_or_of_another_team_is_left_out(
    unit: Unit, team: Team, other_team: Team
) -> None:
    CitizenFactory.create(team=team, opened_on=dt.date(2026, 9, 1))  # never visited
    visited(other_team, dt.date(2026, 9, 1))
    result = cohort.curves(Population(unit_id=unit.pk, team_ids=(team.pk,)), [team], TODAY)
    assert result.citizens == 0


def test_the_page_draws_a_line_per_team_and_the_total(
    unit: Unit, team: Team, september: list, leder: User
) -> None:
    client = client_for(leder)
    client.get(reverse("reporting:cohort"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("reporting:cohort"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="line-chart"') == 2
    assert "Har været i virksomhedsforløb mv., efter måneder siden visitation" in html
    assert "Jobcentret i alt" in html and team.name in html
    in_month = client.get(reverse("reporting:cohort"), {"visning": cohort.IN_MONTH})
    assert "i måneden, efter måneder siden visitation" in in_month.content.decode()
    for _ in range(5):
        visited(team, dt.date(2026, 10, 1))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("reporting:cohort"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_team_lead_sees_only_their_teams(unit: Unit, team: Team, other_team: Team) -> None:
    visited(other_team, dt.date(2026, 9, 1))
    lead = make_staff(Role.TEAMLEDER, team, username="tl_c")
    html = client_for(lead).get(reverse("reporting:cohort")).content.decode()
    assert other_team.name not in html
    assert "Dine teams i alt" in html
