"""What the placement pages read (cases/placements/queries.py): Min dag's placements, the
hours grid's rows and the company panel's counts, each through ``visible_to``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from cases.citizens.models import Citizen
from cases.placements import queries
from companies.models import Company
from substitution.models import Role, Team, User
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory, WorkAgreementFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 11)


def test_my_alert_placements_caseload_or_as_mentor(
    citizen: Citizen, company: Company, jobformidler: User, team: Team
) -> None:
    mine = PlacementFactory.create(citizen=citizen, company=company)
    other = PlacementFactory.create(citizen=CitizenFactory.create(team=team), company=company)
    mentor = make_staff(Role.MENTOR, team, username="mentor_q")
    WorkAgreementFactory.create(placement=other, jobcentre_mentor=mentor)
    assert list(queries.my_alert_placements(jobformidler)) == [mine]
    assert list(queries.my_alert_placements(mentor)) == [other]


def test_grid_rows_are_paid_ordinary_and_overlap_the_weeks(
    citizen: Citizen, company: Company, jobformidler: User
) -> None:
    shown = PlacementFactory.create(citizen=citizen, company=company, starts_on=DAY)
    PlacementFactory.create(citizen=citizen, company=company, type_code="loentilskud")
    PlacementFactory.create(
        citizen=citizen, company=company, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 2, 1)
    )
    first, last = dt.date(2026, 2, 2), dt.date(2026, 3, 9)  # Mondays
    assert list(queries.grid_placements(jobformidler, first, last, everyone=False)) == [shown]


def test_company_panel_counts_everyone_but_lists_only_visible(
    citizen: Citizen, company: Company, jobformidler: User, other_team: Team
) -> None:
    mine = PlacementFactory.create(citizen=citizen, company=company, starts_on=DAY)
    WeeklyHoursFactory.create(placement=mine, week_start=dt.date(2026, 3, 9), hours=D(5))
    PlacementFactory.create(
        citizen=CitizenFactory.create(team=other_team), company=company, starts_on=DAY
    )
    panel = queries.company_panel(jobformidler, company, DAY)
    assert (panel.total, panel.active, panel.visible_total, panel.hidden_total) == (2, 2, 1, 1)
    assert list(panel.rows) == [mine] and panel.ordinary_total == D(5)
