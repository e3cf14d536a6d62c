"""cases/citizens/services.py: the writers. Each audits with the actor and the context it is
given (no request needed), owns its transaction, and keeps the derived state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.citizens import services
from cases.citizens.forms import ConversationEditForm, ConversationForm, SubGoalForm
from cases.citizens.models import (
    Assignment,
    Channel,
    Citizen,
    Conversation,
    ConversationKind,
    ConversationRevision,
    PlanRevision,
    ReviewOutcome,
    SubGoalStatus,
)
from cases.citizens.services import assign
from substitution.audit import SYSTEM, AuditContext
from substitution.models import AuditAction, AuditEvent, FollowUp, Role, Team, Unit, User
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    JobGoalFactory,
    SubGoalFactory,
    make_cpr,
)
from tests.factories.org import make_staff

pytestmark = pytest.mark.django_db

JAN = dt.date(2025, 1, 1)


def conversation_form(citizen: Citizen | None = None, **extra: Any) -> ConversationForm:
    """A valid quick-log form about ``citizen``, held an hour ago, with a dated next step."""
    held = dt.datetime(2026, 12, 2, 9, 0)
    data = {
        "date": f"{held:%d.%m.%Y}",
        "time": f"{held:%H:%M}",
        "kind": ConversationKind.objects.get(code="individuel").pk,
        "channel": Channel.objects.get(code="telefon").pk,
        "job_focused": "True",
        "outcome": "afholdt",
        "note": "Talte om lagerjob.",
        "next_step": "Send CV",
        "next_step_due": "09.12.2026",
        **extra,
    }
    form = ConversationForm(data, instance=Conversation(citizen=citizen))
    assert form.is_valid(), form.errors
    return form


def test_assign_writes_history_and_current(team: Team, jobformidler: User) -> None:
    other = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    citizen = CitizenFactory.create(team=team)
    assert assign(citizen, jobformidler, on=JAN)
    assert assign(citizen, other, on=dt.date(2025, 3, 1))
    assert not assign(citizen, other, on=dt.date(2025, 4, 1))  # no change
    rows = list(
        Assignment.objects.filter(citizen=citizen).values_list(
            "jobformidler", "started_on", "ended_on"
        )
    )
    assert rows == [
        (jobformidler.pk, JAN, dt.date(2025, 2, 28)),
        (other.pk, dt.date(2025, 3, 1), None),
    ]
    citizen.refresh_from_db()
    assert citizen.jobformidler == other


def test_reassign_many_audits_each_change_with_the_context(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    colleague = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    moved = CitizenFactory.create(team=team, assigned_to=jobformidler, assigned_to__on=JAN)
    stays = CitizenFactory.create(team=team, assigned_to=colleague, assigned_to__on=JAN)
    context = AuditContext(ip_address="10.0.0.7")
    assert services.reassign_many([moved, stays], colleague, actor=teamleder, context=context) == 1
    event = AuditEvent.objects.get()
    assert (event.user, event.ip_address, event.citizen_id) == (teamleder, "10.0.0.7", moved.pk)
    assert event.changes == {"jobformidler": [str(jobformidler), str(colleague)]}
    assert Assignment.objects.get(citizen=moved, ended_on__isnull=True).assigned_by == teamleder


def test_reassign_many_refuses_what_the_rule_refuses_and_writes_nothing(
    team: Team, jobformidler: User
) -> None:
    colleague = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler)
    with pytest.raises(ValidationError) as refused:
        services.reassign_many([citizen], colleague, actor=jobformidler)
    assert refused.value.messages == [
        "Kun teamledere, ledere og administratorer kan omfordele borgere."
    ]
    citizen.refresh_from_db()
    assert citizen.jobformidler == jobformidler and not AuditEvent.objects.exists()


def test_called_with_system_the_audit_row_has_no_address(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team)
    conversation = services.log_conversation(
        conversation_form(citizen), actor=jobformidler, context=SYSTEM
    )
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert (event.user, event.ip_address) == (jobformidler, None)
    assert event.object_id == str(conversation.pk) and event.citizen_id == citizen.pk
    assert event.object_repr == f"Samtale med {citizen.full_name}"


def test_an_import_without_a_user_audits_with_no_user_and_no_address(
    unit: Unit, team: Team, jobformidler: User
) -> None:
    data = (
        "cpr;fornavn;efternavn;postnummer;ydelse;parathed;visitationsgruppe;visitationsdato;"
        f"jobformidler\r\n{make_cpr(1)};Anna;Jensen;8000;kontanthjaelp;;;;{jobformidler.username}"
    ).encode()
    plan = services.import_citizens(data, unit, actor=None)
    assert plan.is_valid and plan.counts()["created"] == 1
    events = AuditEvent.objects.all()
    assert {e.action for e in events} == {AuditAction.CREATE, AuditAction.IMPORT}
    assert all(e.user is None and e.ip_address is None for e in events)


def test_a_service_outside_a_request_is_atomic(
    team: Team, jobformidler: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No request, so no ATOMIC_REQUESTS: the service's own transaction undoes the
    conversation and its follow-up when the audit row cannot be written."""
    citizen = CitizenFactory.create(team=team)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services.audit, "write", broken)
    with pytest.raises(RuntimeError):
        services.log_conversation(conversation_form(citizen), actor=jobformidler)
    assert not Conversation.objects.exists() and not FollowUp.objects.exists()


def test_log_conversation_makes_the_next_step_a_follow_up_of_the_author(
    team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team)
    conversation = services.log_conversation(conversation_form(citizen), actor=jobformidler)
    assert conversation.author == jobformidler
    follow_up = FollowUp.objects.for_subject(citizen).get()
    assert conversation.follow_up == follow_up
    assert (follow_up.owner, follow_up.title, follow_up.due_on) == (
        jobformidler,
        "Send CV",
        dt.date(2026, 12, 9),
    )


def test_correct_conversation_asks_the_same_rule_as_the_page(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    conversation = ConversationFactory.create(
        citizen=CitizenFactory.create(team=team), author=jobformidler
    )
    colleague = make_staff(Role.JOBFORMIDLER, team, username="kollega")
    form = ConversationEditForm(
        conversation_form().data, instance=conversation, reason_required=True
    )
    form.data = {**form.data, "reason": "Sagssparring"}
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        services.correct_conversation(form, actor=colleague)
    # The team's teamleder may, inside the window too, and the stored version is kept.
    revision = services.correct_conversation(form, actor=teamleder)
    assert isinstance(revision, ConversationRevision)
    assert (revision.by, revision.reason) == (teamleder, "Sagssparring")
    assert revision.snapshot["note"] == "Samtale om jobmål."
    conversation.refresh_from_db()
    assert conversation.note == "Talte om lagerjob."


def test_end_job_goal_once(team: Team, jobformidler: User) -> None:
    goal = JobGoalFactory.create(citizen=CitizenFactory.create(team=team))
    assert services.end_job_goal(goal, actor=jobformidler, on=JAN)
    assert not services.end_job_goal(goal, actor=jobformidler)
    goal.refresh_from_db()
    assert goal.ended_on == JAN
    assert AuditEvent.objects.get().changes == {"ended_on": [None, "2025-01-01"]}


def test_sub_goal_status_keeps_closed_on_in_step(team: Team, jobformidler: User) -> None:
    goal = SubGoalFactory.create(citizen=CitizenFactory.create(team=team), title="Mød stabilt")
    data = {"title": goal.title, "due_on": "", "owner": "", "status": SubGoalStatus.OPGIVET}
    form = SubGoalForm(data, instance=goal)
    assert form.is_valid(), form.errors
    assert services.update_sub_goal(form, actor=jobformidler)
    goal.refresh_from_db()
    assert goal.closed_on == dt.date(2026, 12, 2)
    form = SubGoalForm({**data, "status": SubGoalStatus.AABEN}, instance=goal)
    assert form.is_valid(), form.errors
    assert services.update_sub_goal(form, actor=jobformidler)
    goal.refresh_from_db()
    assert goal.closed_on is None
    assert PlanRevision.objects.filter(plan=goal.plan).count() == 2


def test_record_reviews_closes_achieved_sub_goals_with_one_revision(
    team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team)
    achieved = SubGoalFactory.create(citizen=citizen, title="Cykel til arbejde")
    moving = SubGoalFactory.create(citizen=citizen, title="Mød stabilt")
    saved = services.record_reviews(
        [(achieved, ReviewOutcome.OPNAAET, "Klaret"), (moving, ReviewOutcome.BEVAEGER, "")],
        actor=jobformidler,
        context=AuditContext(ip_address="10.0.0.7"),
        day=JAN,
    )
    assert [r.outcome for r in saved] == [ReviewOutcome.OPNAAET, ReviewOutcome.BEVAEGER]
    achieved.refresh_from_db()
    assert (achieved.status, achieved.closed_on) == (SubGoalStatus.OPNAAET, JAN)
    assert PlanRevision.objects.get().summary == "Delmål opnået ved progressionsmåling"
    events = AuditEvent.objects.filter(action=AuditAction.CREATE)
    assert [e.citizen_id for e in events] == [citizen.pk, citizen.pk]
    assert {e.ip_address for e in events} == {"10.0.0.7"}


def test_mark_follow_up_done_is_idempotent(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team)
    follow_up = FollowUpFactory.create(owner=jobformidler, subject=citizen)
    assert services.mark_follow_up_done(follow_up, actor=jobformidler)
    assert not services.mark_follow_up_done(follow_up, actor=jobformidler)
    assert AuditEvent.objects.get().citizen_id == citizen.pk
