"""Logging a company contact is ``Cap.COMPANY_CONTACTS_LOG``, which every role holds: the
"én indgang" warning needs every contact, whoever made it. A user without a role is refused
(403), another jobcentre's company is a 404, and changing the company stays
``companies.change``."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from companies.models import CompanyContact
from substitution.models import Role, Team
from substitution.roles import MATRIX, Cap
from tests.conftest import client_for
from tests.factories.companies import CompanyFactory
from tests.factories.org import TeamFactory, UnitFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db
CONTACT = {"occurred_on": "02.03.2026", "channel": "telefon", "purpose": "opsoegende"}


def test_every_role_may_log_a_contact_and_only_editors_change_the_company() -> None:
    assert MATRIX[Cap.COMPANY_CONTACTS_LOG] == frozenset(Role)
    assert MATRIX[Cap.COMPANIES_CHANGE] < MATRIX[Cap.COMPANY_CONTACTS_LOG]


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_a_contact_and_sees_the_form(team: Team, role: Role) -> None:
    company = CompanyFactory.create(unit=team.unit)
    client = client_for(make_staff(role, team, username=f"u-{role}"))
    url = reverse("companies:contact_create", args=[company.pk])
    assert url in client.get(company.get_absolute_url()).content.decode()
    response = client.post(url, {**CONTACT, "outcome": f"Ringet af {role}"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert CompanyContact.objects.filter(company=company, outcome=f"Ringet af {role}").exists()


def test_a_user_without_a_role_is_refused_and_sees_no_form(team: Team) -> None:
    company = CompanyFactory.create(unit=team.unit)
    client = client_for(UserFactory.create(username="uden-rolle", unit=team.unit))
    url = reverse("companies:contact_create", args=[company.pk])
    assert url not in client.get(company.get_absolute_url()).content.decode()
    assert client.post(url, CONTACT).status_code == 403
    assert not CompanyContact.objects.exists()


def test_another_jobcentre_gets_404(team: Team) -> None:
    company = CompanyFactory.create(unit=team.unit)
    stranger = make_staff(
        Role.MENTOR, TeamFactory.create(unit=UnitFactory.create(name="Fremmed")), username="x"
    )
    url = reverse("companies:contact_create", args=[company.pk])
    assert client_for(stranger).post(url, CONTACT).status_code == 404
    assert not CompanyContact.objects.exists()
