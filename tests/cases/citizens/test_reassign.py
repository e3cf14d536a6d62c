"""Bulk reassignment of citizens to another jobformidler (team lead)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cases.citizens.models import Assignment, Citizen
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff

URL = reverse("cases:reassign")
CASELOAD = reverse("cases:caseload")

pytestmark = pytest.mark.django_db


# When the citizens got their jobformidler.
ASSIGNED = dt.date(2025, 1, 1)


def post(client: Any, citizens: list[Citizen], target: User | None, **extra: str) -> Any:
    data = {"borgere": [str(c.pk) for c in citizens], "next": f"{CASELOAD}?visning=alle"}
    if target is not None:
        data["jobformidler"] = str(target.pk)
    return client.post(URL, data | extra)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def colleague(team: Team) -> User:
    return make_staff(Role.JOBFORMIDLER, team, username="jf2")


def test_teamleder_reassigns_several_citizens(
    team: Team, jobformidler: User, colleague: User, teamleder: User
) -> None:
    citizens = [
        CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
        for _ in range(3)
    ]
    already = CitizenFactory.create(team=team, assigned_to=colleague, assigned_to__on=ASSIGNED)
    response = post(client_for(teamleder), [*citizens, already], colleague)
    assert response.status_code == 302
    assert response["Location"] == f"{CASELOAD}?visning=alle"
    assert "3 borgere er overdraget til" in messages_of(response)[0]
    for citizen in citizens:
        citizen.refresh_from_db()
        assert citizen.jobformidler == colleague
        history = citizen.assignments.order_by("pk")
        assert [a.jobformidler for a in history] == [jobformidler, colleague]
        assert history[0].ended_on is not None
        assert history[1].assigned_by == teamleder
    events = AuditEvent.objects.filter(action=AuditAction.CHANGE)
    assert sorted(e.citizen_id or 0 for e in events) == sorted(c.pk for c in citizens)
    assert events[0].user == teamleder
    assert set(events[0].changes) == {"jobformidler"}


def test_target_must_be_jobformidler_in_the_citizens_team(
    team: Team, jobformidler: User, other_jobformidler: User, teamleder: User, konsulent: User
) -> None:
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
    client = client_for(teamleder)
    for target in (other_jobformidler, konsulent):
        response = post(client, [citizen], target)
        assert response.status_code == 302
        assert any("er ikke jobformidler i Team A" in m for m in messages_of(response))
    citizen.refresh_from_db()
    assert citizen.jobformidler == jobformidler
    assert Assignment.objects.filter(citizen=citizen).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


def test_citizens_of_other_teams_are_refused(
    team: Team,
    other_team: Team,
    jobformidler: User,
    colleague: User,
    other_jobformidler: User,
    teamleder: User,
) -> None:
    mine = CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
    theirs = CitizenFactory.create(
        team=other_team, assigned_to=other_jobformidler, assigned_to__on=ASSIGNED
    )
    response = post(client_for(teamleder), [mine, theirs], colleague)
    assert any("findes ikke eller er ikke dine" in m for m in messages_of(response))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.jobformidler, theirs.jobformidler) == (jobformidler, other_jobformidler)


def test_teamleder_only_reassigns_in_teams_they_lead(
    team: Team, other_team: Team, other_jobformidler: User
) -> None:
    # A team lead of team A who is also a plain jobformidler in team B sees B's citizens
    # but may not reassign them.
    lead = make_staff(Role.TEAMLEDER, team, username="tl_a")
    make_staff(Role.JOBFORMIDLER, other_team, username="tl_a")
    second = make_staff(Role.JOBFORMIDLER, other_team, username="jf_b2")
    citizen = CitizenFactory.create(
        team=other_team, assigned_to=other_jobformidler, assigned_to__on=ASSIGNED
    )
    response = post(client_for(lead), [citizen], second)
    assert any("teams, du er teamleder for" in m for m in messages_of(response))
    citizen.refresh_from_db()
    assert citizen.jobformidler == other_jobformidler


def test_leder_reassigns_across_teams_but_target_must_match_each_team(
    team: Team,
    other_team: Team,
    jobformidler: User,
    other_jobformidler: User,
    leder: User,
) -> None:
    a = CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
    b = CitizenFactory.create(
        team=other_team, assigned_to=other_jobformidler, assigned_to__on=ASSIGNED
    )
    client = client_for(leder)
    response = post(client, [a, b], jobformidler)
    assert any("ikke jobformidler i Team B" in m for m in messages_of(response))
    second_b = make_staff(Role.JOBFORMIDLER, other_team, username="jf_b2")
    response = post(client, [b], second_b)
    assert "1 borger er overdraget til" in messages_of(response)[-1]
    b.refresh_from_db()
    assert b.jobformidler == second_b


def test_nothing_selected_or_no_target(team: Team, jobformidler: User, teamleder: User) -> None:
    client = client_for(teamleder)
    assert any("Vælg mindst én borger" in m for m in messages_of(post(client, [], jobformidler)))
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
    assert any("Vælg den jobformidler" in m for m in messages_of(post(client, [citizen], None)))


def test_jobformidler_may_not_reassign(
    team: Team, jobformidler: User, colleague: User, jf_client: Any
) -> None:
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
    assert post(jf_client, [citizen], colleague).status_code == 403
    citizen.refresh_from_db()
    assert citizen.jobformidler == jobformidler


def test_get_is_not_allowed_and_next_must_be_local(
    team: Team, jobformidler: User, colleague: User, teamleder: User
) -> None:
    client = client_for(teamleder)
    assert client.get(URL).status_code == 405
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
    response = post(client, [citizen], colleague, next="https://evil.example/")
    assert response["Location"] == CASELOAD


def test_caseload_shows_reassign_form_only_to_leads(
    team: Team, jobformidler: User, colleague: User, teamleder: User, jf_client: Any
) -> None:
    CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED)
    lead_page = client_for(teamleder).get(CASELOAD).content.decode()
    assert 'id="reassign-form"' in lead_page and 'form="reassign-form"' in lead_page
    assert lead_page.count('name="jobformidler"') >= 2  # filter + target select
    assert 'id="reassign-form"' not in jf_client.get(CASELOAD).content.decode()


def test_reassign_target_is_a_searchable_field_of_the_led_teams(
    team: Team,
    other_team: Team,
    jobformidler: User,
    colleague: User,
    other_jobformidler: User,
    teamleder: User,
    jf_client: Any,
) -> None:
    """Issue 13: the "reassign to" field renders no option per jobformidler (hundreds in a
    jobcentre); its search URL offers those the user may reassign to, by what was typed."""
    search = reverse("cases:reassign_target_choices")
    lead = client_for(teamleder)
    page = lead.get(CASELOAD).content.decode()
    target = page.split('id="reassign-target"', 1)[1].split("</select>", 1)[0]
    assert f'data-combobox="{search}"' in target and target.count("<option") == 1
    everyone = lead.get(search).content.decode()
    assert f'data-value="{colleague.pk}"' in everyone
    assert f'data-value="{jobformidler.pk}"' in everyone
    assert f'data-value="{other_jobformidler.pk}"' not in everyone  # a team not led
    typed = lead.get(search, {"q": colleague.username}).content.decode()
    assert f'data-value="{colleague.pk}"' in typed
    assert f'data-value="{jobformidler.pk}"' not in typed
    assert jf_client.get(search).status_code == 403
