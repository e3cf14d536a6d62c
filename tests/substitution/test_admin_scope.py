"""The Django admin keeps a non-superuser administrator inside their own jobcentre, as the
application does, and away from superusers and other staff accounts (issue 15, findings 1
and 2).

Every "another jobcentre" check has a same-jobcentre twin that must answer 200, so a wrong
URL cannot make a 404 test pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import reverse

from cases.citizens.models import Citizen
from companies.models import Company, MappingSession, Task
from substitution.models import (
    AuditAction,
    AuditEvent,
    FollowUp,
    Membership,
    Role,
    Team,
    Threshold,
    Unit,
    User,
)
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.companies import CompanyFactory, TaskFactory
from tests.factories.org import PASSWORD, TeamFactory, UnitFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

OTHER_UNIT = "Jobcenter Fremmed"
OTHER_TEAM = "Team Fremmed"


@dataclass
class Side:
    """One jobcentre's objects, one per admin page that shows jobcentre data."""

    unit: Unit
    team: Team
    user: User
    citizen: Citizen
    company: Company
    task: Task
    threshold: Threshold
    follow_up: FollowUp
    event: AuditEvent

    def objects(self) -> dict[str, models.Model]:
        return {
            "substitution_unit": self.unit,
            "substitution_team": self.team,
            "substitution_user": self.user,
            "substitution_threshold": self.threshold,
            "substitution_followup": self.follow_up,
            "substitution_auditevent": self.event,
            "cases_citizen": self.citizen,
            "companies_company": self.company,
            "companies_task": self.task,
        }


MODEL_PAGES = [
    "substitution_unit",
    "substitution_team",
    "substitution_user",
    "substitution_threshold",
    "substitution_followup",
    "substitution_auditevent",
    "cases_citizen",
    "companies_company",
    "companies_task",
]


def make_side(unit: Unit, team: Team, username: str) -> Side:
    user = make_staff(Role.JOBFORMIDLER, team, username=username)
    citizen = CitizenFactory.create(team=team)
    company = CompanyFactory.create(unit=unit)
    return Side(
        unit=unit,
        team=team,
        user=user,
        citizen=citizen,
        company=company,
        task=TaskFactory.create(company=company),
        threshold=Threshold.objects.create(key="no_contact_days", value=30, unit=unit),
        follow_up=FollowUp.objects.create(
            owner=user,
            due_on="2026-12-01",
            title=f"Ring til {citizen.first_name}",
            subject_type=ContentType.objects.get_for_model(Citizen),
            subject_id=citizen.pk,
        ),
        event=AuditEvent.objects.create(
            user=user, action=AuditAction.VIEW, object_repr=f"Borger {citizen.last_name}"
        ),
    )


@pytest.fixture
def own(unit: Unit, team: Team) -> Side:
    return make_side(unit, team, "egen")


@pytest.fixture
def foreign(db: None) -> Side:
    unit = UnitFactory.create(name=OTHER_UNIT)
    return make_side(unit, TeamFactory.create(unit=unit, name=OTHER_TEAM), "fremmed")


@pytest.fixture
def adm_client(administrator: User) -> Client:
    assert administrator.is_staff and not administrator.is_superuser
    return client_for(administrator)


def url(page: str, view: str, obj: models.Model) -> str:
    if view == "password":  # the user admin's password form has no URL name of its own
        return reverse(f"admin:{page}_change", args=[obj.pk]).replace("/change/", "/password/")
    return reverse(f"admin:{page}_{view}", args=[obj.pk])


# --- finding 2: another jobcentre's objects answer 404 ---------------------------------------


@pytest.mark.parametrize("page", MODEL_PAGES)
@pytest.mark.parametrize("view", ["change", "history"])
def test_other_jobcentre_object_answers_404(
    adm_client: Client, own: Side, foreign: Side, page: str, view: str
) -> None:
    assert adm_client.get(url(page, view, own.objects()[page])).status_code == 200
    assert adm_client.get(url(page, view, foreign.objects()[page])).status_code == 404


@pytest.mark.parametrize("page", MODEL_PAGES)
def test_other_jobcentre_object_cannot_be_deleted(
    adm_client: Client, own: Side, foreign: Side, page: str
) -> None:
    obj = foreign.objects()[page]
    delete = url(page, "delete", obj)
    # 404; 403 where nobody but a superuser deletes (jobcentres, the audit log).
    assert adm_client.get(delete).status_code in {403, 404}
    assert adm_client.post(delete, {"post": "yes"}).status_code in {403, 404}
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("page", MODEL_PAGES)
def test_changelist_shows_only_own_jobcentre(
    adm_client: Client, own: Side, foreign: Side, page: str
) -> None:
    response = adm_client.get(reverse(f"admin:{page}_changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert own.objects()[page].pk in shown
    assert foreign.objects()[page].pk not in shown
    html = response.content.decode()
    assert OTHER_UNIT not in html and OTHER_TEAM not in html  # not even in the filters


def test_superuser_still_sees_every_jobcentre(own: Side, foreign: Side) -> None:
    root = UserFactory.create(username="root", unit=None, is_staff=True, is_superuser=True)
    client = client_for(root)
    for page, obj in foreign.objects().items():
        assert client.get(url(page, "change", obj)).status_code == 200, page


def test_change_post_to_other_jobcentre_citizen_is_404_and_changes_nothing(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    citizen = foreign.citizen
    response = adm_client.post(url("cases_citizen", "change", citizen), {"first_name": "X"})
    assert response.status_code == 404
    citizen.refresh_from_db()
    assert citizen.first_name != "X"


def test_opening_other_jobcentre_citizen_is_not_audited_as_a_view(
    adm_client: Client, foreign: Side
) -> None:
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    assert adm_client.get(url("cases_citizen", "change", foreign.citizen)).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before


def test_other_jobcentre_user_password_form_is_404(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    assert adm_client.get(url("substitution_user", "password", own.user)).status_code == 200
    target = url("substitution_user", "password", foreign.user)
    assert adm_client.get(target).status_code == 404
    data = {"password1": "Ny-Adgangskode-2026!", "password2": "Ny-Adgangskode-2026!"}
    assert adm_client.post(target, data | {"set_usable_password": "true"}).status_code == 404
    foreign.user.refresh_from_db()
    assert foreign.user.check_password(PASSWORD)


def test_bulk_delete_skips_what_is_out_of_scope(
    adm_client: Client, unit: Unit, foreign: Side
) -> None:
    # Users without follow-ups or audit events, so nothing protects them from deletion.
    mine = UserFactory.create(username="min", unit=unit)
    theirs = UserFactory.create(username="deres", unit=foreign.unit)
    root = UserFactory.create(username="root", unit=unit, is_staff=True, is_superuser=True)
    response = adm_client.post(
        reverse("admin:substitution_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [mine.pk, theirs.pk, root.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=mine.pk).exists()  # the action itself works
    assert User.objects.filter(pk__in=[theirs.pk, root.pk]).count() == 2


# --- choices: nothing of another jobcentre can be picked -------------------------------------


def _choices(response: Any, field: str) -> set[Any]:
    return set(response.context["adminform"].form.fields[field].queryset)


def test_citizen_form_offers_only_own_jobcentre_and_teams(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    response = adm_client.get(reverse("admin:cases_citizen_add"))
    assert _choices(response, "unit") == {own.unit}
    assert _choices(response, "team") == {own.team}


def test_citizen_cannot_be_created_in_another_jobcentre(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    data = {
        "unit": foreign.unit.pk,
        "team": foreign.team.pk,
        "cpr": "010190-1234",
        "first_name": "Bo",
        "last_name": "Berg",
        "status": "aktiv",
        "status_changed_on": "2026-01-01",
        "assignments-TOTAL_FORMS": 0,
        "assignments-INITIAL_FORMS": 0,
    }
    response = adm_client.post(reverse("admin:cases_citizen_add"), data)
    assert response.status_code == 200
    assert {"unit", "team"} <= set(response.context["adminform"].form.errors)
    assert not Citizen.objects.filter(first_name="Bo").exists()


def test_company_and_team_forms_offer_only_own_jobcentre(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    for page in ("companies_company", "substitution_team"):
        response = adm_client.get(reverse(f"admin:{page}_add"))
        assert _choices(response, "unit") == {own.unit}, page


def test_membership_inline_offers_only_own_users_and_teams(
    adm_client: Client, own: Side, foreign: Side, administrator: User
) -> None:
    response = adm_client.get(url("substitution_team", "change", own.team))
    formset = response.context["inline_admin_formsets"][0].formset
    users = set(formset.forms[0].fields["user"].queryset)
    assert own.user in users and administrator in users and foreign.user not in users
    response = adm_client.get(url("substitution_user", "change", own.user))
    formset = response.context["inline_admin_formsets"][0].formset
    assert set(formset.forms[0].fields["team"].queryset) == {own.team}


def test_membership_in_another_jobcentre_team_cannot_be_added(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    data = {
        "unit": own.unit.pk,
        "name": own.team.name,
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": own.user.memberships.get().pk,
        "memberships-0-user": own.user.pk,
        "memberships-0-role": Role.JOBFORMIDLER,
        "memberships-0-team": own.team.pk,
    }
    team_url = url("substitution_team", "change", own.team)
    assert adm_client.post(team_url, data).status_code == 302  # the valid form saves
    data["memberships-TOTAL_FORMS"] = "2"
    data |= {
        "memberships-1-user": foreign.user.pk,
        "memberships-1-role": Role.ADMINISTRATOR,
        "memberships-1-team": own.team.pk,
    }
    response = adm_client.post(team_url, data)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=foreign.user, team=own.team).exists()


def test_raw_id_fields_refuse_other_jobcentre_objects(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    foreign_session = MappingSession.objects.create(company=foreign.company)
    data = {
        "company": foreign.company.pk,
        "session": foreign_session.pk,
        "title": "Opgave",
        "hours_per_week": 10,
        "status": "aaben",
        "positions": 1,
    }
    response = adm_client.post(url("companies_task", "change", own.task), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"company", "session"} <= set(errors)
    follow_up = {"owner": foreign.user.pk, "due_on": "2026-12-01", "title": "x"}
    response = adm_client.post(url("substitution_followup", "change", own.follow_up), follow_up)
    assert "owner" in response.context["adminform"].form.errors


def test_shared_threshold_defaults_are_read_only_for_a_non_superuser(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    shared = Threshold.objects.create(key="no_contact_days", value=42, unit=None)
    change = url("substitution_threshold", "change", shared)
    response = adm_client.get(change)
    assert response.status_code == 200 and not response.context["has_change_permission"]
    data = {"key": "no_contact_days", "value": "1", "valid_from": "2000-01-01"}
    assert adm_client.post(change, data).status_code == 403
    shared.refresh_from_db()
    assert shared.value == 42
    # A new value must be the jobcentre's own: blank (everyone) is refused.
    response = adm_client.post(reverse("admin:substitution_threshold_add"), data)
    assert "unit" in response.context["adminform"].form.errors
    assert _choices(adm_client.get(reverse("admin:substitution_threshold_add")), "unit") == {
        own.unit
    }


def test_administrator_without_a_jobcentre_sees_nothing(own: Side) -> None:
    stray = make_staff(Role.ADMINISTRATOR, own.team, username="uden_jobcenter")
    stray.unit = None
    stray.save(update_fields=["unit"])
    UserFactory.create(username="ogsaa_uden", unit=None)
    client = client_for(stray)
    for page in MODEL_PAGES:
        response = client.get(reverse(f"admin:{page}_changelist"))
        assert response.context["cl"].result_count == 0, page
    assert client.get(reverse("admin:substitution_team_add")).status_code == 403


# --- finding 1: superusers, staff flags and other staff accounts ------------------------------


@pytest.fixture(params=["same_unit", "no_unit"])
def root(request: pytest.FixtureRequest, unit: Unit) -> User:
    return UserFactory.create(
        username="root",
        unit=unit if request.param == "same_unit" else None,
        is_staff=True,
        is_superuser=True,
    )


def test_administrator_cannot_reach_the_superuser(adm_client: Client, root: User) -> None:
    password_url = url("substitution_user", "password", root)
    assert adm_client.get(password_url).status_code == 404
    data = {"password1": "Overtaget-2026!", "password2": "Overtaget-2026!"}
    response = adm_client.post(password_url, data | {"set_usable_password": "true"})
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.check_password(PASSWORD)
    for view in ("change", "delete", "history"):
        assert adm_client.get(url("substitution_user", view, root)).status_code == 404, view
    listed = adm_client.get(reverse("admin:substitution_user_changelist")).context["cl"]
    assert root not in listed.result_list


def _user_form_data(user: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.date().isoformat(),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "unit": user.unit_id or "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    memberships = list(user.memberships.all())
    for i, membership in enumerate(memberships):
        data |= {
            f"memberships-{i}-id": membership.pk,
            f"memberships-{i}-user": user.pk,
            f"memberships-{i}-team": membership.team_id,
            f"memberships-{i}-role": membership.role,
        }
    data["memberships-TOTAL_FORMS"] = data["memberships-INITIAL_FORMS"] = str(len(memberships))
    return data | changes


def test_administrator_cannot_grant_staff_or_superuser(
    adm_client: Client, administrator: User, own: Side
) -> None:
    for target in (own.user, administrator):
        data = _user_form_data(target, is_staff="on", is_superuser="on", last_name="Ny")
        response = adm_client.post(url("substitution_user", "change", target), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        target.refresh_from_db()
        assert target.last_name == "Ny"  # the form was saved ...
        assert target.is_superuser is False  # ... without the flags
    own.user.refresh_from_db()
    assert own.user.is_staff is False
    form = adm_client.get(url("substitution_user", "change", own.user)).context["adminform"].form
    assert not {"is_staff", "is_superuser", "groups", "user_permissions"} & set(form.fields)


def test_administrator_cannot_move_a_user_to_another_jobcentre(
    adm_client: Client, own: Side, foreign: Side
) -> None:
    change = url("substitution_user", "change", own.user)
    assert _choices(adm_client.get(change), "unit") == {own.unit}
    for unit in (foreign.unit.pk, ""):
        response = adm_client.post(change, _user_form_data(own.user, unit=unit))
        assert response.status_code == 200
        assert "unit" in response.context["adminform"].form.errors
    own.user.refresh_from_db()
    assert own.user.unit == own.unit


def test_new_user_lands_in_the_administrators_jobcentre(adm_client: Client, unit: Unit) -> None:
    data = {
        "username": "nyansat",
        "password1": "Ny-Adgangskode-2026!",
        "password2": "Ny-Adgangskode-2026!",
        "usable_password": "true",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = adm_client.post(reverse("admin:substitution_user_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="nyansat")
    assert user.unit == unit and not user.is_staff and not user.is_superuser


def test_other_staff_accounts_are_read_only_for_a_non_superuser(
    adm_client: Client, administrator: User, team: Team
) -> None:
    peer = make_staff(Role.ADMINISTRATOR, team, username="adm2")
    change = url("substitution_user", "change", peer)
    response = adm_client.get(change)
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert adm_client.post(change, _user_form_data(peer, last_name="Ny")).status_code == 403
    password_url = url("substitution_user", "password", peer)
    assert adm_client.get(password_url).status_code == 403
    data = {"password1": "Overtaget-2026!", "password2": "Overtaget-2026!"}
    assert adm_client.post(password_url, data).status_code == 403
    assert (
        adm_client.post(url("substitution_user", "delete", peer), {"post": "yes"}).status_code
        == 403
    )
    peer.refresh_from_db()
    assert peer.check_password(PASSWORD) and peer.last_name != "Ny"
    # One's own account stays editable, password included.
    own_password = url("substitution_user", "password", administrator)
    assert adm_client.get(own_password).status_code == 200


def test_superuser_manages_staff_and_superusers(unit: Unit, team: Team) -> None:
    root = UserFactory.create(username="root", unit=None, is_staff=True, is_superuser=True)
    client = client_for(root)
    target = make_staff(Role.JOBFORMIDLER, team, username="forfremmes")
    data = _user_form_data(target, is_staff="on")
    response = client.post(url("substitution_user", "change", target), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.is_staff
    assert client.get(url("substitution_user", "password", target)).status_code == 200
