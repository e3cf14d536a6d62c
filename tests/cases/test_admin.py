"""The citizens admin: the full CPR number is typed once (validated) and never shown or
searched afterwards; opening a citizen is audit-logged; retired code-list values cannot be
chosen; code lists are edited (and retired) in the admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.forms import ModelChoiceField
from django.urls import reverse
from django.utils import timezone

from cases.citizens.forms import CitizenForm
from cases.citizens.models import BenefitType, Citizen
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(administrator: User) -> User:
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    return administrator


def test_change_page_shows_cpr_masked_and_is_audited(admin_user: User, team: Team) -> None:
    citizen = CitizenFactory.create(team=team)
    response = client_for(admin_user).get(reverse("admin:cases_citizen_change", args=[citizen.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert citizen.masked_cpr in html
    assert citizen.cpr not in html
    assert 'name="cpr"' not in html
    event = AuditEvent.objects.get(action=AuditAction.VIEW)
    assert event.citizen_id == citizen.pk and event.user == admin_user


def test_change_keeps_the_cpr_and_logs_no_number(admin_user: User, team: Team) -> None:
    citizen = CitizenFactory.create(team=team, first_name="Anna")
    client = client_for(admin_user)
    url = reverse("admin:cases_citizen_change", args=[citizen.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "barriers"}
    data |= {"first_name": "Anne", "status_changed_on": citizen.status_changed_on.isoformat()}
    data |= {"assignments-TOTAL_FORMS": 0, "assignments-INITIAL_FORMS": 0}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    citizen.refresh_from_db()
    assert citizen.first_name == "Anne" and len(citizen.cpr) == 10
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert event.changes["first_name"] == ["Anna", "Anne"] and "cpr" not in event.changes


def test_add_validates_cpr_and_offers_no_retired_values(admin_user: User, team: Team) -> None:
    retired = BenefitType.objects.get(code="kontanthjaelp")
    retired.valid_to = timezone.localdate() - dt.timedelta(days=1)
    retired.save()
    client = client_for(admin_user)
    url = reverse("admin:cases_citizen_add")
    form = client.get(url).context["adminform"].form
    assert retired not in form.fields["benefit_type"].queryset
    data = {
        "unit": team.unit_id,
        "team": team.pk,
        "cpr": "320190-1234",
        "first_name": "Bo",
        "last_name": "Berg",
        "status": "aktiv",
        "status_changed_on": "2026-01-01",
        "benefit_type": retired.pk,
        "assignments-TOTAL_FORMS": 0,
        "assignments-INITIAL_FORMS": 0,
    }
    errors = client.post(url, data).context["adminform"].form.errors
    assert errors["cpr"] == ["CPR-nummeret indeholder ikke en gyldig fødselsdato."]
    assert "benefit_type" in errors
    data |= {"cpr": "010190-1234", "benefit_type": ""}
    assert client.post(url, data).status_code == 302
    assert Citizen.objects.get(first_name="Bo").cpr == "0101901234"
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert "0101901234" not in str(event.changes)


def test_admin_search_never_takes_a_cpr_number(admin_user: User, team: Team) -> None:
    citizen = CitizenFactory.create(team=team, first_name="Carl")
    client = client_for(admin_user)
    changelist = reverse("admin:cases_citizen_changelist")
    assert client.get(changelist, {"q": "Carl"}).context["cl"].result_count == 1
    # Not searched: redirected without the number (tests/cases/citizens/test_admin_cpr_search.py).
    response = client.get(changelist, {"q": citizen.cpr})
    assert response.status_code == 302 and citizen.cpr not in response["Location"]


def test_code_list_is_edited_and_retired_in_the_admin(
    admin_user: User, team: Team, jobformidler: User
) -> None:
    value = BenefitType.objects.get(code="uddannelseshjaelp")
    client = client_for(admin_user)
    url = reverse("admin:cases_benefittype_change", args=[value.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data: dict[str, Any] = {
        "code": value.code,
        "label": "Uddannelseshjælp (gammel ordning)",
        "valid_from": value.valid_from.isoformat() if value.valid_from else "",
        "valid_to": yesterday.isoformat(),
        "sort_order": value.sort_order,
    }
    assert client.post(url, data).status_code == 302
    value.refresh_from_db()
    assert value.label == "Uddannelseshjælp (gammel ordning)" and value.valid_to == yesterday
    field = CitizenForm(user=jobformidler).fields["benefit_type"]
    assert isinstance(field, ModelChoiceField) and field.queryset is not None
    assert value not in field.queryset
