"""The API for BI tools (docs/api.md): the JSON of ``manage.py measures``, a personal token
only (hash stored, revocable), the owner's visibility, an audit row per use."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reporting.api import services
from reporting.api.models import ApiToken
from substitution.audit import SYSTEM
from substitution.models import AuditEvent, Role, Team, Unit, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.org import TeamFactory, UnitFactory, make_staff

pytestmark = pytest.mark.django_db

URL = "/styring/api/maalinger/"


@pytest.fixture
def teams(unit: Unit, team: Team, other_team: Team) -> list[Team]:
    for n in range(4):
        CitizenFactory.create(team=team, opened_on=dt.date(2026, 1, 1), cv_present=n < 3)
    for n in range(2):
        CitizenFactory.create(team=other_team, opened_on=dt.date(2026, 1, 1), cv_present=n < 1)
    return [team, other_team]


def token_for(user: User, admin: User) -> str:
    _row, token = services.issue(user, "Power BI", actor=admin, context=SYSTEM)
    return token


def get(token: str | None, client: Client | None = None, **params: str | list[str]) -> object:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return (client or Client()).get(URL, params, headers=headers)


def test_the_url_is_under_styring() -> None:
    assert reverse("reporting:api_measures") == URL


def test_a_token_returns_the_same_json_as_manage_py_measures(
    teams: list[Team], leder: User, administrator: User
) -> None:
    token = token_for(leder, administrator)
    response = get(token, period="2026-11", measure=["cv", "caseload"])
    assert response.status_code == 200  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("measures", "--period", "2026-11", "--measure", "cv", "--measure", "caseload",
                 stdout=out)  # fmt: skip
    assert response.json() == json.loads(out.getvalue())  # type: ignore[attr-defined]
    total = response.json()["populations"][-1]  # type: ignore[attr-defined]
    assert total["label"] == "Jobcentret i alt"
    assert total["measures"]["cv"]["numerator"] == 4


def test_only_a_hash_is_stored(leder: User, administrator: User) -> None:
    token = token_for(leder, administrator)
    row = ApiToken.objects.get()
    assert token not in (row.key_hash, row.prefix, row.name)
    assert row.key_hash == services.hash_token(token)
    assert token.startswith(row.prefix)


def test_refuses_no_token_a_wrong_token_and_a_revoked_token(
    teams: list[Team], leder: User, administrator: User
) -> None:
    assert get(None).status_code == 401  # type: ignore[attr-defined]
    assert get("sbt_wrong").status_code == 401  # type: ignore[attr-defined]
    token = token_for(leder, administrator)
    assert get(token).status_code == 200  # type: ignore[attr-defined]
    services.revoke(ApiToken.objects.get(), actor=administrator, context=SYSTEM)
    response = get(token)
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response["WWW-Authenticate"].startswith("Bearer")  # type: ignore[index]


def test_a_session_is_not_enough(teams: list[Team], leder: User) -> None:
    """CSRF does not arise: a logged-in browser without the token gets nothing."""
    response = get(None, client_for(leder))
    assert response.status_code == 401  # type: ignore[attr-defined]


def test_the_endpoint_reads_only(leder: User, administrator: User) -> None:
    token = token_for(leder, administrator)
    response = Client(enforce_csrf_checks=True).post(
        URL, {}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 405


def test_refuses_another_teams_data(teams: list[Team], administrator: User) -> None:
    team, other = teams
    lead = make_staff(Role.TEAMLEDER, team, username="tl_api")
    token = token_for(lead, administrator)
    assert get(token, team=str(other.pk)).status_code == 404  # type: ignore[attr-defined]
    own = get(token, team=str(team.pk)).json()  # type: ignore[attr-defined]
    assert [p["team_id"] for p in own["populations"]] == [team.pk]
    # Without a team: only the owner's team, and a total over it alone (3 of 4 CVs, never
    # the other team's 1 of 2 added in).
    everything = get(token, measure="cv").json()  # type: ignore[attr-defined]
    assert [p["team_id"] for p in everything["populations"]] == [team.pk, None]
    total = everything["populations"][-1]["measures"]["cv"]
    assert (total["numerator"], total["denominator"]) == (3, 4)
    assert other.name not in json.dumps(everything)


def test_a_token_of_another_jobcentre_sees_only_its_own(teams: list[Team]) -> None:
    elsewhere = TeamFactory.create(unit=UnitFactory.create(name="Jobcenter Andet"), name="X")
    stranger = make_staff(Role.LEDER, elsewhere, username="leder_x")
    admin_x = make_staff(Role.ADMINISTRATOR, elsewhere, username="adm_x")
    data = get(token_for(stranger, admin_x), measure="cv").json()  # type: ignore[attr-defined]
    assert data["unit"] == "Jobcenter Andet"
    assert data["populations"][-1]["measures"]["cv"]["denominator"] == 0
    assert get(token_for(stranger, admin_x), team=str(teams[0].pk)).status_code == 404  # type: ignore[attr-defined]


def test_an_owner_without_dashboard_access_is_refused(
    jobformidler: User, administrator: User
) -> None:
    assert get(token_for(jobformidler, administrator)).status_code == 403  # type: ignore[attr-defined]


def test_bad_parameters_answer_400(leder: User, administrator: User) -> None:
    token = token_for(leder, administrator)
    assert get(token, period="november").status_code == 400  # type: ignore[attr-defined]
    assert get(token, measure="nope").status_code == 400  # type: ignore[attr-defined]
    assert get(token, team="abc").status_code == 400  # type: ignore[attr-defined]


def test_every_use_is_audit_logged_as_the_owner(
    teams: list[Team], leder: User, administrator: User
) -> None:
    token = token_for(leder, administrator)
    before = AuditEvent.objects.filter(user=leder).count()
    get(token, measure="cv")
    get(token, measure="caseload")
    uses = AuditEvent.objects.filter(user=leder, action="export").order_by("at", "pk")
    assert uses.count() - before == 2
    assert "measure=caseload" in uses.last().changes["sti"]  # type: ignore[union-attr]
    assert ApiToken.objects.get().last_used_at is not None


# --- the administrator's page ---------------------------------------------------------------


def test_an_administrator_issues_and_revokes_a_token(leder: User, administrator: User) -> None:
    client = client_for(administrator)
    page = reverse("reporting:api_tokens")
    response = client.post(page, {"owner": leder.pk, "name": "Power BI"})
    assert response.status_code == 200
    html = response.content.decode()
    row = ApiToken.objects.get()
    assert row.owner == leder and row.created_by == administrator
    shown = html.split("data-issued-token>")[1].split("<")[0]
    assert services.hash_token(shown) == row.key_hash
    assert "no-store" in response["Cache-Control"]
    # Shown once: the list afterwards has only the prefix.
    assert shown not in client.get(page).content.decode()
    client.post(reverse("reporting:api_revoke", args=[row.pk]))
    row.refresh_from_db()
    assert row.revoked_by == administrator and row.revoked_at is not None
    assert get(shown).status_code == 401  # type: ignore[attr-defined]
    assert (
        AuditEvent.objects.filter(user=administrator, action__in=["create", "change"]).count() >= 2
    )


def test_the_form_says_what_is_missing_in_danish(administrator: User) -> None:
    response = client_for(administrator).post(reverse("reporting:api_tokens"), {"name": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vælg den medarbejder, nøglen tilhører." in html
    assert "Skriv hvad nøglen bruges til" in html


def test_only_administrators_manage_tokens(leder: User) -> None:
    assert client_for(leder).get(reverse("reporting:api_tokens")).status_code == 403


def test_another_jobcentres_token_cannot_be_revoked(administrator: User) -> None:
    elsewhere = TeamFactory.create(unit=UnitFactory.create(name="Jobcenter Andet"), name="X")
    stranger = make_staff(Role.LEDER, elsewhere, username="leder_y")
    admin_y = make_staff(Role.ADMINISTRATOR, elsewhere, username="adm_y")
    token_for(stranger, admin_y)
    row = ApiToken.objects.get()
    response = client_for(administrator).post(reverse("reporting:api_revoke", args=[row.pk]))
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None
