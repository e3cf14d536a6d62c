"""The only writers of report runs (docs/reports.md, docs/architecture.md).

- ``request_run``: a new run in the queue, or the run already queued or running for the same
  request (type, jobcentre, team, parameters): asking twice never starts a second run. The
  database holds that rule too (a unique index on the request key among runs in progress).
- ``claim``: the worker takes a queued run (a row lock: two deliveries of the same task never
  both run it); ``mark_progress`` moves the bar and the heartbeat; ``finish`` stores the PDF;
  ``fail`` keeps the error for administrators.
- ``requeue_stale``: a run left *running* without a heartbeat for ``REPORT_STALE_MINUTES`` (a
  killed worker) goes back to the queue; after ``REPORT_MAX_ATTEMPTS`` it fails instead. A
  queued run whose task could not be sent (the broker was down: ``NOT_SENT``) is sent again.
- ``purge_expired_files``: generated files older than ``REPORT_RETENTION_DAYS`` are deleted
  (the run row stays, saying when its file was deleted).
- ``record_download``: the audit row of a download.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from reporting.reports.models import IN_PROGRESS, ReportRun, RunStatus
from reporting.reports.params import Params
from substitution import audit
from substitution.audit import AuditContext
from substitution.models import AuditAction, Team, Unit, User

logger = logging.getLogger(__name__)

# The task that makes a run: set by reporting.reports.tasks (a service must not import the
# task module's Celery app at import time, and the task calls back into these services).
Enqueue = Callable[[int], None]

# The step of a queued run whose task could not be handed to the broker (Redis down). The run
# is recorded and waits; ``requeue_stale`` (beat, every two minutes) sends it once the broker
# is back. Shown on the run's page as its progress step.
NOT_SENT = "Venter på opgavekøen (sendes, når den svarer igen)"


def send(run: ReportRun, enqueue: Enqueue) -> bool:
    """Hand ``run``'s task to the broker. When that fails (a broker outage fails within about
    a second: settings' Celery timeouts), the run stays queued marked ``NOT_SENT`` instead of
    the error reaching the user as a 500 or the request being lost. True if sent."""
    try:
        enqueue(run.pk)
    except Exception:  # noqa: BLE001  whatever the broker raised, the request must not be lost
        logger.exception(
            "Report run %s: the task could not be sent; it waits for the broker", run.pk
        )
        ReportRun.objects.filter(pk=run.pk, status=RunStatus.KOE).update(step=NOT_SENT)
        run.step = NOT_SENT
        return False
    if run.step == NOT_SENT:
        ReportRun.objects.filter(pk=run.pk, step=NOT_SENT).update(step="")
        run.step = ""
    return True


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "REPORT_STALE_MINUTES", 10))


def max_attempts() -> int:
    return int(getattr(settings, "REPORT_MAX_ATTEMPTS", 5))


def retention() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "REPORT_RETENTION_DAYS", 90))


@dataclass(frozen=True)
class Requested:
    run: ReportRun
    created: bool  # False: the same request was already queued or running


def request_run(
    actor: User | None,
    context: AuditContext,
    params: Params,
    *,
    enqueue: Enqueue,
    scheduled: bool = False,
) -> Requested:
    """Queue a run of ``params`` (or return the one in progress for the same request) and
    enqueue its task after the transaction commits. The caller has checked access."""
    key = params.request_key()
    with transaction.atomic():
        existing = ReportRun.objects.filter(request_key=key, status__in=IN_PROGRESS).first()
        if existing is not None:
            if existing.status == RunStatus.KOE and existing.step == NOT_SENT:
                # Asked again while its task still waits for the broker: try once more.
                transaction.on_commit(lambda: send(existing, enqueue))
            return Requested(existing, created=False)
        try:
            with transaction.atomic():
                run = ReportRun.objects.create(
                    unit_id=params.unit_id,
                    team_id=params.team_id,
                    report_type=params.report_type,
                    parameters=params.as_json(),
                    request_key=key,
                    requested_by=actor,
                    scheduled=scheduled,
                )
        except IntegrityError:
            # Another request for the same report won the race: that run is the answer.
            return Requested(
                ReportRun.objects.get(request_key=key, status__in=IN_PROGRESS), created=False
            )
        audit.write(
            actor,
            AuditAction.CREATE,
            run,
            context=context,
            object_repr=f"Rapport bestilt: {run.get_report_type_display()}",
            changes={"parametre": run.parameters, "team": params.team_id},
        )
        transaction.on_commit(lambda: send(run, enqueue))
    return Requested(run, created=True)


def params_of(run: ReportRun) -> Params:
    return Params.of(run.report_type, run.unit_id, run.team_id, run.parameters)


def claim(run_id: int) -> ReportRun | None:
    """Take a queued run for this worker: it becomes *running*. A running run whose heartbeat
    is older than ``stale_after()`` is taken over (its worker died; the broker redelivered the
    message). None otherwise (done, failed, or running in a live worker): a redelivered task
    does nothing."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return None
        now = timezone.now()
        abandoned = (
            run.status == RunStatus.KOERER
            and run.heartbeat_at is not None
            and run.heartbeat_at < now - stale_after()
        )
        if run.status != RunStatus.KOE and not abandoned:
            return None
        if run.attempts >= max_attempts():
            run.status = RunStatus.FEJLET
            run.error = f"Stopped after {run.attempts} attempts."
            run.finished_at = now
            run.save(update_fields=["status", "error", "finished_at"])
            return None
        run.status = RunStatus.KOERER
        run.started_at = now
        run.heartbeat_at = now
        run.progress = 1
        run.step = "Startet"
        run.attempts += 1
        run.error = ""
        run.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "progress",
                "step",
                "attempts",
                "error",
            ]
        )
        return run


def mark_progress(run_id: int, percent: int, step: str) -> None:
    """Move a running run's bar (0–99 until it is done) and its heartbeat."""
    ReportRun.objects.filter(pk=run_id, status=RunStatus.KOERER).update(
        progress=max(0, min(int(percent), 99)), step=step[:200], heartbeat_at=timezone.now()
    )


def finish(run_id: int, filename: str, pdf: bytes, pages: int) -> ReportRun | None:
    """Store the PDF and mark the run done; None if the run is no longer running here (it was
    re-queued as stale meanwhile: the later run writes the file)."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.KOERER:
            return None
        if run.file:
            run.file.delete(save=False)
        run.file.save(filename, ContentFile(pdf), save=False)
        run.file_size = len(pdf)
        run.page_count = pages
        run.status = RunStatus.FAERDIG
        run.progress = 100
        run.step = "Færdig"
        run.finished_at = timezone.now()
        run.save()
        return run


def fail(run_id: int, error: str, reason: str = "") -> None:
    """Mark the run failed and keep ``error`` (a traceback) for administrators; ``reason``: a
    Danish explanation the user may see (a report that cannot be made as asked)."""
    ReportRun.objects.filter(pk=run_id, status__in=IN_PROGRESS).update(
        status=RunStatus.FEJLET,
        error=error[:20000],
        finished_at=timezone.now(),
        step=(reason or "Fejlet")[:200],
    )
    logger.error("Report run %s failed", run_id)


def back_to_queue(run_id: int, error: str) -> None:
    """A transient error: the run waits in the queue for the task's retry."""
    ReportRun.objects.filter(pk=run_id, status=RunStatus.KOERER).update(
        status=RunStatus.KOE, error=error[:20000], step="Venter på nyt forsøg"
    )


def requeue_stale(enqueue: Enqueue, now: dt.datetime | None = None) -> list[int]:
    """Runs *running* without a heartbeat for ``stale_after()`` were left by a dead worker:
    queue them again (and enqueue their task), or fail them after ``max_attempts()``. Queued
    runs older than that whose task was lost are enqueued again as well. Returns the ids
    re-queued. A queued run marked ``NOT_SENT`` (its task never reached the broker) is sent
    now, whatever its age; if the broker is still away it stays marked for the next round."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    requeued: list[ReportRun] = []
    with transaction.atomic():
        stale = list(
            ReportRun.objects.select_for_update(skip_locked=True).filter(
                status=RunStatus.KOERER, heartbeat_at__lt=cutoff
            )
        )
        for run in stale:
            if run.attempts >= max_attempts():
                run.status = RunStatus.FEJLET
                run.error = (
                    f"Stopped: no heartbeat since {run.heartbeat_at:%Y-%m-%d %H:%M:%S%z} after "
                    f"{run.attempts} attempts (the worker died every time)."
                )
                run.finished_at = now
                run.save(update_fields=["status", "error", "finished_at"])
                continue
            run.status = RunStatus.KOE
            run.step = "Sat i kø igen efter et afbrudt forsøg"
            run.save(update_fields=["status", "step"])
            requeued.append(run)
        lost = ReportRun.objects.filter(status=RunStatus.KOE, heartbeat_at__isnull=True).filter(
            Q(requested_at__lt=cutoff) | Q(step=NOT_SENT)
        )
        requeued.extend(run for run in lost if run.pk not in {r.pk for r in requeued})
        for run in requeued:
            transaction.on_commit(lambda run=run: send(run, enqueue))  # type: ignore[misc]
    for run in requeued:
        logger.warning("Report run %s re-queued (stale or not sent)", run.pk)
    return [run.pk for run in requeued]


def purge_expired_files(now: dt.datetime | None = None) -> int:
    """Delete the PDFs of runs finished more than ``retention()`` ago; the runs stay."""
    now = now or timezone.now()
    expired = ReportRun.objects.filter(
        finished_at__lt=now - retention(), file_deleted_at__isnull=True
    ).exclude(file="")
    count = 0
    for run in expired:
        run.file.delete(save=False)
        run.file_deleted_at = now
        run.save(update_fields=["file", "file_deleted_at"])
        count += 1
    return count


def record_download(actor: User, context: AuditContext, run: ReportRun) -> None:
    audit.write(
        actor,
        AuditAction.EXPORT,
        run,
        context=context,
        object_repr=f"Rapport hentet: {run.get_report_type_display()} #{run.pk}",
        changes={"parametre": run.parameters, "team": run.team_id},
    )


def team_of(unit: Unit, team_id: int | None) -> Team | None:
    return None if team_id is None else Team.objects.get(pk=team_id, unit=unit)
