"""The list behind a figure: its count is the figure (``compute``) for every measure, for a
team, a jobformidler and the rest of a share; another team's list is a 404."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.citizens.models import Citizen
from reporting import measures
from reporting.dashboards import drilldown
from reporting.measures import Period, Population
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff
from tests.reporting.dashboards.team_data import citizen_mix

pytestmark = pytest.mark.django_db

DEC = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 2))


def all_rows(population: Population, period: Period, slug: str, rest: bool = False) -> int:
    listing = drilldown.build(population, period, slug, rest=rest, page=1)
    counted = len(listing.rows)
    for page in range(2, listing.pages + 1):
        counted += len(drilldown.build(population, period, slug, rest=rest, page=page).rows)
    assert counted == listing.count
    return listing.count


def test_every_measure_list_has_as_many_rows_as_its_figure(team: Team, jobformidler: User) -> None:
    citizen_mix(team, jobformidler)
    population = Population(unit_id=team.unit_id, team_ids=(team.pk,))
    figures = measures.compute(population, DEC)
    for slug, figure in figures.items():
        measure = measures.BY_SLUG[slug]
        count = all_rows(population, DEC, slug)
        if measure.summed is None:
            assert count == figure.numerator, slug
        if measure.kind == measures.Kind.SHARE and figure.denominator is not None:
            rest = all_rows(population, DEC, slug, rest=True)
            assert count + rest == figure.denominator, slug


def test_the_lists_say_why_a_row_is_there(team: Team, jobformidler: User) -> None:
    citizen_mix(team, jobformidler)
    population = Population(unit_id=team.unit_id, team_ids=(team.pk,))
    unconfirmed = drilldown.build(population, DEC, "alert_unconfirmed_start")
    assert unconfirmed.count == 1
    (row,) = unconfirmed.rows
    assert row.citizen is not None and row.citizen.jobformidler == jobformidler
    assert "Virksomhedspraktik hos" in row.fact and "start ikke bekræftet" in row.fact
    assert row.link.startswith("/borgere/forloeb/")
    unseen = drilldown.build(population, DEC, "contact_cadence", rest=True)
    assert [r.days_since_contact for r in unseen.rows if r.days_since_contact == 90]
    assert {r.step_label for r in unseen.rows} >= {"Trin 1 – Afklaring"}
    assert {r.fact for r in unseen.rows} == {"Ikke med: samtale inden for kadencen"}
    seen = drilldown.build(population, DEC, "contact_cadence")
    assert {r.fact for r in seen.rows} == {"Samtale inden for kadencen"}


def page_count(client: Client, slug: str, **params: object) -> int:
    response = client.get(f"/styring/tal/{slug}/?{urlencode(params)}")
    assert response.status_code == 200, response.status_code
    match = re.search(r'data-count="(\d+)"', response.content.decode())
    assert match is not None
    return int(match.group(1))


def test_page_count_equals_figure_for_team_and_jobformidler(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    other_jf = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    citizen_mix(team, jobformidler)
    citizen_mix(team, other_jf, size=2)
    client = client_for(teamleder)
    for slug in ["contact_cadence", "ordinary_hours", "overdue_follow_ups", "caseload"]:
        team_figure = measures.compute(
            Population(unit_id=team.unit_id, team_ids=(team.pk,)), DEC, [slug]
        )[slug]
        assert page_count(client, slug, team=team.pk, periode="2026-12") == team_figure.numerator
        jf_figure = measures.compute(
            Population(unit_id=team.unit_id, team_ids=(team.pk,), jobformidler_id=other_jf.pk),
            DEC,
            [slug],
        )[slug]
        shown = page_count(client, slug, team=team.pk, jobformidler=other_jf.pk, periode="2026-12")
        assert shown == jf_figure.numerator
    assert page_count(client, "caseload", team=team.pk) == 18  # 6 + 12 citizens


def test_another_team_is_a_404_and_never_in_a_total(
    team: Team, other_team: Team, jobformidler: User, other_jobformidler: User, teamleder: User
) -> None:
    citizen_mix(team, jobformidler)
    citizen_mix(other_team, other_jobformidler, size=3)
    client = client_for(teamleder)
    assert client.get(f"/styring/tal/caseload/?team={other_team.pk}").status_code == 404
    assert (
        client.get(f"/styring/tal/caseload/?jobformidler={other_jobformidler.pk}").status_code
        == 404
    )
    assert client.get("/styring/tal/no-such-measure/").status_code == 404
    # Without a team a team lead gets their own teams, not the jobcentre.
    assert page_count(client, "caseload") == 6
    body = client.get("/styring/tal/caseload/").content.decode()
    assert other_jobformidler.get_full_name() not in body


def test_jobformidler_has_no_dashboard(team: Team, jobformidler: User) -> None:
    assert client_for(jobformidler).get("/styring/tal/caseload/").status_code == 403


def test_a_list_costs_the_same_queries_whatever_its_length(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    client = client_for(teamleder)
    urls = [
        "/styring/tal/contact_cadence/?vis=resten",
        "/styring/tal/alert_unconfirmed_start/",
        "/styring/tal/overdue_follow_ups/",
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            client.get(url)  # warm the session
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    citizen_mix(team, jobformidler)
    small = counts()
    citizen_mix(team, jobformidler, size=5)
    assert counts() == small


def test_tile_list_and_manage_py_measures_agree(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    """The three ways to ask for a figure: the dashboard's tile, the list behind it, and
    ``manage.py measures`` (the JSON a BI tool reads)."""
    citizen_mix(team, jobformidler, size=2)
    out = io.StringIO()
    call_command(
        "measures",
        "--period",
        "2026-12-01:2026-12-02",
        "--team",
        team.name,
        "--measure",
        "contact_cadence",
        "--measure",
        "overdue_follow_ups",
        stdout=out,
    )
    (team_row,) = [p for p in json.loads(out.getvalue())["populations"] if p["team_id"] == team.pk]
    client = client_for(teamleder)
    body = client.get(f"/styring/team/?team={team.pk}").content.decode()
    for slug in ["contact_cadence", "overdue_follow_ups"]:
        reported = team_row["measures"][slug]
        assert f'data-drill="{slug}"' in body
        assert re.search(rf'data-drill="{slug}"[^>]*>{re.escape(reported["display"])}</a>', body)
        assert page_count(client, slug, team=team.pk) == reported["numerator"]


def test_the_list_keeps_its_h1_when_htmx_swaps_it_on_its_own_page(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    """On the dashboard the list is shown in place under the page's h1 (an h2); on the list's
    own page an htmx swap (the rest, another page of rows) keeps it the page's h1 (axe:
    page-has-heading-one after the swap)."""
    citizen_mix(team, jobformidler)
    client = client_for(teamleder)
    url = "/styring/tal/contact_cadence/?vis=resten"
    heading = re.compile(r'<h(\d) id="drilldown-heading"')

    def level(**headers: str) -> str:
        match = heading.search(client.get(url, headers=headers).content.decode())
        assert match, "no drill-down heading"
        return match.group(1)

    assert level() == "1"
    assert level(**{"HX-Request": "true", "HX-Current-URL": "http://testserver/styring/"}) == "2"
    on_its_page = "http://testserver/styring/tal/contact_cadence/?team=1"
    assert level(**{"HX-Request": "true", "HX-Current-URL": on_its_page}) == "1"
    assert level(**{"HX-Request": "true"}) == "2"


def test_the_rows_link_each_citizen_and_escape_their_text(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    """The list's rows are built in Python (views._drill_rows_html): the citizen's link and
    name (text, never markup), the jobformidler, a box to pick them for a case review, and
    "aldrig" for a citizen never talked with."""
    (seen, *_rest) = citizen_mix(team, jobformidler)
    Citizen.objects.filter(pk=seen.pk).update(first_name="<i>Ib", last_name="& Co")
    never = CitizenFactory.create(
        team=team,
        opened_on=dt.date(2026, 1, 1),
        assigned_to=jobformidler,
        assigned_to__on=dt.date(2026, 1, 1),
    )
    body = client_for(teamleder).get(f"/styring/tal/caseload/?team={team.pk}").content.decode()
    assert "&lt;i&gt;Ib &amp; Co" in body and "<i>Ib" not in body
    row = re.search(
        rf'<tr>\s*<td><input type="checkbox" name="borger" value="{never.pk}".*?</tr>', body, re.S
    )
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert f'href="/borgere/{never.pk}/"' in cells[1]
    assert cells[2] == jobformidler.get_full_name()
    assert cells[4] == "aldrig"
