"""Editing contact people (and deactivating them) and partnership agreements: editors only,
other jobcentre 404, audit-logged with the changed fields, Danish errors that keep the input."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.urls import reverse

from companies.forms import CompanyContactForm
from companies.models import Agreement, Company, ContactPerson
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.conftest import client_for
from tests.factories.companies import AgreementFactory, CompanyFactory, ContactPersonFactory
from tests.factories.org import TeamFactory, UnitFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(team: Team) -> Company:
    return CompanyFactory.create(unit=team.unit, name="Lageret ApS")


@pytest.fixture
def person(company: Company) -> ContactPerson:
    return ContactPersonFactory.create(
        company=company, name="Hanne Holm", role="Lagerchef", phone="12 34 56 78"
    )


@pytest.fixture
def agreement(company: Company) -> Agreement:
    return AgreementFactory.create(
        company=company,
        signed_on=dt.date(2026, 1, 15),
        scope="Lager og pakning",
        target_placements_per_year=4,
        target_paid_jobs_per_year=1,
    )


def _person_data(**overrides: str | None) -> dict[str, str]:
    data: dict[str, str | None] = {
        "name": "Hanne Holm",
        "role": "Lagerchef",
        "phone": "12 34 56 78",
        "email": "",
        "active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _agreement_data(**overrides: str) -> dict[str, str]:
    data = {
        "ends_on": "",
        "scope": "Lager og pakning",
        "target_placements_per_year": "4",
        "target_paid_jobs_per_year": "1",
    }
    data.update(overrides)
    return data


def _contact_person_choices(company: Company) -> QuerySet[ContactPerson]:
    """The contact people the contact log offers for ``company``."""
    field = CompanyContactForm(company=company).fields["contact_person"]
    assert isinstance(field, ModelChoiceField) and field.queryset is not None
    return field.queryset


# --- contact people ----------------------------------------------------------------------------


def test_edit_contact_person_is_audited_with_changed_fields(
    konsulent: User, person: ContactPerson
) -> None:
    client = client_for(konsulent)
    url = reverse("companies:contact_person_edit", args=[person.pk])
    assert "Hanne Holm" in client.get(url).content.decode()
    response = client.post(url, _person_data(phone="87 65 43 21", email="hh@lageret.dk"))
    assert response.status_code == 302
    assert response["Location"] == person.company.get_absolute_url()
    person.refresh_from_db()
    assert (person.phone, person.email, person.active) == ("87 65 43 21", "hh@lageret.dk", True)
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(person.pk))
    assert event.user == konsulent
    assert event.changes == {
        "phone": ["12 34 56 78", "87 65 43 21"],
        "email": ["", "hh@lageret.dk"],
    }


def test_deactivated_contact_person_leaves_choice_lists_but_keeps_history(
    konsulent: User, company: Company, person: ContactPerson
) -> None:
    kept = ContactPersonFactory.create(company=company, name="Anders Ahl")
    client = client_for(konsulent)
    url = reverse("companies:contact_person_edit", args=[person.pk])
    response = client.post(url, _person_data(active=None))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.active is False
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(person.pk))
    assert event.changes == {"active": [True, False]}

    assert list(_contact_person_choices(company)) == [kept]
    body = client.get(company.get_absolute_url()).content.decode()
    assert "1 tidligere kontaktperson" in body
    assert reverse("companies:contact_person_edit", args=[person.pk]) in body  # reactivate

    client.post(url, _person_data())  # and back again
    person.refresh_from_db()
    assert person.active is True
    assert set(_contact_person_choices(company)) == {
        kept,
        person,
    }


def test_contact_person_error_is_danish_and_keeps_input(
    konsulent: User, person: ContactPerson
) -> None:
    client = client_for(konsulent)
    url = reverse("companies:contact_person_edit", args=[person.pk])
    response = client.post(url, _person_data(name="", phone="99 88 77 66", email="ikke-en-mail"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Feltet er påkrævet" in body or "Dette felt er påkrævet" in body
    assert "Indtast en gyldig e-mail-adresse" in body
    assert 'value="99 88 77 66"' in body and 'value="ikke-en-mail"' in body
    person.refresh_from_db()
    assert person.phone == "12 34 56 78"
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


# --- agreements --------------------------------------------------------------------------------


def test_edit_agreement_end_targets_scope_is_audited(konsulent: User, agreement: Agreement) -> None:
    client = client_for(konsulent)
    url = reverse("companies:agreement_edit", args=[agreement.pk])
    body = client.get(url).content.decode()
    assert "Indgået 15.01.2026" in body
    response = client.post(
        url,
        _agreement_data(
            ends_on="31.12.2027",
            scope="Lager, pakning og kantine",
            target_placements_per_year="6",
        ),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2027, 12, 31)
    assert agreement.signed_on == dt.date(2026, 1, 15)
    assert (agreement.scope, agreement.target_placements_per_year) == (
        "Lager, pakning og kantine",
        6,
    )
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(agreement.pk))
    assert event.changes == {
        "ends_on": [None, "2027-12-31"],
        "scope": ["Lager og pakning", "Lager, pakning og kantine"],
        "target_placements_per_year": [4, 6],
    }
    assert "Lageret ApS" in event.object_repr
    page = client.get(agreement.company.get_absolute_url()).content.decode()
    assert "31.12.2027" in page and url in page


@pytest.mark.parametrize(
    ("overrides", "field_message", "typed"),
    [
        (
            {"ends_on": "01.12.2025"},
            "Aftalen kan ikke udløbe før den er indgået (15.01.2026).",
            'value="01.12.2025"',
        ),
        ({"ends_on": "32.13.2026"}, "Skriv en gyldig dato som dd.mm.åååå", 'value="32.13.2026"'),
        ({"target_placements_per_year": "fire"}, "Skriv et helt tal, fx 4.", 'value="fire"'),
        (
            {"target_paid_jobs_per_year": "-1", "scope": "Nyt omfang"},
            "Målet kan ikke være negativt.",
            "Nyt omfang",
        ),
    ],
)
def test_agreement_errors_are_danish_and_keep_input(
    konsulent: User,
    agreement: Agreement,
    overrides: dict[str, str],
    field_message: str,
    typed: str,
) -> None:
    client = client_for(konsulent)
    url = reverse("companies:agreement_edit", args=[agreement.pk])
    response = client.post(url, _agreement_data(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert field_message in body
    assert typed in body
    agreement.refresh_from_db()
    assert agreement.ends_on is None and agreement.scope == "Lager og pakning"
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


# --- access ------------------------------------------------------------------------------------


def _edit_urls(person: ContactPerson, agreement: Agreement) -> list[tuple[str, dict[str, str]]]:
    return [
        (reverse("companies:contact_person_edit", args=[person.pk]), _person_data(name="X")),
        (reverse("companies:agreement_edit", args=[agreement.pk]), _agreement_data(scope="X")),
    ]


def test_other_jobcentre_gets_404(person: ContactPerson, agreement: Agreement) -> None:
    stranger = make_staff(
        Role.VIRKSOMHEDSKONSULENT,
        TeamFactory.create(unit=UnitFactory.create(name="Fremmed")),
        username="x",
    )
    client = client_for(stranger)
    for url, data in _edit_urls(person, agreement):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    person.refresh_from_db()
    agreement.refresh_from_db()
    assert person.name == "Hanne Holm" and agreement.scope == "Lager og pakning"


def test_non_editors_get_403_editors_200(
    team: Team, jobformidler: User, person: ContactPerson, agreement: Agreement
) -> None:
    mentor = make_staff(Role.MENTOR, team, username="mentor1")
    for user in (jobformidler, mentor):
        client = client_for(user)
        for url, data in _edit_urls(person, agreement):
            assert client.get(url).status_code == 403, url
            assert client.post(url, data).status_code == 403, url
        body = client.get(person.company.get_absolute_url()).content.decode()
        assert "/rediger/" not in body
    person.refresh_from_db()
    agreement.refresh_from_db()
    assert person.name == "Hanne Holm" and agreement.scope == "Lager og pakning"
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()
    for role in (Role.TEAMLEDER, Role.LEDER, Role.ADMINISTRATOR, Role.VIRKSOMHEDSKONSULENT):
        client = client_for(make_staff(role, team, username=f"ed-{role}"))
        for url, _data in _edit_urls(person, agreement):
            assert client.get(url).status_code == 200, (role, url)


@time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False)
def test_unchanged_save_writes_no_audit_event(konsulent: User, person: ContactPerson) -> None:
    client = client_for(konsulent)
    response = client.post(
        reverse("companies:contact_person_edit", args=[person.pk]), _person_data()
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()
