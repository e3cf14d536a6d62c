"""The placement pages (cases/placements/views/placements.py): create with Danish errors, the
agreement, starting from a saved match, ending, the audited detail page, and access (another
team gets 404). The writers behind them: test_services.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse

from cases.citizens.steps import derive_step
from cases.matching.models import MatchProposal
from cases.placements.models import (
    Placement,
    PlacementEndReason,
    PlacementStatus,
    WorkAgreement,
)
from companies.models import TaskStatus
from substitution.models import AuditEvent
from tests.conftest import client_for
from tests.factories.placements import (
    PlacementFactory,
    WorkAgreementFactory,
    make_task,
    placement_type,
)

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

TODAY = dt.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, 0), tick=False):
        yield


# --- views ---------------------------------------------------------------------------------


def test_create_view_with_danish_errors_keeps_input(jf_client, citizen, company) -> None:
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


def test_dates_are_danish_text_inputs_and_a_bad_date_is_kept(jf_client, citizen, company) -> None:
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
    placement = PlacementFactory.create(
        citizen=citizen, company=company, starts_on=dt.date(2026, 3, 2)
    )
    for name in ("agreement_edit", "placement_end", "placement_edit"):
        page = jf_client.get(reverse(f"cases:{name}", args=[placement.pk])).content.decode()
        assert 'type="date"' not in page, name
    edit = jf_client.get(reverse("cases:placement_edit", args=[placement.pk])).content.decode()
    assert 'value="02.03.2026"' in edit


def test_create_view_then_agreement(jf_client, citizen, company) -> None:
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


def test_start_from_saved_match(jf_client, citizen, company, jobformidler) -> None:
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


def test_company_field_renders_the_chosen_company_only(jf_client, citizen, company) -> None:
    """The company field is searchable (``SearchOnlyCombobox``): a jobcentre's thousands of
    companies are found by typing, the form renders the empty choice and the chosen one."""
    from tests.factories.companies import CompanyFactory

    others = [CompanyFactory.create(unit=company.unit, name=f"Anden {n} ApS") for n in range(3)]
    url = reverse("cases:placement_create", args=[citizen.pk])
    page = jf_client.get(url).content.decode()
    assert f'data-combobox="{reverse("companies:company_choices")}"' in page
    assert company.name not in page and not any(o.name in page for o in others)
    # Posted with errors, the form keeps the chosen company (and offers no other).
    page = jf_client.post(url, {"company": others[1].pk, "starts_on": "x"}).content.decode()
    assert f'<option value="{others[1].pk}" selected>{others[1].name}</option>' in page
    assert others[0].name not in page and company.name not in page


def test_end_view(jf_client, citizen, company) -> None:
    placement = PlacementFactory.create(
        citizen=citizen, company=company, starts_on=dt.date(2026, 1, 5)
    )
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


def test_detail_is_audit_logged(jf_client, citizen, company) -> None:
    placement = PlacementFactory.create(citizen=citizen, company=company)
    response = jf_client.get(reverse("cases:placement_detail", args=[placement.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view", citizen_id=citizen.pk).exists()


def test_other_team_gets_404_on_every_object_url(citizen, company, other_jobformidler) -> None:
    placement = PlacementFactory.create(citizen=citizen, company=company)
    WorkAgreementFactory.create(placement=placement)
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


def test_hours_print_without_trailing_zeros(jf_client, citizen, company, konsulent) -> None:
    """Issue 14, defect 10: the placement page printed 6,50 where the grid shows 6,5."""
    from tests.factories.placements import WeeklyHoursFactory

    placement = PlacementFactory.create(citizen=citizen, company=company)
    WeeklyHoursFactory.create(placement=placement, week_start=dt.date(2026, 3, 2), hours=D("6.5"))
    page = jf_client.get(reverse("cases:placement_detail", args=[placement.pk])).content.decode()
    assert "6,5" in page and "6,50" not in page
    panel = client_for(konsulent).get(reverse("cases:company_placements", args=[company.pk]))
    assert "6,5" in panel.content.decode() and "6,50" not in panel.content.decode()
