"""Audit events for the citizen record: views, CPR reveals, creates, changes, deletes —
with user, object, citizen and changed fields, never the full CPR number."""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.sites import site
from django.db.models import QuerySet
from django.test import Client, RequestFactory
from django.urls import reverse

from cases.citizens.models import Channel, Citizen, Conversation, ConversationKind
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.factories.cases import CitizenFactory


def events(citizen: Citizen, action: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(citizen_id=citizen.pk, action=action)


def test_view_reveal_create_change_are_recorded(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team, cpr="2110625629")
    jf_client.get(citizen.get_absolute_url())
    jf_client.get(citizen.get_absolute_url())
    assert events(citizen, AuditAction.VIEW).count() == 2
    view = events(citizen, AuditAction.VIEW)[0]
    assert view.user == jobformidler and view.object_id == str(citizen.pk)
    assert view.object_repr == citizen.full_name

    jf_client.post(reverse("cases:reveal_cpr", args=[citizen.pk]))
    assert events(citizen, AuditAction.REVEAL_CPR).get().user == jobformidler

    jf_client.post(
        reverse("cases:plan_edit", args=[citizen.pk]), {"end_goal": "Job i detailhandlen"}
    )
    change = events(citizen, AuditAction.CHANGE).get()
    assert change.changes == {"end_goal": ["", "Job i detailhandlen"]}

    now = dt.datetime.now()
    jf_client.post(
        reverse("cases:conversation_create", args=[citizen.pk]),
        {
            "date": f"{now:%d.%m.%Y}",
            "time": f"{now:%H:%M}",
            "kind": ConversationKind.objects.get(code="individuel").pk,
            "channel": Channel.objects.get(code="telefon").pk,
            "job_focused": "True",
            "outcome": "afholdt",
            "note": "Notat",
        },
    )
    assert Conversation.objects.exists()
    assert events(citizen, AuditAction.CREATE).filter(object_repr__startswith="Samtale").exists()
    assert not AuditEvent.objects.filter(changes__icontains="2110625629").exists()
    assert "2110625629" not in str(list(AuditEvent.objects.values_list("changes", "object_repr")))


def test_admin_delete_is_recorded(administrator: User, team: Team) -> None:
    citizen = CitizenFactory.create(team=team)
    pk = citizen.pk
    request = RequestFactory().post("/")
    request.user = administrator
    site._registry[Citizen].delete_model(request, citizen)
    assert not Citizen.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, citizen_id=pk)
    assert event.user == administrator


def test_other_team_leaves_no_view_event(team: Team, other_jobformidler: User) -> None:
    from tests.conftest import client_for

    citizen = CitizenFactory.create(team=team)
    assert client_for(other_jobformidler).get(citizen.get_absolute_url()).status_code == 404
    assert not events(citizen, AuditAction.VIEW).exists()


def test_every_page_showing_the_record_is_a_view(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    """The edit forms show the citizen's data too: opening them is logged like the page."""
    from cases.citizens.models import Plan, SubGoal
    from tests.factories.cases import ConversationFactory

    citizen = CitizenFactory.create(team=team)
    conversation = ConversationFactory.create(citizen=citizen, author=jobformidler)
    goal = SubGoal.objects.create(plan=Plan.objects.create(citizen=citizen), title="Mød op")
    urls = [
        citizen.get_absolute_url(),
        reverse("cases:citizen_edit", args=[citizen.pk]),
        reverse("cases:plan_revisions", args=[citizen.pk]),
        reverse("cases:review_create", args=[citizen.pk]),
        reverse("cases:sub_goal_edit", args=[goal.pk]),
        reverse("cases:conversation_edit", args=[conversation.pk]),
    ]
    for url in urls:
        before = events(citizen, AuditAction.VIEW).count()
        assert jf_client.get(url).status_code == 200, url
        assert events(citizen, AuditAction.VIEW).count() == before + 1, url
    assert set(events(citizen, AuditAction.VIEW).values_list("user", flat=True)) == {
        jobformidler.pk
    }
