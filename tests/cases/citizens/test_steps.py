"""Step derivation (trin 1/2/3/afsluttet) from job goals, placements and status."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from cases.citizens.models import Citizen, CitizenStatus
from cases.citizens.steps import CLOSED, derive_step, step_label, with_step
from cases.placements.models import Placement
from companies.models import Company, PlacementType, Task
from substitution.models import Team, Unit
from tests.factories.cases import CitizenFactory, JobGoalFactory

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

DAY = dt.date(2025, 3, 10)


@pytest.fixture
def citizen(team: Team) -> Citizen:
    return CitizenFactory.create(team=team)


@pytest.fixture
def company(unit: Unit) -> Company:
    return Company.objects.create(unit=unit, cvr="10000009", name="Lager ApS")


def place(
    citizen: Citizen,
    company: Company,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    code: str = "virksomhedspraktik",
) -> Placement:
    task = Task.objects.create(company=company, title="Pakning")
    return Placement.objects.create(
        citizen=citizen,
        company=company,
        task=task,
        type=PlacementType.objects.get(code=code),
        starts_on=starts_on,
        ends_on=ends_on,
    )


def test_no_job_goal_is_trin_1(citizen: Citizen) -> None:
    assert derive_step(citizen, DAY) == 1
    assert str(step_label(1)).startswith("Trin 1")


def test_concrete_job_goal_is_trin_2(citizen: Citizen) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=3))
    assert derive_step(citizen, DAY) == 2


def test_ended_job_goal_is_back_to_trin_1(citizen: Citizen) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=30), ended_on=DAY)
    assert derive_step(citizen, DAY) == 1
    assert derive_step(citizen, DAY - dt.timedelta(days=1)) == 2


def test_job_goal_created_later_does_not_count_earlier(citizen: Citizen) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY + dt.timedelta(days=1))
    assert derive_step(citizen, DAY) == 1


def test_active_company_placement_is_trin_3(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=60))
    place(citizen, company, starts_on=DAY - dt.timedelta(days=7))
    assert derive_step(citizen, DAY) == 3
    # Before it started the citizen was on trin 2.
    assert derive_step(citizen, DAY - dt.timedelta(days=8)) == 2


def test_placement_that_ended_is_back_to_trin_2(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=90))
    place(
        citizen,
        company,
        starts_on=DAY - dt.timedelta(days=60),
        ends_on=DAY - dt.timedelta(days=1),
    )
    assert derive_step(citizen, DAY - dt.timedelta(days=1)) == 3  # last day counts
    assert derive_step(citizen, DAY) == 2


def test_closed_case_is_afsluttet_whatever_else(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=90))
    place(citizen, company, starts_on=DAY - dt.timedelta(days=10))
    Citizen.objects.filter(pk=citizen.pk).update(status=CitizenStatus.AFSLUTTET)
    assert derive_step(citizen, DAY) == CLOSED
    assert str(step_label(CLOSED)) == "Afsluttet"


def test_with_step_annotates_a_whole_queryset_in_one_query(
    team: Team, company: Company, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    one = CitizenFactory.create(team=team)
    two = CitizenFactory.create(team=team)
    three = CitizenFactory.create(team=team)
    JobGoalFactory.create(citizen=two, created_on=DAY - dt.timedelta(days=1))
    JobGoalFactory.create(citizen=three, created_on=DAY - dt.timedelta(days=1))
    place(three, company, starts_on=DAY)
    with django_assert_num_queries(1):
        steps = dict(
            with_step(Citizen.objects.all(), DAY).values_list("pk", "step")  # type: ignore[misc]
        )
    assert steps == {one.pk: 1, two.pk: 2, three.pk: 3}
