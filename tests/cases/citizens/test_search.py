"""The search from every page: citizens by name, companies by name or CVR, tasks by title,
each through its own visible_to; never a CPR number; one audit row for the citizens shown."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cases.citizens import search
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.placements import make_company, make_task


def test_finds_citizens_companies_and_tasks_the_user_may_see(
    team: Team, other_team: Team, jobformidler: User
) -> None:
    mine = CitizenFactory.create(team=team, first_name="Aisha", last_name="Kvistgaard")
    CitizenFactory.create(team=other_team, first_name="Bo", last_name="Kvistgaard")
    company = make_company(team.unit, "Kvistgaard Køkken ApS")
    task = make_task(company, "Opvask i køkkenet")
    results = search.search(jobformidler, "kvistgaard")
    assert results.citizens == [mine]  # the other team's citizen is not found
    assert results.companies == [company]
    assert results.tasks == [task]  # found by its company's name
    assert search.search(jobformidler, "opvask").tasks == [task]
    assert search.search(jobformidler, "k").empty  # fewer than two characters


def test_a_cpr_number_is_never_searched(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team, first_name="Aisha")
    for text in (citizen.cpr, citizen.cpr[:6], f"Aisha {citizen.cpr[:4]}"):
        results = search.search(jobformidler, text)
        assert results.citizens == [] and results.digits


def test_companies_by_cvr_and_more_than_a_page(team: Team, jobformidler: User) -> None:
    company = make_company(team.unit, "Lager A/S", cvr="12345678")
    assert search.search(jobformidler, "1234").companies == [company]
    for n in range(search.LIMIT + 1):
        CitizenFactory.create(team=team, first_name=f"Mette{n}", last_name="Holm")
    results = search.search(jobformidler, "holm")
    assert len(results.citizens) == search.LIMIT and results.more_citizens


def test_page_and_htmx_answer_with_an_audit_row(
    team: Team, other_jobformidler: User, jobformidler: User, django_assert_max_num_queries: Any
) -> None:
    citizen = CitizenFactory.create(team=team, first_name="Aisha", last_name="Kvistgaard")
    client = client_for(jobformidler)
    url = reverse("cases:search") + "?q=kvist"
    client.get(url)  # warm the session
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert "Aisha Kvistgaard" in page and citizen.get_absolute_url() in page
    assert citizen.masked_cpr in page and citizen.cpr not in page
    event = AuditEvent.objects.filter(action=AuditAction.VIEW).latest("pk")
    assert event.changes["viste"] == [citizen.pk] and event.changes["filtre"] == {"q": "kvist"}
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "Aisha Kvistgaard" in fragment
    assert "Aisha" not in client_for(other_jobformidler).get(url).content.decode()
    # The search field is on every page.
    assert 'action="/borgere/soeg/"' in client.get(reverse("cases:my_day")).content.decode()
