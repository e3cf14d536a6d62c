"""Report generation in Celery workers (docs/reports.md).

``generate_report(run_id)`` is idempotent: it claims the run (only a queued run, or a running
one whose worker stopped beating, is taken), so a redelivered message does nothing once the
run is done. It is acknowledged late (the broker redelivers it if the worker dies mid-run) and
retried on transient errors (database or broker connections). A run left *running* by a killed
worker is found by ``requeue_stale_reports`` (beat, every few minutes) and queued again.

``purge_report_files`` (beat, nightly) deletes files past the retention period;
``schedule_monthly_status`` (beat, every morning) makes the monthly status for the previous
month on the first working day of a month and mails the leaders a link when it is done.
"""

from __future__ import annotations

import traceback

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

from reporting.reports import rendering, schedule, services

# Errors worth another try: the database or the broker was briefly away.
TRANSIENT: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
)
MAX_RETRIES = 3


def enqueue(run_id: int) -> None:
    generate_report.delay(run_id)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    name="reporting.reports.tasks.generate_report",
)
def generate_report(self: Task, run_id: int) -> str:
    run = services.claim(run_id)
    if run is None:
        return "skipped"
    try:
        params = services.params_of(run)
        rendered = rendering.render(
            params, lambda percent, step: services.mark_progress(run_id, percent, step)
        )
        filename = f"{run.report_type}-{run.pk}.pdf"
        done = services.finish(run_id, filename, rendered.pdf, rendered.pages)
    except TRANSIENT as exc:
        if self.request.retries >= MAX_RETRIES:
            services.fail(run_id, traceback.format_exc())
            return "failed"
        services.back_to_queue(run_id, traceback.format_exc())
        raise self.retry(exc=exc, countdown=5 * (2**self.request.retries)) from exc
    except rendering.ReportNotAvailable as exc:
        services.fail(run_id, traceback.format_exc(), reason=str(exc))
        return "failed"
    except Exception:  # noqa: BLE001  the run must end failed, never stuck
        services.fail(run_id, traceback.format_exc())
        return "failed"
    if done is not None and done.scheduled:
        schedule.mail_leaders(done)
    return "done"


@shared_task(name="reporting.reports.tasks.requeue_stale_reports")
def requeue_stale_reports() -> list[int]:
    return services.requeue_stale(enqueue)


@shared_task(name="reporting.reports.tasks.purge_report_files")
def purge_report_files() -> int:
    return services.purge_expired_files()


@shared_task(name="reporting.reports.tasks.schedule_monthly_status")
def schedule_monthly_status() -> list[int]:
    return schedule.monthly_status_if_due(enqueue)
