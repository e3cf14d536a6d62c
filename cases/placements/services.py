"""Placements (virksomhedsforløb): the one writer of placements, their status and task effects.

Status decision: **the dates decide**. ``status_on(placement, day)`` derives planlagt / aktiv /
afsluttet from ``starts_on`` / ``ends_on``; ``PlacementQuerySet.active_on`` uses the same rule
in SQL, and the citizen's step (``cases.steps``) uses ``active_on``. The stored
``Placement.status`` column is a denormalised copy for filtering: it is written only here, on
every start, edit and end, and ``refresh_statuses(day)`` brings rows whose dates have passed
(a planned start reached, an end date passed) up to date in three UPDATE statements. Pages show
the derived status, so a stale column can never mislead a user.

Tasks: a task is *besat* while the placements on it that have not ended fill its positions, and
reopens (*åben*) when one is freed. ``sync_task_status`` is the only code that changes a task's
status for this reason; a *lukket* or merely *identificeret* task is left alone unless it fills.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.citizens.models import Citizen
from cases.matching.models import MatchProposal
from cases.placements.models import Placement, PlacementEndReason, PlacementStatus, WorkAgreement
from companies.models import Company, PlacementType, Task, TaskStatus
from substitution.audit import changed_fields, record
from substitution.models import AuditAction

# Type codes that are unpaid praktik (for the alerts). Codes are data in PlacementType; this
# names which of them the praktik alerts watch.
PRAKTIK_CODES = frozenset({"virksomhedspraktik"})

FIELDS = ("company", "task", "type", "starts_on", "ends_on", "planned_hours_per_week")


def status_on(starts_on: dt.date, ends_on: dt.date | None, day: dt.date) -> str:
    """planlagt before the start, afsluttet after the end date, aktiv in between (inclusive)."""
    if starts_on > day:
        return PlacementStatus.PLANLAGT
    if ends_on is not None and ends_on < day:
        return PlacementStatus.AFSLUTTET
    return PlacementStatus.AKTIV


def current_status(placement: Placement, day: dt.date | None = None) -> str:
    return status_on(placement.starts_on, placement.ends_on, day or timezone.localdate())


def status_label(placement: Placement, day: dt.date | None = None) -> str:
    return str(PlacementStatus(current_status(placement, day)).label)


def _validate(
    citizen: Citizen,
    company: Company,
    task: Task | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
    planned: Decimal,
) -> None:
    errors: dict[str, list[str]] = {}
    if company.unit_id != citizen.unit_id:
        errors.setdefault("company", []).append(_("Virksomheden hører til et andet jobcenter."))
    if task is not None and task.company_id != company.pk:
        errors.setdefault("task", []).append(_("Opgaven hører ikke til den valgte virksomhed."))
    if ends_on is not None and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("Slutdatoen ligger før startdatoen."))
    if planned < 0 or planned > 80:
        errors.setdefault("planned_hours_per_week", []).append(
            _("Planlagte timer skal være mellem 0 og 80.")
        )
    if errors:
        raise ValidationError(errors)


def _snapshot(placement: Placement) -> dict[str, Any]:
    return {
        "company": placement.company_id,
        "task": placement.task_id,
        "type": placement.type_id,
        "starts_on": str(placement.starts_on),
        "ends_on": str(placement.ends_on) if placement.ends_on else None,
        "planned_hours_per_week": str(placement.planned_hours_per_week),
        "status": placement.status,
        "end_reason": placement.end_reason_id,
    }


def start_placement(
    *,
    citizen: Citizen,
    company: Company,
    type: PlacementType,
    starts_on: dt.date,
    planned_hours_per_week: Decimal = Decimal(0),
    task: Task | None = None,
    ends_on: dt.date | None = None,
    proposal: MatchProposal | None = None,
    user: Any = None,
    request: HttpRequest | None = None,
) -> Placement:
    """Create a placement (optionally from a saved match, which is then closed)."""
    _validate(citizen, company, task, starts_on, ends_on, Decimal(planned_hours_per_week))
    today = timezone.localdate()
    with transaction.atomic():
        placement = Placement.objects.create(
            citizen=citizen,
            company=company,
            task=task,
            type=type,
            starts_on=starts_on,
            ends_on=ends_on,
            planned_hours_per_week=planned_hours_per_week,
            status=status_on(starts_on, ends_on, today),
            from_proposal=proposal,
            created_by=user if getattr(user, "pk", None) else None,
        )
        if proposal is not None and proposal.closed_at is None:
            proposal.closed_at = timezone.now()
            proposal.save(update_fields=["closed_at"])
        if task is not None:
            sync_task_status(task, today)
        record(
            request,
            AuditAction.CREATE,
            placement,
            citizen_id=citizen.pk,
            changes=_snapshot(placement),
        )
    return placement


def update_placement(
    placement: Placement,
    changes: dict[str, Any],
    *,
    request: HttpRequest | None = None,
) -> Placement:
    """Change the placement's company, task, type, dates or planned hours."""
    before = _snapshot(placement)
    old_task = placement.task
    for name, value in changes.items():
        if name not in FIELDS:
            raise ValueError(f"Not a placement field: {name}")
        setattr(placement, name, value)
    _validate(
        placement.citizen,
        placement.company,
        placement.task,
        placement.starts_on,
        placement.ends_on,
        Decimal(placement.planned_hours_per_week),
    )
    today = timezone.localdate()
    with transaction.atomic():
        placement.status = current_status(placement, today)
        placement.save()
        for task in {t for t in (old_task, placement.task) if t is not None}:
            sync_task_status(task, today)
        diff = changed_fields(before, _snapshot(placement))
        if diff:
            record(
                request,
                AuditAction.CHANGE,
                placement,
                citizen_id=placement.citizen_id,
                changes=diff,
            )
    return placement


def end_placement(
    placement: Placement,
    *,
    ends_on: dt.date,
    end_reason: PlacementEndReason,
    request: HttpRequest | None = None,
) -> Placement:
    """End a placement: end date, reason and status together (the step follows the dates)."""
    if ends_on < placement.starts_on:
        raise ValidationError({"ends_on": [_("Slutdatoen ligger før startdatoen.")]})
    before = _snapshot(placement)
    today = timezone.localdate()
    with transaction.atomic():
        placement.ends_on = ends_on
        placement.end_reason = end_reason
        placement.status = current_status(placement, today)
        placement.save(update_fields=["ends_on", "end_reason", "status"])
        if placement.task_id:
            sync_task_status(placement.task, today)
        record(
            request,
            AuditAction.CHANGE,
            placement,
            citizen_id=placement.citizen_id,
            changes=changed_fields(before, _snapshot(placement)),
        )
    return placement


def save_agreement(
    agreement: WorkAgreement, *, changes: dict[str, Any], request: HttpRequest | None = None
) -> WorkAgreement:
    """Create or change the work agreement; audit-logged on the citizen."""
    created = agreement.pk is None
    agreement.save()
    record(
        request,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        agreement,
        citizen_id=agreement.placement.citizen_id,
        changes=changes,
        object_repr=f"Arbejdsaftale: {agreement.placement}",
    )
    return agreement


# --- tasks ----------------------------------------------------------------------------------


def occupying(day: dt.date) -> Q:
    """Placements that hold a position on ``day``: not ended (planned ones count)."""
    return Q(placements__ends_on__isnull=True) | Q(placements__ends_on__gte=day)


def sync_task_status(task: Task, day: dt.date | None = None) -> str:
    """Set the task *besat* when its positions are filled, *åben* when a position is freed."""
    sync_task_statuses([task.pk], day)
    task.refresh_from_db(fields=["status", "status_changed_on"])
    return task.status


def sync_task_statuses(task_ids: Iterable[int], day: dt.date | None = None) -> int:
    """Bulk version of ``sync_task_status`` (two UPDATEs). Returns the number of tasks changed."""
    day = day or timezone.localdate()
    tasks = Task.objects.filter(pk__in=list(task_ids)).annotate(
        taken=Count("placements", filter=occupying(day))
    )
    fill = tasks.filter(
        status__in=[TaskStatus.AABEN, TaskStatus.IDENTIFICERET], taken__gte=1
    ).filter(taken__gte=F("positions"))
    free = tasks.filter(status=TaskStatus.BESAT).exclude(taken__gte=F("positions"))
    to_fill = list(fill.values_list("pk", flat=True))
    to_free = list(free.values_list("pk", flat=True))
    changed = Task.objects.filter(pk__in=to_fill).update(
        status=TaskStatus.BESAT, status_changed_on=day
    )
    changed += Task.objects.filter(pk__in=to_free).update(
        status=TaskStatus.AABEN, status_changed_on=day
    )
    return changed


def refresh_statuses(day: dt.date | None = None) -> int:
    """Bring the stored status column in line with the dates (run daily; idempotent)."""
    day = day or timezone.localdate()
    n = (
        Placement.objects.filter(starts_on__gt=day)
        .exclude(status=PlacementStatus.PLANLAGT)
        .update(status=PlacementStatus.PLANLAGT)
    )
    n += (
        Placement.objects.active_on(day)
        .exclude(status=PlacementStatus.AKTIV)
        .update(status=PlacementStatus.AKTIV)
    )
    ended = Placement.objects.filter(ends_on__lt=day).exclude(status=PlacementStatus.AFSLUTTET)
    task_ids = list(ended.exclude(task=None).values_list("task_id", flat=True))
    n += ended.update(status=PlacementStatus.AFSLUTTET)
    if task_ids:
        sync_task_statuses(task_ids, day)
    return n
