"""Companies: CVR validation, pipeline status and fixed-contact history, contact log and
follow-ups, coordination warning, access, audit and constant queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies import coordination, history, pipeline
from companies.forms import CompanyForm
from companies.models import (
    Company,
    CompanyStatusChange,
    FixedContactPeriod,
    Industry,
    MappingSession,
    PipelineStatus,
    Task,
)
from substitution.models import AuditAction, AuditEvent, FollowUp, Role, Team, Threshold, User
from tests.conftest import assert_accessible, assert_no_csp_errors, client_for, login
from tests.factories.companies import CompanyFactory, ContactFactory, TaskFactory
from tests.factories.org import TeamFactory, UnitFactory, make_staff

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _queries(func: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


# --- CVR ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("13585627", "kontrolcifferet passer ikke"),
        ("1358562", "8 cifre"),
        ("1358562A", "kun af cifre"),
        ("03585628", "kun af cifre"),
    ],
)
def test_invalid_cvr_gives_danish_message(unit: Any, value: str, message: str) -> None:
    form = CompanyForm({"cvr": value, "name": "Test ApS", "size_band": ""}, unit_id=unit.pk)
    assert not form.is_valid()
    assert message in form.errors["cvr"][0]


def test_valid_cvr_is_compacted_and_unique_per_unit(unit: Any) -> None:
    form = CompanyForm({"cvr": "1358 5628", "name": "Test ApS"}, unit_id=unit.pk)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cvr"] == "13585628"
    CompanyFactory(unit=unit, cvr="13585628")
    form = CompanyForm({"cvr": "13585628", "name": "Igen ApS"}, unit_id=unit.pk)
    assert "findes allerede" in form.errors["cvr"][0]
    form = CompanyForm({"cvr": "13585628", "p_number": "1234", "name": "x"}, unit_id=unit.pk)
    assert "10 cifre" in form.errors["p_number"][0]


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


# --- pipeline ----------------------------------------------------------------------------------


def test_status_history_has_a_dated_row_per_change(konsulent: User) -> None:
    company = CompanyFactory(unit=konsulent.unit)
    pipeline.start_history(company, konsulent, on=DAY)
    pipeline.change_status(company, PipelineStatus.KONTAKTET, konsulent, on=DAY + dt.timedelta(1))
    assert pipeline.change_status(company, PipelineStatus.KONTAKTET, konsulent) is None
    pipeline.change_status(company, PipelineStatus.SAMARBEJDE, konsulent, on=DAY + dt.timedelta(9))
    company.refresh_from_db()
    assert company.status == PipelineStatus.SAMARBEJDE
    assert list(
        CompanyStatusChange.objects.filter(company=company).values_list("status", "changed_on")
    ) == [
        ("emne", DAY),
        ("kontaktet", DAY + dt.timedelta(1)),
        ("samarbejde", DAY + dt.timedelta(9)),
    ]


def test_mapping_moves_to_kortlagt_only_forward(konsulent: User) -> None:
    company = CompanyFactory(unit=konsulent.unit, status=PipelineStatus.KONTAKTET)
    pipeline.record_mapping(MappingSession(company=company, held_on=DAY), konsulent)
    company.refresh_from_db()
    assert company.status == PipelineStatus.KORTLAGT
    partner = CompanyFactory(unit=konsulent.unit, status=PipelineStatus.SAMARBEJDE)
    pipeline.record_mapping(MappingSession(company=partner, held_on=DAY), konsulent)
    partner.refresh_from_db()
    assert partner.status == PipelineStatus.SAMARBEJDE


def test_fixed_contact_history(team: Team, konsulent: User) -> None:
    other = make_staff(Role.VIRKSOMHEDSKONSULENT, team, username="vk2")
    company = CompanyFactory(unit=team.unit)
    pipeline.assign_fixed_contact(company, konsulent, on=DAY)
    assert pipeline.assign_fixed_contact(company, konsulent, on=DAY) is None
    pipeline.assign_fixed_contact(company, other, on=DAY + dt.timedelta(30))
    company.refresh_from_db()
    assert company.fixed_contact == other
    assert list(
        FixedContactPeriod.objects.filter(company=company).values_list(
            "consultant", "started_on", "ended_on"
        )
    ) == [
        (konsulent.pk, DAY, DAY + dt.timedelta(30)),
        (other.pk, DAY + dt.timedelta(30), None),
    ]


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_contact_with_next_step_becomes_follow_up_without_reload(
    konsulent: User, jobformidler: User
) -> None:
    company = CompanyFactory(unit=konsulent.unit)
    pipeline.start_history(company, konsulent)
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
    company = CompanyFactory(unit=konsulent.unit)
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


# --- dates typed the Danish way ----------------------------------------------------------------


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
    company = CompanyFactory(unit=konsulent.unit)
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
    company = CompanyFactory(unit=konsulent.unit, status=PipelineStatus.KONTAKTET)
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


# --- coordination ------------------------------------------------------------------------------


def test_coordination_warning_over_limit_in_seven_days(team: Team, konsulent: User) -> None:
    company = CompanyFactory(unit=team.unit, fixed_contact=konsulent)
    staff = [konsulent] + [make_staff(Role.JOBFORMIDLER, team, username=f"jf{n}") for n in range(3)]
    ContactFactory(company=company, staff=staff[0], occurred_on=DAY)
    ContactFactory(company=company, staff=staff[0], occurred_on=DAY)  # same person twice
    ContactFactory(company=company, staff=staff[1], occurred_on=DAY - dt.timedelta(days=6))
    ContactFactory(company=company, staff=staff[2], occurred_on=DAY - dt.timedelta(days=7))  # out
    assert coordination.warning_for(company, DAY) is None  # 2 staff, limit 2
    ContactFactory(company=company, staff=staff[3], occurred_on=DAY - dt.timedelta(days=3))
    warning = coordination.warning_for(company, DAY)
    assert warning is not None and (warning.staff_count, warning.limit) == (3, 2)
    assert [w.company for w in coordination.warnings_for_fixed_contact(konsulent, DAY)] == [company]
    # The limit is data: a jobcentre may allow more.
    Threshold.objects.create(key="coordination_staff_limit", value=3, unit=team.unit)
    assert coordination.warning_for(company, DAY) is None


def test_coordination_warning_shown_on_company_page_and_landing(
    team: Team, konsulent: User
) -> None:
    company = CompanyFactory(unit=team.unit, fixed_contact=konsulent, name="Travl Virksomhed ApS")
    with time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False):
        for n in range(3):
            ContactFactory(
                company=company,
                staff=make_staff(Role.JOBFORMIDLER, team, username=f"jfk{n}"),
                occurred_on=dt.date(2026, 3, 1),
            )
        client = client_for(konsulent)
        page = client.get(company.get_absolute_url()).content.decode()
        assert "Én indgang:" in page and "3 forskellige medarbejdere" in page
        landing = client.get(reverse("companies:pipeline")).content.decode()
        assert "for mange forskellige kontakter" in landing and "Travl Virksomhed ApS" in landing


# --- access ------------------------------------------------------------------------------------


def test_other_jobcentre_gets_404_everywhere(team: Team) -> None:
    company = CompanyFactory(unit=team.unit)
    task = TaskFactory(company=company)
    stranger = make_staff(
        Role.VIRKSOMHEDSKONSULENT, TeamFactory(unit=UnitFactory(name="Fremmed")), username="x"
    )
    client = client_for(stranger)
    for name, pk in [
        ("companies:company_detail", company.pk),
        ("companies:company_edit", company.pk),
        ("companies:contact_person_create", company.pk),
        ("companies:agreement_create", company.pk),
        ("companies:mapping_create", company.pk),
        ("companies:task_create", company.pk),
        ("companies:task_detail", task.pk),
        ("companies:task_edit", task.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name in ["companies:contact_create", "companies:status_change"]:
        assert client.post(reverse(name, args=[company.pk]), {}).status_code == 404, name
    assert company.name not in client.get(reverse("companies:pipeline")).content.decode()


def test_everyone_reads_only_editors_change(team: Team, jobformidler: User) -> None:
    company = CompanyFactory(unit=team.unit)
    task = TaskFactory(company=company)
    mentor = make_staff(Role.MENTOR, team, username="mentor1")
    for user in (jobformidler, mentor):
        client = client_for(user)
        assert client.get(company.get_absolute_url()).status_code == 200
        assert client.get(reverse("companies:task_detail", args=[task.pk])).status_code == 200
        assert client.get(reverse("companies:company_create")).status_code == 403
        for name, pk in [
            ("companies:company_edit", company.pk),
            ("companies:mapping_create", company.pk),
            ("companies:task_create", company.pk),
            ("companies:agreement_create", company.pk),
            ("companies:task_edit", task.pk),
        ]:
            assert client.get(reverse(name, args=[pk])).status_code == 403, name
        response = client.post(
            reverse("companies:status_change", args=[company.pk]), {"status": "inaktiv"}
        )
        assert response.status_code == 403
    for role in (Role.TEAMLEDER, Role.LEDER, Role.ADMINISTRATOR, Role.VIRKSOMHEDSKONSULENT):
        editor = make_staff(role, team, username=f"ed-{role}")
        assert (
            client_for(editor).get(reverse("companies:company_edit", args=[company.pk])).status_code
            == 200
        )


def test_edit_and_status_change_are_audited(konsulent: User) -> None:
    company = CompanyFactory(unit=konsulent.unit, name="Gammelt Navn ApS")
    pipeline.start_history(company, konsulent)
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
    company = CompanyFactory(unit=team.unit, name="Gammelt Navn ApS")
    pipeline.assign_fixed_contact(company, former, on=DAY)
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
def test_mapping_then_two_tasks(konsulent: User) -> None:
    company = CompanyFactory(unit=konsulent.unit, status=PipelineStatus.KONTAKTET)
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


# --- constant queries --------------------------------------------------------------------------


def _grow(company_count: int, team: Team, konsulent: User) -> Company:
    company = None
    for n in range(company_count):
        company = CompanyFactory(unit=team.unit, fixed_contact=konsulent)
        pipeline.start_history(company, konsulent)
        for m in range(3):
            ContactFactory(company=company, staff=konsulent, next_step="x", next_step_due=DAY)
            TaskFactory(company=company, title=f"Opgave {n}-{m}")
        pipeline.log_contact(
            ContactFactory.build(
                company=company, staff=konsulent, next_step="Ring", next_step_due=DAY
            ),
            konsulent,
        )
        MappingSession.objects.create(company=company, held_on=DAY).participants.set([konsulent])
    assert company is not None
    return company


def test_list_and_company_page_run_constant_queries(team: Team, konsulent: User) -> None:
    client = client_for(konsulent)
    company = _grow(1, team, konsulent)
    client.get(reverse("companies:pipeline"))  # warm caches
    list_small = _queries(lambda: client.get(reverse("companies:pipeline")))
    htmx_small = _queries(
        lambda: client.get(reverse("companies:pipeline") + "?status=emne", HTTP_HX_REQUEST="true")
    )
    page_small = _queries(lambda: client.get(company.get_absolute_url()))
    _grow(12, team, konsulent)
    for n in range(8):
        ContactFactory(company=company, staff=konsulent)
        TaskFactory(company=company, title=f"Ekstra {n}")
    assert _queries(lambda: client.get(reverse("companies:pipeline"))) == list_small
    assert (
        _queries(
            lambda: client.get(
                reverse("companies:pipeline") + "?status=emne", HTTP_HX_REQUEST="true"
            )
        )
        == htmx_small
    )
    assert _queries(lambda: client.get(company.get_absolute_url())) == page_small


def test_pipeline_columns_and_filter(team: Team, konsulent: User) -> None:
    company = CompanyFactory(unit=team.unit, name="Lageret ApS", status="kortlagt")
    CompanyFactory(unit=team.unit, name="Andet ApS", status="emne")
    ContactFactory(company=company, staff=konsulent, occurred_on=dt.date(2026, 2, 20))
    TaskFactory(company=company)
    TaskFactory(company=company, status="lukket")
    pipeline.log_contact(
        ContactFactory.build(
            company=company,
            staff=konsulent,
            occurred_on=dt.date(2026, 2, 1),
            next_step="Ring",
            next_step_due=dt.date(2026, 3, 15),
        ),
        konsulent,
    )
    client = client_for(konsulent)
    body = client.get(
        reverse("companies:pipeline") + "?status=kortlagt", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Lageret ApS" in body and "Andet ApS" not in body
    assert "20.02.2026" in body and "15.03.2026" in body
    assert '<td class="num">1</td>' in body
    body = client.get(reverse("companies:pipeline") + "?q=andet").content.decode()
    assert "Andet ApS" in body and "Lageret ApS" not in body


# --- overdue follow-ups in the history ---------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_timeline_marks_open_follow_ups_past_due_as_overdue(konsulent: User) -> None:
    company = CompanyFactory(unit=konsulent.unit, name="Lageret ApS")

    def follow_up(title: str, due: dt.date, done: bool = False) -> FollowUp:
        return FollowUp.objects.create(
            owner=konsulent,
            title=title,
            due_on=due,
            subject_type=ContentType.objects.get_for_model(Company),
            subject_id=company.pk,
            done_at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC) if done else None,
        )

    late = follow_up("Ring om kantinen", dt.date(2026, 2, 27))
    follow_up("Send CV", DAY)  # due today: not overdue yet
    follow_up("Besøg igen", dt.date(2026, 3, 20))
    follow_up("Aftal møde", dt.date(2026, 1, 30), done=True)  # done: never overdue
    overdue = {e.obj.title for e in history.build(company) if e.overdue}
    assert overdue == {late.title}
    # The day is a parameter: a week earlier nothing was overdue.
    assert not any(e.overdue for e in history.build(company, dt.date(2026, 2, 20)))

    body = client_for(konsulent).get(company.get_absolute_url()).content.decode()
    assert body.count('<span class="badge danger">Overskredet</span>') == 1
    assert body.count('<span class="badge ok">Udført</span>') == 1
    assert body.count('<span class="badge">Åben</span>') == 2
    item = body[body.index('<li class="followup overdue">') :]
    assert item.index("Ring om kantinen") < item.index("Overskredet") < item.index("</li>")


# --- pipeline on a phone -----------------------------------------------------------------------


def test_pipeline_marks_secondary_columns(team: Team, konsulent: User) -> None:
    CompanyFactory(unit=team.unit, name="Lageret ApS")
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
        company = CompanyFactory(
            unit=team.unit,
            name=f"Aarhus Lager- og Distributionscenter Østjylland nr. {n} ApS",
            city="Aarhus C",
            status=status,
            fixed_contact=konsulent,
        )
        pipeline.log_contact(
            ContactFactory.build(
                company=company,
                staff=konsulent,
                occurred_on=dt.date.today(),
                next_step="Ring",
                next_step_due=dt.date.today() + dt.timedelta(days=7),
            ),
            konsulent,
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
