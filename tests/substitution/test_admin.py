"""The Django admin for the organisation works: every list and add page loads."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from substitution.models import AuditEvent, Membership, Role, Team, Threshold, Unit, User
from tests.conftest import client_for
from tests.factories.org import UserFactory

SUBSTITUTION_ADMINS = sorted(
    str(model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label == "substitution"
)


@pytest.fixture
def superuser_client(team: Team) -> Client:
    user = UserFactory.create(username="root", unit=team.unit, is_staff=True, is_superuser=True)
    return client_for(user)


def test_organisation_models_are_registered() -> None:
    for model in (Unit, Team, User, Threshold, AuditEvent):
        assert model in admin.site._registry


@pytest.mark.parametrize("model_name", SUBSTITUTION_ADMINS)
def test_changelist_loads(superuser_client: Client, jobformidler: User, model_name: str) -> None:
    response = superuser_client.get(reverse(f"admin:substitution_{model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model_name", [m for m in SUBSTITUTION_ADMINS if m != "auditevent"])
def test_add_page_loads(superuser_client: Client, model_name: str) -> None:
    response = superuser_client.get(reverse(f"admin:substitution_{model_name}_add"))
    assert response.status_code == 200


def test_audit_log_cannot_be_added_or_changed_in_admin(superuser_client: Client) -> None:
    assert superuser_client.get(reverse("admin:substitution_auditevent_add")).status_code == 403


def test_team_page_edits_memberships_inline(
    superuser_client: Client, team: Team, jobformidler: User, konsulent: User
) -> None:
    url = reverse("admin:substitution_team_change", args=[team.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.model is Membership
    assert formset.initial_form_count() == 2


def test_user_page_shows_memberships_and_unit(superuser_client: Client, jobformidler: User) -> None:
    url = reverse("admin:substitution_user_change", args=[jobformidler.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.fields
    formset = response.context["inline_admin_formsets"][0].formset
    assert [m.role for m in formset.queryset] == [Role.JOBFORMIDLER]


def test_add_membership_through_team_admin(superuser_client: Client, team: Team) -> None:
    new = UserFactory.create(username="ny", unit=team.unit)
    url = reverse("admin:substitution_team_change", args=[team.pk])
    data = {
        "unit": team.unit.pk,
        "name": team.name,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-user": new.pk,
        "memberships-0-role": Role.MENTOR,
        "memberships-0-team": team.pk,
    }
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert new.memberships.get().role == Role.MENTOR


def test_administrator_role_uses_the_admin_for_our_apps(administrator: User) -> None:
    """Role administrators (staff, not superuser) get our apps' model permissions."""
    assert not administrator.is_superuser
    client = client_for(administrator)
    assert client.get(reverse("admin:substitution_user_changelist")).status_code == 200
    assert client.get(reverse("admin:substitution_threshold_add")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = client.get(reverse("admin:substitution_user_change", args=[administrator.pk]))
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert "is_superuser" not in form_fields  # read-only: no self-promotion


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_staff_roles_get_no_admin_data(team: Team, role: Role) -> None:
    from tests.factories.org import make_staff

    user = make_staff(role, team, username=f"u_{role}", is_staff=True)
    response = client_for(user).get(reverse("admin:substitution_user_changelist"))
    assert response.status_code == 403


def test_admin_index_is_danish(superuser_client: Client) -> None:
    """Issue 14: 'AXES / Access attempts' and 'Django administration' were left in English."""
    html = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Substitution – administration" in html
    assert "Log-in-forsøg" in html
    for english in ("Django administration", "AXES", "Axes", "Access attempts", "Access logs"):
        assert english not in html, english
