"""Placements' writers (cases/placements/services.py): start, edit and end with the status from
the dates and the step following, task *besat*, the nightly refresh and its audit rows, and
registering and correcting ordinary hours. Services take an actor and an audit context, never
a request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.citizens.models import Citizen
from cases.citizens.steps import derive_step
from cases.placements.models import (
    Placement,
    PlacementEndReason,
    PlacementStatus,
    WeeklyHours,
    WeeklyHoursRevision,
    current_status,
)
from cases.placements.services import (
    cancel_placement,
    confirm_start,
    end_placement,
    refresh_statuses,
    register_hours,
    start_placement,
    sync_task_status,
    update_placement,
)
from companies.models import Company, TaskStatus
from substitution.audit import SYSTEM, AuditContext
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, make_company, make_task, placement_type

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

TODAY = dt.date(2026, 3, 11)
W2 = dt.date(2026, 1, 5)  # 2026-W02
W3 = dt.date(2026, 1, 12)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, 0), tick=False):
        yield


@pytest.fixture
def hours_placement(team: Team) -> Placement:
    return PlacementFactory.create(citizen=CitizenFactory.create(team=team), starts_on=W2)


# --- placements ----------------------------------------------------------------------------


def test_start_in_the_future_waits_for_a_confirmed_start(citizen, company) -> None:
    """A planned placement does not become active by its date alone (it inflated trin 3 and
    every placement measure): it counts from a confirmed start."""
    placement = start_placement(
        actor=None,
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=dt.date(2026, 3, 16),
    )
    assert placement.status == PlacementStatus.PLANLAGT
    assert placement.start_confirmed_on is None
    assert derive_step(citizen, TODAY) == 2
    assert derive_step(citizen, dt.date(2026, 3, 16)) == 2  # the date alone: still planned
    assert refresh_statuses(dt.date(2026, 3, 16)) == 0
    with pytest.raises(ValidationError):  # not before the start day
        confirm_start(placement, actor=None)
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, 0), tick=False):
        confirm_start(placement, actor=None)
    assert placement.start_confirmed_on == dt.date(2026, 3, 16)
    assert derive_step(citizen, dt.date(2026, 3, 16)) == 3
    placement.status = PlacementStatus.PLANLAGT  # as stored before the day came
    placement.save(update_fields=["status"])
    assert refresh_statuses(dt.date(2026, 3, 16)) == 1
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AKTIV
    assert refresh_statuses(dt.date(2026, 3, 16)) == 0  # idempotent


def test_step_three_while_active_and_back_to_two_after_ending_without_job(
    citizen, company, jobformidler
) -> None:
    assert derive_step(citizen, TODAY) == 2
    placement = start_placement(
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=dt.date(2026, 2, 2),
        actor=jobformidler,
    )
    assert placement.status == PlacementStatus.AKTIV
    assert derive_step(citizen, TODAY) == 3
    end_placement(
        placement,
        ends_on=TODAY,
        end_reason=PlacementEndReason.objects.get(code="afbrudt-borger"),
        actor=None,
    )
    placement.refresh_from_db()
    assert placement.end_reason is not None
    assert (placement.ends_on, placement.end_reason.code) == (TODAY, "afbrudt-borger")
    assert placement.status == PlacementStatus.AKTIV  # the end day itself is still a day in it
    assert derive_step(citizen, TODAY) == 3
    assert derive_step(citizen, TODAY + dt.timedelta(days=1)) == 2
    refresh_statuses(TODAY + dt.timedelta(days=1))
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AFSLUTTET


def test_ending_in_the_past_sets_afsluttet_at_once(citizen, company) -> None:
    placement = PlacementFactory.create(
        citizen=citizen, company=company, starts_on=dt.date(2026, 1, 5)
    )
    end_placement(
        placement,
        ends_on=dt.date(2026, 3, 1),
        end_reason=PlacementEndReason.objects.get(code="ordinaert-job"),
        actor=None,
    )
    assert placement.status == PlacementStatus.AFSLUTTET == current_status(placement)


def test_end_before_start_is_refused(citizen, company) -> None:
    placement = PlacementFactory.create(
        citizen=citizen, company=company, starts_on=dt.date(2026, 3, 2)
    )
    with pytest.raises(ValidationError):
        end_placement(
            placement,
            ends_on=dt.date(2026, 3, 1),
            end_reason=PlacementEndReason.objects.get(code="andet"),
            actor=None,
        )


def test_task_becomes_besat_when_positions_fill_and_reopens(citizen, company, team) -> None:
    task = make_task(company, positions=2)
    kind = placement_type("ordinaere-loentimer")
    first = start_placement(
        actor=None, citizen=citizen, company=company, task=task, type=kind, starts_on=TODAY
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.AABEN
    other = CitizenFactory.create(team=team)
    start_placement(
        actor=None, citizen=other, company=company, task=task, type=kind, starts_on=TODAY
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.BESAT
    # An end date in the future keeps the position taken until then ...
    end_placement(
        first,
        ends_on=TODAY + dt.timedelta(days=3),
        end_reason=PlacementEndReason.objects.get(code="afbrudt-virksomhed"),
        actor=None,
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.BESAT
    # ... and the daily refresh frees it once the date has passed.
    refresh_statuses(TODAY + dt.timedelta(days=4))
    task.refresh_from_db()
    assert task.status == TaskStatus.AABEN


def test_closed_task_is_left_alone(citizen, company) -> None:
    task = make_task(company, status=TaskStatus.LUKKET)
    PlacementFactory.create(citizen=citizen, company=company, task=task)
    assert sync_task_status(task, TODAY) == TaskStatus.LUKKET


def test_task_of_another_company_is_refused(citizen, company, unit) -> None:
    task = make_task(make_company(unit, "Andet A/S"))
    with pytest.raises(ValidationError) as exc:
        start_placement(
            actor=None,
            citizen=citizen,
            company=company,
            task=task,
            type=placement_type("virksomhedspraktik"),
            starts_on=TODAY,
        )
    assert "task" in exc.value.message_dict


def test_moving_to_another_task_frees_the_old_one(citizen, company) -> None:
    old, new = make_task(company, "Opvask"), make_task(company, "Lager")
    placement = start_placement(
        actor=None,
        citizen=citizen,
        company=company,
        task=old,
        type=placement_type("ordinaere-loentimer"),
        starts_on=TODAY,
    )
    old.refresh_from_db()
    assert old.status == TaskStatus.BESAT
    update_placement(placement, {"task": new}, actor=None)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (TaskStatus.AABEN, TaskStatus.BESAT)


def test_a_service_called_with_system_needs_no_request(citizen: Citizen, company: Company) -> None:
    """From Celery, a command or the shell: no request, no user; the audit row says so."""
    placement = start_placement(
        actor=None,
        context=SYSTEM,
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=TODAY,
    )
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(placement.pk))
    assert (event.user, event.ip_address, event.citizen_id) == (None, None, citizen.pk)
    assert placement.created_by is None


def test_the_actor_and_context_are_audited(
    citizen: Citizen, company: Company, jobformidler: User
) -> None:
    placement = start_placement(
        actor=jobformidler,
        context=AuditContext(ip_address="10.0.0.7"),
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=TODAY,
    )
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(placement.pk))
    assert (event.user, event.ip_address) == (jobformidler, "10.0.0.7")
    assert placement.created_by == jobformidler


def test_refresh_writes_an_audit_row_per_placement_with_no_user(
    citizen: Citizen, company: Company
) -> None:
    planned = PlacementFactory.create(
        citizen=citizen, company=company, starts_on=TODAY, status=PlacementStatus.PLANLAGT
    )
    PlacementFactory.create(citizen=citizen, company=company, starts_on=TODAY)  # already right
    assert refresh_statuses(TODAY) == 1
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert (event.user, event.object_id, event.citizen_id) == (None, str(planned.pk), citizen.pk)
    assert event.changes == {"status": ["planlagt", "aktiv"]}
    assert refresh_statuses(TODAY) == 0
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE).count() == 1


def test_stored_status_is_the_one_the_dates_give_after_each_writer(
    citizen: Citizen, company: Company
) -> None:
    placement = start_placement(
        actor=None,
        citizen=citizen,
        company=company,
        type=placement_type("ordinaere-loentimer"),
        starts_on=TODAY + dt.timedelta(days=2),
    )
    assert placement.status == current_status(placement) == PlacementStatus.PLANLAGT
    update_placement(placement, {"starts_on": TODAY - dt.timedelta(days=2)}, actor=None)
    # The start date has come, but the start is not confirmed: still planned.
    assert placement.status == current_status(placement) == PlacementStatus.PLANLAGT
    confirm_start(placement, actor=None)
    assert placement.status == current_status(placement) == PlacementStatus.AKTIV
    end_placement(
        placement,
        ends_on=TODAY - dt.timedelta(days=1),
        end_reason=PlacementEndReason.objects.get(code="planmaessigt"),
        actor=None,
    )
    assert placement.status == current_status(placement) == PlacementStatus.AFSLUTTET


def test_an_unstarted_placement_is_cancelled_not_ended(citizen: Citizen, company: Company) -> None:
    task = make_task(company)
    placement = start_placement(
        actor=None,
        citizen=citizen,
        company=company,
        task=task,
        type=placement_type("virksomhedspraktik"),
        starts_on=TODAY + dt.timedelta(days=7),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.BESAT
    with pytest.raises(ValidationError):
        end_placement(
            placement,
            ends_on=TODAY + dt.timedelta(days=8),
            end_reason=PlacementEndReason.objects.get(code="planmaessigt"),
            actor=None,
        )
    cancel_placement(placement, actor=None)
    assert placement.status == current_status(placement) == PlacementStatus.AFLYST
    assert placement.end_reason is not None
    assert (placement.ends_on, placement.end_reason.code) == (placement.starts_on, "aflyst")
    task.refresh_from_db()
    assert task.status == TaskStatus.AABEN  # a cancelled placement frees its task
    with pytest.raises(ValidationError):
        confirm_start(placement, actor=None)


def test_end_before_start_is_refused_with_the_forms_message(
    citizen: Citizen, company: Company
) -> None:
    placement = PlacementFactory.create(citizen=citizen, company=company, starts_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        update_placement(placement, {"ends_on": TODAY - dt.timedelta(days=1)}, actor=None)
    assert exc.value.message_dict == {"ends_on": ["Slutdatoen ligger før startdatoen."]}


def test_a_company_of_another_jobcentre_is_refused(citizen: Citizen) -> None:
    from tests.factories.org import UnitFactory

    elsewhere = make_company(UnitFactory.create(name="Andet jobcenter"))
    with pytest.raises(ValidationError) as exc:
        start_placement(
            actor=None,
            citizen=citizen,
            company=elsewhere,
            type=placement_type("virksomhedspraktik"),
            starts_on=TODAY,
        )
    assert "company" in exc.value.message_dict
    assert not Placement.objects.exists()


# --- ordinary hours ------------------------------------------------------------------------


def test_register_and_refuse_second_entry(hours_placement, jobformidler) -> None:
    first = register_hours(hours_placement, W2, "7,5", actor=jobformidler)
    assert first.created and first.row.hours == D("7.5")
    with pytest.raises(ValidationError, match="allerede 7,5 timer"):
        register_hours(hours_placement, W2, "9", actor=None)
    assert WeeklyHours.objects.get().hours == D("7.5")


def test_correction_replaces_and_keeps_history(hours_placement, jobformidler) -> None:
    register_hours(hours_placement, W2, "7,5", source="borger", actor=None)
    result = register_hours(
        hours_placement,
        W2,
        "9",
        source="loenseddel",
        correction=True,
        actor=jobformidler,
        reason="x",
    )
    assert result.corrected
    row = WeeklyHours.objects.get()
    assert (row.hours, row.source) == (D(9), "loenseddel")
    revision = WeeklyHoursRevision.objects.get()
    assert (revision.hours, revision.source, revision.replaced_by) == (
        D("7.5"),
        "borger",
        jobformidler,
    )


def test_unchanged_correction_writes_nothing(hours_placement) -> None:
    register_hours(hours_placement, W2, "7,5", source="loenseddel", actor=None)
    result = register_hours(
        hours_placement, W2, "7.50", source="loenseddel", correction=True, actor=None
    )
    assert not result.created and not result.corrected
    assert not WeeklyHoursRevision.objects.exists()


def test_weeks_outside_the_placement_are_refused(team) -> None:
    # Starts Wednesday 7 Jan, ends Tuesday 20 Jan: weeks 2, 3 and 4 overlap; 1 and 5 do not.
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team),
        starts_on=dt.date(2026, 1, 7),
        ends_on=dt.date(2026, 1, 20),
    )
    for monday in (W2, W3, dt.date(2026, 1, 19)):
        register_hours(placement, monday, 5, actor=None)
    for monday in (dt.date(2025, 12, 29), dt.date(2026, 1, 26)):
        with pytest.raises(ValidationError, match="uden for forløbets datoer"):
            register_hours(placement, monday, 5, actor=None)


def test_week_must_be_given_by_its_monday(hours_placement) -> None:
    with pytest.raises(ValidationError, match="mandag"):
        register_hours(hours_placement, dt.date(2026, 1, 7), 5, actor=None)


@pytest.mark.parametrize("code", ["loentilskud", "fleksjob", "virksomhedspraktik"])
def test_types_that_are_not_ordinary_hours_are_refused(team, code: str) -> None:
    placement = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team), type_code=code, starts_on=W2
    )
    with pytest.raises(ValidationError, match="tæller ikke som ordinære timer"):
        register_hours(placement, W2, 10, actor=None)


def test_registering_hours_is_audited_on_the_citizen(
    hours_placement: Placement, jobformidler: User
) -> None:
    register_hours(hours_placement, W2, "7,5", actor=jobformidler)
    register_hours(hours_placement, W2, "9", actor=jobformidler, correction=True)
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "changes", "user"))
    assert events == [
        ("create", {"week": "2026-W02", "hours": [None, "7,5"]}, jobformidler.pk),
        ("change", {"week": "2026-W02", "hours": ["7,5", "9"]}, jobformidler.pk),
    ]


def test_a_value_registered_meanwhile_is_not_overwritten(hours_placement: Placement) -> None:
    """``shown``: the value the user saw; another value by now means someone else was first."""
    register_hours(hours_placement, W2, "5", actor=None)
    with pytest.raises(ValidationError, match="netop registreret af en anden med 5 timer"):
        register_hours(hours_placement, W2, "7", actor=None, correction=True, shown="")
    register_hours(hours_placement, W2, "7", actor=None, correction=True, shown="5")
    assert WeeklyHours.objects.get().hours == D(7)
