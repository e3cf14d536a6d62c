"""The citizen's maintained facts (cases/citizens/facts.py): the conversation and follow-up
writers keep them, and the caseload sorts by them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases.citizens import facts
from cases.citizens.models import Citizen
from substitution.models import FollowUp, Team, User
from tests.cases.citizens.test_conversations import log_data
from tests.factories.cases import CitizenFactory

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2025, 3, 10, 14, 0, tzinfo=CPH)


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    return CitizenFactory.create(team=team, assigned_to=jobformidler)


@time_machine.travel(NOW, tick=False)
def test_logging_a_conversation_and_marking_its_follow_up_done_keep_the_facts(
    jf_client: Client, citizen: Citizen
) -> None:
    assert (citizen.last_held_conversation_at, citizen.next_follow_up_on) == (None, None)
    jf_client.post(reverse("cases:conversation_create", args=[citizen.pk]), log_data())
    citizen.refresh_from_db()
    assert citizen.last_held_conversation_at == dt.datetime(2025, 3, 10, 13, 30, tzinfo=CPH)
    assert citizen.next_follow_up_on == dt.date(2025, 3, 14)
    follow_up = FollowUp.objects.for_subject(citizen).get()
    jf_client.post(reverse("cases:followup_done", args=[follow_up.pk]))
    citizen.refresh_from_db()
    assert citizen.next_follow_up_on is None
    assert not facts.stale().exists()


@time_machine.travel(NOW, tick=False)
def test_a_corrected_conversation_moves_the_facts(jf_client: Client, citizen: Citizen) -> None:
    jf_client.post(reverse("cases:conversation_create", args=[citizen.pk]), log_data())
    conversation = citizen.conversations.get()
    jf_client.post(
        reverse("cases:conversation_edit", args=[conversation.pk]),
        log_data(time="09:15", next_step_due="20.03.2025"),
    )
    citizen.refresh_from_db()
    assert citizen.last_held_conversation_at == dt.datetime(2025, 3, 10, 9, 15, tzinfo=CPH)
    assert citizen.next_follow_up_on == dt.date(2025, 3, 20)


def test_stale_finds_rows_written_past_the_writers(citizen: Citizen, jobformidler: User) -> None:
    FollowUp.objects.create(owner=jobformidler, due_on=dt.date(2026, 12, 9), subject=citizen)
    assert list(facts.stale()) == [citizen]
    assert facts.refresh([citizen.pk]) == 1
    assert not facts.stale().exists()
