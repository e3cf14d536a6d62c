"""Progression reviews every review_interval_weeks (default 6) per open sub-goal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases.citizens import reviews
from cases.citizens.models import Citizen, ProgressReview, SubGoalStatus
from substitution.models import Team, Threshold, Unit, User
from tests.factories.cases import CitizenFactory, SubGoalFactory

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

DAY = dt.date(2025, 6, 2)


def due_ids(day: dt.date, unit: Unit | int | None = None) -> set[int]:
    return set(
        reviews.due_for_citizens(Citizen.objects.all(), day, unit).values_list("pk", flat=True)
    )


def test_due_six_weeks_after_creation_then_after_last_review(
    team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team)
    goal = SubGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(weeks=6))
    fresh = SubGoalFactory.create(
        citizen=citizen, created_on=DAY - dt.timedelta(weeks=6) + dt.timedelta(days=1)
    )
    SubGoalFactory.create(
        citizen=citizen, created_on=DAY - dt.timedelta(weeks=10), status=SubGoalStatus.OPGIVET
    )
    assert due_ids(DAY) == {goal.pk}
    ProgressReview.objects.create(
        sub_goal=goal, reviewed_on=DAY - dt.timedelta(days=1), by=jobformidler, outcome="bevaeger"
    )
    assert due_ids(DAY) == set()
    assert due_ids(DAY + dt.timedelta(days=1)) == {fresh.pk}
    assert due_ids(DAY - dt.timedelta(days=1) + dt.timedelta(weeks=6)) == {goal.pk, fresh.pk}


def test_interval_is_a_threshold(team: Team, unit: Unit) -> None:
    citizen = CitizenFactory.create(team=team)
    goal = SubGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(weeks=4))
    assert due_ids(DAY, unit.pk) == set()
    Threshold.objects.create(key="review_interval_weeks", value=4, unit=unit)
    assert due_ids(DAY, unit.pk) == {goal.pk}


@time_machine.travel(dt.datetime(2025, 6, 2, 10, 0), tick=False)
def test_review_form_records_each_open_sub_goal(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team)
    jf_client.force_login(jobformidler)
    a = SubGoalFactory.create(
        citizen=citizen, created_on=DAY - dt.timedelta(weeks=7), title="Mød stabilt"
    )
    b = SubGoalFactory.create(
        citizen=citizen, created_on=DAY - dt.timedelta(weeks=7), title="Cykel til arbejde"
    )
    url = reverse("cases:review_create", args=[citizen.pk])
    missing = jf_client.post(url, {f"outcome_{a.pk}": "opnaaet"})
    assert (
        missing.status_code == 400 and "Vælg en vurdering af delmålet." in missing.content.decode()
    )
    response = jf_client.post(
        url,
        {
            f"outcome_{a.pk}": "opnaaet",
            f"note_{a.pk}": "Mødt alle dage",
            f"outcome_{b.pk}": "staar_stille",
            f"note_{b.pk}": "Cyklen er i stykker",
        },
    )
    assert response.status_code == 302
    assert ProgressReview.objects.count() == 2
    a.refresh_from_db()
    assert a.status == SubGoalStatus.OPNAAET  # achieved closes the sub-goal
    html = jf_client.get(citizen.get_absolute_url() + "?vis=plan").content.decode()
    assert 'class="review-step outcome-opnaaet"' in html
    assert 'class="review-step outcome-staar_stille"' in html and "Cyklen er i stykker" in html
    assert due_ids(DAY) == set()
