from typing import Any

import pytest
from django.test import Client

from substitution.models import User
from tests.conftest import assert_accessible, login


@pytest.mark.django_db
def test_login_page_renders_danish(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert "Log ind" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_jobformidler_lands(jf_client: Client) -> None:
    response = jf_client.get("/", follow=True)
    assert response.status_code == 200
    assert "Min dag" in response.content.decode()


@pytest.mark.browser
def test_browser_login(page: Any, jobformidler: User) -> None:
    login(page, "jf")
    assert page.get_by_role("heading", name="Min dag").is_visible()
    assert_accessible(page)
