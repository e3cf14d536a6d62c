"""The citizen's maintained step (``Citizen.current_step``, cases/citizens/facts.py): every
writer of its inputs keeps it, the hourly date pass moves it when a date passes at midnight in
Copenhagen, ``check_data`` finds a row that disagrees, and the caseload sorts and filters by
it. Each writer test starts from a stored step that the writer must change: without the
writer's refresh the column keeps the old value and the test fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from cases import invariants
from cases.citizens import facts
from cases.citizens.history_import import PLACEMENTS
from cases.citizens.models import Citizen, CitizenStatus, ExitReason, JobGoal
from cases.citizens.steps import CLOSED, step_on
from cases.placements import services as placement_services
from cases.placements.models import Placement, PlacementEndReason
from companies.models import Company, PlacementType
from substitution import days
from substitution.models import Team, Unit, User
from tests.clock import CPH
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory, JobGoalFactory
from tests.factories.companies import CompanyFactory
from tests.factories.placements import PlacementFactory, placement_type

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    return CitizenFactory.create(team=team, assigned_to=jobformidler, first_name="Anna")


@pytest.fixture
def company(unit: Unit) -> Company:
    return CompanyFactory.create(unit=unit, name="Lageret ApS")


def stored(citizen: Citizen) -> int:
    return Citizen.objects.values_list("current_step", flat=True).get(pk=citizen.pk)


def live(citizen: Citizen) -> int:
    return int(
        Citizen.objects.filter(pk=citizen.pk)
        .annotate(s=step_on(days.today()))
        .values_list("s", flat=True)
        .get()
    )


def assert_kept(citizen: Citizen, step: int) -> None:
    assert (stored(citizen), live(citizen)) == (step, step)
    assert not facts.stale_steps().exists()


def edit_data(citizen: Citizen, **changes: Any) -> dict[str, Any]:
    return {
        "first_name": citizen.first_name,
        "last_name": citizen.last_name,
        "postal_code": citizen.postal_code,
        "benefit_type": citizen.benefit_type_id,
        "team": citizen.team_id,
        "status": citizen.status,
        **changes,
    }


def start(citizen: Citizen, company: Company, code: str = "virksomhedspraktik") -> Placement:
    return placement_services.start_placement(
        actor=None,
        citizen=citizen,
        company=company,
        type=placement_type(code),
        starts_on=days.today() - dt.timedelta(days=3),
    )


# --- the writers -------------------------------------------------------------------------------


def test_closing_and_reopening_the_case_keep_the_step(jf_client: Client, citizen: Citizen) -> None:
    JobGoalFactory.create(citizen=citizen)
    assert_kept(citizen, 2)
    url = reverse("cases:citizen_edit", args=[citizen.pk])
    reason = ExitReason.objects.get(code="ordinaert-job")
    closed = edit_data(
        citizen,
        status=CitizenStatus.AFSLUTTET,
        exit_reason=reason.pk,
        exit_date=days.today().strftime("%d.%m.%Y"),
    )
    assert jf_client.post(url, closed).status_code == 302
    assert_kept(citizen, CLOSED)
    citizen.refresh_from_db()
    reopened = edit_data(citizen, status=CitizenStatus.AKTIV, exit_reason="", exit_date="")
    assert jf_client.post(url, reopened).status_code == 302
    assert_kept(citizen, 2)


def test_adding_and_ending_a_job_goal_keep_the_step(jf_client: Client, citizen: Citizen) -> None:
    assert_kept(citizen, 1)
    jf_client.post(reverse("cases:job_goal_add", args=[citizen.pk]), {"title": "Lager"})
    assert_kept(citizen, 2)
    goal = JobGoal.objects.get(citizen=citizen)
    jf_client.post(reverse("cases:job_goal_end", args=[goal.pk]))  # ended today: not counted
    assert_kept(citizen, 1)


def test_starting_and_ending_a_placement_keep_the_step(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen)
    placement = start(citizen, company)
    assert_kept(citizen, 3)
    placement_services.end_placement(
        placement,
        ends_on=days.today() - dt.timedelta(days=1),
        end_reason=PlacementEndReason.objects.get(code="afbrudt-borger"),
        actor=None,
    )
    assert_kept(citizen, 2)


def test_confirming_a_start_keeps_the_step(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen)
    placement = placement_services.start_placement(
        actor=None,
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=days.today(),
        confirmed=False,
    )
    assert_kept(citizen, 2)  # planned: not yet trin 3
    placement_services.confirm_start(placement, actor=None)
    assert_kept(citizen, 3)


def test_editing_a_placement_keeps_the_step(citizen: Citizen, company: Company) -> None:
    JobGoalFactory.create(citizen=citizen)
    placement = start(citizen, company)
    assert_kept(citizen, 3)
    # Ordinary education is not a placement at a company (no trin 3).
    placement_services.update_placement(
        placement, {"type": placement_type("ordinaer-uddannelse")}, actor=None
    )
    assert_kept(citizen, 2)


def test_the_placements_import_keeps_the_step(
    unit: Unit, administrator: User, citizen: Citizen, company: Company
) -> None:
    JobGoalFactory.create(citizen=citizen)
    assert_kept(citizen, 2)
    began = days.today() - dt.timedelta(days=10)
    data = (
        "cpr;cvr;type;start;start bekræftet;slut;timer pr. uge;slutårsag\r\n"
        f"{citizen.cpr};{company.cvr};virksomhedspraktik;{began.isoformat()};ja;;10;\r\n"
    ).encode()
    plan = placement_services.import_history(PLACEMENTS, data, unit, actor=administrator)
    assert plan.errors == [] and plan.counts()["created"] == 1
    assert_kept(citizen, 3)


def test_a_flag_changed_in_the_admin_refreshes_every_citizen(
    administrator: User, citizen: Citizen, company: Company
) -> None:
    JobGoalFactory.create(citizen=citizen)
    start(citizen, company, code="loentilskud")
    assert_kept(citizen, 3)
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    kind = placement_type("loentilskud")
    data = {
        name: (
            "on" if value is True else value.isoformat() if hasattr(value, "isoformat") else value
        )
        for name, value in model_to_dict(kind).items()
        if name != "id" and value is not None and value is not False
    }
    data.pop("at_company")
    url = reverse("admin:companies_placementtype_change", args=[kind.pk])
    response = client_for(administrator).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not PlacementType.objects.get(pk=kind.pk).at_company
    assert_kept(citizen, 2)


# --- the date pass -----------------------------------------------------------------------------


def test_the_date_pass_moves_the_step_at_midnight_in_copenhagen(
    team: Team, company: Company, clock_instant: dt.datetime
) -> None:
    """Set up on the day before (Copenhagen), then at the frozen instant: a placement whose
    last day was yesterday, one that starts today, a job goal ended today and one created
    today. Their stored steps are yesterday's until the hourly task's date pass."""
    today = days.today()
    yesterday = today - dt.timedelta(days=1)
    made: dict[str, Citizen] = {}
    with time_machine.travel(dt.datetime.combine(yesterday, dt.time(12), CPH), tick=False):
        assert days.today() == yesterday
        for name in ("ended", "starting", "goal_ended", "goal_new", "untouched"):
            made[name] = CitizenFactory.create(team=team, first_name=name)
        for name in ("ended", "starting", "goal_ended", "untouched"):
            JobGoalFactory.create(citizen=made[name], created_on=today - dt.timedelta(days=90))
        PlacementFactory.create(
            citizen=made["ended"],
            company=company,
            type_code="virksomhedspraktik",
            starts_on=today - dt.timedelta(days=40),
            ends_on=yesterday,
            end_reason=PlacementEndReason.objects.get(code="afbrudt-borger"),
        )
        PlacementFactory.create(
            citizen=made["starting"],
            company=company,
            type_code="virksomhedspraktik",
            starts_on=today,
            start_confirmed_on=yesterday,
        )
        JobGoal.objects.filter(citizen=made["goal_ended"]).update(ended_on=today)
        JobGoalFactory.create(citizen=made["goal_new"], created_on=today)
        facts.refresh()
        assert {name: stored(c) for name, c in made.items()} == {
            "ended": 3,
            "starting": 2,
            "goal_ended": 2,
            "goal_new": 1,
            "untouched": 2,
        }
        assert not facts.stale_steps().exists()
    assert days.today() == today
    assert set(facts.stale_steps()) == {
        made["ended"],
        made["starting"],
        made["goal_ended"],
        made["goal_new"],
    }
    from cases.tasks import refresh_placement_statuses

    refresh_placement_statuses.apply().get()
    assert {name: stored(c) for name, c in made.items()} == {
        "ended": 2,
        "starting": 3,
        "goal_ended": 1,
        "goal_new": 2,
        "untouched": 2,
    }
    assert not facts.stale_steps().exists()
    assert facts.refresh_dated_steps() == 0  # idempotent


def test_the_date_pass_catches_up_after_days_without_a_run(team: Team, company: Company) -> None:
    today = days.today()
    citizen = CitizenFactory.create(team=team)
    JobGoalFactory.create(citizen=citizen, created_on=today - dt.timedelta(days=90))
    with time_machine.travel(today - dt.timedelta(days=5), tick=False):
        PlacementFactory.create(
            citizen=citizen,
            company=company,
            type_code="virksomhedspraktik",
            starts_on=today - dt.timedelta(days=40),
            ends_on=today - dt.timedelta(days=4),
            end_reason=PlacementEndReason.objects.get(code="afbrudt-borger"),
        )
        assert stored(citizen) == 3
    assert facts.refresh_dated_steps() == 1
    assert stored(citizen) == 2


# --- the check and the caseload ------------------------------------------------------------------


def test_check_data_finds_a_step_typed_past_the_writers(citizen: Citizen) -> None:
    check = next(c for c in invariants.CHECKS if c.code == "borger-trin")
    assert check.run(days.today()) == []
    Citizen.objects.filter(pk=citizen.pk).update(current_step=3)
    (violation,) = check.run(days.today())
    assert violation.count == 1 and violation.examples == (citizen.pk,)


def test_the_caseload_sorts_filters_and_shows_the_stored_step(
    leder: User, team: Team, company: Company
) -> None:
    one = CitizenFactory.create(team=team, first_name="Et", last_name="A")
    two = CitizenFactory.create(team=team, first_name="To", last_name="B")
    three = CitizenFactory.create(team=team, first_name="Tre", last_name="C")
    JobGoalFactory.create(citizen=two)
    JobGoalFactory.create(citizen=three)
    start(three, company)
    client = client_for(leder)
    url = reverse("cases:caseload")

    def shown(**params: str) -> list[tuple[str, str]]:
        page = client.get(url, {"visning": "alle", **params}).context["page"]
        return [(c.first_name, str(c.step_text)) for c in page.object_list]

    assert [name for name, _ in shown(sorter="-trin")] == ["Tre", "To", "Et"]
    assert [name for name, _ in shown(sorter="trin")] == ["Et", "To", "Tre"]
    assert [name for name, _ in shown(trin="2")] == ["To"]
    # What the list shows is the stored step: a row typed past the writers shows (and sorts)
    # as typed, which is what check_data reports.
    Citizen.objects.filter(pk=one.pk).update(current_step=3)
    assert shown(trin="3")[0] == ("Et", "Trin 3 – Virksomhedsforløb")
