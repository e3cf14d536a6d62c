"""substitution/middleware.py: NUL bytes in a request answer 400 (never a database error),
security headers on every response, and no caching of pages for a logged-in user."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from substitution.models import Team, User
from tests.conftest import client_for
from tests.factories.companies import CompanyFactory
from tests.factories.org import UserFactory

pytestmark = pytest.mark.django_db
NUL_MESSAGE = "Forespørgslen indeholder et ugyldigt tegn (NUL)."


def _assert_refused(response: Any) -> None:
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "query", ["q=%00", "q=Bager%00iet", "status=%00", "side=%00", "%00=1", "q=ok&q=%00"]
)
def test_nul_in_a_query_parameter_of_the_pipeline_is_a_400(jobformidler: User, query: str) -> None:
    _assert_refused(client_for(jobformidler).get(f"/virksomheder/?{query}"))


@pytest.mark.parametrize("param", ["bruger", "handling", "borger", "objekt", "side"])
def test_nul_in_an_audit_log_filter_is_a_400(leder: User, param: str) -> None:
    _assert_refused(client_for(leder).get(f"{reverse('audit_log')}?{param}=a%00b"))


@pytest.mark.parametrize(
    "query", ["q=%00", "unit__id__exact=%00", "o=%00", "team__unit__id__exact=1%00"]
)
def test_nul_in_an_admin_changelist_filter_or_search_is_a_400(query: str) -> None:
    root = UserFactory.create(username="root", is_superuser=True, is_staff=True)
    client = client_for(root)
    for url in ["/admin/cases/citizen/", "/admin/companies/company/", "/admin/substitution/user/"]:
        _assert_refused(client.get(f"{url}?{query}"))


def test_nul_in_a_posted_field_is_a_400(jobformidler: User) -> None:
    company = CompanyFactory.create(unit=jobformidler.unit)
    response = client_for(jobformidler).post(
        reverse("companies:contact_create", args=[company.pk]),
        {"occurred_on": "02.03.2026", "channel": "besoeg", "outcome": "Hej\x00"},
    )
    _assert_refused(response)
    assert not company.contacts.exists()


def test_nul_in_the_login_form_is_a_400() -> None:
    _assert_refused(Client().post(reverse("login"), {"username": "jf\x00", "password": "x"}))


def test_nul_in_a_quoted_session_cookie_is_a_400(jobformidler: User) -> None:
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    _assert_refused(client.get("/virksomheder/"))


def test_other_control_characters_and_plain_requests_pass(jobformidler: User) -> None:
    client = client_for(jobformidler)
    assert client.get("/virksomheder/?q=%01%1f%7f").status_code == 200
    assert client.get("/virksomheder/?q=Bageriet").status_code == 200


# --- Permissions-Policy and Cache-Control ------------------------------------------------------

DENIED = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]


def _cache_control(response: Any) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def _assert_policy(response: Any) -> None:
    policy = [part.strip() for part in response["Permissions-Policy"].split(",")]
    assert set(DENIED) <= set(policy), policy


def test_permissions_policy_on_every_response(jobformidler: User) -> None:
    anonymous = Client()
    for response in [
        anonymous.get(reverse("login")),
        anonymous.get("/virksomheder/"),  # redirect to the login page
        anonymous.get(reverse("healthz")),
        anonymous.get("/virksomheder/?q=%00"),
        client_for(jobformidler).get("/virksomheder/"),
        client_for(jobformidler).get("/findes-ikke/"),
    ]:
        _assert_policy(response)


def test_nothing_is_cached_for_a_logged_in_user(team: Team, jobformidler: User) -> None:
    from tests.cases.matching.test_matching import citizen_with, task_with

    citizen = citizen_with(team)
    task = task_with(team.unit)
    client = client_for(jobformidler)
    pdf = client.post(
        reverse("cases:candidate_overview", args=[task.pk]), {"citizen": [citizen.pk]}
    )
    assert pdf["Content-Type"] == "application/pdf"
    export = client.get(reverse("cases:caseload_export"))
    assert export["Content-Type"].startswith("text/csv")
    for response in [
        client.get("/borgere/min-dag/"),
        client.get(reverse("cases:citizen_detail", args=[citizen.pk])),
        client.get(reverse("cases:citizen_matches", args=[citizen.pk]), HTTP_HX_REQUEST="true"),
        pdf,
        export,
    ]:
        assert response.status_code == 200
        assert {"no-store", "private", "no-cache", "max-age=0"} <= _cache_control(response)


@pytest.mark.browser
def test_chromium_knows_every_denied_feature(page: Any) -> None:
    """An unknown feature in the header would be a console message on every page."""
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    page.goto("/login/")
    page.wait_for_load_state("networkidle")
    assert not [m for m in messages if "ermissions" in m], messages
