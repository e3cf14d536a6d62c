"""The personal jobformidler with history, and continuity (changes per citizen in a period)."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.citizens.assignments import assign, changes_in_period, continuity, reassign_many
from cases.citizens.models import Assignment, Citizen
from substitution.models import Role
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

JAN = dt.date(2025, 1, 1)


def test_assign_writes_history_and_current(team, jobformidler) -> None:  # type: ignore[no-untyped-def]
    other = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    citizen = CitizenFactory(team=team)
    assert assign(citizen, jobformidler, on=JAN)
    assert assign(citizen, other, on=dt.date(2025, 3, 1))
    assert not assign(citizen, other, on=dt.date(2025, 4, 1))  # no change
    rows = list(
        Assignment.objects.filter(citizen=citizen).values_list(
            "jobformidler", "started_on", "ended_on"
        )
    )
    assert rows == [
        (jobformidler.pk, JAN, dt.date(2025, 2, 28)),
        (other.pk, dt.date(2025, 3, 1), None),
    ]
    citizen.refresh_from_db()
    assert citizen.jobformidler == other


def test_first_assignment_is_not_a_change(team, jobformidler) -> None:  # type: ignore[no-untyped-def]
    citizen = CitizenFactory(team=team)
    assign(citizen, jobformidler, on=JAN)
    assert continuity(citizen, dt.date(2024, 1, 1), dt.date(2025, 12, 31)) == 0


def test_changes_counted_within_period_only(team, jobformidler) -> None:  # type: ignore[no-untyped-def]
    b = make_staff(Role.JOBFORMIDLER, team, username="jf_b")
    c = make_staff(Role.JOBFORMIDLER, team, username="jf_c")
    citizen = CitizenFactory(team=team)
    assign(citizen, jobformidler, on=dt.date(2024, 6, 1))
    assign(citizen, b, on=dt.date(2024, 11, 1))  # change in 2024
    assign(citizen, c, on=dt.date(2025, 2, 1))  # change in 2025
    assign(citizen, jobformidler, on=dt.date(2025, 9, 1))  # change in 2025
    assert continuity(citizen, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == 1
    assert continuity(citizen, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == 2
    assert continuity(citizen, dt.date(2025, 2, 1), dt.date(2025, 2, 1)) == 1  # inclusive
    assert continuity(citizen, dt.date(2025, 2, 2), dt.date(2025, 8, 31)) == 0


def test_reassignment_on_the_first_day_is_a_change(team, jobformidler) -> None:  # type: ignore[no-untyped-def]
    """A wrong first assignment corrected the same day is still a change of jobformidler."""
    other = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    citizen = CitizenFactory(team=team)
    assign(citizen, jobformidler, on=JAN)
    assign(citizen, other, on=JAN)
    assert continuity(citizen, JAN, JAN) == 1


def test_never_assigned_has_no_changes(team) -> None:  # type: ignore[no-untyped-def]
    citizen = CitizenFactory(team=team)
    assert continuity(citizen, JAN, dt.date(2025, 12, 31)) == 0


def test_changes_in_period_for_many_citizens_in_one_query(
    team, jobformidler, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    other = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    steady, moved = CitizenFactory(team=team), CitizenFactory(team=team)
    assign(steady, jobformidler, on=JAN)
    assign(moved, jobformidler, on=JAN)
    reassign_many([moved], other, by=None, on=dt.date(2025, 5, 1))
    with django_assert_num_queries(1):
        result = dict(
            changes_in_period(Citizen.objects.all(), JAN, dt.date(2025, 12, 31)).values_list(
                "pk", "jobformidler_changes"
            )
        )
    assert result == {steady.pk: 0, moved.pk: 1}
