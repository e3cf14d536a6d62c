"""Danish 403, 404 and 500 pages, rendered by substitution.errors with DEBUG off."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from substitution import errors


@pytest.fixture(autouse=True)
def _production(settings: Settings) -> None:
    settings.DEBUG = False


def _assert_danish_page(html: str, heading: str) -> None:
    assert '<html lang="da">' in html
    assert f"<h1>{heading}</h1>" in html
    assert "Gå til forsiden" in html
    assert "<style" not in html and "style=" not in html  # CSP: no inline styles


def test_404_for_unknown_url(jf_client: Client) -> None:
    response = jf_client.get("/findes-ikke/")
    assert response.status_code == 404
    _assert_danish_page(response.content.decode(), "Siden findes ikke")


def test_403_when_permission_denied(jf_client: Client) -> None:
    response = jf_client.get("/revisionslog/")
    assert response.status_code == 403
    _assert_danish_page(response.content.decode(), "Adgang nægtet")


@pytest.mark.urls("tests.substitution.urls_errors")
def test_500_when_a_view_fails(jf_client: Client) -> None:
    jf_client.raise_request_exception = False
    response = jf_client.get("/test-fejl/")
    assert response.status_code == 500
    _assert_danish_page(response.content.decode(), "Der opstod en fejl")


def test_500_handler_needs_no_database_or_user() -> None:
    request = RequestFactory().get("/")
    response = errors.server_error(request)
    assert response.status_code == 500
    assert "Der opstod en uventet fejl" in response.content.decode()


def test_project_uses_the_danish_handlers() -> None:
    from substitution import urls

    assert urls.handler403 == "substitution.errors.permission_denied"
    assert urls.handler404 == "substitution.errors.page_not_found"
    assert urls.handler500 == "substitution.errors.server_error"
