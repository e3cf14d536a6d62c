"""companies/views.py: create and edit, status, the contact log and its follow-ups, dates typed
the Danish way, the coordination warning on the pages, task mapping, the pipeline on a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from companies import services
from companies.models import Company, Industry, MappingSession, PipelineStatus, Task
from substitution.models import AuditAction, AuditEvent, FollowUp, Role, Team, User
from tests.conftest import assert_accessible, assert_no_csp_errors, client_for, login
from tests.factories.companies import CompanyFactory, ContactFactory, log_contact
from tests.factories.org import make_staff

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def test_create_keeps_typed_form_on_invalid_cvr(konsulent: User) -> None:
    client = client_for(konsulent)
    data = {"cvr": "13585627", "name": "Bageriet Korn ApS", "postal_code": "8000", "city": "Aarhus"}
    response = client.post(reverse("companies:company_create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "kontrolcifferet passer ikke" in body
    assert 'value="Bageriet Korn ApS"' in body and 'value="13585627"' in body
    assert not Company.objects.exists()


def test_create_records_history_and_audit(konsulent: User) -> None:
    client = client_for(konsulent)
    industry = Industry.objects.get(code="47")
    response = client.post(
        reverse("companies:company_create"),
        {
            "cvr": "13585628",
            "name": "Bageriet Korn ApS",
            "industry": industry.pk,
            "fixed_contact_choice": konsulent.pk,
        },
    )
    company = Company.objects.get()
    assert response.status_code == 302 and response["Location"] == company.get_absolute_url()
    assert company.unit == konsulent.unit and company.fixed_contact == konsulent
    assert list(company.status_history.values_list("status", flat=True)) == ["emne"]
    assert list(company.fixed_contact_history.values_list("consultant", flat=True)) == [
        konsulent.pk
    ]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(company.pk)).exists()


def test_edit_and_status_change_are_audited(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit, name="Gammelt Navn ApS")
    services.start_history(company, actor=konsulent)
    client = client_for(konsulent)
    client.post(
        reverse("companies:company_edit", args=[company.pk]),
        {"cvr": company.cvr, "name": "Nyt Navn ApS", "fixed_contact_choice": konsulent.pk},
    )
    client.post(reverse("companies:status_change", args=[company.pk]), {"status": "kontaktet"})
    company.refresh_from_db()
    assert company.name == "Nyt Navn ApS" and company.status == "kontaktet"
    events = AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(company.pk))
    assert [e.changes for e in events.order_by("pk")][-1] == {"status": ["emne", "kontaktet"]}
    assert events.count() == 2
    assert company.fixed_contact_history.count() == 1


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_edit_keeps_a_fixed_contact_who_is_no_longer_a_consultant(
    team: Team, konsulent: User
) -> None:
    former = make_staff(Role.VIRKSOMHEDSKONSULENT, team, username="vk_former")
    company = CompanyFactory.create(unit=team.unit, name="Gammelt Navn ApS")
    services.assign_fixed_contact(company, former, actor=konsulent, on=DAY)
    former.memberships.update(role=Role.JOBFORMIDLER)
    client = client_for(konsulent)
    page = client.get(reverse("companies:company_edit", args=[company.pk])).content.decode()
    assert f'<option value="{former.pk}" selected>' in page
    client.post(
        reverse("companies:company_edit", args=[company.pk]),
        {"cvr": company.cvr, "name": "Nyt Navn ApS", "fixed_contact_choice": former.pk},
    )
    company.refresh_from_db()
    assert company.name == "Nyt Navn ApS" and company.fixed_contact == former
    assert company.fixed_contact_history.count() == 1


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_contact_with_next_step_becomes_follow_up_without_reload(
    konsulent: User, jobformidler: User
) -> None:
    company = CompanyFactory.create(unit=konsulent.unit)
    services.start_history(company, actor=konsulent)
    response = client_for(jobformidler).post(
        reverse("companies:contact_create", args=[company.pk]),
        {
            "occurred_on": "02.03.2026",
            "channel": "besoeg",
            "purpose": "opsoegende",
            "outcome": "God snak med indehaveren.",
            "next_step": "Send opgaveskema",
            "next_step_due": "09.03.2026",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "Kontakten er registreret" in body
    assert "God snak med indehaveren." in body  # timeline re-rendered in the same swap
    follow_up = FollowUp.objects.for_subject(company).get()
    assert (follow_up.owner, follow_up.due_on, follow_up.title) == (
        jobformidler,
        dt.date(2026, 3, 9),
        "Send opgaveskema",
    )
    company.refresh_from_db()
    assert company.status == PipelineStatus.KONTAKTET


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_contact_form_error_keeps_input(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit)
    response = client_for(konsulent).post(
        reverse("companies:contact_create", args=[company.pk]),
        {
            "occurred_on": "02.03.2026",
            "channel": "besoeg",
            "purpose": "opsoegende",
            "outcome": "Noget jeg skrev",
            "next_step": "Ring igen",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Angiv en frist for næste skridt." in body and "Noget jeg skrev" in body


def _contact(client: Any, company: Company, **data: str) -> str:
    base = {"occurred_on": "02.03.2026", "channel": "besoeg", "purpose": "opsoegende"}
    response = client.post(
        reverse("companies:contact_create", args=[company.pk]),
        {**base, **data},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_company_forms_type_dates_as_danish_text(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit)
    client = client_for(konsulent)
    page = client.get(company.get_absolute_url()).content.decode()
    assert 'type="date"' not in page
    assert 'name="occurred_on" value="02.03.2026"' in page and 'placeholder="dd.mm.åååå"' in page
    for name in ["companies:agreement_create", "companies:mapping_create"]:
        form = client.get(reverse(name, args=[company.pk])).content.decode()
        assert 'type="date"' not in form and 'placeholder="dd.mm.åååå"' in form, name
    # An impossible date is shown back exactly as typed, with a Danish message beside it.
    body = _contact(client, company, occurred_on="31.02.2026", outcome="Mødtes på lageret")
    assert "Skriv en gyldig dato som dd.mm.åååå" in body
    assert 'value="31.02.2026"' in body and "Mødtes på lageret" in body
    # The future, and a next step due before the contact, are refused.
    body = _contact(client, company, occurred_on="03.03.2026")
    assert "Datoen kan ikke ligge i fremtiden." in body
    body = _contact(client, company, next_step="Ring", next_step_due="01.03.2026")
    assert "Fristen kan ikke ligge før kontakten." in body
    assert not company.contacts.exists()
    # Danish dates are saved.
    body = _contact(
        client, company, occurred_on="1.3.2026", next_step="Ring", next_step_due="9.3.2026"
    )
    assert "Kontakten er registreret" in body
    contact = company.contacts.get()
    assert (contact.occurred_on, contact.next_step_due) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 9),
    )


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_agreement_and_mapping_take_danish_dates(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit, status=PipelineStatus.KONTAKTET)
    client = client_for(konsulent)
    url = reverse("companies:agreement_create", args=[company.pk])
    response = client.post(url, {"signed_on": "30.02.2026", "scope": "Praktik"})
    body = response.content.decode()
    assert response.status_code == 200 and "Skriv en gyldig dato" in body
    assert 'value="30.02.2026"' in body
    response = client.post(
        url,
        {
            "signed_on": "01.02.2026",
            "ends_on": "31.01.2027",
            "target_placements_per_year": 4,
            "target_paid_jobs_per_year": 1,
        },
    )
    assert response.status_code == 302
    agreement = company.agreements.get()
    assert (agreement.signed_on, agreement.ends_on) == (dt.date(2026, 2, 1), dt.date(2027, 1, 31))
    url = reverse("companies:mapping_create", args=[company.pk])
    body = client.post(url, {"held_on": "10.03.2026"}).content.decode()
    assert "Datoen kan ikke ligge i fremtiden." in body and 'value="10.03.2026"' in body
    assert client.post(url, {"held_on": "27.02.2026"}).status_code == 302
    assert MappingSession.objects.get(company=company).held_on == dt.date(2026, 2, 27)


def test_coordination_warning_shown_on_company_page_and_landing(
    team: Team, konsulent: User
) -> None:
    company = CompanyFactory.create(
        unit=team.unit, fixed_contact=konsulent, name="Travl Virksomhed ApS"
    )
    with time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False):
        for n in range(3):
            ContactFactory.create(
                company=company,
                staff=make_staff(Role.JOBFORMIDLER, team, username=f"jfk{n}"),
                occurred_on=dt.date(2026, 3, 1),
            )
        client = client_for(konsulent)
        page = client.get(company.get_absolute_url()).content.decode()
        assert "Én indgang:" in page and "3 forskellige medarbejdere" in page
        landing = client.get(reverse("companies:pipeline")).content.decode()
        assert "for mange forskellige kontakter" in landing and "Travl Virksomhed ApS" in landing


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_mapping_then_two_tasks(konsulent: User) -> None:
    company = CompanyFactory.create(unit=konsulent.unit, status=PipelineStatus.KONTAKTET)
    client = client_for(konsulent)
    response = client.post(
        reverse("companies:mapping_create", args=[company.pk]),
        {"held_on": "02.03.2026", "participants": [konsulent.pk], "problems": "For travlt"},
    )
    session = MappingSession.objects.get()
    assert response["Location"].endswith(f"?kortlaegning={session.pk}")
    data = {
        "session": session.pk,
        "title": "Opvask",
        "hours_per_week": "7,5",
        "positions": 1,
        "status": "aaben",
        "another": "1",
    }
    response = client.post(reverse("companies:task_create", args=[company.pk]), data)
    assert response["Location"].endswith(f"?kortlaegning={session.pk}")
    data.pop("another")
    data["title"] = "Grøntsager"
    client.post(reverse("companies:task_create", args=[company.pk]), data)
    assert list(Task.objects.order_by("pk").values_list("title", "hours_per_week", "session")) == [
        ("Opvask", 7.5, session.pk),
        ("Grøntsager", 7.5, session.pk),
    ]
    company.refresh_from_db()
    assert company.status == PipelineStatus.KORTLAGT


def test_pipeline_marks_secondary_columns(team: Team, konsulent: User) -> None:
    CompanyFactory.create(unit=team.unit, name="Lageret ApS")
    body = client_for(konsulent).get(reverse("companies:pipeline")).content.decode()
    assert '<table class="pipeline-table">' in body
    assert body.count('class="col-secondary') == 6  # three headers, three cells
    assert "style=" not in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pipeline_fits_a_phone_without_sideways_scrolling(
    page: Any, team: Team, konsulent: User
) -> None:
    for n, status in enumerate(["emne", "kontaktet", "kortlagt", "samarbejde", "inaktiv"]):
        company = CompanyFactory.create(
            unit=team.unit,
            name=f"Aarhus Lager- og Distributionscenter Østjylland nr. {n} ApS",
            city="Aarhus C",
            status=status,
            fixed_contact=konsulent,
        )
        log_contact(
            company,
            konsulent,
            occurred_on=dt.date.today(),
            next_step="Ring",
            next_step_due=dt.date.today() + dt.timedelta(days=7),
        )
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "vk")
    page.goto("/virksomheder/")
    fits = "el => el.scrollWidth <= el.clientWidth"
    assert page.locator(".table-wrap").evaluate(fits)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    table = page.locator("table.pipeline-table")
    assert table.get_by_role("columnheader", name="Næste opfølgning").is_visible()
    assert not table.get_by_role("columnheader", name="Fast kontakt").is_visible()
    assert not table.get_by_role("columnheader", name="Status").is_visible()
    assert table.locator(".status-inline").first.is_visible()  # the status under the name
    # A filter swap (htmx) renders the same responsive table.
    page.get_by_label("Samarbejde").check()
    page.wait_for_load_state("networkidle")
    assert page.locator(".table-wrap").evaluate(fits)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert table.get_by_role("columnheader", name="Fast kontakt").is_visible()
    assert not table.locator(".status-inline").first.is_visible()
    assert_no_csp_errors(page)
