"""Step derivation (trin 1/2/3/afsluttet) from job goals, placements and status."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django import DjangoAssertNumQueries

from cases.citizens.models import Citizen, CitizenStatus
from cases.citizens.steps import CLOSED, derive_step, step_label, with_step
from cases.placements.models import Placement, PlacementEndReason
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
    confirmed: bool = True,
    end_reason: str | None = None,
) -> Placement:
    task = Task.objects.create(company=company, title="Pakning")
    return Placement.objects.create(
        citizen=citizen,
        company=company,
        task=task,
        type=PlacementType.objects.get(code=code),
        starts_on=starts_on,
        ends_on=ends_on,
        start_confirmed_on=starts_on if confirmed else None,
        end_reason=PlacementEndReason.objects.get(code=end_reason) if end_reason else None,
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


def test_broken_off_placement_is_back_to_trin_2(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=90))
    ended = DAY - dt.timedelta(days=1)
    place(citizen, company, DAY - dt.timedelta(days=60), ended, end_reason="afbrudt-borger")
    assert derive_step(citizen, DAY) == 2


def test_placement_ended_in_a_job_stays_trin_3(citizen: Citizen, company: Company) -> None:
    """001: only a broken-off placement sends the citizen back to trin 2; one that ends in a
    job does not (docs/measures.md, "The step")."""
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=90))
    ended = DAY - dt.timedelta(days=1)
    place(citizen, company, DAY - dt.timedelta(days=60), ended, end_reason="ordinaert-job")
    assert derive_step(citizen, DAY) == 3
    # The latest ended placement decides: a later one broken off sends them back to trin 2.
    place(
        citizen,
        company,
        DAY - dt.timedelta(days=20),
        DAY + dt.timedelta(days=3),
        "loentilskud",
        end_reason="afbrudt-virksomhed",
    )
    assert derive_step(citizen, DAY + dt.timedelta(days=4)) == 2


def test_unconfirmed_start_is_not_trin_3(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=60))
    placement = place(citizen, company, DAY - dt.timedelta(days=7), confirmed=False)
    assert derive_step(citizen, DAY) == 2
    Placement.objects.filter(pk=placement.pk).update(start_confirmed_on=DAY)
    assert derive_step(citizen, DAY) == 3


def test_ordinary_education_is_not_trin_3(citizen: Citizen, company: Company) -> None:
    """Trin 3 is praktik or employment at a company (001); ordinary education counts as
    virksomhedsforløb mv. in FSM but is not trin 3."""
    JobGoalFactory.create(citizen=citizen, created_on=DAY - dt.timedelta(days=60))
    place(citizen, company, DAY - dt.timedelta(days=7), code="ordinaer-uddannelse")
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
