"""The manager dashboard's domain (reporting/dashboards/manager.py) and page: quartiles across
teams, thirds, every figure equal to ``compute`` and its drill-down, access, query counts.

The clock is frozen at Wednesday 2 December 2026; the dashboard's default period is December
2026 to date, the tests ask for November 2026 (``?periode=2026-11``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.citizens.models import VisitationGroup, VisitationPeriod
from reporting import measures
from reporting.dashboards import manager, queries
from reporting.dashboards.models import Direction, Target
from reporting.measures import Period, Population
from substitution.models import Role, Team, Unit, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.org import TeamFactory, make_staff
from tests.factories.placements import PlacementFactory

pytestmark = pytest.mark.django_db

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
D = Decimal


def cv_team(unit: Unit, name: str, with_cv: int, total: int) -> Team:
    team = TeamFactory.create(unit=unit, name=name)
    for n in range(total):
        CitizenFactory.create(team=team, opened_on=dt.date(2026, 1, 1), cv_present=n < with_cv)
    return team


@pytest.fixture
def five_teams(unit: Unit) -> list[Team]:
    """CV shares 4/7 = 57 %, 8/11 = 73 %, 7/9 = 78 %, 21/25 = 84 %, 3/3 = 100 %."""
    return [
        cv_team(unit, "Team 1", 4, 7),
        cv_team(unit, "Team 2", 8, 11),
        cv_team(unit, "Team 3", 7, 9),
        cv_team(unit, "Team 4", 21, 25),
        cv_team(unit, "Team 5", 3, 3),
    ]


# --- statistics -----------------------------------------------------------------------------


def test_quartiles_of_five_values_are_the_values_themselves() -> None:
    values = [D(84), D(57), D(100), D(73), D(78)]
    spread = manager.Spread.of(values)
    assert (spread.minimum, spread.q1, spread.median, spread.q3, spread.maximum) == (
        57, 73, 78, 84, 100
    )  # fmt: skip


def test_quartiles_interpolate_between_values_as_excel_quartile_inc() -> None:
    # QUARTILE.INC({1,2,3,4}; 1) = 1,75; the median 2,5; Q3 3,25.
    spread = manager.Spread.of([D(1), D(2), D(3), D(4)])
    assert (spread.q1, spread.median, spread.q3) == (D("1.75"), D("2.5"), D("3.25"))
    assert manager.Spread.of([]).median is None
    assert manager.Spread.of([D(7)]).q1 == 7


def test_five_teams_at_57_73_78_84_100_print_exactly_those(
    unit: Unit, five_teams: list[Team]
) -> None:
    board = manager.board(Population(unit_id=unit.pk), five_teams, NOV, ["cv"])
    row = board.rows[0]
    assert [c.figure.display for c in row.cells] == ["57 %", "73 %", "78 %", "84 %", "100 %"]
    spread = [row.spread.minimum, row.spread.q1, row.spread.median, row.spread.q3,
              row.spread.maximum]  # fmt: skip
    assert [manager.display_value("cv", v) for v in spread] == [
        "57 %", "73 %", "78 %", "84 %", "100 %"
    ]  # fmt: skip
    assert (row.q1_display, row.median_display, row.q3_display) == ("73 %", "78 %", "84 %")
    # The total is pooled over citizens (43 of 55), not a mean of the five shares (78.4 %).
    assert (row.total.figure.numerator, row.total.figure.denominator) == (43, 55)
    assert row.total.figure.display == "78 %"


def test_thirds_rank_best_first_and_ties_share_a_third() -> None:
    values: dict[int, Decimal | None] = {
        1: D("0.57"),
        2: D("0.73"),
        3: D("0.78"),
        4: D("0.84"),
        5: D(1),
        6: None,
    }
    assert manager.thirds(values, higher_is_better=True) == {5: 0, 4: 0, 3: 1, 2: 1, 1: 2}
    assert manager.thirds(values, higher_is_better=False) == {1: 0, 2: 0, 3: 1, 4: 1, 5: 2}
    tied: dict[int, Decimal | None] = {1: D(5), 2: D(5), 3: D(1)}
    assert manager.thirds(tied, higher_is_better=True) == {1: 0, 2: 0, 3: 2}


def test_thirds_on_the_board(unit: Unit, five_teams: list[Team]) -> None:
    row = manager.board(Population(unit_id=unit.pk), five_teams, NOV, ["cv"]).rows[0]
    assert [c.third for c in row.cells] == [2, 1, 1, 0, 0]
    assert row.cells[0].third_label == "dårligste tredjedel"


def test_cells_are_coloured_by_target(unit: Unit, five_teams: list[Team]) -> None:
    Target.objects.create(
        unit=unit, team=None, measure="cv", value=D(75), direction=Direction.HOEJERE,
        tolerance=D(5), valid_from=dt.date(2026, 1, 1),
    )  # fmt: skip
    Target.objects.create(
        unit=unit, team=five_teams[0], measure="cv", value=D(50), direction=Direction.HOEJERE,
        tolerance=D(0), valid_from=dt.date(2026, 1, 1),
    )  # fmt: skip
    targets = queries.targets_for(unit.pk)
    row = manager.board(Population(unit_id=unit.pk), five_teams, NOV, ["cv"], targets=targets).rows[
        0
    ]
    # Team 1 has its own target of 50 %: 57 % meets it. Team 2's 72.7 % is within 5 points of
    # the jobcentre's 75 %: amber. Team 3's 78 % meets 75 %.
    assert [c.target_status for c in row.cells[:3]] == ["green", "amber", "green"]
    assert row.total.target_status == "green"
    assert "mål 75 %" in row.cells[1].target_label


# --- every figure equals compute and its drill-down -----------------------------------------


@pytest.fixture
def mixed(unit: Unit) -> list[Team]:
    teams = [TeamFactory.create(unit=unit, name=f"Team {c}") for c in ("Nord", "Syd", "Vest")]
    group1 = VisitationGroup.objects.get(code="gruppe-1")
    for i, team in enumerate(teams):
        for n in range(3 + i):
            c = CitizenFactory.create(
                team=team, opened_on=dt.date(2026, 1, 1), cv_present=n % 2 == 0
            )
            if n % 2:
                VisitationPeriod.objects.create(
                    citizen=c, group=group1, starts_on=dt.date(2026, 2, 1)
                )
            if n < 2:
                PlacementFactory.create(
                    citizen=c, type_code="virksomhedspraktik", starts_on=dt.date(2026, 11, 3 + n)
                )
    return teams


def test_every_manager_figure_equals_compute_and_its_drill_down(
    unit: Unit, mixed: list[Team]
) -> None:
    base = Population(unit_id=unit.pk)
    board = manager.board(base, mixed, NOV)
    assert [r.slug for r in board.rows] == list(manager.MANAGER_MEASURES)
    for row in board.rows:
        measure = measures.BY_SLUG[row.slug]
        for cell in row.cells:
            population = base.with_teams([cell.team_id])  # type: ignore[list-item]
            assert cell.figure == measures.compute(population, NOV, [row.slug])[row.slug]
            if measure.kind != measures.Kind.MEDIAN and measure.summed is None:
                count = measures.drill_down(population, NOV, row.slug).count()
                assert count == cell.figure.numerator, (row.slug, cell.team_id)
        total = measures.compute(base, NOV, [row.slug])[row.slug]
        assert row.total.figure.numerator == total.numerator, row.slug
        assert row.total.figure.display == total.display, row.slug


# --- the page -------------------------------------------------------------------------------


def _cells(html: str) -> dict[tuple[str, str], str]:
    """(measure slug, team id or 'total') -> the figure's text, read from the page."""
    found = {}
    for row in re.finditer(r'<tr data-measure="([a-z0-9_]+)">(.*?)</tr>', html, re.S):
        for cell in re.finditer(
            r'data-team="([^"]+)">\s*<a href="([^"]+)" data-figure>(?:<strong>)?([^<]+)',
            row.group(2),
        ):
            found[(row.group(1), cell.group(1))] = unescape(cell.group(3)).strip()
    return found


def test_the_page_shows_every_team_and_the_total_linked_to_the_drill_down(
    unit: Unit, mixed: list[Team], leder: User
) -> None:
    response = client_for(leder).get(reverse("reporting:manager"), {"periode": "2026-11"})
    assert response.status_code == 200
    html = response.content.decode()
    cells = _cells(html)
    every = [t.pk for t in Team.objects.filter(unit=unit)]
    figures, total = measures.teams_and_total(
        Population(unit_id=unit.pk), every, NOV, list(manager.MANAGER_MEASURES)
    )
    for slug in manager.MANAGER_MEASURES:
        for team in mixed:
            assert cells[(slug, str(team.pk))] == figures[team.pk][slug].display
        assert cells[(slug, "total")] == total[slug].display
    assert f"/styring/tal/cv/?periode=2026-11&amp;team={mixed[0].pk}" in html
    assert "Jobcentret i alt" in html


def test_every_figure_links_to_a_list_of_as_many_rows(
    unit: Unit, mixed: list[Team], leder: User
) -> None:
    """Follow each count-like figure's link: the drill-down lists exactly the figure's
    numerator (for a median or a summed measure the list is of the citizens behind it)."""
    client = client_for(leder)
    html = client.get(reverse("reporting:manager"), {"periode": "2026-11"}).content.decode()
    links = re.findall(
        r'<tr data-measure="([a-z0-9_]+)">.*?data-team="([^"]+)">\s*<a href="([^"]+)"', html, re.S
    )
    assert links
    for row in re.finditer(r'<tr data-measure="([a-z0-9_]+)">(.*?)</tr>', html, re.S):
        slug = row.group(1)
        measure = measures.BY_SLUG[slug]
        if measure.kind == measures.Kind.MEDIAN or measure.summed is not None:
            continue
        for team_key, href in re.findall(r'data-team="([^"]+)">\s*<a href="([^"]+)"', row.group(2)):
            page = client.get(unescape(href))
            assert page.status_code == 200, href
            count = re.search(r'data-count="(\d+)"', page.content.decode())
            assert count, href
            population = Population(unit_id=unit.pk)
            if team_key != "total":
                population = population.with_teams([int(team_key)])
            figure = measures.compute(population, NOV, [slug])[slug]
            assert int(count.group(1)) == figure.numerator, (slug, team_key)


def test_a_leder_lands_on_the_manager_dashboard(leder: User) -> None:
    response = client_for(leder).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:manager")


def test_filter_by_visitation_group_changes_the_figures(
    unit: Unit, mixed: list[Team], leder: User
) -> None:
    html = (
        client_for(leder)
        .get(reverse("reporting:manager"), {"periode": "2026-11", "gruppe": "gruppe-1"})
        .content.decode()
    )
    cells = _cells(html)
    base = Population(unit_id=unit.pk, visitation_group="gruppe-1")
    expected = measures.compute(base.with_teams([mixed[2].pk]), NOV, ["cv"])["cv"]
    assert expected.denominator == 2  # of Team Vest's five citizens, two are in group 1
    assert cells[("cv", str(mixed[2].pk))] == expected.display
    assert "gruppe=gruppe-1" in html


def test_a_team_lead_sees_only_their_teams_and_a_total_over_them(
    unit: Unit, mixed: list[Team]
) -> None:
    lead = make_staff(Role.TEAMLEDER, mixed[0], username="tl_a")
    html = (
        client_for(lead).get(reverse("reporting:manager"), {"periode": "2026-11"}).content.decode()
    )
    cells = _cells(html)
    assert {team for _slug, team in cells} == {str(mixed[0].pk), "total"}
    assert mixed[1].name not in html and mixed[2].name not in html
    own = measures.compute(Population(unit_id=unit.pk, team_ids=(mixed[0].pk,)), NOV, ["cv"])
    # The total is the team's own figure: no other team's citizens in it.
    assert cells[("cv", "total")] == own["cv"].display
    assert "Dine teams i alt" in html


def test_a_jobformidler_may_not_open_the_manager_dashboard(jf_client: Client) -> None:
    assert jf_client.get(reverse("reporting:manager")).status_code == 403


def test_the_page_runs_a_constant_number_of_queries(unit: Unit, leder: User) -> None:
    teams = [TeamFactory.create(unit=unit, name=f"Team {c}") for c in ("Nord", "Syd")]
    client = client_for(leder)
    url = reverse("reporting:manager")
    client.get(url)  # warm the session (django-otp loads a device on the first request)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"periode": "2026-11"}).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for team in teams:
        for n in range(15):
            c = CitizenFactory.create(
                team=team, opened_on=dt.date(2026, 1, 1), cv_present=n % 2 == 0
            )
            if n % 3 == 0:
                PlacementFactory.create(
                    citizen=c, type_code="virksomhedspraktik", starts_on=dt.date(2026, 10, 5)
                )
    assert count() == small


def test_on_the_facts_the_page_runs_the_same_queries_whatever_the_number_of_teams(
    unit: Unit, leder: User, jobformidler: User
) -> None:
    """The default period (December so far, from the facts) and a whole month: every team's
    figures come from grouped queries (caseload per jobformidler from the facts' jobformidler,
    the overdue follow-ups one grouped count), so a jobcentre of 5 teams costs what 2 cost."""
    from cases.citizens import facts, month_facts
    from substitution.models import FollowUp

    client = client_for(leder)
    url = reverse("reporting:manager")

    def add_team(name: str) -> None:
        team = TeamFactory.create(unit=unit, name=name)
        staff = make_staff(Role.JOBFORMIDLER, team, username=f"jf_{name}")
        for n in range(3):
            c = CitizenFactory.create(
                team=team, opened_on=dt.date(2026, 1, 1), assigned_to=staff,
                assigned_to__on=dt.date(2026, 1, 1),
            )  # fmt: skip
            if n:
                FollowUp.objects.create(
                    subject=c, owner=staff, title="Opfølgning", due_on=dt.date(2026, 10, 1)
                )
                facts.refresh([c.pk])  # as the services do (the next follow-up the facts read)

    def count(params: dict[str, str]) -> tuple[int, str]:
        client.get(url, params)  # warm the session and the code lists
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    for name in ("Nord", "Syd"):
        add_team(name)
    month_facts.rebuild()
    small = [count({}), count({"periode": "2026-11"})]
    for name in ("Øst", "Vest", "Midt"):
        add_team(name)
    month_facts.rebuild()
    large = [count({}), count({"periode": "2026-11"})]
    assert [n for n, _ in small] == [n for n, _ in large]
    per_team, total = measures.teams_and_total(
        Population(unit_id=unit.pk),
        list(Team.objects.filter(unit=unit).values_list("pk", flat=True)),
        NOV,
        ["caseload_per_jobformidler", "overdue_follow_ups"],
    )
    assert total["overdue_follow_ups"].numerator == 10  # 2 of 3 citizens in each of 5 teams
    assert total["caseload_per_jobformidler"].display == "3,0"
    assert all(f["overdue_follow_ups"].numerator in (0, 2) for f in per_team.values())


def test_the_total_caseload_per_jobformidler_counts_a_jobformidler_of_two_teams_once(
    unit: Unit, leder: User
) -> None:
    """On the facts the teams' aggregate also gives the jobcentre's caseload per jobformidler
    (no query of its own): its staff are the distinct jobformidlere over all the teams, so one
    assigned citizens in two teams counts once there (the teams' denominators add up to 3,
    the jobcentre's is 2), as ``compute`` over the jobcentre counts them."""
    from cases.citizens import month_facts

    north, south = (TeamFactory.create(unit=unit, name=n) for n in ("Nord", "Syd"))
    shared = make_staff(Role.JOBFORMIDLER, north, username="jf_both")
    own = make_staff(Role.JOBFORMIDLER, south, username="jf_south")
    for team, staff, count in ((north, shared, 3), (south, shared, 2), (south, own, 1)):
        for _ in range(count):
            CitizenFactory.create(
                team=team, opened_on=dt.date(2026, 1, 1), assigned_to=staff,
                assigned_to__on=dt.date(2026, 1, 1),
            )  # fmt: skip
    month_facts.rebuild()
    base = Population(unit_id=unit.pk)
    slug = "caseload_per_jobformidler"
    assert measures.facts_cover(NOV)
    with CaptureQueriesContext(connection) as ctx:
        per_team, total = measures.teams_and_total(base, [north.pk, south.pk], NOV, [slug])
    over_citizens = [q["sql"] for q in ctx.captured_queries if '"cases_citizen"' in q["sql"]]
    assert len(over_citizens) == 1, over_citizens  # the teams' aggregate, no total of its own
    assert [per_team[t.pk][slug].denominator for t in (north, south)] == [1, 2]
    assert (total[slug].numerator, total[slug].denominator) == (6, 2)
    assert total[slug] == measures.compute(base, NOV, [slug])[slug]
    assert total[slug].display == "3,0"


def test_the_trend_shows_13_months_per_team_and_in_total(
    unit: Unit, mixed: list[Team], leder: User
) -> None:
    client = client_for(leder)
    page = client.get(reverse("reporting:manager"), {"periode": "2026-11"}).content.decode()
    # The dashboard loads the trend after the table, with the same filters.
    assert 'hx-get="/styring/leder/udvikling/?periode=2026-11' in page
    url = reverse("reporting:manager_trend")
    params = {"periode": "2026-11", "udvikling": "placements_started"}
    partial = client.get(url, params, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert partial.count('class="line-chart"') == 1
    assert "december 2025" in partial and "november 2026" in partial
    trend = manager.trend(Population(unit_id=unit.pk), mixed, NOV.last, "placements_started")
    assert len(trend.months) == 13 and trend.months[0].first == dt.date(2025, 11, 1)
    assert [f.display for f in trend.total][-1] == measures.compute(
        Population(unit_id=unit.pk), NOV, ["placements_started"]
    )["placements_started"].display
    full = client.get(url, params).content.decode()
    assert "<h1>Udvikling over 13 måneder</h1>" in full


def test_the_trend_runs_a_constant_number_of_queries_and_only_visible_teams(
    unit: Unit, mixed: list[Team]
) -> None:
    lead = make_staff(Role.TEAMLEDER, mixed[0], username="tl_t")
    client = client_for(lead)
    url = reverse("reporting:manager_trend")
    client.get(url)

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url, {"periode": "2026-11"}).content.decode()
        return len(ctx.captured_queries), html

    small, html = count()
    assert mixed[1].name not in html and "Dine teams i alt" in html
    for n in range(10):
        CitizenFactory.create(team=mixed[0], opened_on=dt.date(2026, 1, 1), cv_present=n % 2 == 0)
    assert count()[0] == small
