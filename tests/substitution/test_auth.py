"""Logging in and out, lockout after repeated failures, and the idle timeout."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from substitution.models import User
from tests.factories.org import PASSWORD

LOGIN = "/login/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_axes(db: None) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_login_url_is_the_danish_login_page() -> None:
    assert reverse("login") == LOGIN


def test_correct_password_logs_in_and_lands(client: Client, jobformidler: User) -> None:
    response = client.post(LOGIN, {"username": "jf", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get("/").wsgi_request.user == jobformidler


def test_wrong_password_shows_danish_error_and_keeps_user_name(
    client: Client, jobformidler: User
) -> None:
    response = client.post(LOGIN, {"username": "jf", "password": "forkert"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Forkert brugernavn eller adgangskode" in html
    assert 'value="jf"' in html
    assert "forkert" not in html  # the password is never echoed back


def test_lockout_after_failure_limit(
    client: Client, jobformidler: User, settings: SettingsWrapper
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        response = client.post(LOGIN, {"username": "jf", "password": "forkert"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "jf", "password": "forkert"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Kontoen er midlertidigt spærret" in html
    assert "Prøv igen om 15 minutter" in html
    # Even the right password is refused while locked out.
    response = client.post(LOGIN, {"username": "jf", "password": PASSWORD})
    assert response.status_code == 429
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_lockout_is_per_user_name(
    client: Client, jobformidler: User, konsulent: User, settings: SettingsWrapper
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(LOGIN, {"username": "jf", "password": "forkert"})
    response = client.post(LOGIN, {"username": "vk", "password": PASSWORD})
    assert response.status_code == 302


def test_logout_requires_post(jf_client: Client) -> None:
    assert jf_client.get("/logout/").status_code == 405
    response = jf_client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    response = jf_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_idle_timeout_logs_out_after_configured_minutes(
    jf_client: Client, settings: SettingsWrapper
) -> None:
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    with time_machine.travel(START, tick=False) as traveller:
        assert jf_client.get("/", follow=True).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert jf_client.get("/", follow=True).status_code == 200  # activity resets the clock
        traveller.shift(dt.timedelta(minutes=30))
        assert jf_client.get("/", follow=True).status_code == 200
        traveller.shift(dt.timedelta(minutes=30, seconds=1))
        response = jf_client.get("/revisionslog/?side=2")
    assert response.status_code == 302
    assert response["Location"] == "/login/?udlobet=1&next=%2Frevisionslog%2F%3Fside%3D2"
    page = jf_client.get(response["Location"])
    assert page.status_code == 200
    assert "Du er blevet logget ud, fordi du har været inaktiv." in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


def test_idle_timeout_tells_htmx_to_load_the_login_page(
    jf_client: Client, settings: SettingsWrapper
) -> None:
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    with time_machine.travel(START, tick=False) as traveller:
        jf_client.get("/")
        traveller.shift(dt.timedelta(minutes=6))
        response = jf_client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?udlobet=1"


def test_idle_timeout_follows_login_url_setting(
    jf_client: Client, settings: SettingsWrapper
) -> None:
    settings.LOGIN_URL = "/admin/login/"
    with time_machine.travel(START, tick=False) as traveller:
        jf_client.get("/")
        traveller.shift(dt.timedelta(minutes=31))
        response = jf_client.get("/")
    assert response["Location"].startswith("/admin/login/?udlobet=1")
