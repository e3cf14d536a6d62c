"""The placements panel on the company page: whole-company counts for everyone in the
jobcentre, rows and hours only for the citizens the user may see; constant queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.companies import CompanyFactory
from tests.factories.org import TeamFactory, UnitFactory, make_staff
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12), tick=False):
        yield


def _panel(user: User, company: Company) -> str:
    response = client_for(user).get(
        reverse("cases:company_placements", args=[company.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return response.content.decode()


def _placement(team: Team, company: Company, name: str, **kwargs: Any) -> Any:
    citizen = CitizenFactory.create(team=team, first_name=name, last_name="Hemmelig")
    return PlacementFactory.create(citizen=citizen, company=company, **kwargs)


def test_counts_for_the_company_rows_only_for_visible_citizens(
    team: Team, other_team: Team, jobformidler: User, other_jobformidler: User, leder: User
) -> None:
    company = CompanyFactory.create(unit=team.unit)
    mine = _placement(team, company, "Synlig")
    WeeklyHoursFactory.create(placement=mine, week_start=dt.date(2026, 2, 23), hours=Decimal(6))
    foreign = [_placement(other_team, company, f"Fremmed{n}") for n in range(3)]
    foreign[0].ends_on = dt.date(2026, 2, 1)  # ended: counted, not active
    foreign[0].save()
    for placement in foreign:
        WeeklyHoursFactory.create(
            placement=placement, week_start=dt.date(2026, 1, 12), hours=Decimal(30)
        )

    body = _panel(jobformidler, company)
    assert "Virksomheden har 4 virksomhedsforløb i jobcentret (aktive i dag: 3)." in body
    assert "Du kan se 1 af dem (aktive i dag: 1). De øvrige 3 hører til borgere i teams" in body
    assert "Synlig Hemmelig" in body
    assert "Fremmed" not in body
    # Hours only from the placements the user may see (6, not 96).
    assert "Ordinære timer i de forløb, du kan se: 6 i alt." in body
    for placement in foreign:
        assert reverse("cases:placement_detail", args=[placement.pk]) not in body

    # Someone who sees none of the citizens gets the counts and an honest sentence, no rows.
    outsider_team = TeamFactory.create(unit=team.unit, name="Team C")
    outsider = make_staff(Role.VIRKSOMHEDSKONSULENT, outsider_team, username="vk_c")
    body = _panel(outsider, company)
    assert "Virksomheden har 4 virksomhedsforløb i jobcentret (aktive i dag: 3)." in body
    assert "Alle 4 forløb hører til borgere i teams, du ikke har adgang til" in body
    assert "Hemmelig" not in body and "<table" not in body
    assert "Ordinære timer" not in body

    # A manager sees the whole jobcentre: every row, no "hidden" sentence.
    body = _panel(leder, company)
    assert body.count("Hemmelig") == 4 and 'id="placements-hidden"' not in body


def test_empty_company_and_other_jobcentre(team: Team, jobformidler: User) -> None:
    company = CompanyFactory.create(unit=team.unit)
    assert "Ingen virksomhedsforløb hos virksomheden endnu." in _panel(jobformidler, company)
    foreign = CompanyFactory.create(unit=UnitFactory.create(name="Andet jobcenter"))
    response = client_for(jobformidler).get(reverse("cases:company_placements", args=[foreign.pk]))
    assert response.status_code == 404


def test_constant_queries(team: Team, other_team: Team, jobformidler: User) -> None:
    company = CompanyFactory.create(unit=team.unit)
    _placement(team, company, "En")
    client = client_for(jobformidler)
    url = reverse("cases:company_placements", args=[company.pk])
    client.get(url)  # warm caches (session, content types)

    def queries(func: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as ctx:
            func()
        return len(ctx.captured_queries)

    small = queries(lambda: client.get(url))
    for n in range(12):
        placement = _placement(team if n % 2 else other_team, company, f"Flere{n}")
        WeeklyHoursFactory.create(placement=placement, week_start=dt.date(2026, 2, 23))
    assert queries(lambda: client.get(url)) == small
