"""The writers of the citizens package: nothing else in it saves a model (docs/architecture.md;
the demo data's bulk inserts are the one exception).

Every service takes the acting user (``actor``) and an ``AuditContext`` (``AuditContext.of
(request)`` in a view, ``SYSTEM`` from Celery, a command or the shell), never a request. It
runs in its own ``transaction.atomic()`` (a savepoint inside a request, where
``ATOMIC_REQUESTS`` is on as well), keeps derived state (the assignment history, a
conversation's follow-up, a sub-goal's ``closed_on``, plan revisions) and writes the audit rows
with ``substitution.audit.write``.

Services that save what a form parsed take the bound, valid form: the form holds the new
values and, for the audit row, what they were before. The rules they apply live in the domain
modules (``conversations``, ``followups``, ``plans``, ``caseload``, ``citizen_import``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.citizens import conversations, facts, followups, history_import, month_facts, plans
from cases.citizens.caseload import reassignment_errors
from cases.citizens.citizen_import import ImportPlan, plan_import
from cases.citizens.forms import (
    CitizenForm,
    ConsentForm,
    ConversationEditForm,
    ConversationForm,
    JobGoalForm,
    PlanForm,
    ProfileForm,
    SubGoalForm,
)
from cases.citizens.models import (
    Assignment,
    BenefitPeriod,
    BenefitType,
    Citizen,
    CitizenStatus,
    Consent,
    Conversation,
    ConversationRevision,
    JobGoal,
    Plan,
    PlanRevision,
    ProgressReview,
    ReviewOutcome,
    SubGoal,
    SubGoalStatus,
    VisitationGroup,
    VisitationPeriod,
)
from substitution import audit, days, versioning
from substitution.audit import SYSTEM, AuditContext
from substitution.models import AuditAction, FollowUp, Unit, User

# --- assignments -----------------------------------------------------------------------------


@transaction.atomic
def assign(
    citizen: Citizen,
    jobformidler: User | None,
    *,
    actor: User | None = None,
    on: dt.date | None = None,
    refresh_facts: bool = True,
) -> bool:
    """Make ``jobformidler`` the citizen's personal jobformidler from ``on`` (default today):
    the only writer of ``Citizen.jobformidler`` and ``Assignment`` rows, so the current
    jobformidler and the history cannot disagree. ``actor`` is kept as ``assigned_by``. The
    month facts' jobformidler (``CitizenMonth.jobformidler``) is refreshed from ``on``'s
    month; ``refresh_facts=False``: the caller refreshes several citizens at once.

    Closes the open assignment (ended the day before ``on``, or ``on`` itself when it started
    that day). Returns False when nothing changed. Writes no audit row: the service it is part
    of (creating, reassigning, importing a citizen) audits the change as a whole.
    """
    on = on or days.today()
    if citizen.jobformidler_id == (jobformidler.pk if jobformidler else None):
        return False
    open_rows = Assignment.objects.select_for_update().filter(
        citizen=citizen, ended_on__isnull=True
    )
    for row in open_rows:
        row.ended_on = max(row.started_on, on - dt.timedelta(days=1))
        row.save(update_fields=["ended_on"])
    if jobformidler is not None:
        Assignment.objects.create(
            citizen=citizen, jobformidler=jobformidler, started_on=on, assigned_by=actor
        )
    citizen.jobformidler = jobformidler
    citizen.save(update_fields=["jobformidler", "updated_at"])
    if refresh_facts:
        month_facts.refresh([citizen.pk], since=on)
    return True


@transaction.atomic
def reassign_many(
    citizens: Iterable[Citizen],
    jobformidler: User,
    *,
    actor: User,
    context: AuditContext = SYSTEM,
    on: dt.date | None = None,
) -> int:
    """A team lead gives ``citizens`` (already limited to those the actor may see) to another
    jobformidler of their team. Refused with ``ValidationError`` (Danish messages) unless
    ``caseload.reassignment_errors`` allows it; one audit row per citizen that changed.
    Returns how many changed."""
    citizens = list(citizens)
    errors = reassignment_errors(actor, citizens, jobformidler)
    if errors:
        raise ValidationError(errors)
    changed: list[int] = []
    for citizen in citizens:
        before = str(citizen.jobformidler or "")
        if assign(citizen, jobformidler, actor=actor, on=on, refresh_facts=False):
            changed.append(citizen.pk)
            audit.write(
                actor,
                AuditAction.CHANGE,
                citizen,
                context=context,
                citizen_id=citizen.pk,
                changes={"jobformidler": [before, str(jobformidler)]},
            )
    if changed:
        month_facts.refresh(changed, since=on or days.today())
    return len(changed)


# --- the citizen record ----------------------------------------------------------------------


@transaction.atomic
def create_citizen(form: CitizenForm, *, actor: User, context: AuditContext = SYSTEM) -> Citizen:
    """Create the citizen of a valid ``CitizenForm``, with its jobformidler when one is chosen.
    The audit row never holds the full CPR number."""
    citizen = _save_record(form)
    if form.cleaned_data.get("jobformidler"):
        assign(citizen, form.cleaned_data["jobformidler"], actor=actor)
    facts.refresh([citizen.pk])  # its step (a case may be registered closed)
    changes = audit.form_changes(form)
    changes.pop("cpr", None)
    audit.write(
        actor, AuditAction.CREATE, citizen, context=context, citizen_id=citizen.pk, changes=changes
    )
    return citizen


def _save_record(form: CitizenForm) -> Citizen:
    """Save the citizen of a valid ``CitizenForm``: a new one is in its team's jobcentre, and a
    change of status dates ``status_changed_on``."""
    citizen: Citizen = form.save(commit=False)
    if not citizen.pk:
        citizen.unit_id = form.cleaned_data["team"].unit_id
    if "status" in form.changed_data:
        citizen.status_changed_on = days.today()
    citizen.save()
    form.save_m2m()
    sync_periods(citizen)
    return citizen


def sync_periods(citizen: Citizen, day: dt.date | None = None) -> None:
    """Keep the visitation and benefit history in step with the citizen's current group and
    benefit (the record's fields are the open periods' copies; ``check_data`` holds them to
    each other). A change closes the open period the day before the new one starts: the new
    visitation on its ``visitation_date`` when that is later than the open period's start,
    else today; a new benefit today (the first on ``benefit_spell_start``). Called by every
    writer of the citizen record."""
    day = day or days.today()
    _sync_period(
        citizen.visitation_periods,
        "group_id",
        citizen.visitation_group_id,
        citizen.visitation_date,
        day,
    )
    _sync_period(
        citizen.benefit_periods,
        "benefit_type_id",
        citizen.benefit_type_id,
        citizen.benefit_spell_start,
        day,
        later_start=False,
    )


def _sync_period(
    periods: Any,
    field: str,
    value: int | None,
    typed_start: dt.date | None,
    day: dt.date,
    later_start: bool = True,
) -> None:
    current = periods.filter(ends_on__isnull=True).first()
    if (current.__dict__[field] if current else None) == value:
        return
    if current is None:
        start = min(typed_start or day, day)
        # After ended periods (history, e.g. from the import) the new one starts after them.
        latest_end = periods.aggregate(m=Max("ends_on"))["m"]
        if latest_end is not None and start <= latest_end:
            start = latest_end + dt.timedelta(days=1)
    elif later_start and typed_start and current.starts_on < typed_start <= day:
        start = typed_start
    else:
        start = day
    if current is not None:
        current.ends_on = max(start - dt.timedelta(days=1), current.starts_on)
        current.save(update_fields=["ends_on"])
    if value is not None:
        periods.create(**{field: value, "starts_on": start})


@transaction.atomic
def update_citizen(
    form: CitizenForm | ProfileForm, *, actor: User, context: AuditContext = SYSTEM
) -> Citizen:
    """Save a valid edit of the citizen record (``CitizenForm``: the stamdata; ``ProfileForm``:
    CV, resources and barriers). Raises ``StaleEdit`` (nothing saved) when the citizen was
    saved by someone else since the form was loaded."""
    versioning.claim(form.instance, form.loaded(), noun=_("Borgeren"))
    citizen = _save_record(form) if isinstance(form, CitizenForm) else form.save()
    # The status decides the step (closed, reopened); and a save writes every column, so the
    # maintained facts are written again from their inputs, not from what the form loaded.
    facts.refresh([citizen.pk])
    audit.write(
        actor,
        AuditAction.CHANGE,
        citizen,
        context=context,
        citizen_id=citizen.pk,
        changes=audit.form_changes(form),
    )
    return citizen


@transaction.atomic
def add_job_goal(form: JobGoalForm, *, actor: User, context: AuditContext = SYSTEM) -> JobGoal:
    """Save a new job goal (the form's instance carries the citizen)."""
    goal: JobGoal = form.save()
    facts.refresh([goal.citizen_id])  # a job goal: trin 2
    audit.write(
        actor,
        AuditAction.CREATE,
        goal,
        context=context,
        citizen_id=goal.citizen_id,
        changes=audit.form_changes(form),
    )
    return goal


@transaction.atomic
def add_consent(form: ConsentForm, *, actor: User, context: AuditContext = SYSTEM) -> Consent:
    """Record a consent given by the citizen, recorded by ``actor``."""
    consent: Consent = form.save(commit=False)
    consent.recorded_by = actor
    consent.save()
    audit.write(
        actor,
        AuditAction.CREATE,
        consent,
        context=context,
        citizen_id=consent.citizen_id,
        changes=audit.form_changes(form),
    )
    return consent


def end_job_goal(
    goal: JobGoal, *, actor: User, context: AuditContext = SYSTEM, on: dt.date | None = None
) -> bool:
    """End a job goal on ``on`` (default today); it stays as history. False if already ended."""
    return _end(goal, "ended_on", actor=actor, context=context, on=on)


def withdraw_consent(
    consent: Consent, *, actor: User, context: AuditContext = SYSTEM, on: dt.date | None = None
) -> bool:
    """Withdraw a consent on ``on`` (default today); it stays as history. False if already
    withdrawn."""
    return _end(consent, "withdrawn_on", actor=actor, context=context, on=on)


@transaction.atomic
def _end(
    record: JobGoal | Consent,
    field: str,
    *,
    actor: User,
    context: AuditContext,
    on: dt.date | None,
) -> bool:
    """Set a dated record's end once, audit-logged."""
    if getattr(record, field) is not None:
        return False
    on = on or days.today()
    setattr(record, field, on)
    record.save(update_fields=[field])
    if isinstance(record, JobGoal):
        facts.refresh([record.citizen_id])  # the step (a goal ended today no longer counts)
    audit.write(
        actor,
        AuditAction.CHANGE,
        record,
        context=context,
        citizen_id=record.citizen_id,
        changes={field: [None, on.isoformat()]},
    )
    return True


# --- the plan --------------------------------------------------------------------------------


def _revise(plan: Plan, actor: User, summary: str) -> PlanRevision:
    """Keep the plan as it is now (after every change)."""
    return PlanRevision.objects.create(
        plan=plan, by=actor, summary=summary[:300], snapshot=plans.snapshot(plan)
    )


@transaction.atomic
def plan_for(citizen: Citizen) -> Plan:
    """The citizen's plan, created empty the first time it is edited."""
    plan, _created = Plan.objects.get_or_create(citizen=citizen)
    return plan


@transaction.atomic
def update_plan(form: PlanForm, *, actor: User, context: AuditContext = SYSTEM) -> bool:
    """Save a changed end goal with a plan revision. False (nothing written) when the form
    changed nothing. Raises ``StaleEdit`` (nothing saved) when the plan was saved by someone
    else since the form was loaded."""
    if not form.has_changed():
        return False
    versioning.claim(form.instance, form.loaded(), noun=_("Planen"))
    plan: Plan = form.save()
    _revise(plan, actor, _("Slutmål ændret"))
    audit.write(
        actor,
        AuditAction.CHANGE,
        plan,
        context=context,
        citizen_id=plan.citizen_id,
        changes=audit.form_changes(form),
    )
    return True


@transaction.atomic
def add_sub_goal(form: SubGoalForm, *, actor: User, context: AuditContext = SYSTEM) -> SubGoal:
    """Add a sub-goal to a plan (the form's instance carries it), with a plan revision."""
    goal: SubGoal = form.save()
    _revise(goal.plan, actor, _("Delmål tilføjet: %s") % goal.title)
    audit.write(
        actor,
        AuditAction.CREATE,
        goal,
        context=context,
        citizen_id=goal.plan.citizen_id,
        changes=audit.form_changes(form),
    )
    return goal


@transaction.atomic
def update_sub_goal(form: SubGoalForm, *, actor: User, context: AuditContext = SYSTEM) -> bool:
    """Save a changed sub-goal (a new status opens or closes it) with a plan revision. False
    (nothing written) when the form changed nothing."""
    if not form.has_changed():
        return False
    goal: SubGoal = form.save(commit=False)
    if "status" in form.changed_data:
        plans.set_status(goal, goal.status, days.today())
    goal.save()
    _revise(goal.plan, actor, _("Delmål ændret: %s") % goal.title)
    audit.write(
        actor,
        AuditAction.CHANGE,
        goal,
        context=context,
        citizen_id=goal.plan.citizen_id,
        changes=audit.form_changes(form),
    )
    return True


@transaction.atomic
def record_reviews(
    entries: list[tuple[SubGoal, str, str]],
    *,
    actor: User,
    context: AuditContext = SYSTEM,
    day: dt.date | None = None,
) -> list[ProgressReview]:
    """Save one progression review per (sub-goal, outcome, note) of one plan. An achieved
    sub-goal is closed, and the plan gets a revision when any sub-goal closed."""
    day = day or days.today()
    saved = []
    closed: Plan | None = None
    for sub_goal, outcome, note in entries:
        review = ProgressReview.objects.create(
            sub_goal=sub_goal, reviewed_on=day, by=actor, outcome=outcome, note=note[:300]
        )
        saved.append(review)
        if outcome == ReviewOutcome.OPNAAET and sub_goal.status == SubGoalStatus.AABEN:
            plans.set_status(sub_goal, SubGoalStatus.OPNAAET, day)
            sub_goal.save(update_fields=["status", "closed_on"])
            closed = sub_goal.plan
        audit.write(
            actor,
            AuditAction.CREATE,
            review,
            context=context,
            citizen_id=sub_goal.plan.citizen_id,
            changes={"outcome": [None, review.outcome], "note": [None, review.note]},
            object_repr=f"{sub_goal.title}: {review.get_outcome_display()}",
        )
    if closed is not None:
        _revise(closed, actor, _("Delmål opnået ved progressionsmåling"))
    return saved


# --- conversations and follow-ups ------------------------------------------------------------


def _conversation_repr(conversation: Conversation) -> str:
    return _("Samtale med %(name)s") % {"name": conversation.citizen.full_name}


def _follow_up_from(conversation: Conversation, due_time: dt.time | None = None) -> FollowUp | None:
    """The agreed next step with a due date (and, for a meeting, a time) becomes a follow-up
    owned by the author."""
    if not followups.agreed_next_step(conversation):
        return None
    assert conversation.next_step_due is not None
    follow_up = FollowUp.objects.create(
        owner=conversation.author,
        due_on=conversation.next_step_due,
        due_time=due_time,
        title=conversation.next_step,
        subject=conversation.citizen,
        created_by=conversation.author,
    )
    conversation.follow_up = follow_up
    conversation.save(update_fields=["follow_up"])
    return follow_up


def _sync_follow_up(conversation: Conversation, due_time: dt.time | None = None) -> FollowUp | None:
    """After a correction: the open follow-up follows the corrected next step and due date.

    A next step added by the correction creates the follow-up; one removed deletes the open
    follow-up it had created (it was logged in error). A follow-up already done is history
    and is left alone.
    """
    follow_up = conversation.follow_up
    wanted = followups.agreed_next_step(conversation)
    if follow_up is None:
        return _follow_up_from(conversation, due_time) if wanted else None
    if follow_up.done_at is not None:
        return follow_up
    if not wanted:
        conversation.follow_up = None
        conversation.save(update_fields=["follow_up"])
        follow_up.delete()
        return None
    wanted_fields = (conversation.next_step[:300], conversation.next_step_due, due_time)
    if (follow_up.title, follow_up.due_on, follow_up.due_time) != wanted_fields:
        assert conversation.next_step_due is not None
        follow_up.title = conversation.next_step[:300]
        follow_up.due_on = conversation.next_step_due
        follow_up.due_time = due_time
        follow_up.save(update_fields=["title", "due_on", "due_time"])
    return follow_up


@transaction.atomic
def log_conversation(
    form: ConversationForm, *, actor: User, context: AuditContext = SYSTEM
) -> Conversation:
    """Save a new conversation held by ``actor``; its next step with a due date becomes a
    follow-up. The citizen is the form instance's, or the one chosen in the form (Min dag)."""
    conversation: Conversation = form.save(commit=False)
    if "citizen" in form.cleaned_data:
        conversation.citizen = form.cleaned_data["citizen"]
    conversation.author = actor
    conversation.save()
    _follow_up_from(conversation, form.cleaned_data.get("next_step_time"))
    facts.refresh([conversation.citizen_id])
    month_facts.refresh([conversation.citizen_id], since=days.local_date(conversation.occurred_at))
    changes = audit.form_changes(form)
    changes.pop("citizen", None)
    audit.write(
        actor,
        AuditAction.CREATE,
        conversation,
        context=context,
        citizen_id=conversation.citizen_id,
        changes=changes,
        object_repr=_conversation_repr(conversation),
    )
    return conversation


@transaction.atomic
def correct_conversation(
    form: ConversationEditForm, *, actor: User, context: AuditContext = SYSTEM
) -> ConversationRevision | None:
    """Save a correction of a conversation. Only those ``conversations.may_correct`` allows
    (``PermissionDenied`` otherwise); after the free window, or by anyone but the author, the
    stored version is kept as a revision with the form's reason. The open follow-up follows
    the corrected next step."""
    conversation: Conversation = form.instance
    if not conversations.may_correct(conversation, actor):
        raise PermissionDenied
    keep_revision = conversations.reason_required(conversation, actor)
    stored = Conversation.objects.select_for_update().get(pk=conversation.pk)
    before = conversations.snapshot(stored)
    form.save()
    _sync_follow_up(conversation, form.cleaned_data.get("next_step_time"))
    facts.refresh([conversation.citizen_id])
    month_facts.refresh(
        [conversation.citizen_id],
        since=days.local_date(min(stored.occurred_at, conversation.occurred_at)),
    )
    audit.write(
        actor,
        AuditAction.CHANGE,
        conversation,
        context=context,
        citizen_id=conversation.citizen_id,
        changes=audit.form_changes(form),
        object_repr=_conversation_repr(conversation),
    )
    if not keep_revision:
        return None
    reason: str = form.cleaned_data.get("reason", "")
    return ConversationRevision.objects.create(
        conversation=conversation, by=actor, reason=reason[:300], snapshot=before
    )


@transaction.atomic
def add_follow_up(
    citizen: Citizen,
    *,
    owner: User,
    due_on: dt.date,
    title: str,
    actor: User,
    context: AuditContext = SYSTEM,
) -> FollowUp:
    """A follow-up on ``citizen`` for ``owner`` by ``due_on``, written by a feature above
    citizens (a case review's decision, reporting.dashboards); the citizen's maintained next
    follow-up is refreshed."""
    follow_up = FollowUp.objects.create(
        owner=owner, due_on=due_on, title=title[:300], subject=citizen, created_by=actor
    )
    facts.refresh([citizen.pk])
    audit.write(
        actor,
        AuditAction.CREATE,
        follow_up,
        context=context,
        citizen_id=citizen.pk,
        changes={"due_on": [None, due_on.isoformat()], "owner": [None, str(owner)]},
    )
    return follow_up


@transaction.atomic
def mark_follow_up_done(
    follow_up: FollowUp,
    *,
    actor: User,
    context: AuditContext = SYSTEM,
    now: dt.datetime | None = None,
) -> bool:
    """Mark done (idempotent): False, and nothing written, when it already was."""
    if follow_up.done_at is not None:
        return False
    follow_up.done_at = now or timezone.now()
    follow_up.save(update_fields=["done_at"])
    is_citizen = follow_up.subject_type_id == followups.citizen_type().pk
    if is_citizen:
        facts.refresh([follow_up.subject_id])
    audit.write(
        actor,
        AuditAction.CHANGE,
        follow_up,
        context=context,
        citizen_id=follow_up.subject_id if is_citizen else None,
        changes={"done_at": [None, follow_up.done_at.isoformat()]},
    )
    return True


# --- the citizen import ----------------------------------------------------------------------


@transaction.atomic
def apply_import(
    plan: ImportPlan,
    unit: Unit,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    source: str = "",
) -> dict[str, int]:
    """Write a valid import plan (``citizen_import.plan_import``): create new citizens, update
    changed ones (jobformidler through ``assign``), audit-log each change and the import as a
    whole. ``actor`` is None for a command run without ``--user``."""
    if not plan.is_valid:
        raise ValueError("An import plan with errors cannot be applied")
    touched: list[int] = []
    for row in plan.rows:
        if row.existing is None:
            citizen = Citizen(unit=unit, cpr=row.cpr, **row.values)
            citizen.save()
            sync_periods(citizen)
            if row.jobformidler is not None:
                assign(citizen, row.jobformidler, actor=actor, refresh_facts=False)
            changes: dict[str, Any] = {"import": source or "csv"}
            action = AuditAction.CREATE
        elif row.changes:
            citizen = row.existing
            changed = [name for name in row.values if name in row.changes]
            for name in changed:
                setattr(citizen, name, row.values[name])
            if changed:
                # Fields of the citizen form: an edit loaded before the import is stale.
                citizen.save(update_fields=[*changed, "updated_at"])
                Citizen.objects.filter(pk=citizen.pk).update(**versioning.bumped())
                sync_periods(citizen)
            if row.jobformidler is not None:
                assign(citizen, row.jobformidler, actor=actor, refresh_facts=False)
            changes, action = dict(row.changes), AuditAction.CHANGE
        else:
            continue
        touched.append(citizen.pk)
        audit.write(actor, action, citizen, context=context, citizen_id=citizen.pk, changes=changes)
    if touched:
        facts.refresh(touched)  # a status in the file decides the step
        month_facts.refresh(touched, since=days.today())  # the jobformidler assigned today
    counts = plan.counts()
    audit.write(
        actor,
        AuditAction.IMPORT,
        None,
        context=context,
        object_repr=_("Import af borgere: %(file)s") % {"file": source or "csv"},
        changes={"oprettet": counts["created"], "opdateret": counts["updated"],
                 "uændret": counts["unchanged"]},
    )  # fmt: skip
    return counts


def import_citizens(
    data: bytes,
    unit: Unit,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    dry_run: bool = False,
    source: str = "",
) -> ImportPlan:
    """Validate ``data``; apply it unless it has errors or ``dry_run``. Returns the plan
    (its ``errors`` and ``counts()`` are the report)."""
    plan = plan_import(data, unit)
    if plan.is_valid and not dry_run:
        apply_import(plan, unit, actor=actor, context=context, source=source)
    return plan


# --- the history import (benefit periods, visitation periods, exits) ---------------------------


def _period_repr(periods: Iterable[history_import.Period], labels: dict[int, str]) -> str:
    return "; ".join(
        f"{labels.get(value, value)} {history_import.fmt(first)}–{history_import.fmt(last)}"
        for value, first, last in periods
    )


@transaction.atomic
def apply_history(
    plan: history_import.HistoryPlan,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    source: str = "",
) -> history_import.HistoryPlan:
    """Write a valid plan of benefit periods, visitation periods or exits
    (``history_import.plan_history``). Periods are written directly (``sync_periods`` is not
    asked: the file holds the history) and the citizen's own fields are set to the open
    period's, so ``sync_periods`` finds nothing to change afterwards. One audit row per changed
    citizen and one for the file."""
    if not plan.is_valid:
        raise ValueError("An import plan with errors cannot be applied")
    kind = plan.kind
    if kind == history_import.EXITS:
        for change in plan.items:
            citizen = change.citizen
            before = {
                "status": citizen.status,
                "exit_date": str(citizen.exit_date) if citizen.exit_date else None,
                "exit_reason": citizen.exit_reason_id,
            }
            citizen.status = CitizenStatus.AFSLUTTET
            citizen.status_changed_on = change.exit_date
            citizen.exit_date = change.exit_date
            citizen.exit_reason = change.reason
            citizen.save(
                update_fields=["status", "status_changed_on", "exit_date", "exit_reason",
                               "updated_at"]
            )  # fmt: skip
            Citizen.objects.filter(pk=citizen.pk).update(**versioning.bumped())
            facts.refresh([citizen.pk])  # closed: afsluttet
            after = {
                "status": citizen.status,
                "exit_date": str(change.exit_date),
                "exit_reason": change.reason.pk,
            }
            changes: dict[str, Any] = {
                k: [before[k], after[k]] for k in after if before[k] != after[k]
            }
            changes["import"] = source or "csv"
            audit.write(
                actor, AuditAction.CHANGE, citizen, context=context, citizen_id=citizen.pk,
                changes=changes,
            )  # fmt: skip
    else:
        benefit = kind == history_import.BENEFIT
        model: Any = BenefitPeriod if benefit else VisitationPeriod
        value_field = "benefit_type_id" if benefit else "group_id"
        code_model: Any = BenefitType if benefit else VisitationGroup
        labels = {pk: str(label) for pk, label in code_model.objects.values_list("pk", "label")}
        name = "ydelsesperioder" if benefit else "visitationsperioder"
        for change in plan.items:
            citizen = change.citizen
            old = sorted(change.existing, key=lambda p: (p[1], p[0]))
            # Removed first: the one-open-period constraint holds after every statement.
            model.objects.filter(pk__in=change.to_delete).delete()
            model.objects.bulk_create(
                model(citizen=citizen, **{value_field: value}, starts_on=first, ends_on=last)
                for value, first, last in change.to_create
            )
            open_period = change.open_period
            fields: list[str] = []
            if benefit:
                citizen.benefit_type_id = open_period[0] if open_period else None
                fields = ["benefit_type"]
            elif open_period is not None:
                citizen.visitation_group_id = open_period[0]
                citizen.visitation_date = open_period[1]
                fields = ["visitation_group", "visitation_date"]
            if fields:
                citizen.save(update_fields=[*fields, "updated_at"])
                Citizen.objects.filter(pk=citizen.pk).update(**versioning.bumped())
            audit.write(
                actor,
                AuditAction.CHANGE,
                citizen,
                context=context,
                citizen_id=citizen.pk,
                changes={
                    name: [_period_repr(old, labels), _period_repr(change.periods, labels)],
                    "import": source or "csv",
                },
            )
    audit.write(
        actor,
        AuditAction.IMPORT,
        None,
        context=context,
        object_repr=_("Import af %(kind)s: %(file)s")
        % {"kind": str(history_import.KIND_LABELS[kind]).lower(), "file": source or "csv"},
        changes={"oprettet": plan.created, "opdateret": plan.updated, "uændret": plan.unchanged,
                 "fjernet": plan.removed},
    )  # fmt: skip
    return plan


def import_history(
    kind: str,
    data: bytes,
    unit: Unit,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    dry_run: bool = False,
    source: str = "",
) -> history_import.HistoryPlan:
    """Validate a history file (ydelser, visitation, afslutninger); write it unless it has
    errors or ``dry_run``. The plan's ``errors`` and ``counts()`` are the report."""
    plan = history_import.plan_history(kind, data, unit)
    if plan.is_valid and not dry_run:
        apply_history(plan, actor=actor, context=context, source=source)
    return plan
