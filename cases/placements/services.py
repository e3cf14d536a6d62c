"""The only writers of placements, work agreements and ordinary hours (docs/architecture.md).

Every service takes the acting user (``actor``; None for the system itself) and an audit
context (``AuditContext.of(request)`` in a view, ``SYSTEM`` from Celery, a command or the
shell), never an ``HttpRequest``; it validates, writes in its own ``transaction.atomic()``
(a savepoint inside a request, whose ``ATOMIC_REQUESTS`` transaction stays on), keeps the
derived state and writes the audit row with ``substitution.audit.write``.

Status: **the dates decide** (``status_on`` in ``cases.placements.models``, with its SQL
twin ``PlacementQuerySet.with_status_on``). The stored ``Placement.status`` column is a
denormalised copy for filtering: it is written only here, on every start, edit and end, and
``refresh_statuses(day)`` brings rows whose dates have passed (a planned start reached, an end
date passed) up to date. Pages show the derived status, so a stale column never misleads.

Tasks: a task is *besat* while the placements on it that have not ended fill its positions, and
reopens (*åben*) when one is freed. ``sync_task_statuses`` is the only code that changes a
task's status for this reason; a *lukket* or merely *identificeret* task is left alone unless
it fills.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from cases.citizens import facts, history_import, month_facts
from cases.citizens import services as citizen_services
from cases.citizens.models import Citizen
from cases.matching.models import MatchProposal
from cases.matching.services import close_proposal
from cases.placements.hours import (
    check_placement_week,
    format_hours,
    iso_week_label,
    parse_hours,
)
from cases.placements.hours_import import ImportResult, validate
from cases.placements.models import (
    CANCELLED_REASON,
    EDITABLE_FIELDS,
    HoursSource,
    Placement,
    PlacementEndReason,
    PlacementStatus,
    WeeklyHours,
    WeeklyHoursRevision,
    WorkAgreement,
    current_status,
    status_on,
)
from cases.placements.placement_import import plan_placements
from cases.placements.rules import placement_errors
from companies.models import Company, PlacementType, Task, TaskStatus
from substitution import days, versioning
from substitution.audit import SYSTEM, AuditContext, changed_fields, event, write, write_many
from substitution.models import AuditAction, Unit, User
from substitution.versioning import Loaded

__all__ = [
    "EDITABLE_FIELDS",
    "Registration",
    "cancel_placement",
    "confirm_start",
    "end_placement",
    "import_history",
    "import_hours",
    "refresh_statuses",
    "register_hours",
    "save_agreement",
    "start_placement",
    "status_on",
    "sync_task_status",
    "sync_task_statuses",
    "update_placement",
]


def _snapshot(placement: Placement) -> dict[str, Any]:
    return {
        "company": placement.company_id,
        "task": placement.task_id,
        "type": placement.type_id,
        "starts_on": str(placement.starts_on),
        "ends_on": str(placement.ends_on) if placement.ends_on else None,
        "planned_hours_per_week": str(placement.planned_hours_per_week),
        "start_confirmed_on": (
            str(placement.start_confirmed_on) if placement.start_confirmed_on else None
        ),
        "status": placement.status,
        "end_reason": placement.end_reason_id,
    }


def _check(placement: Placement) -> None:
    errors = placement_errors(
        company=placement.company,
        task=placement.task,
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        planned_hours_per_week=Decimal(placement.planned_hours_per_week),
        unit_id=placement.citizen.unit_id,
    )
    if errors:
        raise ValidationError(errors)


# --- placements ----------------------------------------------------------------------------


def start_placement(
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    citizen: Citizen,
    company: Company,
    type: PlacementType,
    starts_on: dt.date,
    planned_hours_per_week: Decimal = Decimal(0),
    task: Task | None = None,
    ends_on: dt.date | None = None,
    proposal: MatchProposal | None = None,
    confirmed: bool | None = None,
) -> Placement:
    """Create a placement (optionally from a saved match, which is then closed).

    ``confirmed``: the citizen has started (the placement counts from ``starts_on``). Default:
    a start today or earlier is confirmed by registering it; a later start waits for
    ``confirm_start`` (or ``cancel_placement``)."""
    today = days.today()
    if confirmed is None:
        confirmed = starts_on <= today
    if confirmed and starts_on > today:
        raise ValidationError({"starts_on": [_("En start i fremtiden kan ikke bekræftes endnu.")]})
    placement = Placement(
        citizen=citizen,
        company=company,
        task=task,
        type=type,
        starts_on=starts_on,
        ends_on=ends_on,
        planned_hours_per_week=planned_hours_per_week,
        start_confirmed_on=today if confirmed else None,
        status=status_on(starts_on, ends_on, today, confirmed),
        from_proposal=proposal,
        created_by=actor,
    )
    _check(placement)
    with transaction.atomic():
        placement.save()
        if proposal is not None:
            close_proposal(proposal)
        if task is not None:
            sync_task_status(task, today)
        month_facts.refresh([citizen.pk], since=starts_on)
        facts.refresh([citizen.pk])  # the step
        write(
            actor,
            AuditAction.CREATE,
            placement,
            context=context,
            citizen_id=citizen.pk,
            changes=_snapshot(placement),
        )
    return placement


def update_placement(
    placement: Placement,
    changes: dict[str, Any],
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    loaded: Loaded | None = None,
) -> Placement:
    """Change the placement's company, task, type, dates or planned hours. ``loaded``: what the
    edit form was loaded with; ``StaleEdit`` (nothing saved) if the placement was saved since."""
    before = _snapshot(placement)
    old_task = placement.task
    old_start = placement.starts_on
    for name, value in changes.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"Not a placement field: {name}")
        setattr(placement, name, value)
    _check(placement)
    today = days.today()
    with transaction.atomic():
        versioning.claim(placement, loaded, noun=_("Forløbet"))
        placement.status = current_status(placement, today)
        placement.save()
        for task in {t for t in (old_task, placement.task) if t is not None}:
            sync_task_status(task, today)
        month_facts.refresh([placement.citizen_id], since=min(old_start, placement.starts_on))
        facts.refresh([placement.citizen_id])  # the step: dates and type decide trin 3
        diff = changed_fields(before, _snapshot(placement))
        if diff:
            write(
                actor,
                AuditAction.CHANGE,
                placement,
                context=context,
                citizen_id=placement.citizen_id,
                changes=diff,
            )
    return placement


def confirm_start(
    placement: Placement, *, actor: User | None, context: AuditContext = SYSTEM
) -> Placement:
    """Confirm that the citizen started: from now on the placement counts from ``starts_on``
    (in trin 3, the measures, the alerts)."""
    today = days.today()
    if placement.start_confirmed_on is not None:
        return placement
    if placement.ends_on is not None:
        raise ValidationError(_("Forløbet er aflyst og kan ikke bekræftes."), code="cancelled")
    if placement.starts_on > today:
        raise ValidationError(
            _("Starten er %(day)s og kan først bekræftes den dag.")
            % {"day": placement.starts_on.strftime("%d.%m.%Y")},
            code="future",
        )
    before = _snapshot(placement)
    with transaction.atomic():
        placement.start_confirmed_on = today
        placement.status = current_status(placement, today)
        placement.save(update_fields=["start_confirmed_on", "status"])
        month_facts.refresh([placement.citizen_id], since=placement.starts_on)
        facts.refresh([placement.citizen_id])  # the step
        write(
            actor,
            AuditAction.CHANGE,
            placement,
            context=context,
            citizen_id=placement.citizen_id,
            changes=changed_fields(before, _snapshot(placement)),
        )
    return placement


def cancel_placement(
    placement: Placement, *, actor: User | None, context: AuditContext = SYSTEM
) -> Placement:
    """Cancel a placement that never started: it ends on its start day with the reason
    "aflyst", is never counted, and frees its task."""
    if placement.start_confirmed_on is not None:
        raise ValidationError(
            _("Forløbet er startet; afslut det i stedet for at aflyse det."), code="started"
        )
    if placement.ends_on is not None:
        return placement
    reason = PlacementEndReason.objects.get(code=CANCELLED_REASON)
    return _close(placement, placement.starts_on, reason, actor=actor, context=context)


def _close(
    placement: Placement,
    ends_on: dt.date,
    end_reason: PlacementEndReason,
    *,
    actor: User | None,
    context: AuditContext,
) -> Placement:
    """End date, reason and status together, the version bumped (an edit loaded before is
    stale), the task freed, one audit row: the one close-out of ending and cancelling."""
    before = _snapshot(placement)
    today = days.today()
    with transaction.atomic():
        placement.ends_on = ends_on
        placement.end_reason = end_reason
        placement.status = current_status(placement, today)
        placement.save(update_fields=["ends_on", "end_reason", "status"])
        Placement.objects.filter(pk=placement.pk).update(**versioning.bumped())
        placement.refresh_from_db(fields=["version"])
        if placement.task is not None:
            sync_task_status(placement.task, today)
        month_facts.refresh([placement.citizen_id], since=placement.starts_on)
        facts.refresh([placement.citizen_id])  # the step
        write(
            actor,
            AuditAction.CHANGE,
            placement,
            context=context,
            citizen_id=placement.citizen_id,
            changes=changed_fields(before, _snapshot(placement)),
        )
    return placement


def end_placement(
    placement: Placement,
    *,
    ends_on: dt.date,
    end_reason: PlacementEndReason,
    actor: User | None,
    context: AuditContext = SYSTEM,
) -> Placement:
    """End a placement: end date, reason and status together (the step follows the dates).
    A placement that never started is cancelled instead (``cancel_placement``)."""
    if placement.start_confirmed_on is None:
        raise ValidationError(
            _("Forløbet er ikke startet. Bekræft starten eller aflys forløbet."),
            code="not_started",
        )
    errors = placement_errors(starts_on=placement.starts_on, ends_on=ends_on)
    if errors:
        raise ValidationError(errors)
    return _close(placement, ends_on, end_reason, actor=actor, context=context)


def save_agreement(
    agreement: WorkAgreement,
    *,
    changes: dict[str, Any],
    actor: User | None,
    context: AuditContext = SYSTEM,
    loaded: Loaded | None = None,
) -> WorkAgreement:
    """Create or change the work agreement; audit-logged on the citizen. ``loaded``: what the
    form was loaded with; ``StaleEdit`` (nothing saved) if the agreement was saved since."""
    created = agreement.pk is None
    with transaction.atomic():
        versioning.claim(agreement, loaded, noun=_("Arbejdsaftalen"))
        earlier = list(
            WorkAgreement.objects.filter(pk=agreement.pk).values_list("agreed_on", flat=True)
        )
        agreement.save()
        # The month it was (and is) agreed in, and the two placement alerts its terms and
        # cadence decide while the placement runs.
        month_facts.refresh(
            [agreement.placement.citizen_id],
            since=min(agreement.agreed_on, agreement.placement.starts_on, *earlier),
        )
        write(
            actor,
            AuditAction.CREATE if created else AuditAction.CHANGE,
            agreement,
            context=context,
            citizen_id=agreement.placement.citizen_id,
            changes=changes,
            object_repr=f"Arbejdsaftale: {agreement.placement}",
        )
    return agreement


# --- tasks ----------------------------------------------------------------------------------


def occupying(day: dt.date) -> Q:
    """Placements that hold a position on ``day``: not ended (planned ones count; cancelled
    ones, unconfirmed with an end date, never do)."""
    return Q(placements__ends_on__isnull=True) | (
        Q(placements__ends_on__gte=day) & Q(placements__start_confirmed_on__isnull=False)
    )


def sync_task_status(task: Task, day: dt.date | None = None) -> str:
    """Set the task *besat* when its positions are filled, *åben* when a position is freed."""
    sync_task_statuses([task.pk], day)
    task.refresh_from_db(fields=["status", "status_changed_on"])
    return task.status


def sync_task_statuses(task_ids: Iterable[int], day: dt.date | None = None) -> int:
    """Bulk version of ``sync_task_status`` (two UPDATEs). Returns the number of tasks changed.

    The one rule for a task's *besat*: the services, the nightly refresh and the demo data all
    call it."""
    day = day or days.today()
    tasks = Task.objects.filter(pk__in=list(task_ids)).annotate(
        taken=Count("placements", filter=occupying(day))
    )
    fill = tasks.filter(
        status__in=[TaskStatus.AABEN, TaskStatus.IDENTIFICERET], taken__gte=1
    ).filter(taken__gte=F("positions"))
    free = tasks.filter(status=TaskStatus.BESAT).exclude(taken__gte=F("positions"))
    to_fill = list(fill.values_list("pk", flat=True))
    to_free = list(free.values_list("pk", flat=True))
    with transaction.atomic():
        # The status is a field of the task form: a new version makes an open form stale.
        changed = Task.objects.filter(pk__in=to_fill).update(
            status=TaskStatus.BESAT, status_changed_on=day, **versioning.bumped()
        )
        changed += Task.objects.filter(pk__in=to_free).update(
            status=TaskStatus.AABEN, status_changed_on=day, **versioning.bumped()
        )
    return changed


def refresh_statuses(
    day: dt.date | None = None,
    *,
    actor: User | None = None,
    context: AuditContext = SYSTEM,
) -> int:
    """Bring the stored status column in line with the dates (run daily by Celery beat;
    idempotent). Each placement moved gets an audit row, by ``actor`` (None: the system)."""
    day = day or days.today()
    moved = 0
    with transaction.atomic():
        for status in PlacementStatus:
            stale: QuerySet[Placement] = Placement.objects.with_status_on(status, day).exclude(
                status=status
            )
            rows = list(
                stale.select_for_update().values_list("pk", "citizen_id", "status", "task_id")
            )
            if not rows:
                continue
            moved += stale.update(status=status)
            write_many(
                event(
                    actor,
                    AuditAction.CHANGE,
                    Placement(pk=pk),
                    context=context,
                    citizen_id=citizen_id,
                    changes={"status": [old, str(status)]},
                    object_repr=_("Virksomhedsforløb %(pk)s") % {"pk": pk},
                )
                for pk, citizen_id, old, _task_id in rows
            )
            if status in (PlacementStatus.AFSLUTTET, PlacementStatus.AFLYST):
                task_ids = {task_id for *_, task_id in rows if task_id is not None}
                if task_ids:
                    sync_task_statuses(task_ids, day)
    return moved


# --- ordinary hours -------------------------------------------------------------------------


@dataclass
class Registration:
    row: WeeklyHours
    created: bool
    corrected: bool


def _register(
    placement: Placement,
    monday: dt.date,
    value: Decimal,
    *,
    last: dt.date | None = None,
    actor: User | None,
    source: str,
    wage: Decimal | None,
    received_on: dt.date,
    correction: bool,
    reason: str,
) -> Registration:
    """Write one period, ``monday`` to ``last`` (default: the ISO week starting ``monday``),
    no audit row: the callers audit, per week or per file. A period that overlaps another
    period of the placement is refused (its hours would count twice)."""
    last = last or monday + dt.timedelta(days=6)
    existing = (
        WeeklyHours.objects.select_for_update()
        .filter(placement=placement, week_start=monday, ends_on=last)
        .first()
    )
    others = WeeklyHours.objects.filter(
        placement=placement, week_start__lte=last, ends_on__gte=monday
    )
    if existing is not None:
        others = others.exclude(pk=existing.pk)
    clash = others.order_by("week_start").first()
    if clash is not None:
        raise ValidationError(
            _(
                "Perioden %(first)s–%(last)s overlapper timer der allerede er registreret for "
                "%(other_first)s–%(other_last)s på samme forløb."
            )
            % {
                "first": monday.strftime("%d.%m.%Y"),
                "last": last.strftime("%d.%m.%Y"),
                "other_first": clash.week_start.strftime("%d.%m.%Y"),
                "other_last": clash.ends_on.strftime("%d.%m.%Y"),
            },
            code="overlap",
        )
    if existing is None:
        row = WeeklyHours.objects.create(
            placement=placement,
            week_start=monday,
            ends_on=last,
            hours=value,
            wage=wage,
            source=source,
            received_on=received_on,
            registered_by=actor,
        )
        return Registration(row, created=True, corrected=False)
    if not correction:
        raise ValidationError(
            _(
                "Uge %(week)s har allerede %(hours)s timer. Ret den eksisterende "
                "registrering i stedet."
            )
            % {"week": iso_week_label(monday), "hours": format_hours(existing.hours)},
            code="duplicate",
        )
    if existing.hours == value and existing.wage == wage and existing.source == source:
        return Registration(existing, created=False, corrected=False)
    WeeklyHoursRevision.objects.create(
        weekly_hours=existing,
        hours=existing.hours,
        wage=existing.wage,
        source=existing.source,
        received_on=existing.received_on,
        replaced_by=actor,
        reason=reason[:300],
    )
    existing.hours = value
    existing.wage = wage
    existing.source = source
    existing.received_on = received_on
    existing.registered_by = actor
    existing.registered_at = days.now()
    existing.save()
    return Registration(existing, created=False, corrected=True)


def register_hours(
    placement: Placement,
    monday: dt.date,
    hours: Any,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    source: str = HoursSource.VIRKSOMHED,
    wage: Decimal | None = None,
    received_on: dt.date | None = None,
    correction: bool = False,
    reason: str = "",
    shown: str | None = None,
) -> Registration:
    """The one writer of a week's ``WeeklyHours``.

    A second entry for a week is refused unless ``correction`` is set; a correction replaces
    the row and keeps the earlier value as a ``WeeklyHoursRevision``. An unchanged correction
    writes nothing (so imports are idempotent). ``shown``: the value the user saw for the week
    ("" for none; the hours grid passes it) — if the week holds another value by now, someone
    else registered it meanwhile and the entry is refused rather than overwriting theirs.
    """
    if monday.weekday() != 0:
        raise ValidationError(_("Ugen skal angives ved sin mandag."), code="not_monday")
    if shown is not None:
        _check_shown(placement, monday, hours, shown)
    value = parse_hours(hours)
    check_placement_week(placement, monday)
    if source not in HoursSource.values:
        raise ValidationError(_("Ukendt kilde."), code="source")
    with transaction.atomic():
        before = WeeklyHours.objects.filter(placement=placement, week_start=monday).first()
        registration = _register(
            placement,
            monday,
            value,
            actor=actor,
            source=source,
            wage=wage,
            received_on=received_on or days.today(),
            correction=correction,
            reason=reason,
        )
        if registration.created or registration.corrected:
            month_facts.refresh([placement.citizen_id], since=monday)
            write(
                actor,
                AuditAction.CREATE if registration.created else AuditAction.CHANGE,
                registration.row,
                context=context,
                citizen_id=placement.citizen_id,
                changes={
                    "week": iso_week_label(monday),
                    "hours": [
                        format_hours(before.hours) if before else None,
                        format_hours(registration.row.hours),
                    ],
                },
                object_repr=f"Timer {iso_week_label(monday)}: {placement}",
            )
    return registration


def _check_shown(placement: Placement, monday: dt.date, typed: Any, shown: str) -> None:
    existing = WeeklyHours.objects.filter(
        placement=placement, week_start=monday, ends_on=monday + dt.timedelta(days=6)
    ).first()
    current = format_hours(existing.hours) if existing else ""
    if existing is not None and shown.strip() != current:
        raise ValidationError(
            _(
                "Ugen er netop registreret af en anden med %(hours)s timer. "
                "Genindlæs siden for at rette."
            )
            % {"hours": current},
            code="stale",
        )
    if existing is not None and not str(typed or "").strip():
        raise ValidationError(
            _("Skriv antal timer (0 hvis borgeren ikke har arbejdet)."), code="required"
        )


def import_hours(
    data: bytes,
    *,
    unit_id: int | None,
    actor: User | None,
    context: AuditContext = SYSTEM,
    citizens: QuerySet[Citizen] | None = None,
) -> ImportResult:
    """Validate the whole file (``cases.placements.hours_import``), then write it in one
    transaction, or write nothing. One audit row for the file."""
    parsed, result = validate(data, unit_id, citizens)
    if result.errors:
        return result
    with transaction.atomic():
        touched: dict[int, dt.date] = {}  # citizen: the earliest period written
        for row in parsed:
            registration = _register(
                row.placement,
                row.week,
                row.hours,
                last=row.last,
                actor=actor,
                source=row.source,
                wage=row.wage,
                received_on=days.today(),
                correction=True,
                reason=_("Import af timer"),
            )
            if registration.created:
                result.created += 1
            elif registration.corrected:
                result.corrected += 1
            else:
                result.unchanged += 1
                continue
            citizen_id = row.placement.citizen_id
            touched[citizen_id] = min(touched.get(citizen_id, row.week), row.week)
        _refresh_facts(touched)
        write(
            actor,
            AuditAction.IMPORT,
            None,
            context=context,
            object_repr=f"Import af timer: {result.rows} rækker",
            changes={
                "created": result.created,
                "corrected": result.corrected,
                "unchanged": result.unchanged,
            },
        )
    return result


def _refresh_facts(touched: dict[int, dt.date], step: bool = False) -> None:
    """The facts per citizen and month after a file: one refresh from the earliest day
    touched, for the citizens touched (``cases.citizens.month_facts``); with ``step`` (a
    placements file) also their maintained step (``cases.citizens.facts``)."""
    if touched:
        month_facts.refresh(list(touched), since=min(touched.values()))
        if step:
            facts.refresh(list(touched))


# --- the history import ------------------------------------------------------------------------


@transaction.atomic
def apply_placements(
    plan: history_import.HistoryPlan,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    source: str = "",
) -> history_import.HistoryPlan:
    """Write a valid placements plan (``placement_import.plan_placements``): create the new
    placements, update the changed ones (end, end reason, planned hours, confirmed start, and
    the status the dates then give), one audit row each and one for the file. Imported
    placements have no task and no match proposal."""
    if not plan.is_valid:
        raise ValueError("An import plan with errors cannot be applied")
    today = days.today()
    touched: dict[int, dt.date] = {}  # citizen: the earliest start written
    for row in plan.items:
        values = row.values(today)
        citizen_id = row.citizen.pk if row.existing is None else row.existing.citizen_id
        earliest = row.starts_on if row.existing is None else row.existing.starts_on
        touched[citizen_id] = min(touched.get(citizen_id, earliest), earliest)
        if row.existing is None:
            placement = Placement.objects.create(
                citizen=row.citizen,
                company=row.company,
                type=row.type,
                starts_on=row.starts_on,
                created_by=actor,
                **values,
            )
            write(
                actor,
                AuditAction.CREATE,
                placement,
                context=context,
                citizen_id=placement.citizen_id,
                changes={"import": source or "csv", **_snapshot(placement)},
            )
            continue
        placement = row.existing
        before = _snapshot(placement)
        changed = row.changed_fields(today)
        for name in changed:
            setattr(placement, name, values[name])
        placement.save(update_fields=[name.removesuffix("_id") for name in changed])
        Placement.objects.filter(pk=placement.pk).update(**versioning.bumped())
        if placement.task is not None:
            sync_task_status(placement.task, today)
        write(
            actor,
            AuditAction.CHANGE,
            placement,
            context=context,
            citizen_id=placement.citizen_id,
            changes={"import": source or "csv", **changed_fields(before, _snapshot(placement))},
        )
    _refresh_facts(touched, step=True)
    write(
        actor,
        AuditAction.IMPORT,
        None,
        context=context,
        object_repr=_("Import af forløb: %(file)s") % {"file": source or "csv"},
        changes={"oprettet": plan.created, "opdateret": plan.updated, "uændret": plan.unchanged},
    )
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
    """Validate a history file of ``kind`` (placements, ydelser, visitation, afslutninger);
    write it in one transaction unless it has errors or ``dry_run`` (all-or-nothing). The
    plan's ``errors`` and ``counts()`` are the report."""
    if kind != history_import.PLACEMENTS:
        return citizen_services.import_history(
            kind, data, unit, actor=actor, context=context, dry_run=dry_run, source=source
        )
    plan = plan_placements(data, unit)
    if plan.is_valid and not dry_run:
        apply_placements(plan, actor=actor, context=context, source=source)
    return plan
