"""Report runs: one run per request while it is in progress, idempotent claiming, progress,
failure with the error kept, a worker's death mid-run recovered by the stale check, and the
retention of files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, transaction

from reporting.reports import rendering, services, tasks
from reporting.reports.models import ReportRun, ReportType, RunStatus
from reporting.reports.params import Params
from substitution.audit import SYSTEM
from substitution.models import AuditEvent
from tests.reporting.reports.conftest import NOV, Office, pdf_text

pytestmark = pytest.mark.django_db


def caseload_params(office: Office, note: str = "") -> Params:
    return Params(ReportType.SAGSSTAMME, office.unit.pk, office.north.pk, NOV, note=note)


class Queue:
    """Collects the run ids a service enqueues (the task is run by the test when it says)."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def __call__(self, run_id: int) -> None:
        self.ids.append(run_id)


def test_the_same_request_twice_gives_the_same_run(
    office: Office, django_capture_on_commit_callbacks: Any
) -> None:
    queue = Queue()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_run(
            office.tl_north, SYSTEM, caseload_params(office), enqueue=queue
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_run(office.leder, SYSTEM, caseload_params(office), enqueue=queue)
    assert first.created and not again.created
    assert again.run.pk == first.run.pk
    assert queue.ids == [first.run.pk]  # one task, not two
    # A different request (another note) is another run.
    with django_capture_on_commit_callbacks(execute=True):
        other = services.request_run(
            office.tl_north, SYSTEM, caseload_params(office, note="x"), enqueue=queue
        )
    assert other.created and other.run.pk != first.run.pk
    assert AuditEvent.objects.filter(action="create", object_id=str(first.run.pk)).count() == 1


def test_the_database_refuses_a_second_run_in_progress(office: Office) -> None:
    params = caseload_params(office)
    services.request_run(office.tl_north, SYSTEM, params, enqueue=Queue())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportRun.objects.create(
            unit=office.unit,
            team=office.north,
            report_type=params.report_type,
            parameters=params.as_json(),
            request_key=params.request_key(),
        )


def test_a_finished_run_can_be_requested_again(office: Office) -> None:
    first = services.request_run(office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue())
    ReportRun.objects.filter(pk=first.run.pk).update(status=RunStatus.FAERDIG)
    second = services.request_run(office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue())
    assert second.created and second.run.pk != first.run.pk


def test_the_task_makes_the_pdf_and_a_second_delivery_does_nothing(
    office: Office, report_files: Path
) -> None:
    run = services.request_run(
        office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue()
    ).run
    assert tasks.generate_report.run(run.pk) == "done"
    run.refresh_from_db()
    assert run.status == RunStatus.FAERDIG and run.progress == 100
    assert run.started_at is not None and run.finished_at is not None
    assert run.attempts == 1
    assert run.page_count and run.page_count >= 3
    stored = report_files / str(run.file.name)
    assert stored.is_file() and stored.stat().st_size == run.file_size
    assert "Søren Ærø" in pdf_text(stored.read_bytes())
    # The broker redelivers the message (acks_late): nothing is made twice.
    assert tasks.generate_report.run(run.pk) == "skipped"
    run.refresh_from_db()
    assert run.attempts == 1


def test_progress_moves_while_the_report_is_built(office: Office) -> None:
    run = services.request_run(
        office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue()
    ).run
    claimed = services.claim(run.pk)
    assert claimed is not None
    seen: list[tuple[int, str]] = []

    def progress(percent: int, step: str) -> None:
        services.mark_progress(run.pk, percent, step)
        row = ReportRun.objects.get(pk=run.pk)
        seen.append((row.progress, row.step))

    rendering.render(services.params_of(claimed), progress)
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[0] < 50 < percents[-1] < 100
    assert any("Søren Ærø" in step for _, step in seen)


def test_a_failure_keeps_the_error_and_says_so_in_danish(office: Office) -> None:
    # A caseload report for the whole jobcentre cannot be made: the run fails, not hangs.
    params = Params(ReportType.SAGSSTAMME, office.unit.pk, None, NOV)
    run = services.request_run(office.leder, SYSTEM, params, enqueue=Queue()).run
    assert tasks.generate_report.run(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == RunStatus.FEJLET
    assert "ReportNotAvailable" in run.error and "Traceback" in run.error
    assert not run.file


class WorkerDied(BaseException):
    """What the worker process's death looks like from inside the task: nothing after it runs
    (a BaseException passes every ``except Exception``)."""


def test_a_run_left_running_by_a_dead_worker_is_requeued_and_finished(
    office: Office, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    run = services.request_run(
        office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue()
    ).run

    def die(*args: object, **kwargs: object) -> None:
        raise WorkerDied

    # The worker dies while WeasyPrint lays out the PDF: after the figures, before the file.
    monkeypatch.setattr(rendering, "render_html_pages", die)
    with pytest.raises(WorkerDied):
        tasks.generate_report.run(run.pk)
    monkeypatch.undo()
    run.refresh_from_db()
    assert run.status == RunStatus.KOERER and run.progress == 85
    # Still running: nothing re-queues it while its heartbeat is fresh, and a redelivered
    # message does not take it over.
    queue = Queue()
    assert services.requeue_stale(queue) == []
    assert services.claim(run.pk) is None
    # Eleven minutes later (REPORT_STALE_MINUTES = 10) the beat task finds it and queues it.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            requeued = services.requeue_stale(queue)
        assert requeued == [run.pk] and queue.ids == [run.pk]
        run.refresh_from_db()
        assert run.status == RunStatus.KOE
        assert tasks.generate_report.run(run.pk) == "done"
    run.refresh_from_db()
    assert run.status == RunStatus.FAERDIG and run.attempts == 2 and run.file


def test_a_redelivered_message_takes_over_an_abandoned_run(office: Office) -> None:
    run = services.request_run(
        office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue()
    ).run
    assert services.claim(run.pk) is not None  # the worker that will die
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        assert tasks.generate_report.run(run.pk) == "done"
    run.refresh_from_db()
    assert run.status == RunStatus.FAERDIG and run.attempts == 2


def test_a_run_that_keeps_killing_its_worker_ends_failed(office: Office, settings: Any) -> None:
    settings.REPORT_MAX_ATTEMPTS = 2
    run = services.request_run(
        office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue()
    ).run
    services.claim(run.pk)
    ReportRun.objects.filter(pk=run.pk).update(attempts=2)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        assert services.requeue_stale(Queue()) == []
    run.refresh_from_db()
    assert run.status == RunStatus.FEJLET and "no heartbeat" in run.error


def test_a_transient_error_puts_the_run_back_for_a_retry(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    from celery.exceptions import Retry

    run = services.request_run(
        office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue()
    ).run

    def database_gone(*args: object, **kwargs: object) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(rendering, "render_html_pages", database_gone)
    with pytest.raises(Retry):
        tasks.generate_report.apply(args=(run.pk,), throw=True).get()
    run.refresh_from_db()
    assert run.status == RunStatus.KOE and "server closed" in run.error
    monkeypatch.undo()
    assert tasks.generate_report.run(run.pk) == "done"


def test_files_past_the_retention_are_deleted_and_the_run_stays(
    office: Office, report_files: Path, settings: Any
) -> None:
    settings.REPORT_RETENTION_DAYS = 30
    run = services.request_run(
        office.tl_north, SYSTEM, caseload_params(office), enqueue=Queue()
    ).run
    tasks.generate_report.run(run.pk)
    run.refresh_from_db()
    stored = report_files / str(run.file.name)
    assert stored.is_file()
    assert tasks.purge_report_files.run() == 0  # a fresh file stays
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    with time_machine.travel(later, tick=False):
        assert tasks.purge_report_files.run() == 1
    run.refresh_from_db()
    assert not stored.exists()
    assert run.file_deleted_at is not None and not run.has_file
    assert run.status == RunStatus.FAERDIG
