"""The searchable choice fields' search endpoints answer within the one access rule."""

from __future__ import annotations

from django.urls import reverse

from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.org import TeamFactory, make_staff
from tests.factories.placements import make_company


def test_company_search_by_name_or_cvr_within_my_jobcentre(team: Team, jobformidler: User) -> None:
    make_company(team.unit, "Kantinen ved Åen ApS", cvr="13585628")
    make_company(TeamFactory.create().unit, "Kantinen i Nabokommunen ApS")
    client = client_for(jobformidler)
    html = client.get(reverse("companies:company_choices"), {"q": "kantin"}).content.decode()
    assert 'role="option"' in html and "Kantinen ved Åen ApS" in html
    assert "Nabokommunen" not in html
    by_cvr = client.get(reverse("companies:company_choices"), {"q": "1358"}).content.decode()
    assert "Kantinen ved Åen ApS" in by_cvr


def test_citizen_search_never_by_cpr_and_mine_only(
    team: Team, other_team: Team, jobformidler: User
) -> None:
    mine = CitizenFactory.create(team=team, jobformidler=jobformidler, first_name="Aisha")
    CitizenFactory.create(team=team, first_name="Aase")
    CitizenFactory.create(team=other_team, first_name="Aksel")
    client = client_for(jobformidler)
    url = reverse("cases:citizen_choices")
    html = client.get(url, {"q": "a"}).content.decode()
    assert "Aisha" in html and "Aase" in html and "Aksel" not in html
    assert "Aase" not in client.get(url, {"q": "a", "mine": "1"}).content.decode()
    assert "Aisha" not in client.get(url, {"q": mine.cpr}).content.decode()


def test_staff_search_by_role(team: Team, jobformidler: User) -> None:
    make_staff(Role.MENTOR, team, username="mia", first_name="Mia", last_name="Mentor")
    html = (
        client_for(jobformidler)
        .get(reverse("staff_choices"), {"q": "mi", "rolle": "mentor"})
        .content.decode()
    )
    assert "Mia Mentor" in html
