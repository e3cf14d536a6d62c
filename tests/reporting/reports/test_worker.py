"""A real Celery worker against Redis makes a report: the request enqueues the task through the
broker, the worker claims the run, moves its progress and stores the PDF. A worker process
killed mid-run (SIGKILL) leaves the run *running*; the stale check queues it again and a new
worker finishes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery
from django.db import connection

from reporting.reports import services, tasks
from reporting.reports.models import ReportRun, ReportType, RunStatus
from reporting.reports.params import Params
from substitution.audit import SYSTEM
from substitution.celery import app
from substitution.models import Unit
from tests.reporting.reports.conftest import NOV, Office, fill, make_office, pdf_pages, pdf_text

# The reports' own Redis database number (the Celery wiring test uses 5), so parallel test
# runs of other features never share it.
REPORTS_REDIS_DB = 13


def _reset_connections(celery_app: Celery) -> None:
    """Drop pooled broker connections and the result backend so new config applies. Kombu's
    global producer pools are keyed by connection: reset them too, or a second test with the
    same Redis URL gets the pool the first one closed ("Acquire on closed pool")."""
    from kombu import pools

    pools.reset()
    if celery_app._pool is not None:  # type: ignore[attr-defined]
        celery_app._pool.force_close_all()  # type: ignore[attr-defined]
        celery_app._pool = None  # type: ignore[attr-defined]
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]
    if hasattr(celery_app._local, "backend"):  # type: ignore[attr-defined]
        del celery_app._local.backend  # type: ignore[attr-defined]


@pytest.fixture
def redis_worker_app() -> Iterator[Celery]:
    parts = urlsplit(os.environ["REDIS_URL"])
    url = urlunsplit(parts._replace(path=f"/{REPORTS_REDIS_DB}"))
    changes = {
        "broker_url": url,
        "result_backend": url,
        "task_always_eager": False,
        "task_default_queue": f"test-reports-{uuid.uuid4().hex}",
        "result_expires": timedelta(minutes=10),
    }
    saved = {key: app.conf[key] for key in changes}
    _reset_connections(app)
    app.conf.update(changes)
    try:
        yield app
    finally:
        _reset_connections(app)
        app.conf.update(saved)


ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def worker_process(media: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker in its own process (as in production) on the test database, consuming
    this test's queue on the reports' Redis database, writing files under ``media``."""
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": app.conf.broker_url,
        "REPORTS_STORAGE_OPTIONS": json.dumps({"location": str(media)}),
    }
    queue = app.conf.task_default_queue
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "substitution",
        "worker",
        "-P",
        "solo",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "-l",
        "WARNING",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(run: ReportRun, timeout: float = 90) -> list[int]:
    """Poll the run until it ends; the progress values seen on the way."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        seen.append(run.progress)
        if not run.is_in_progress:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"run {run.pk} still {run.status} after {timeout} s")


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_report_through_redis(
    redis_worker_app: Celery, code_lists: None, report_files: Path
) -> None:
    unit = Unit.objects.create(name="Jobcenter Test")
    office: Office = make_office(unit)
    fill(office, extra=20)
    params = Params(ReportType.SAGSSTAMME, unit.pk, office.north.pk, NOV)
    with worker_process(report_files):
        requested = services.request_run(office.tl_north, SYSTEM, params, enqueue=tasks.enqueue)
        seen = wait_for(requested.run)
    run = requested.run
    assert run.status == RunStatus.FAERDIG, run.error
    assert seen[-1] == 100
    with run.file.open("rb") as handle:
        pdf = handle.read()
    text = pdf_text(pdf)
    assert "Sagsstammerapport: Team Nørrebro, november 2026" in text
    assert "Søren Ærø" in text
    assert run.page_count == len(pdf_pages(pdf))


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_is_recovered(
    redis_worker_app: Celery, code_lists: None, report_files: Path
) -> None:
    unit = Unit.objects.create(name="Jobcenter Test")
    office: Office = make_office(unit)
    fill(office, extra=40)
    params = Params(ReportType.MAANEDLIG_STATUS, unit.pk, None, NOV)
    with worker_process(report_files) as first:
        run = services.request_run(office.leder, SYSTEM, params, enqueue=tasks.enqueue).run
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status == RunStatus.KOERER and run.progress >= 5:
                break
            assert run.is_in_progress, run.error
            time.sleep(0.02)
        else:
            raise AssertionError("the worker never started the run")
        first.send_signal(signal.SIGKILL)  # the worker dies mid-run
        first.wait(timeout=20)
    run.refresh_from_db()
    assert run.status == RunStatus.KOERER and run.progress < 100 and not run.file
    assert run.heartbeat_at is not None
    # The beat's stale check, run when the heartbeat is older than REPORT_STALE_MINUTES (the
    # worker wrote it on its own clock; this test's clock is frozen), queues it again.
    assert services.requeue_stale(lambda pk: None, now=run.heartbeat_at) == []
    later = run.heartbeat_at + timedelta(minutes=11)
    with worker_process(report_files):
        assert services.requeue_stale(tasks.enqueue, now=later) == [run.pk]
        wait_for(run, timeout=180)
    assert run.status == RunStatus.FAERDIG, run.error
    assert run.attempts == 2
    with run.file.open("rb") as handle:
        assert "Månedlig status: Jobcenter Test" in pdf_text(handle.read())
