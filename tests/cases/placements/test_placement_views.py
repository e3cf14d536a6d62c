"""Placements: the one writer (start, edit, end), status from the dates, step effects, task
"besat", starting from a saved match, audit, and access (another team gets 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.citizens.steps import derive_step
from cases.matching.models import MatchProposal
from cases.placements.models import Placement, PlacementEndReason, PlacementStatus, WorkAgreement
from cases.placements.services import (
    current_status,
    end_placement,
    refresh_statuses,
    start_placement,
    status_on,
    sync_task_status,
    update_placement,
)
from companies.models import TaskStatus
from substitution.models import AuditEvent
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory, JobGoalFactory
from tests.factories.placements import (
    PlacementFactory,
    WorkAgreementFactory,
    make_company,
    make_task,
    placement_type,
)

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

TODAY = dt.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, 0), tick=False):
        yield


@pytest.fixture
def citizen(team, jobformidler):  # type: ignore[no-untyped-def]
    c = CitizenFactory(team=team, jobformidler=jobformidler)
    JobGoalFactory(citizen=c, created_on=dt.date(2026, 1, 1))
    return c


@pytest.fixture
def company(unit):  # type: ignore[no-untyped-def]
    return make_company(unit, "Kantinen ApS")


def test_status_follows_the_dates() -> None:
    start = dt.date(2026, 3, 1)
    assert status_on(start, None, dt.date(2026, 2, 28)) == PlacementStatus.PLANLAGT
    assert status_on(start, None, start) == PlacementStatus.AKTIV
    assert status_on(start, dt.date(2026, 3, 10), dt.date(2026, 3, 10)) == PlacementStatus.AKTIV
    assert status_on(start, dt.date(2026, 3, 10), dt.date(2026, 3, 11)) == PlacementStatus.AFSLUTTET


def test_start_in_the_future_is_planned_and_refresh_moves_it(citizen, company) -> None:  # type: ignore[no-untyped-def]
    placement = start_placement(
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=dt.date(2026, 3, 16),
    )
    assert placement.status == PlacementStatus.PLANLAGT
    assert derive_step(citizen, TODAY) == 2
    assert derive_step(citizen, dt.date(2026, 3, 16)) == 3
    assert refresh_statuses(dt.date(2026, 3, 16)) == 1
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AKTIV
    assert refresh_statuses(dt.date(2026, 3, 16)) == 0  # idempotent


def test_step_three_while_active_and_back_to_two_after_ending_without_job(
    citizen, company, jobformidler
) -> None:  # type: ignore[no-untyped-def]
    assert derive_step(citizen, TODAY) == 2
    placement = start_placement(
        citizen=citizen,
        company=company,
        type=placement_type("virksomhedspraktik"),
        starts_on=dt.date(2026, 2, 2),
        user=jobformidler,
    )
    assert placement.status == PlacementStatus.AKTIV
    assert derive_step(citizen, TODAY) == 3
    end_placement(
        placement,
        ends_on=TODAY,
        end_reason=PlacementEndReason.objects.get(code="afbrudt-borger"),
    )
    placement.refresh_from_db()
    assert (placement.ends_on, placement.end_reason.code) == (TODAY, "afbrudt-borger")
    assert placement.status == PlacementStatus.AKTIV  # the end day itself is still a day in it
    assert derive_step(citizen, TODAY) == 3
    assert derive_step(citizen, TODAY + dt.timedelta(days=1)) == 2
    refresh_statuses(TODAY + dt.timedelta(days=1))
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AFSLUTTET


def test_ending_in_the_past_sets_afsluttet_at_once(citizen, company) -> None:  # type: ignore[no-untyped-def]
    placement = PlacementFactory(citizen=citizen, company=company, starts_on=dt.date(2026, 1, 5))
    end_placement(
        placement,
        ends_on=dt.date(2026, 3, 1),
        end_reason=PlacementEndReason.objects.get(code="ordinaert-job"),
    )
    assert placement.status == PlacementStatus.AFSLUTTET == current_status(placement)


def test_end_before_start_is_refused(citizen, company) -> None:  # type: ignore[no-untyped-def]
    placement = PlacementFactory(citizen=citizen, company=company, starts_on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError):
        end_placement(
            placement,
            ends_on=dt.date(2026, 3, 1),
            end_reason=PlacementEndReason.objects.get(code="andet"),
        )


def test_loentilskud_counts_as_company_placement_for_the_step(citizen, company) -> None:  # type: ignore[no-untyped-def]
    PlacementFactory(citizen=citizen, company=company, type_code="loentilskud", starts_on=TODAY)
    assert derive_step(citizen, TODAY) == 3


def test_task_becomes_besat_when_positions_fill_and_reopens(citizen, company, team) -> None:  # type: ignore[no-untyped-def]
    task = make_task(company, positions=2)
    kind = placement_type("ordinaere-loentimer")
    first = start_placement(citizen=citizen, company=company, task=task, type=kind, starts_on=TODAY)
    task.refresh_from_db()
    assert task.status == TaskStatus.AABEN
    other = CitizenFactory(team=team)
    start_placement(citizen=other, company=company, task=task, type=kind, starts_on=TODAY)
    task.refresh_from_db()
    assert task.status == TaskStatus.BESAT
    # An end date in the future keeps the position taken until then ...
    end_placement(
        first,
        ends_on=TODAY + dt.timedelta(days=3),
        end_reason=PlacementEndReason.objects.get(code="afbrudt-virksomhed"),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.BESAT
    # ... and the daily refresh frees it once the date has passed.
    refresh_statuses(TODAY + dt.timedelta(days=4))
    task.refresh_from_db()
    assert task.status == TaskStatus.AABEN


def test_closed_task_is_left_alone(citizen, company) -> None:  # type: ignore[no-untyped-def]
    task = make_task(company, status=TaskStatus.LUKKET)
    PlacementFactory(citizen=citizen, company=company, task=task)
    assert sync_task_status(task, TODAY) == TaskStatus.LUKKET


def test_task_of_another_company_is_refused(citizen, company, unit) -> None:  # type: ignore[no-untyped-def]
    task = make_task(make_company(unit, "Andet A/S"))
    with pytest.raises(ValidationError) as exc:
        start_placement(
            citizen=citizen,
            company=company,
            task=task,
            type=placement_type("virksomhedspraktik"),
            starts_on=TODAY,
        )
    assert "task" in exc.value.message_dict


def test_moving_to_another_task_frees_the_old_one(citizen, company) -> None:  # type: ignore[no-untyped-def]
    old, new = make_task(company, "Opvask"), make_task(company, "Lager")
    placement = start_placement(
        citizen=citizen,
        company=company,
        task=old,
        type=placement_type("ordinaere-loentimer"),
        starts_on=TODAY,
    )
    old.refresh_from_db()
    assert old.status == TaskStatus.BESAT
    update_placement(placement, {"task": new})
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (TaskStatus.AABEN, TaskStatus.BESAT)


# --- views ---------------------------------------------------------------------------------


def test_create_view_with_danish_errors_keeps_input(jf_client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    url = reverse("cases:placement_create", args=[citizen.pk])
    assert jf_client.get(url).status_code == 200
    response = jf_client.post(
        url,
        {
            "company": company.pk,
            "type": placement_type("virksomhedspraktik").pk,
            "starts_on": "16.03.2026",
            "ends_on": "01.03.2026",
            "planned_hours_per_week": "7,5x",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Slutdatoen ligger før startdatoen." in content
    assert "Skriv et tal" in content
    assert 'value="7,5x"' in content
    assert not Placement.objects.exists()


def test_dates_are_danish_text_inputs_and_a_bad_date_is_kept(jf_client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    url = reverse("cases:placement_create", args=[citizen.pk])
    page = jf_client.get(url).content.decode()
    assert 'type="date"' not in page
    assert 'placeholder="dd.mm.åååå"' in page
    response = jf_client.post(
        url,
        {
            "company": company.pk,
            "type": placement_type("virksomhedspraktik").pk,
            "starts_on": "31.02.2026",
            "planned_hours_per_week": "10",
        },
    )
    content = response.content.decode()
    assert "Skriv en gyldig dato som dd.mm.åååå" in content
    assert 'value="31.02.2026"' in content
    placement = PlacementFactory(citizen=citizen, company=company, starts_on=dt.date(2026, 3, 2))
    for name in ("agreement_edit", "placement_end", "placement_edit"):
        page = jf_client.get(reverse(f"cases:{name}", args=[placement.pk])).content.decode()
        assert 'type="date"' not in page, name
    edit = jf_client.get(reverse("cases:placement_edit", args=[placement.pk])).content.decode()
    assert 'value="02.03.2026"' in edit


def test_create_view_then_agreement(jf_client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    response = jf_client.post(
        reverse("cases:placement_create", args=[citizen.pk]),
        {
            "company": company.pk,
            "type": placement_type("virksomhedspraktik").pk,
            "starts_on": "16.03.2026",
            "planned_hours_per_week": "7,5",
        },
    )
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:agreement_edit", args=[placement.pk])
    assert placement.planned_hours_per_week == D("7.5")
    assert AuditEvent.objects.filter(action="create", citizen_id=citizen.pk).exists()
    response = jf_client.post(
        reverse("cases:agreement_edit", args=[placement.pk]),
        {
            "tasks": "Opvask",
            "working_hours": "Man-ons 8-12",
            "ordinary_hours_terms": "paa_sigt",
            "follow_up_days": "14",
            "agreed_on": "11.03.2026",
        },
    )
    assert response.status_code == 200
    assert "Angiv en måldato" in response.content.decode()
    response = jf_client.post(
        reverse("cases:agreement_edit", args=[placement.pk]),
        {
            "tasks": "Opvask",
            "working_hours": "Man-ons 8-12",
            "ordinary_hours_terms": "paa_sigt",
            "ordinary_hours_target_date": "01.06.2026",
            "follow_up_days": "7",
            "agreed_on": "11.03.2026",
        },
    )
    assert response.status_code == 302
    agreement = WorkAgreement.objects.get(placement=placement)
    assert agreement.follow_up_days == 7


def test_start_from_saved_match(jf_client, citizen, company, jobformidler) -> None:  # type: ignore[no-untyped-def]
    task = make_task(company, "Klargøring", hours_per_week=D(12))
    task.placement_types.add(placement_type("ordinaere-loentimer"))
    proposal = MatchProposal.objects.create(citizen=citizen, task=task, created_by=jobformidler)
    url = reverse("cases:placement_from_proposal", args=[proposal.pk])
    page = jf_client.get(url).content.decode()
    assert "Fra matchforslag" in page and 'value="12' in page
    response = jf_client.post(
        url,
        {
            "company": company.pk,
            "task": task.pk,
            "type": placement_type("ordinaere-loentimer").pk,
            "starts_on": "11.03.2026",
            "planned_hours_per_week": "12",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get()
    proposal.refresh_from_db()
    task.refresh_from_db()
    assert placement.from_proposal == proposal and placement.task == task
    assert proposal.closed_at is not None
    assert task.status == TaskStatus.BESAT


def test_end_view(jf_client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    placement = PlacementFactory(citizen=citizen, company=company, starts_on=dt.date(2026, 1, 5))
    response = jf_client.post(
        reverse("cases:placement_end", args=[placement.pk]),
        {
            "ends_on": "10.03.2026",
            "end_reason": PlacementEndReason.objects.get(code="afbrudt-borger").pk,
        },
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AFSLUTTET
    assert derive_step(citizen, TODAY) == 2


def test_detail_is_audit_logged(jf_client, citizen, company) -> None:  # type: ignore[no-untyped-def]
    placement = PlacementFactory(citizen=citizen, company=company)
    response = jf_client.get(reverse("cases:placement_detail", args=[placement.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view", citizen_id=citizen.pk).exists()


def test_other_team_gets_404_on_every_object_url(citizen, company, other_jobformidler) -> None:  # type: ignore[no-untyped-def]
    placement = PlacementFactory(citizen=citizen, company=company)
    WorkAgreementFactory(placement=placement)
    task = make_task(company)
    proposal = MatchProposal.objects.create(
        citizen=citizen, task=task, created_by=other_jobformidler
    )
    client = client_for(other_jobformidler)
    urls = [
        reverse("cases:placement_create", args=[citizen.pk]),
        reverse("cases:placement_from_proposal", args=[proposal.pk]),
        reverse("cases:placement_detail", args=[placement.pk]),
        reverse("cases:placement_edit", args=[placement.pk]),
        reverse("cases:placement_end", args=[placement.pk]),
        reverse("cases:agreement_edit", args=[placement.pk]),
        reverse("cases:agreement_pdf", args=[placement.pk]),
        reverse("cases:citizen_placements", args=[citizen.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("cases:hours_cell"), {"placement": placement.pk, "week": "2026-W10", "hours": "5"}
    )
    assert response.status_code == 404
    # The company page panel is visible (companies are unit-wide) but lists no foreign citizens.
    panel = client.get(reverse("cases:company_placements", args=[company.pk]))
    assert panel.status_code == 200
    assert citizen.full_name not in panel.content.decode()


def test_refresh_task_is_scheduled_and_runs(citizen, company) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from cases.tasks import refresh_placement_statuses

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cases.tasks.refresh_placement_statuses" in tasks
    placement = PlacementFactory(
        citizen=citizen, company=company, starts_on=dt.date(2026, 3, 1), status="planlagt"
    )
    assert refresh_placement_statuses.apply().get() == 1
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AKTIV
