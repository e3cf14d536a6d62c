"""The team lead dashboard: the teamleder's landing page; tiles equal ``compute`` and carry the
target's colour; the board's rows equal ``compute`` per jobformidler; a constant number of
queries whatever the data size; another team is a 404 and its numbers never appear."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.citizens import month_facts
from reporting import measures
from reporting.dashboards import teamlead
from reporting.dashboards.models import Direction, Target
from reporting.measures import Period, Population
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.factories.org import TeamFactory, make_staff
from tests.reporting.dashboards.team_data import citizen_mix

pytestmark = pytest.mark.django_db

DEC = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 2))


def tile_values(body: str) -> dict[str, str]:
    return dict(re.findall(r'data-drill="([a-z0-9_]+)"[^>]*>([^<]+)</a>', body))


def test_teamleder_lands_on_the_dashboard(team: Team, teamleder: User) -> None:
    client = client_for(teamleder)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/styring/"
    assert "Teamoverblik – Team A" in response.content.decode()


def test_tiles_are_the_measures_with_target_colours(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    citizen_mix(team, jobformidler, size=2)
    Target.objects.create(
        unit=team.unit,
        team=team,
        measure="contact_cadence",
        value=Decimal(90),
        tolerance=Decimal(10),
        valid_from=dt.date(2026, 1, 1),
    )
    Target.objects.create(  # the jobcentre's target applies to a team without its own
        unit=team.unit,
        measure="praktik_without_hours",
        value=Decimal(20),
        direction=Direction.LAVERE,
        tolerance=Decimal(5),
        valid_from=dt.date(2026, 1, 1),
    )
    body = client_for(teamleder).get("/styring/team/").content.decode()
    figures = measures.compute(
        Population(unit_id=team.unit_id, team_ids=(team.pk,)), DEC, teamlead.TILE_SLUGS
    )
    assert tile_values(body) == {slug: f.display for slug, f in figures.items()}
    # 2 of 12 seen within the cadence (17 %) against 90 % +- 10: red; praktik without hours
    # 2 of 12 (17 %) against at most 20 %: green.
    assert figures["contact_cadence"].display == "17 %"
    assert re.search(r'class="tile tile-red" aria-labelledby="tile-contact_cadence-h"', body)
    assert re.search(
        r'class="tile tile-green" aria-labelledby="tile-praktik_without_hours-h"', body
    )
    assert "Langt fra mål" in body and "Mål nået" in body
    assert "Forklaring og handlingsplan" in body


@pytest.mark.parametrize("facts", [False, True], ids=["live", "facts"])
def test_board_rows_equal_compute_per_jobformidler(
    team: Team, jobformidler: User, facts: bool
) -> None:
    second = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    citizen_mix(team, jobformidler)
    citizen_mix(team, second, size=3)
    population = Population(unit_id=team.unit_id, team_ids=(team.pk,))
    if facts:  # the live month to today from the facts (one grouped aggregate)
        month_facts.rebuild()
    assert measures.context(population, DEC).facts is facts
    rows, norm, team_figures = teamlead.board(
        population, DEC, [jobformidler, second], teamlead.PAGE_SLUGS
    )
    # The team's figures are the sums over the groups: equal to compute for the team.
    assert team_figures == measures.compute(population, DEC, teamlead.PAGE_SLUGS)
    assert norm == 40
    for row in rows:
        own = Population(unit_id=team.unit_id, team_ids=(team.pk,), jobformidler_id=row.staff.pk)
        for key, slug in teamlead.BOARD_COLUMNS:
            expected = measures.compute(own, DEC, [slug])[slug]
            assert row.figures[key] == expected, (row.staff, slug)
    assert [r.figures["caseload"].numerator for r in rows] == [6, 18]
    ordered = teamlead.sort_board(rows, "caseload", descending=True)
    assert ordered[0].staff == second


def test_board_flags_a_caseload_over_the_norm(team: Team, jobformidler: User) -> None:
    citizen_mix(team, jobformidler, size=7)  # 42 citizens against the norm of 40
    rows, _, _ = teamlead.board(
        Population(unit_id=team.unit_id, team_ids=(team.pk,)), DEC, [jobformidler]
    )
    assert rows[0].over_norm


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm the session (django-otp loads a device on the first request)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_constant_queries_whatever_the_data_size(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    second = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    client = client_for(teamleder)
    citizen_mix(team, jobformidler)
    small = queries_for(client, "/styring/team/"), queries_for(client, "/styring/team/tendens/")
    citizen_mix(team, jobformidler, size=4)
    citizen_mix(team, second, size=3)
    large = queries_for(client, "/styring/team/"), queries_for(client, "/styring/team/tendens/")
    assert small == large
    # Back from a list narrowed to one jobformidler: the whole team again.
    narrowed = client.get(f"/styring/team/?jobformidler={second.pk}").content.decode()
    assert tile_values(narrowed)["overdue_follow_ups"] == "8"  # 1 + 4 + 3 citizens' follow-ups
    assert large[0] <= 45, large  # 40 at the time of writing (docs/performance.md)


def test_another_team_is_a_404_and_its_numbers_never_appear(
    team: Team, other_team: Team, jobformidler: User, other_jobformidler: User, teamleder: User
) -> None:
    citizen_mix(other_team, other_jobformidler, size=2)
    client = client_for(teamleder)
    assert client.get(f"/styring/team/?team={other_team.pk}").status_code == 404
    assert client.get(f"/styring/team/tendens/?team={other_team.pk}").status_code == 404
    body = client.get("/styring/team/").content.decode()
    assert other_team.name not in body
    assert other_jobformidler.get_full_name() not in body
    assert set(tile_values(body).values()) <= {"0", "–"}


def test_team_selector_for_a_lead_of_several_teams(team: Team, teamleder: User) -> None:
    second = TeamFactory.create(unit=team.unit, name="Team C")
    make_staff(Role.TEAMLEDER, second, username="tl_c")
    teamleder.memberships.create(team=second, role=Role.TEAMLEDER)
    client = client_for(teamleder)
    body = client.get("/styring/team/").content.decode()
    assert 'id="dash-team"' in body and "Team C" in body
    assert (
        "Teamoverblik – Team C" in client.get(f"/styring/team/?team={second.pk}").content.decode()
    )


def test_thirteen_months_end_with_the_live_month() -> None:
    periods = teamlead.months_ending(dt.date(2026, 12, 2))
    assert len(periods) == 13
    assert periods[0] == Period(dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert periods[-2] == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert periods[-1] == Period(dt.date(2026, 12, 1), dt.date(2026, 12, 2))  # up to today


def test_period_parameter_round_trip() -> None:
    from django.http import Http404

    from reporting.dashboards.queries import parse_period, period_param

    today = dt.date(2026, 12, 2)
    assert parse_period("", today) == DEC
    assert parse_period("2026-12", today) == DEC  # this month runs to today
    november = parse_period("2026-11", today)
    assert november == Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert period_param(november) == "2026-11" and period_param(DEC) == "2026-12"
    window = parse_period("2026-09-01:2026-11-30", today)
    assert period_param(window) == "2026-09-01:2026-11-30"
    with pytest.raises(Http404):
        parse_period("2026-13", today)
    with pytest.raises(Http404):
        parse_period("i går", today)


def test_sorting_the_board_with_htmx_returns_only_the_board(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    second = make_staff(Role.JOBFORMIDLER, team, username="jf2", first_name="Åse")
    citizen_mix(team, jobformidler)
    citizen_mix(team, second, size=2)
    client = client_for(teamleder)
    response = client.get(
        f"/styring/team/?team={team.pk}&sorter=caseload&retning=ned",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="tavle",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="tavle"')
    assert "tile" not in body  # no tiles computed or shown
    assert body.index("Åse") < body.index(jobformidler.get_full_name())  # 12 before 6
    assert 'aria-sort="descending"' in body


def test_board_rows_link_each_figure_to_its_list_and_escape_the_names(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    """The board's rows are built in Python (views._board_rows_html): each cell links to the
    list behind it narrowed to the row's jobformidler, shows the figure, flags a caseload over
    the norm, and a name is text, never markup."""
    odd = make_staff(Role.JOBFORMIDLER, team, username="jf2", first_name="<b>Bo", last_name="& Co")
    citizen_mix(team, jobformidler, size=7)  # 42 citizens against the norm of 40
    citizen_mix(team, odd)
    body = client_for(teamleder).get(f"/styring/team/?team={team.pk}").content.decode()
    assert "&lt;b&gt;Bo &amp; Co" in body and "<b>Bo" not in body
    population = Population(unit_id=team.unit_id, team_ids=(team.pk,))
    rows, _, _ = teamlead.board(population, DEC, [jobformidler, odd])
    for row in rows:
        for key, slug in teamlead.BOARD_COLUMNS:
            link = f"/styring/tal/{slug}/?team={team.pk}&amp;jobformidler={row.staff.pk}"
            cell = re.search(rf'<a href="{re.escape(link)}&amp;periode=[^"]+">([^<]+)</a>', body)
            assert cell is not None, (row.staff, key)
            assert cell.group(1) == row.figures[key].display, (row.staff, key)
    flagged = re.findall(r'<td class="num over-norm">.*?</td>', body)
    assert len(flagged) == 1 and "over norm" in flagged[0]
