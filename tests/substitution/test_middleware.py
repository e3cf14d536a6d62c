"""substitution/middleware.py: NUL bytes in a request answer 400 (never a database error),
security headers on every response, and no caching of pages for a logged-in user."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from substitution.models import User
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
