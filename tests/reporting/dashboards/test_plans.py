"""Explanations and action plans: written from a figure (with its colour and target as they
were), shown on the dashboard until closed, read by ``open_plans`` for the monthly report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from reporting.dashboards.models import ActionPlan, Target
from reporting.dashboards.queries import open_plans
from substitution import days
from substitution.models import AuditEvent, Team, User
from tests.conftest import client_for
from tests.reporting.dashboards.team_data import citizen_mix

pytestmark = pytest.mark.django_db


def red_target(team: Team) -> Target:
    return Target.objects.create(
        unit=team.unit,
        team=team,
        measure="contact_cadence",
        value=Decimal(90),
        tolerance=Decimal(10),
        valid_from=dt.date(2026, 1, 1),
    )


def post_plan(client: Client, team: Team, owner: User, **extra: str) -> Any:
    data = {
        "team": str(team.pk),
        "periode": "2026-12",
        "explanation": "Sygdom i teamet.",
        "plan": "Alle uden samtale bookes.",
        "owner": str(owner.pk),
        "follow_up_on": "15.12.2026",
        **extra,
    }
    return client.post("/styring/handlingsplan/ny/contact_cadence/", data)


def test_a_plan_keeps_the_figure_as_it_was_and_shows_until_closed(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    citizen_mix(team, jobformidler)
    red_target(team)
    client = client_for(teamleder)
    form_page = client.get(f"/styring/handlingsplan/ny/contact_cadence/?team={team.pk}")
    assert "Langt fra mål" in form_page.content.decode()
    response = post_plan(client, team, jobformidler)
    assert response.status_code == 302
    plan = ActionPlan.objects.get()
    assert (plan.status, plan.figure_display, plan.target_display) == ("red", "17 %", "90 %")
    assert (plan.period_first, plan.period_last) == (dt.date(2026, 12, 1), dt.date(2026, 12, 2))
    assert plan.owner == jobformidler and plan.created_by == teamleder
    assert AuditEvent.objects.filter(object_id=str(plan.pk), action="create").exists()
    body = client.get(f"/styring/team/?team={team.pk}").content.decode()
    assert "Alle uden samtale bookes." in body

    closed = client.post(f"/styring/handlingsplan/{plan.pk}/luk/", {"closing_note": "Nået."})
    assert closed.status_code == 302
    plan.refresh_from_db()
    assert plan.closed_at is not None and plan.closing_note == "Nået."
    assert "Alle uden samtale bookes." not in client.get("/styring/team/").content.decode()
    # Closing again writes nothing.
    before = AuditEvent.objects.count()
    client.post(f"/styring/handlingsplan/{plan.pk}/luk/", {"closing_note": "igen"})
    plan.refresh_from_db()
    assert plan.closing_note == "Nået." and AuditEvent.objects.count() == before


def test_the_form_refuses_in_danish_and_keeps_what_was_typed(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    client = client_for(teamleder)
    response = post_plan(client, team, jobformidler, follow_up_on="01.11.2026", plan="")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Opfølgningen kan ikke ligge i fortiden." in body
    assert "Sygdom i teamet." in body  # kept
    assert not ActionPlan.objects.exists()
    # An owner outside the team is not a choice.
    outsider = User.objects.create(username="ude", unit=team.unit)
    response = post_plan(client, team, outsider)
    assert response.status_code == 400 and not ActionPlan.objects.exists()


def test_another_teams_plan_is_a_404(
    team: Team, other_team: Team, other_jobformidler: User, teamleder: User
) -> None:
    client = client_for(teamleder)
    assert post_plan(client, other_team, other_jobformidler).status_code == 404
    plan = ActionPlan.objects.create(
        unit=other_team.unit,
        team=other_team,
        measure="caseload",
        period_first=dt.date(2026, 12, 1),
        period_last=dt.date(2026, 12, 31),
        explanation="x",
        plan="y",
        owner=other_jobformidler,
        created_by=other_jobformidler,
        follow_up_on=dt.date(2026, 12, 31),
    )
    assert client.post(f"/styring/handlingsplan/{plan.pk}/luk/").status_code == 404
    plan.refresh_from_db()
    assert plan.closed_at is None


def test_open_plans_for_the_monthly_report(team: Team, other_team: Team, teamleder: User) -> None:
    def plan(on_team: Team | None, created: dt.datetime, closed: dt.datetime | None) -> ActionPlan:
        return ActionPlan.objects.create(
            unit=team.unit,
            team=on_team,
            measure="caseload",
            period_first=dt.date(2026, 10, 1),
            period_last=dt.date(2026, 10, 31),
            explanation="x",
            plan="y",
            owner=teamleder,
            created_by=teamleder,
            follow_up_on=dt.date(2026, 12, 31),
            created_at=created,
            closed_at=closed,
        )

    oct_15 = days.start_of_day(dt.date(2026, 10, 15))
    nov_10 = days.start_of_day(dt.date(2026, 11, 10))
    dec_1 = days.start_of_day(dt.date(2026, 12, 1))
    still_open = plan(team, oct_15, None)
    closed_in_nov = plan(team, oct_15, nov_10)
    made_in_dec = plan(team, dec_1, None)
    other = plan(other_team, oct_15, None)
    unit_wide = plan(None, oct_15, None)
    end_of_october = days.end_of_day(dt.date(2026, 10, 31))
    assert set(open_plans(team.unit_id, [team.pk], on=end_of_october)) == {
        still_open,
        closed_in_nov,
    }
    end_of_november = days.end_of_day(dt.date(2026, 11, 30))
    assert set(open_plans(team.unit_id, [team.pk], on=end_of_november)) == {still_open}
    assert set(open_plans(team.unit_id, [team.pk])) == {still_open, made_in_dec}
    assert set(open_plans(team.unit_id)) == {still_open, made_in_dec, other, unit_wide}
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=False):
        assert set(open_plans(team.unit_id, [team.pk])) == {still_open, made_in_dec}
