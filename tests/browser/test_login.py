"""Logging in and out in a real browser (Debian Chromium via Playwright)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from substitution.models import User
from tests.conftest import assert_accessible, assert_no_csp_errors, login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fresh_axes(transactional_db: None) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def _submit(page: Any, username: str, password: str) -> None:
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()


def test_login_page_is_danish_accessible_and_csp_clean(page: Any) -> None:
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("heading", name="Log ind").is_visible()
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_log_in_and_log_out(page: Any, jobformidler: User) -> None:
    login(page, "jf")
    assert page.get_by_role("heading", name="Min dag").is_visible()
    assert page.get_by_role("button", name="Log ud").is_visible()
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_load_state()
    assert page.url.endswith("/login/")
    page.goto("/")
    assert "/login/" in page.url  # logged out: back to the login page
    assert_no_csp_errors(page)


def test_wrong_password_shows_danish_error_and_keeps_user_name(
    page: Any, jobformidler: User
) -> None:
    page.goto("/login/")
    _submit(page, "jf", "forkert-kode")
    assert page.get_by_text("Forkert brugernavn eller adgangskode").is_visible()
    assert page.get_by_label("Brugernavn").input_value() == "jf"
    assert page.get_by_label("Adgangskode").input_value() == ""
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_lockout_after_configured_failures(
    page: Any, jobformidler: User, settings: Settings, password: str
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    page.goto("/login/")
    for _ in range(2):
        _submit(page, "jf", "forkert-kode")
        assert page.get_by_text("Forkert brugernavn eller adgangskode").is_visible()
    _submit(page, "jf", "forkert-kode")
    assert page.get_by_role("heading", name="Kontoen er midlertidigt spærret").is_visible()
    assert_accessible(page)
    assert_no_csp_errors(page)
    # The right password does not help while the lockout lasts.
    page.get_by_role("link", name="Tilbage til log ind").click()
    page.wait_for_load_state()
    _submit(page, "jf", password)
    assert page.get_by_role("heading", name="Kontoen er midlertidigt spærret").is_visible()
