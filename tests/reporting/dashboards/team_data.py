"""Data for the team lead dashboard's tests: a team whose jobformidlere each hold citizens in
every state the tiles and the board count (seen within the cadence or not, in praktik with and
without ordinary hours, an overdue follow-up, an unconfirmed start). The clock is frozen at
Wednesday 2 December 2026 (tests/clock.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases.citizens.models import Citizen
from substitution.models import Team, User
from tests.factories.cases import CitizenFactory, ConversationFactory, FollowUpFactory
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

DEC = dt.date(2026, 12, 1)


def citizen_mix(team: Team, jf: User, size: int = 1) -> list[Citizen]:
    """``size`` times: one citizen of each kind, assigned to ``jf`` since 1 January 2026."""
    made: list[Citizen] = []
    now = timezone.now()
    for _ in range(size):
        seen = CitizenFactory.create(
            team=team,
            opened_on=dt.date(2026, 1, 1),
            assigned_to=jf,
            assigned_to__on=dt.date(2026, 1, 1),
        )
        ConversationFactory.create(citizen=seen, author=jf, occurred_at=now - dt.timedelta(days=3))
        unseen = CitizenFactory.create(
            team=team,
            opened_on=dt.date(2026, 1, 1),
            assigned_to=jf,
            assigned_to__on=dt.date(2026, 1, 1),
        )
        ConversationFactory.create(
            citizen=unseen, author=jf, occurred_at=now - dt.timedelta(days=90)
        )
        praktik = CitizenFactory.create(
            team=team,
            opened_on=dt.date(2026, 1, 1),
            assigned_to=jf,
            assigned_to__on=dt.date(2026, 1, 1),
        )
        PlacementFactory.create(
            citizen=praktik, type_code="virksomhedspraktik", starts_on=dt.date(2026, 8, 3)
        )
        hours = CitizenFactory.create(
            team=team,
            opened_on=dt.date(2026, 1, 1),
            assigned_to=jf,
            assigned_to__on=dt.date(2026, 1, 1),
        )
        smalljob = PlacementFactory.create(citizen=hours, starts_on=DEC)
        WeeklyHoursFactory.create(
            placement=smalljob, week_start=dt.date(2026, 11, 30), hours=Decimal(6)
        )
        overdue = CitizenFactory.create(
            team=team,
            opened_on=dt.date(2026, 1, 1),
            assigned_to=jf,
            assigned_to__on=dt.date(2026, 1, 1),
        )
        FollowUpFactory.create(subject=overdue, owner=jf, due_on=dt.date(2026, 11, 20))
        unconfirmed = CitizenFactory.create(
            team=team,
            opened_on=dt.date(2026, 1, 1),
            assigned_to=jf,
            assigned_to__on=dt.date(2026, 1, 1),
        )
        PlacementFactory.create(
            citizen=unconfirmed,
            type_code="virksomhedspraktik",
            starts_on=DEC,
            start_confirmed_on=None,
        )
        made += [seen, unseen, praktik, hours, overdue, unconfirmed]
    return made
