"""companies/queries.py: access (another jobcentre 404, only editors change: 403) and the
pipeline list's columns, filters and constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies import services
from companies.models import Company, MappingSession
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.factories.companies import CompanyFactory, ContactFactory, TaskFactory, log_contact
from tests.factories.org import TeamFactory, UnitFactory, make_staff

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


def _queries(func: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_other_jobcentre_gets_404_everywhere(team: Team) -> None:
    company = CompanyFactory.create(unit=team.unit)
    task = TaskFactory.create(company=company)
    stranger = make_staff(
        Role.VIRKSOMHEDSKONSULENT,
        TeamFactory.create(unit=UnitFactory.create(name="Fremmed")),
        username="x",
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
    company = CompanyFactory.create(unit=team.unit)
    task = TaskFactory.create(company=company)
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


def _grow(company_count: int, team: Team, konsulent: User) -> Company:
    company = None
    for n in range(company_count):
        company = CompanyFactory.create(unit=team.unit, fixed_contact=konsulent)
        services.start_history(company, actor=konsulent)
        for m in range(3):
            ContactFactory.create(
                company=company, staff=konsulent, next_step="x", next_step_due=DAY
            )
            TaskFactory.create(company=company, title=f"Opgave {n}-{m}")
        log_contact(company, konsulent, occurred_on=DAY, next_step="Ring", next_step_due=DAY)
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
        ContactFactory.create(company=company, staff=konsulent)
        TaskFactory.create(company=company, title=f"Ekstra {n}")
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
    company = CompanyFactory.create(unit=team.unit, name="Lageret ApS", status="kortlagt")
    CompanyFactory.create(unit=team.unit, name="Andet ApS", status="emne")
    ContactFactory.create(company=company, staff=konsulent, occurred_on=dt.date(2026, 2, 20))
    TaskFactory.create(company=company)
    TaskFactory.create(company=company, status="lukket")
    log_contact(
        company,
        konsulent,
        occurred_on=dt.date(2026, 2, 1),
        next_step="Ring",
        next_step_due=dt.date(2026, 3, 15),
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
