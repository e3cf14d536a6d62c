"""The plan: end goal and sub-goals; every change is kept as a viewable revision."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from cases.citizens.models import Plan, PlanRevision, SubGoal, SubGoalStatus
from substitution.models import Team, User
from tests.factories.cases import CitizenFactory


def test_every_plan_change_is_a_revision_snapshot(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team)
    jf_client.post(reverse("cases:plan_edit", args=[citizen.pk]), {"end_goal": "Job på lager"})
    jf_client.post(
        reverse("cases:sub_goal_add", args=[citizen.pk]),
        {
            "ny-title": "Mød til tiden",
            "ny-due_on": "01.06.2025",
            "ny-owner": "Borger",
            "ny-status": "aaben",
        },
    )
    goal = SubGoal.objects.get()
    response = jf_client.post(
        reverse("cases:sub_goal_edit", args=[goal.pk]),
        {"title": "Mød til tiden", "due_on": "01.06.2025", "owner": "Borger", "status": "opnaaet"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == SubGoalStatus.OPNAAET and goal.closed_on is not None
    revisions = list(PlanRevision.objects.order_by("at", "pk"))
    assert len(revisions) == 3 and all(r.by == jobformidler for r in revisions)
    assert revisions[0].snapshot == {"end_goal": "Job på lager", "sub_goals": []}
    assert revisions[1].snapshot["sub_goals"][0]["status"] == "aaben"
    assert revisions[2].snapshot["sub_goals"][0]["status"] == "opnaaet"
    html = jf_client.get(reverse("cases:plan_revisions", args=[citizen.pk])).content.decode()
    assert html.count('class="card revision"') == 3 and "Job på lager" in html
    assert "01.06.2025" in html and "2025-06-01" not in html  # Danish dates


def test_citizen_page_shows_open_sub_goals_and_folds_closed_ones(
    jf_client: Client, team: Team
) -> None:
    citizen = CitizenFactory.create(team=team)
    plan = Plan.objects.create(citizen=citizen, end_goal="Job på lager")
    SubGoal.objects.create(plan=plan, title="Mød til tiden", due_on=dt.date(2020, 1, 1))
    SubGoal.objects.create(plan=plan, title="Tag truckkort", status=SubGoalStatus.OPNAAET)
    response = jf_client.get(citizen.get_absolute_url() + "?vis=plan")
    assert [g.title for g in response.context["open_goals"]] == ["Mød til tiden"]
    assert [g.title for g in response.context["closed_goals"]] == ["Tag truckkort"]
    html = response.content.decode()
    assert "Fristen er overskredet" in html and "1 afsluttet delmål" in html
    assert html.index("Mød til tiden") < html.index('class="closed-goals"')
    assert html.index('class="closed-goals"') < html.index("Tag truckkort")
    assert "Registrér progressionsmåling" in html
    SubGoal.objects.filter(title="Mød til tiden").update(status=SubGoalStatus.OPGIVET)
    html = jf_client.get(citizen.get_absolute_url() + "?vis=plan").content.decode()
    assert "Ingen åbne delmål" in html and "Registrér progressionsmåling" not in html


def test_unchanged_plan_makes_no_revision(jf_client: Client, team: Team) -> None:
    citizen = CitizenFactory.create(team=team)
    url = reverse("cases:plan_edit", args=[citizen.pk])
    jf_client.post(url, {"end_goal": "Job"})
    jf_client.post(url, {"end_goal": "Job"})
    assert PlanRevision.objects.count() == 1


def test_invalid_sub_goal_date_keeps_input(jf_client: Client, team: Team) -> None:
    citizen = CitizenFactory.create(team=team)
    response = jf_client.post(
        reverse("cases:sub_goal_add", args=[citizen.pk]),
        {"ny-title": "Cykel", "ny-due_on": "32.01.2025", "ny-status": "aaben"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Skriv en gyldig dato" in html and 'value="32.01.2025"' in html
    assert not SubGoal.objects.exists() and not PlanRevision.objects.exists()


def test_mentor_may_read_but_not_change_the_plan(team: Team) -> None:
    from substitution.models import Role
    from tests.conftest import client_for
    from tests.factories.org import make_staff

    citizen = CitizenFactory.create(team=team)
    mentor = client_for(make_staff(Role.MENTOR, team, username="mentor"))
    assert mentor.get(citizen.get_absolute_url()).status_code == 200
    assert (
        mentor.post(reverse("cases:plan_edit", args=[citizen.pk]), {"end_goal": "x"}).status_code
        == 403
    )
