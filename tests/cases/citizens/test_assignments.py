"""Continuity: jobformidler changes per citizen in a period (the history is written by
``services.assign``, tested in test_services.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from cases.citizens.assignments import changes_in_period, continuity
from cases.citizens.models import Citizen
from cases.citizens.services import assign
from substitution.models import Role, Team, User
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

JAN = dt.date(2025, 1, 1)


def test_first_assignment_is_not_a_change(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team)
    assign(citizen, jobformidler, on=JAN)
    assert continuity(citizen, dt.date(2024, 1, 1), dt.date(2025, 12, 31)) == 0


def test_changes_counted_within_period_only(team: Team, jobformidler: User) -> None:
    b = make_staff(Role.JOBFORMIDLER, team, username="jf_b")
    c = make_staff(Role.JOBFORMIDLER, team, username="jf_c")
    citizen = CitizenFactory.create(team=team)
    assign(citizen, jobformidler, on=dt.date(2024, 6, 1))
    assign(citizen, b, on=dt.date(2024, 11, 1))  # change in 2024
    assign(citizen, c, on=dt.date(2025, 2, 1))  # change in 2025
    assign(citizen, jobformidler, on=dt.date(2025, 9, 1))  # change in 2025
    assert continuity(citizen, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == 1
    assert continuity(citizen, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 2
    assert continuity(citizen, dt.date(2025, 2, 1), dt.date(2025, 2, 1)) == 1  # inclusive
    assert continuity(citizen, dt.date(2025, 2, 2), dt.date(2025, 8, 31)) == 0


def test_reassignment_on_the_first_day_is_a_change(team: Team, jobformidler: User) -> None:
    """A wrong first assignment corrected the same day is still a change of jobformidler."""
    other = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    citizen = CitizenFactory.create(team=team)
    assign(citizen, jobformidler, on=JAN)
    assign(citizen, other, on=JAN)
    assert continuity(citizen, JAN, JAN) == 1


def test_never_assigned_has_no_changes(team: Team) -> None:
    citizen = CitizenFactory.create(team=team)
    assert continuity(citizen, JAN, dt.date(2025, 12, 31)) == 0


def test_changes_in_period_for_many_citizens_in_one_query(
    team: Team, jobformidler: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    other = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    steady, moved = CitizenFactory.create(team=team), CitizenFactory.create(team=team)
    assign(steady, jobformidler, on=JAN)
    assign(moved, jobformidler, on=JAN)
    assign(moved, other, on=dt.date(2025, 5, 1))
    with django_assert_num_queries(1):
        changes = changes_in_period(Citizen.objects.all(), JAN, dt.date(2025, 12, 31))
        result = dict(changes.values_list("pk", "jobformidler_changes"))  # type: ignore[misc]
    assert result == {steady.pk: 0, moved.pk: 1}
