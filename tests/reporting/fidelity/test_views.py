"""The fidelity pages: access, the answer form, opening a round, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.fidelity.models import ModelVersion, Response, Round
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.factories.org import TeamFactory, make_staff
from tests.reporting.fidelity.helpers import D, answer, figure, items, make_round, small_model

pytestmark = pytest.mark.django_db

PAGE = reverse("reporting:fidelity")


@pytest.fixture
def version(db: None) -> ModelVersion:
    return small_model()


def filled_round(
    version: ModelVersion, teams: list[Team], lead: User, respondents: int, **kw: object
) -> Round:
    it = items(version)
    rnd = make_round(version, teams, lead, **kw)  # type: ignore[arg-type]
    for team in teams:
        for n in range(respondents):
            answer(rnd, team, {it["s1"]: 1 + n % 5, it["s2"]: 3, it["s3"]: 4})
        figure(rnd, team, "cv", D(2), D(10))
        figure(rnd, team, "caseload_per_jobformidler", D(80), D(2))
        figure(rnd, team, "virksomhedsforloeb", D(4), D(10))
    return rnd


def test_staff_see_only_their_own_answer_form(
    version: ModelVersion, team: Team, teamleder: User, jobformidler: User
) -> None:
    rnd = make_round(version, [team], teamleder, opened_on=dt.date(2026, 12, 1))
    client = client_for(jobformidler)
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("reporting:fidelity_round", args=[rnd.pk])).status_code == 403
    # Not invited: there is no answer form for them.
    assert client.get(reverse("reporting:fidelity_answer", args=[rnd.pk])).status_code == 404
    Response.objects.create(round=rnd, user=jobformidler, team=team)
    page = client.get(reverse("reporting:fidelity_answer", args=[rnd.pk]))
    assert page.status_code == 200
    assert "I meget høj grad" in page.content.decode() and "60–80 pct." in page.content.decode()
    listing = client.get(reverse("reporting:fidelity_mine")).content.decode()
    assert rnd.name in listing and "ikke besvaret" in listing


def test_answering_with_a_draft_first_and_only_once(
    version: ModelVersion, team: Team, teamleder: User, jobformidler: User
) -> None:
    it = items(version)
    rnd = make_round(version, [team], teamleder, opened_on=dt.date(2026, 12, 1))
    response = Response.objects.create(round=rnd, user=jobformidler, team=team)
    client = client_for(jobformidler)
    url = reverse("reporting:fidelity_answer", args=[rnd.pk])
    draft = client.post(url, {f"item_{it['s1'].pk}": "2", "gem": "1"})
    assert draft.status_code == 302
    page = client.get(url).content.decode()
    assert "gemt kladde" in page
    assert f'name="item_{it["s1"].pk}" value="2"' in page and "checked" in page
    client.post(url, {f"item_{it['s1'].pk}": "4", f"item_{it['s2'].pk}": "", "indsend": "1"})
    response.refresh_from_db()
    assert response.submitted_at is not None
    assert list(response.answers.values_list("value", flat=True)) == [4]
    again = client.post(url, {f"item_{it['s1'].pk}": "1", "indsend": "1"})
    assert again.status_code == 409
    assert "kun svare én gang" in again.content.decode()
    assert list(response.answers.values_list("value", flat=True)) == [4]


def test_a_team_lead_sees_only_their_teams_and_never_a_person(
    version: ModelVersion, team: Team, other_team: Team, teamleder: User
) -> None:
    leder = make_staff(Role.LEDER, team, username="leder")
    shared = filled_round(version, [team, other_team], leder, 3, name="Fælles")
    foreign = filled_round(version, [other_team], leder, 3, name="Kun B")
    client = client_for(teamleder)
    page = client.get(PAGE, {"runde": shared.pk}).content.decode()
    assert "Team A" in page and "Team B" not in page and "Kun B" not in page
    assert client.get(PAGE, {"runde": foreign.pk}).status_code == 404
    assert client.get(reverse("reporting:fidelity_round", args=[foreign.pk])).status_code == 404
    respondents = User.objects.filter(fidelity_responses__round=shared)
    for user in respondents:
        assert user.get_full_name() not in page and user.username not in page
    whole = client_for(leder).get(PAGE, {"runde": shared.pk}).content.decode()
    assert "Team A" in whole and "Team B" in whole and "Alle viste teams" in whole


def test_the_page_shows_scores_gaps_trend_and_the_scatter(
    version: ModelVersion, team: Team, other_team: Team, teamleder: User
) -> None:
    leder = make_staff(Role.LEDER, team, username="leder")
    filled_round(version, [team, other_team], leder, 3, opened_on=dt.date(2026, 6, 1))
    latest = filled_round(version, [team, other_team], leder, 4, opened_on=dt.date(2026, 11, 1))
    html = client_for(leder).get(PAGE).content.decode()
    assert latest.name in html
    # Element A: s1 (1,2,3,4)/4 = 2.5 and s2 3 -> 2.75; data cv 20 % -> 2: gap 0.75, no flag.
    # Element B: s3 4; caseload 40 -> level 3 (under 50, not under 40): gap 1.0, no flag.
    assert "2,8" in html and "+0,8" in html and "⚑" not in html.split("<table")[1]
    assert "Udvikling over målinger" in html
    assert "<svg" in html and "R²" in html
    data = client_for(leder).get(PAGE, {"skala": "data", "udfald": "ordinary_hours"})
    assert "målt i data" in data.content.decode()


def test_opening_a_round_in_the_browser_form(
    version: ModelVersion, team: Team, other_team: Team, teamleder: User
) -> None:
    client = client_for(teamleder)
    url = reverse("reporting:fidelity_round_new")
    form = client.get(url).content.decode()
    assert "Team A" in form and "Team B" not in form  # only the lead's teams
    model_id = version.model_id
    bad = client.post(
        url, {"model": model_id, "kind": "midtvejs", "teams": [team.pk], "closes_on": "01.11.2026"}
    )
    assert bad.status_code == 200
    assert "Lukkedatoen kan ikke ligge før i dag." in bad.content.decode()
    assert 'value="01.11.2026"' in bad.content.decode()  # what was typed stays
    foreign = client.post(
        url,
        {
            "model": model_id,
            "kind": "midtvejs",
            "teams": [other_team.pk],
            "closes_on": "20.12.2026",
        },
    )
    assert "Vælg en af de viste muligheder." in foreign.content.decode()
    unnamed = client.post(
        url,
        {"model": model_id, "kind": "navngivet", "teams": [team.pk], "closes_on": "20.12.2026"},
    )
    assert "Giv målingen et navn." in unnamed.content.decode()
    ok = client.post(
        url, {"model": model_id, "kind": "midtvejs", "teams": [team.pk], "closes_on": "20.12.2026"}
    )
    rnd = Round.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse(
        "reporting:fidelity_round", args=[rnd.pk]
    )
    assert rnd.name == "Midtvejsmåling 02.12.2026" and rnd.version == version


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(PAGE).status_code == 200
    return len(ctx.captured_queries)


def test_constant_queries_whatever_the_team_size_and_number_of_rounds(
    version: ModelVersion, team: Team, teamleder: User
) -> None:
    leder = make_staff(Role.LEDER, team, username="leder")
    client = client_for(leder)
    client.get(PAGE)  # warm the session (django-otp loads a device on the first request)
    filled_round(version, [team], leder, 3, opened_on=dt.date(2026, 11, 1))
    small = _queries(client)
    more = [team, TeamFactory.create(unit=team.unit, name="Team C")]
    for month in range(2, 8):
        filled_round(version, more, leder, 9, opened_on=dt.date(2026, month, 1))
    filled_round(version, more, leder, 12, opened_on=dt.date(2026, 11, 2))
    large = _queries(client)
    assert small == large, (small, large)
    assert large <= 20  # measured: 20 (session, user and roles included)


def test_closing_early_and_extending_on_the_rounds_page(
    version: ModelVersion, team: Team, teamleder: User
) -> None:
    rnd = make_round(version, [team], teamleder, opened_on=dt.date(2026, 12, 1))
    client = client_for(teamleder)
    page = reverse("reporting:fidelity_round", args=[rnd.pk])
    extend = reverse("reporting:fidelity_round_extend", args=[rnd.pk])
    too_early = client.post(extend, {"closes_on": "15.12.2026"})
    assert too_early.status_code == 400
    html = too_early.content.decode()
    assert "Vælg en dato efter den nuværende lukkedato." in html and 'value="15.12.2026"' in html
    assert client.post(extend, {"closes_on": "08.01.2027"})["Location"] == page
    rnd.refresh_from_db()
    assert rnd.closes_on == dt.date(2027, 1, 8)
    assert client.get(reverse("reporting:fidelity_round_close", args=[rnd.pk])).status_code == 405
    client.post(reverse("reporting:fidelity_round_close", args=[rnd.pk]))
    rnd.refresh_from_db()
    assert rnd.closed_at is not None
    assert "Luk målingen nu" not in client.get(page).content.decode()


def test_recomputing_a_past_rounds_data_for_its_period(
    version: ModelVersion, team: Team, teamleder: User, jobformidler: User
) -> None:
    from reporting.fidelity.models import DataFigure

    rnd = filled_round(version, [team], teamleder, 3, opened_on=dt.date(2026, 6, 1))
    assert DataFigure.objects.get(round=rnd, team=team, measure="cv").value == D("0.2")
    url = reverse("reporting:fidelity_round_recompute", args=[rnd.pk])
    assert client_for(jobformidler).post(url).status_code == 403
    client_for(teamleder).post(url)
    # No citizens in the period: the measures say so (no value), not the hand-made 20 %.
    figure = DataFigure.objects.get(round=rnd, team=team, measure="cv")
    assert figure.value is None and figure.denominator == 0
