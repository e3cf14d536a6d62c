"""The admin citizen search never puts a CPR number in a URL (issue 15, finding 7): the search
box posts; a name goes on to the changelist's ?q= search, a CPR number is looked up exactly
(audit-logged) and a CPR number arriving in a URL is not searched and is dropped."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cases.citizens.models import Citizen
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory

CPR = "2110625629"
CHANGELIST = "admin:cases_citizen_changelist"
SEARCH = "admin:cases_citizen_search"


@pytest.fixture
def citizen(team: Team) -> Citizen:
    return CitizenFactory.create(team=team, cpr=CPR, first_name="Anna", last_name="Hansen")


@pytest.fixture
def admin_client(administrator: User) -> Client:
    return client_for(administrator)


def urls_of(response: Any) -> list[str]:
    return [url for url, _status in response.redirect_chain] + [response.request["PATH_INFO"]]


def no_cpr_in(urls: list[str]) -> None:
    for url in urls:
        assert CPR not in url.replace("-", "") and "211062" not in url


def test_the_search_form_posts(admin_client: Client, citizen: Citizen) -> None:
    html = admin_client.get(reverse(CHANGELIST)).content.decode()
    assert f'id="changelist-search" method="post" action="{reverse(SEARCH)}"' in html
    assert 'method="get" role="search"' not in html
    assert "csrfmiddlewaretoken" in html
    assert "Søg på navn, eller skriv et helt CPR-nummer" in html


@pytest.mark.parametrize("typed", [CPR, "211062-5629", " 211062 5629 "])
def test_a_cpr_is_looked_up_by_post_and_never_in_a_url(
    admin_client: Client, citizen: Citizen, administrator: User, typed: str
) -> None:
    response = admin_client.post(reverse(SEARCH), {"q": typed}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "admin:cases_citizen_change", args=[citizen.pk]
    )
    no_cpr_in(urls_of(response))
    lookup = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert lookup.citizen_id == citizen.pk and lookup.user == administrator
    assert CPR not in str(lookup.changes) + lookup.object_repr


def test_an_unknown_cpr_says_so_in_danish(admin_client: Client, citizen: Citizen) -> None:
    response = admin_client.post(reverse(SEARCH), {"q": "0101011234"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    no_cpr_in(urls_of(response))
    assert "0101011234" not in "".join(urls_of(response))
    assert "Ingen borger med dette CPR-nummer" in response.content.decode()


def test_a_cpr_in_the_url_is_not_searched_and_is_dropped(
    admin_client: Client, citizen: Citizen
) -> None:
    response = admin_client.get(reverse(CHANGELIST), {"q": CPR, "status": "aktiv"})
    assert response.status_code == 302
    assert CPR not in response["Location"] and "status=aktiv" in response["Location"]
    page = admin_client.get(response["Location"])
    assert "CPR-numre kan ikke søges i adresselinjen" in page.content.decode()
    assert "Find borger på CPR-nummer" in page.content.decode()


def test_name_search_still_works(admin_client: Client, citizen: Citizen, team: Team) -> None:
    CitizenFactory.create(team=team, first_name="Bo", last_name="Jensen")
    response = admin_client.post(reverse(SEARCH), {"q": "Hansen"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST) + "?q=Hansen"
    assert list(response.context["cl"].result_list) == [citizen]
    direct = admin_client.get(reverse(CHANGELIST), {"q": "anna"})
    assert list(direct.context["cl"].result_list) == [citizen]
