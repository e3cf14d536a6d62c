"""cases/citizens/queries.py: the reads behind the pages, each limited by the one access rule."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import Http404

from cases.citizens import queries
from cases.citizens.models import CitizenStatus
from substitution.models import FollowUp, Team, User
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    SubGoalFactory,
)

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
# 00:30 in Copenhagen: the UTC date is still the day before.
FROZEN = dt.datetime(2026, 3, 4, 0, 30, tzinfo=CPH)
TODAY = dt.date(2026, 3, 4)


@time_machine.travel(FROZEN, tick=False)
def test_due_counts_boundaries_on_the_local_day(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    FollowUpFactory.create(owner=jobformidler, subject=citizen, due_on=TODAY - dt.timedelta(days=1))
    FollowUpFactory.create(owner=jobformidler, subject=citizen, due_on=TODAY)  # UTC: 3 March
    FollowUpFactory.create(owner=jobformidler, subject=citizen, due_on=TODAY + dt.timedelta(days=1))
    FollowUpFactory.create(
        owner=jobformidler, subject=citizen, due_on=TODAY - dt.timedelta(days=9), done=True
    )
    mine = FollowUp.objects.filter(owner=jobformidler)
    assert queries.due_counts(mine, TODAY) == (2, 1)
    assert queries.due_counts(mine, TODAY + dt.timedelta(days=1)) == (3, 2)


def test_records_of_another_teams_citizen_are_404(
    team: Team, other_team: Team, jobformidler: User, other_jobformidler: User
) -> None:
    theirs = CitizenFactory.create(team=other_team)
    conversation = ConversationFactory.create(citizen=theirs, author=other_jobformidler)
    goal = SubGoalFactory.create(citizen=theirs)
    follow_up = FollowUpFactory.create(owner=other_jobformidler, subject=theirs)
    for find, pk in [
        (queries.visible_conversation, conversation.pk),
        (queries.visible_sub_goal, goal.pk),
        (queries.visible_follow_up, follow_up.pk),
        (queries.citizen_for_page, theirs.pk),
    ]:
        with pytest.raises(Http404):
            find(jobformidler, pk)
        assert find(other_jobformidler, pk).pk == pk


def test_own_follow_up_is_found_whatever_its_subject(
    team: Team, other_team: Team, jobformidler: User
) -> None:
    elsewhere = CitizenFactory.create(team=other_team)
    follow_up = FollowUpFactory.create(owner=jobformidler, subject=elsewhere)
    assert queries.visible_follow_up(jobformidler, follow_up.pk) == follow_up


def test_my_caseload_is_my_open_citizens(team: Team, jobformidler: User, teamleder: User) -> None:
    mine = CitizenFactory.create(team=team, assigned_to=jobformidler)
    CitizenFactory.create(team=team, assigned_to=jobformidler, status=CitizenStatus.AFSLUTTET)
    CitizenFactory.create(team=team, assigned_to=teamleder)
    CitizenFactory.create(team=team)
    assert list(queries.my_caseload(jobformidler)) == [mine]


def test_caseload_queryset_annotations(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team)
    ConversationFactory.create(citizen=citizen, author=jobformidler)
    FollowUpFactory.create(owner=jobformidler, subject=citizen, due_on=dt.date(2026, 12, 9))
    FollowUpFactory.create(owner=jobformidler, subject=citizen, due_on=dt.date(2026, 12, 4))
    row = queries.caseload_queryset(jobformidler).get()
    assert row.current_step == 1  # the maintained step (cases/citizens/facts.py)
    assert row.last_held_conversation_at is not None
    assert row.next_follow_up_on == dt.date(2026, 12, 4)


def test_reassign_target_is_a_user_of_the_same_jobcentre(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    from tests.factories.org import UnitFactory, UserFactory

    stranger = UserFactory.create(unit=UnitFactory.create())
    assert queries.reassign_target(teamleder, jobformidler.pk) == jobformidler
    assert queries.reassign_target(teamleder, stranger.pk) is None
