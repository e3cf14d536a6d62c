"""Two-factor log-in with TOTP (substitution/two_factor.py): optional for everyone, required
for leder and administrator with TWO_FACTOR_REQUIRED."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from substitution.models import AuditAction, AuditEvent, User
from tests.conftest import client_for


def code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def device_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


@pytest.fixture
def required(settings: Settings) -> None:
    settings.TWO_FACTOR_REQUIRED = True


def test_off_by_default_a_leder_goes_straight_in(leder: User, settings: Settings) -> None:
    assert settings.TWO_FACTOR_REQUIRED is False
    response = client_for(leder).get("/", follow=True)
    assert response.status_code == 200
    assert all(reverse("otp_setup") not in url for url, _status in response.redirect_chain)


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("fixture", ["leder", "administrator"])
def test_required_roles_must_set_up_an_app_first(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(fixture)
    client = client_for(user)
    for path in ("/", "/revisionslog/", "/admin/", reverse("cases:caseload")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("otp_setup") + "?next="), path
    htmx = client.get("/revisionslog/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"] == reverse("otp_setup")


@pytest.mark.usefixtures("required")
def test_other_roles_are_not_forced(jobformidler: User) -> None:
    assert client_for(jobformidler).get(reverse("cases:my_day")).status_code == 200


@pytest.mark.usefixtures("required")
def test_setting_up_the_app(leder: User) -> None:
    client = client_for(leder)
    page = client.get(reverse("otp_setup") + "?next=/revisionslog/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html and "Din rolle kræver" in html
    device = TOTPDevice.objects.get(user=leder, confirmed=False)
    done = client.post(reverse("otp_setup"), {"token": code(device), "next": "/revisionslog/"})
    assert done.status_code == 302 and done["Location"] == "/revisionslog/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/revisionslog/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(leder.pk)).exists()


@pytest.mark.usefixtures("required")
def test_next_log_in_asks_for_the_code(leder: User) -> None:
    device = device_for(leder)
    client = client_for(leder)
    response = client.get("/revisionslog/")
    assert response["Location"] == reverse("otp_verify") + "?next=%2Frevisionslog%2F"
    assert client.get(reverse("otp_setup"))["Location"] == reverse("otp_verify")
    ok = client.post(reverse("otp_verify"), {"token": code(device), "next": "/revisionslog/"})
    assert ok.status_code == 302 and ok["Location"] == "/revisionslog/"
    assert client.get("/revisionslog/").status_code == 200


def test_wrong_codes_are_throttled(jobformidler: User) -> None:
    """Optional for a jobformidler, but once set up it is always asked; a wrong code makes
    even the right one wait."""
    device = device_for(jobformidler)
    client = client_for(jobformidler)
    assert client.get(reverse("cases:my_day"))["Location"].startswith(reverse("otp_verify"))
    bad = client.post(reverse("otp_verify"), {"token": "123456"})
    assert bad.status_code == 200 and "Koden passer ikke" in bad.content.decode()
    throttled = client.post(reverse("otp_verify"), {"token": code(device)})
    assert throttled.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1


def test_the_next_parameter_cannot_leave_the_site(jobformidler: User) -> None:
    device = device_for(jobformidler)
    client = client_for(jobformidler)
    response = client.post(
        reverse("otp_verify"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_anonymous_users_are_sent_to_the_password_log_in(client: Client, db: None) -> None:
    response = client.get(reverse("otp_verify"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
