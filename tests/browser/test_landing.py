"""Each role's landing page in a real browser: Danish, accessible, no CSP errors."""

from __future__ import annotations

from typing import Any

import pytest

from substitution.models import Role, Team
from tests.conftest import assert_accessible, assert_no_csp_errors, login
from tests.factories.org import make_staff

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", list(Role))
def test_role_lands_on_accessible_danish_page(page: Any, team: Team, role: Role) -> None:
    make_staff(role, team, username=f"u_{role}", first_name="Mette")
    login(page, f"u_{role}")
    assert "/login/" not in page.url
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h1").count() == 1
    assert page.get_by_role("navigation", name="Hovedmenu").is_visible()
    assert page.get_by_role("button", name="Log ud").is_visible()
    assert_accessible(page)
    assert_no_csp_errors(page)


def test_audit_log_page_is_accessible(page: Any, team: Team) -> None:
    make_staff(Role.LEDER, team, username="chef")
    login(page, "chef")
    page.get_by_role("link", name="Revisionslog").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Revisionslog").is_visible()
    assert_accessible(page)
    assert_no_csp_errors(page)
