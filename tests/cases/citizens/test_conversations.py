"""Quick-log conversations (htmx and plain POST), follow-ups from the next step, the 24-hour
correction window and revisions, and who may edit."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases.citizens.assignments import assign
from cases.citizens.models import (
    Channel,
    Citizen,
    Conversation,
    ConversationKind,
    ConversationRevision,
)
from substitution.models import AuditAction, AuditEvent, FollowUp, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory, ConversationFactory
from tests.factories.org import make_staff

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

CPH = ZoneInfo("Europe/Copenhagen")
NOW = dt.datetime(2025, 3, 10, 14, 0, tzinfo=CPH)


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    return CitizenFactory.create(
        team=team, first_name="Anna", last_name="Jensen", assigned_to=jobformidler
    )


def log_data(**extra: Any) -> dict[str, Any]:
    return {
        "date": "10.03.2025",
        "time": "13:30",
        "kind": ConversationKind.objects.get(code="individuel").pk,
        "channel": Channel.objects.get(code="telefon").pk,
        "job_focused": "True",
        "outcome": "afholdt",
        "note": "Talte om lagerjob.",
        "next_step": "Send CV til Lager ApS",
        "next_step_due": "14.03.2025",
        **extra,
    }


@time_machine.travel(NOW, tick=False)
def test_htmx_log_creates_conversation_follow_up_and_swaps_fragments(
    jf_client: Client, jobformidler: User, citizen: Citizen
) -> None:
    url = reverse("cases:conversation_create", args=[citizen.pk])
    response = jf_client.post(url, log_data(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    conversation = Conversation.objects.get()
    assert conversation.author == jobformidler and conversation.citizen == citizen
    assert conversation.occurred_at == dt.datetime(2025, 3, 10, 13, 30, tzinfo=CPH)
    follow_up = FollowUp.objects.for_subject(citizen).get()
    assert follow_up.owner == jobformidler and follow_up.due_on == dt.date(2025, 3, 14)
    assert follow_up.title == "Send CV til Lager ApS"
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert 'id="quick-log"' in html and "Samtalen med Anna Jensen er gemt" in html
    assert 'id="tidslinje" aria-labelledby="tidslinje-h" hx-swap-oob="true"' in html
    assert 'id="borger-opfoelgninger"' in html and "Send CV til Lager ApS" in html
    event = AuditEvent.objects.get(action=AuditAction.CREATE, citizen_id=citizen.pk)
    assert "note" in event.changes


@time_machine.travel(NOW, tick=False)
def test_plain_post_without_js_redirects(jf_client: Client, citizen: Citizen) -> None:
    url = reverse("cases:conversation_create", args=[citizen.pk])
    response = jf_client.post(url, log_data(next_step="", next_step_due=""))
    assert response.status_code == 302
    assert response["Location"].endswith("#tidslinje")
    assert Conversation.objects.count() == 1 and not FollowUp.objects.exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("htmx", [True, False])
def test_invalid_date_and_missing_kind_show_danish_errors_and_keep_input(
    jf_client: Client, citizen: Citizen, htmx: bool
) -> None:
    url = reverse("cases:conversation_create", args=[citizen.pk])
    headers: dict[str, Any] = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = jf_client.post(url, log_data(date="31.02.2025", kind=""), **headers)
    html = response.content.decode()
    assert response.status_code == (200 if htmx else 400)
    assert "Skriv en gyldig dato som dd.mm.åååå" in html
    assert "Vælg samtaletype." in html
    assert 'value="31.02.2025"' in html and "Talte om lagerjob." in html
    assert 'value="Send CV til Lager ApS"' in html
    assert not Conversation.objects.exists() and not FollowUp.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_next_step_needs_a_due_date_and_future_time_is_rejected(
    jf_client: Client, citizen: Citizen
) -> None:
    url = reverse("cases:conversation_create", args=[citizen.pk])
    html = jf_client.post(url, log_data(next_step_due=""), HTTP_HX_REQUEST="true").content.decode()
    assert "Angiv en frist for det aftalte næste skridt." in html
    html = jf_client.post(url, log_data(time="18:00"), HTTP_HX_REQUEST="true").content.decode()
    assert "Tidspunktet ligger i fremtiden." in html
    assert not Conversation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_form_defaults_to_now(jf_client: Client, citizen: Citizen) -> None:
    html = jf_client.get(citizen.get_absolute_url()).content.decode()
    assert 'value="10.03.2025"' in html and 'value="14:00"' in html


def test_quick_log_from_min_dag_limited_to_my_caseload(
    jf_client: Client, team: Team, jobformidler: User, citizen: Citizen
) -> None:
    colleague = make_staff(Role.JOBFORMIDLER, team, username="kollega")
    theirs = CitizenFactory.create(team=team, first_name="Ikke", last_name="Min")
    assign(theirs, colleague)
    page = jf_client.get(reverse("cases:my_day")).content.decode()
    assert "Anna Jensen" in page and "Ikke Min" not in page
    now = dt.datetime.now(tz=CPH)
    data = log_data(date=f"{now:%d.%m.%Y}", time=f"{now:%H:%M}", next_step_due=f"{now:%d.%m.%Y}")
    refused = jf_client.post(
        reverse("cases:quick_log"), {**data, "citizen": theirs.pk}, HTTP_HX_REQUEST="true"
    )
    assert "Borgeren er ikke i din sagsstamme." in refused.content.decode()
    assert not Conversation.objects.exists()
    response = jf_client.post(
        reverse("cases:quick_log"), {**data, "citizen": citizen.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert Conversation.objects.get().citizen == citizen
    assert 'id="mine-opfoelgninger" aria-labelledby="mine-opf-h" hx-swap-oob="true"' in html
    assert 'id="seneste-samtaler"' in html and "Send CV til Lager ApS" in html


def test_author_corrects_freely_within_window_then_needs_reason(
    jf_client: Client, jobformidler: User, citizen: Citizen
) -> None:
    with time_machine.travel(NOW, tick=False):
        conversation = ConversationFactory.create(
            citizen=citizen, author=jobformidler, occurred_at=NOW - dt.timedelta(hours=1)
        )
    url = reverse("cases:conversation_edit", args=[conversation.pk])
    data = log_data(next_step="", next_step_due="", time="13:00", note="Rettet notat")
    with time_machine.travel(NOW + dt.timedelta(hours=23, minutes=59), tick=False):
        assert "Begrundelse" not in jf_client.get(url).content.decode()
        assert jf_client.post(url, data).status_code == 302
    conversation.refresh_from_db()
    assert conversation.note == "Rettet notat"
    assert not ConversationRevision.objects.exists()

    with time_machine.travel(NOW + dt.timedelta(hours=24, minutes=1), tick=False):
        response = jf_client.post(url, {**data, "note": "Efter fristen"})
        assert response.status_code == 400
        assert "Skriv hvorfor samtalen rettes efter fristen." in response.content.decode()
        conversation.refresh_from_db()
        assert conversation.note == "Rettet notat"
        response = jf_client.post(url, {**data, "note": "Efter fristen", "reason": "Forkert kanal"})
        assert response.status_code == 302
        page = jf_client.get(citizen.get_absolute_url() + "?vis=tidslinje").content.decode()
    conversation.refresh_from_db()
    assert conversation.note == "Efter fristen"
    revision = ConversationRevision.objects.get()
    assert revision.reason == "Forkert kanal" and revision.by == jobformidler
    assert revision.snapshot["note"] == "Rettet notat"
    assert "Rettet 1 gang" in page and "Forkert kanal" in page


def test_only_author_or_teams_teamleder_may_edit(
    team: Team, jobformidler: User, citizen: Citizen, teamleder: User
) -> None:
    conversation = ConversationFactory.create(citizen=citizen, author=jobformidler)
    url = reverse("cases:conversation_edit", args=[conversation.pk])
    colleague = make_staff(Role.JOBFORMIDLER, team, username="kollega")
    assert client_for(colleague).get(url).status_code == 403
    # A teamleder of the team may correct, always with a reason and a kept revision.
    tl = client_for(teamleder)
    page = tl.get(url)
    assert page.status_code == 200 and "Begrundelse for rettelsen" in page.content.decode()
    data = log_data(next_step="", next_step_due="", note="Teamlederens rettelse")
    # A minute ago as an instant, then in local time (aware arithmetic on a Copenhagen time
    # would step into the hour skipped in March).
    now = (dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=1)).astimezone(CPH)
    data.update(date=f"{now:%d.%m.%Y}", time=f"{now:%H:%M}", reason="Sagssparring")
    assert tl.post(url, data).status_code == 302
    assert ConversationRevision.objects.get().by == teamleder


def test_other_team_gets_404_on_conversation_and_follow_up(
    jobformidler: User, citizen: Citizen, other_jobformidler: User
) -> None:
    conversation = ConversationFactory.create(citizen=citizen, author=jobformidler)
    follow_up = FollowUp.objects.create(
        owner=jobformidler, due_on=dt.date.today(), title="Ring", subject=citizen
    )
    client = client_for(other_jobformidler)
    assert client.get(reverse("cases:conversation_edit", args=[conversation.pk])).status_code == 404
    assert client.post(reverse("cases:followup_done", args=[follow_up.pk])).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_follow_up_done_via_htmx(jf_client: Client, jobformidler: User, citizen: Citizen) -> None:
    follow_up = FollowUp.objects.create(
        owner=jobformidler,
        due_on=dt.date.today() - dt.timedelta(days=2),
        title="Ring til borger",
        subject=citizen,
    )
    page = jf_client.get(reverse("cases:my_day")).content.decode()
    assert "Overskredet" in page and "Ring til borger" in page
    response = jf_client.post(
        reverse("cases:followup_done", args=[follow_up.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Udført" in html and "<html" not in html
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, citizen_id=citizen.pk).exists()
    assert "Ring til borger" not in jf_client.get(reverse("cases:my_day")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_correcting_the_next_step_keeps_its_follow_up_in_step(
    jf_client: Client, jobformidler: User, citizen: Citizen
) -> None:
    jf_client.post(reverse("cases:conversation_create", args=[citizen.pk]), log_data())
    conversation = Conversation.objects.get()
    follow_up = FollowUp.objects.for_subject(citizen).get()
    assert conversation.follow_up == follow_up
    url = reverse("cases:conversation_edit", args=[conversation.pk])

    # A corrected next step and due date move the open follow-up with them.
    jf_client.post(url, log_data(next_step="Ring til Lager ApS", next_step_due="17.03.2025"))
    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.due_on) == ("Ring til Lager ApS", dt.date(2025, 3, 17))

    # A next step removed by the correction removes the open follow-up it had created.
    jf_client.post(url, log_data(next_step="", next_step_due=""))
    assert not FollowUp.objects.for_subject(citizen).exists()

    # One added by a correction creates it.
    jf_client.post(url, log_data(next_step="Send CV", next_step_due="20.03.2025"))
    follow_up = FollowUp.objects.for_subject(citizen).get()
    assert (follow_up.title, follow_up.due_on) == ("Send CV", dt.date(2025, 3, 20))

    # A follow-up already done is history: a later correction leaves it alone.
    follow_up.done_at = NOW
    follow_up.save()
    jf_client.post(url, log_data(next_step="Noget andet", next_step_due="21.03.2025"))
    follow_up.refresh_from_db()
    assert follow_up.title == "Send CV" and follow_up.done_at is not None
    assert FollowUp.objects.for_subject(citizen).count() == 1


@time_machine.travel(dt.datetime(2026, 3, 29, 12, 0, tzinfo=CPH), tick=False)
def test_a_time_skipped_by_summer_time_is_refused_with_a_reason(
    jobformidler: User, citizen: Citizen
) -> None:
    """02:30 on 29 March 2026 never happened in Copenhagen (02:00 became 03:00)."""
    jf_client = client_for(jobformidler)  # logged in after the travel, within the idle timeout
    data = log_data(
        citizen=citizen.pk, date="29.03.2026", time="02:30", next_step="", next_step_due=""
    )
    response = jf_client.post(reverse("cases:quick_log"), data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Klokken 02:30 fandtes ikke den 29.03.2026" in html
    assert 'value="02:30"' in html  # what was typed is kept
    assert not Conversation.objects.exists()
    # The repeated hour in October is accepted, as its first (summer-time) occurrence.
    data.update(date="26.10.2025", time="02:30")
    jf_client.post(reverse("cases:quick_log"), data, HTTP_HX_REQUEST="true")
    held = Conversation.objects.get().occurred_at
    assert held == dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_a_long_next_step_is_refused_with_a_message_not_cut(
    jf_client: Client, citizen: Citizen
) -> None:
    """Issue 14, defect 10: the next-step field's maxlength=300 made the browser cut a pasted
    text at 300 characters without a word."""
    url = reverse("cases:citizen_detail", args=[citizen.pk])
    page = jf_client.get(url).content.decode()
    next_step_input = page.split('name="next_step"')[1].split(">")[0]
    assert "maxlength" not in next_step_input
    text = "Ring til virksomheden om opstart. " * 10  # 340 characters
    html = jf_client.post(
        reverse("cases:conversation_create", args=[citizen.pk]),
        log_data(next_step=text),
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Teksten er for lang: højst 300 tegn" in html
    assert text.strip() in html
    assert not Conversation.objects.exists()
