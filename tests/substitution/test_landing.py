"""Each role lands on a Danish page, and the navigation shows only what the role may use."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from substitution.models import Role, Team, User
from substitution.navigation import NAV_ITEMS, try_reverse
from substitution.roles import Cap, can
from tests.conftest import client_for
from tests.factories.org import UserFactory, make_staff

NAV = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _nav_links(html: str) -> set[str]:
    match = NAV.search(html)
    assert match, "no main navigation"
    return set(HREF.findall(match.group(0)))


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_a_danish_page(team: Team, role: Role) -> None:
    user = make_staff(role, team, username=f"u_{role}", first_name="Mette")
    response = client_for(user).get("/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Log ud" in html
    assert "<h1>" in html
    template = response.templates[0].name
    assert template is not None
    if template.startswith("landing/"):
        assert template == f"landing/{role}.html"
        assert f"Du er logget ind som {role.label}." in html
        assert "Goddag, Mette." in html


@pytest.mark.parametrize("role", list(Role))
def test_nav_shows_only_what_the_role_may_see(team: Team, role: Role) -> None:
    user = make_staff(role, team, username=f"u_{role}")
    html = client_for(user).get("/", follow=True).content.decode()
    links = _nav_links(html)
    expected = {
        url
        for item in NAV_ITEMS
        if user.roles() & item.roles and (url := try_reverse(item.url_name)) is not None
    }
    assert links == expected
    assert (reverse("audit_log") in links) is can(user, Cap.AUDIT_VIEW)
    assert (reverse("admin:index") in links) is can(user, Cap.ADMIN_SITE)
    assert reverse("home") in links


def test_nav_follows_the_matrix_for_audit_and_admin(
    jobformidler: User, leder: User, administrator: User
) -> None:
    def links(user: User) -> set[str]:
        return _nav_links(client_for(user).get("/", follow=True).content.decode())

    assert reverse("audit_log") not in links(jobformidler)
    assert reverse("audit_log") in links(leder)
    assert reverse("admin:index") not in links(leder)
    assert {reverse("audit_log"), reverse("admin:index")} <= links(administrator)


def test_user_without_role_gets_a_friendly_page(team: Team) -> None:
    user = UserFactory.create(username="ny", unit=team.unit)
    response = client_for(user).get("/")
    assert response.status_code == 200
    assert "Din bruger har endnu ingen rolle" in response.content.decode()
    assert _nav_links(response.content.decode()) == set()


def test_current_page_is_marked_in_nav(leder: User) -> None:
    html = client_for(leder).get(reverse("audit_log")).content.decode()
    assert f'href="{reverse("audit_log")}" aria-current="page"' in html


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("cases:my_day", "Min dag"),
        ("cases:hours_grid", "Timer"),
        ("cases:import_citizens", "Import"),
        ("cases:caseload", "Borgere"),
    ],
)
def test_one_navigation_item_is_current(team: Team, url_name: str, label: str) -> None:
    """Issue 14, defect 6: /borgere/min-dag/ marked both "Min dag" and "Borgere"."""
    user = make_staff(Role.JOBFORMIDLER, team, username="jf_nav")
    make_staff(Role.TEAMLEDER, team, username="jf_nav")
    make_staff(Role.ADMINISTRATOR, team, username="jf_nav")
    html = client_for(user).get(reverse(url_name)).content.decode()
    nav = NAV.search(html)
    assert nav
    current = re.findall(r'aria-current="page">([^<]+)<', nav.group(0))
    assert current == [label]


def test_administrator_landing_links_to_the_import(administrator: User) -> None:
    html = client_for(administrator).get("/", follow=True).content.decode()
    assert "vises her" not in html
    assert f'href="{reverse("cases:import_citizens")}"' in html.split("<main")[-1]
