"""The only writers of the team lead's dashboard: targets, action plans, case reviews. Each
takes the acting user and an ``AuditContext``, owns its transaction and writes audit rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.citizens import services as citizen_services
from cases.citizens.models import Citizen
from reporting.dashboards.forms import ActionPlanForm, DecisionForm, TargetForm
from reporting.dashboards.models import ActionPlan, CaseReview, CaseReviewItem, Target
from reporting.measures import Period
from substitution import audit
from substitution.audit import SYSTEM, AuditContext
from substitution.models import AuditAction, Team, User

# --- targets ---------------------------------------------------------------------------------


@transaction.atomic
def save_target(form: TargetForm, *, actor: User, context: AuditContext = SYSTEM) -> Target:
    """Create or change a target (the form has checked months and overlaps)."""
    target: Target = form.save(commit=False)
    created = target.pk is None
    target.unit_id = form.unit_id
    target.updated_by = actor
    target.updated_at = timezone.now()
    target.save()
    audit.write(
        actor,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        target,
        context=context,
        changes=audit.form_changes(form),
        object_repr=_("Måltal for %(measure)s") % {"measure": target.measure},
    )
    return target


@transaction.atomic
def delete_target(target: Target, *, actor: User, context: AuditContext = SYSTEM) -> None:
    audit.write(
        actor,
        AuditAction.DELETE,
        target,
        context=context,
        object_repr=_("Måltal for %(measure)s") % {"measure": target.measure},
    )
    target.delete()


# --- explanations and action plans --------------------------------------------------------------


@transaction.atomic
def create_plan(
    form: ActionPlanForm,
    *,
    unit_id: int,
    team: Team | None,
    measure: str,
    period: Period,
    figure_display: str,
    target_display: str,
    status: str,
    actor: User,
    context: AuditContext = SYSTEM,
) -> ActionPlan:
    plan: ActionPlan = form.save(commit=False)
    plan.unit_id = unit_id
    plan.team = team
    plan.measure = measure
    plan.period_first, plan.period_last = period.first, period.last
    plan.figure_display = figure_display[:40]
    plan.target_display = target_display[:40]
    plan.status = status
    plan.created_by = actor
    plan.save()
    audit.write(
        actor,
        AuditAction.CREATE,
        plan,
        context=context,
        changes=audit.form_changes(form),
        object_repr=_("Handlingsplan for %(measure)s") % {"measure": measure},
    )
    return plan


@transaction.atomic
def close_plan(
    plan: ActionPlan,
    note: str,
    *,
    actor: User,
    context: AuditContext = SYSTEM,
    now: dt.datetime | None = None,
) -> bool:
    """Close an open plan (idempotent: False, nothing written, when it already was)."""
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.closed_at is not None:
        return False
    locked.closed_at = now or timezone.now()
    locked.closed_by = actor
    locked.closing_note = note
    locked.save(update_fields=["closed_at", "closed_by", "closing_note"])
    audit.write(
        actor,
        AuditAction.CHANGE,
        locked,
        context=context,
        changes={"closed_at": [None, locked.closed_at.isoformat()]},
        object_repr=_("Handlingsplan for %(measure)s") % {"measure": locked.measure},
    )
    plan.closed_at, plan.closed_by, plan.closing_note = locked.closed_at, actor, note
    return True


# --- case reviews (sagssparring) -------------------------------------------------------------


@transaction.atomic
def start_review(
    citizens: Sequence[Citizen],
    *,
    team: Team,
    jobformidler: User,
    held_on: dt.date,
    measure: str = "",
    period: Period | None = None,
    actor: User,
    context: AuditContext = SYSTEM,
) -> CaseReview:
    """A case review of ``citizens`` (already checked visible to ``actor``)."""
    review = CaseReview.objects.create(
        unit_id=team.unit_id,
        team=team,
        jobformidler=jobformidler,
        led_by=actor,
        measure=measure,
        period_first=period.first if period else None,
        period_last=period.last if period else None,
        held_on=held_on,
    )
    CaseReviewItem.objects.bulk_create(
        [CaseReviewItem(review=review, citizen=citizen) for citizen in citizens]
    )
    audit.write_many(
        audit.event(
            actor,
            AuditAction.CREATE,
            review,
            context=context,
            citizen_id=citizen.pk,
            object_repr=_("Sagssparring om %(name)s") % {"name": citizen.full_name},
        )
        for citizen in citizens
    )
    return review


@transaction.atomic
def record_decision(
    item: CaseReviewItem,
    form: DecisionForm,
    *,
    actor: User,
    context: AuditContext = SYSTEM,
) -> CaseReviewItem:
    """The decision about one citizen: on the citizen's timeline (``timeline.decisions``),
    and a follow-up for the review's jobformidler by the chosen date. A second decision on
    the same citizen replaces the text; the follow-up it created stays as it is and a new one
    is made."""
    data = form.cleaned_data
    item = (
        CaseReviewItem.objects.select_for_update()
        .select_related("review", "citizen")
        .get(pk=item.pk)
    )
    item.decision = data["decision"]
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.follow_up = citizen_services.add_follow_up(
        item.citizen,
        owner=item.review.jobformidler,
        due_on=data["follow_up_on"],
        title=data.get("follow_up_title") or _("Opfølgning på sagssparring"),
        actor=actor,
        context=context,
    )
    item.save(update_fields=["decision", "decided_at", "decided_by", "follow_up"])
    audit.write(
        actor,
        AuditAction.CHANGE,
        item,
        context=context,
        citizen_id=item.citizen_id,
        changes={"decision": [None, item.decision]},
        object_repr=_("Beslutning i sagssparring om %(name)s") % {"name": item.citizen.full_name},
    )
    return item
