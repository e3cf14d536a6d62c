"""The quick-log's next step as a calendar invitation (.ics): the meeting's time on the
follow-up, the file (timed across summer time, or all-day), access and the audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cases.citizens.models import Channel, Citizen, Conversation, ConversationKind
from substitution import calendar_invite
from substitution.models import AuditAction, AuditEvent, FollowUp, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2026, 3, 20, 14, 0, tzinfo=CPH)  # a Friday, before summer time (29 March)


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    return CitizenFactory.create(
        team=team, first_name="Karen Marie", last_name="Østergaard", assigned_to=jobformidler
    )


def log_data(**extra: Any) -> dict[str, Any]:
    return {
        "date": "20.03.2026",
        "time": "13:30",
        "kind": ConversationKind.objects.get(code="individuel").pk,
        "channel": Channel.objects.get(code="telefon").pk,
        "job_focused": "True",
        "outcome": "afholdt",
        "note": "Aftalte møde hos Lager ApS.",
        "next_step": "Møde hos Lager ApS om praktik",
        "next_step_due": "02.04.2026",
        "next_step_time": "10:30",
        **extra,
    }


def event_of(content: bytes) -> Any:
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@time_machine.travel(NOW, tick=False)
def test_quick_log_with_a_meeting_time_offers_a_timed_invitation(
    jf_client: Client, citizen: Citizen
) -> None:
    url = reverse("cases:conversation_create", args=[citizen.pk])
    html = jf_client.post(url, log_data(), HTTP_HX_REQUEST="true").content.decode()
    follow_up = FollowUp.objects.for_subject(citizen).get()
    assert follow_up.due_time == dt.time(10, 30)
    ics_url = reverse("cases:followup_calendar", args=[follow_up.pk])
    assert ics_url in html and "Hent kalenderinvitation (.ics)" in html

    response = jf_client.get(ics_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="opfoelgning-{follow_up.pk}.ics"' in response["Content-Disposition"]
    event = event_of(response.content)
    # 2 April is summer time: 10:30 in Copenhagen is 08:30 UTC, an hour long.
    start = event.decoded("dtstart")
    assert start == dt.datetime(2026, 4, 2, 10, 30, tzinfo=CPH)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 4, 2, 8, 30, tzinfo=dt.UTC)
    assert event.decoded("dtend") - start == dt.timedelta(minutes=60)
    assert str(event["summary"]) == "Møde hos Lager ApS om praktik – Karen Ø."
    assert citizen.get_absolute_url() in str(event["url"])
    assert "TZID=Europe/Copenhagen" in response.content.decode()
    assert "BEGIN:VTIMEZONE" in response.content.decode()
    assert citizen.cpr not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, citizen_id=citizen.pk).exists()


@time_machine.travel(NOW, tick=False)
def test_without_a_time_the_invitation_is_all_day(jf_client: Client, citizen: Citizen) -> None:
    url = reverse("cases:conversation_create", args=[citizen.pk])
    jf_client.post(url, log_data(next_step_time=""), HTTP_HX_REQUEST="true")
    follow_up = FollowUp.objects.for_subject(citizen).get()
    assert follow_up.due_time is None
    event = event_of(jf_client.get(reverse("cases:followup_calendar", args=[follow_up.pk])).content)
    assert event.decoded("dtstart") == dt.date(2026, 4, 2)
    assert event.decoded("dtend") == dt.date(2026, 4, 3)


@time_machine.travel(NOW, tick=False)
def test_a_time_needs_a_date_and_must_exist(jf_client: Client, citizen: Citizen) -> None:
    url = reverse("cases:conversation_create", args=[citizen.pk])
    html = jf_client.post(
        url, log_data(next_step="", next_step_due=""), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Angiv datoen for mødet." in html and 'value="10:30"' in html
    # 02:30 on 29 March 2026 was skipped when summer time started.
    html = jf_client.post(
        url, log_data(next_step_due="29.03.2026", next_step_time="02:30"), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Klokken 02:30 findes ikke den 29.03.2026" in html
    assert not Conversation.objects.exists() and not FollowUp.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_correction_moves_the_meeting_time(jf_client: Client, citizen: Citizen) -> None:
    jf_client.post(reverse("cases:conversation_create", args=[citizen.pk]), log_data())
    conversation = Conversation.objects.get()
    edit = reverse("cases:conversation_edit", args=[conversation.pk])
    assert 'value="10:30"' in jf_client.get(edit).content.decode()
    jf_client.post(edit, log_data(next_step_time="13:00"))
    assert FollowUp.objects.for_subject(citizen).get().due_time == dt.time(13, 0)


def test_another_team_gets_404_and_nothing_is_audited(
    jobformidler: User, citizen: Citizen, other_jobformidler: User
) -> None:
    follow_up = FollowUp.objects.create(
        owner=jobformidler, due_on=dt.date(2026, 12, 9), title="Møde", subject=citizen
    )
    url = reverse("cases:followup_calendar", args=[follow_up.pk])
    assert client_for(other_jobformidler).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    ("full_name", "short"),
    [("Karen Marie Østergaard", "Karen Ø."), ("Ali", "Ali"), ("Bo  Berg", "Bo B.")],
)
def test_short_name(full_name: str, short: str) -> None:
    assert calendar_invite.short_name(full_name) == short
