"""A broker outage while a report is requested (issue 15, "Resilience"): the user gets a clear
Danish message within 2 seconds instead of a 500, the request is recorded (not lost), and the
stale check (beat, every two minutes) sends its task once the broker is back.

The outage is real: Celery is pointed at a closed port (no mock); "back" is the Redis of
REDIS_URL with a queue of this test's own, whose message is read from Redis."""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.urls import reverse

from reporting.reports import services, tasks, views
from reporting.reports.models import ReportRun, ReportType, RunStatus
from reporting.reports.params import Params
from substitution.audit import SYSTEM
from substitution.celery import app
from substitution.models import AuditEvent
from tests.conftest import client_for
from tests.reporting.reports.conftest import NOV, Office
from tests.reporting.reports.test_worker import _reset_connections

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def caseload(office: Office) -> Params:
    return Params(ReportType.SAGSSTAMME, office.unit.pk, office.north.pk, NOV)


class Broker:
    """Celery's broker, switched between a closed port and a real Redis queue of the test."""

    def __init__(self) -> None:
        self.url = os.environ.get("REDIS_URL", "")
        self.queue = f"test-outage-{uuid.uuid4().hex}"

    def _point(self, url: str) -> None:
        _reset_connections(app)
        app.conf.update(
            broker_url=url,
            result_backend=url,
            task_always_eager=False,
            task_default_queue=self.queue,
            result_expires=timedelta(minutes=10),
        )

    def down(self) -> None:
        self._point(DOWN)

    def up(self) -> None:
        self._point(self.url)

    def messages(self) -> list[dict[str, Any]]:
        """The task messages waiting in the test's queue (kombu's Redis transport: a list)."""
        return [json.loads(raw) for raw in redis.Redis.from_url(self.url).lrange(self.queue, 0, -1)]


@pytest.fixture
def broker() -> Iterator[Broker]:
    keys = ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in (*keys, "result_expires")}
    b = Broker()
    try:
        yield b
    finally:
        if b.url:
            client = redis.Redis.from_url(b.url)
            client.delete(b.queue, *client.keys(f"_kombu.binding*{b.queue}"))
        _reset_connections(app)
        app.conf.update(saved)


def test_an_enqueue_that_fails_leaves_the_run_recorded_and_marked(
    office: Office, django_capture_on_commit_callbacks: Any
) -> None:
    """No broker needed: any error while sending keeps the request (run and audit row)."""

    def broken(_run_id: int) -> None:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    with django_capture_on_commit_callbacks(execute=True):
        requested = services.request_run(office.tl_north, SYSTEM, caseload(office), enqueue=broken)
    assert requested.run.step == services.NOT_SENT  # what the view tells the user about
    run = ReportRun.objects.get()
    assert run.status == RunStatus.KOE and run.step == services.NOT_SENT
    assert AuditEvent.objects.filter(action="create", object_id=str(run.pk)).count() == 1

    # Asked again while it waits: the same run, and another try to send it.
    sent: list[int] = []
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_run(office.leder, SYSTEM, caseload(office), enqueue=sent.append)
    assert not again.created and again.run.pk == run.pk
    assert sent == [run.pk]
    run.refresh_from_db()
    assert run.step == ""


@pytest.mark.django_db(transaction=True)
def test_the_stale_check_sends_a_run_that_was_not_sent_at_once(
    code_lists: None, office: Office
) -> None:
    """Not after REPORT_STALE_MINUTES like a lost task: the next beat round (2 minutes)."""

    def broken(_run_id: int) -> None:
        raise ConnectionError("broker down")

    run = services.request_run(office.tl_north, SYSTEM, caseload(office), enqueue=broken).run
    run.refresh_from_db()
    assert run.step == services.NOT_SENT  # committed: on_commit ran send()
    # Still down at the next round: it stays marked, nothing raised.
    assert services.requeue_stale(broken) == [run.pk]
    run.refresh_from_db()
    assert run.step == services.NOT_SENT
    sent: list[int] = []
    assert services.requeue_stale(sent.append) == [run.pk]
    assert sent == [run.pk]
    run.refresh_from_db()
    assert run.status == RunStatus.KOE and run.step == ""
    # Sent once: the next round leaves it to the worker.
    assert services.requeue_stale(sent.append) == [] and sent == [run.pk]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_report_requested_during_an_outage_is_kept_and_sent_when_the_broker_is_back(
    code_lists: None, office: Office, broker: Broker
) -> None:
    client = client_for(office.tl_north)
    assert client.get(reverse("reporting:report_request")).status_code == 200  # the form
    broker.down()
    started = time.monotonic()
    response = client.post(
        reverse("reporting:report_request"),
        {
            "report_type": ReportType.SAGSSTAMME,
            "team": office.north.pk,
            "month": "2026-11",
            "months": "12",
            "scope": "alle",
            "note": "",
        },
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 302, response.content[:500]
    assert elapsed < 2, f"the request took {elapsed:.1f} s with the broker down"
    run = ReportRun.objects.get()
    assert response["Location"] == reverse("reporting:report_run", args=[run.pk])
    assert run.status == RunStatus.KOE and run.step == services.NOT_SENT
    page = client.get(response["Location"]).content.decode()
    assert str(views.NOT_SENT_MESSAGE) in page
    assert "opgavekøen svarer ikke" in page  # Danish, to the user
    assert services.NOT_SENT in page  # the run's step says it waits

    # The broker is back: the beat's stale check sends the task (a worker would take it).
    broker.up()
    assert tasks.requeue_stale_reports() == [run.pk]
    run.refresh_from_db()
    assert run.status == RunStatus.KOE and run.step == ""
    messages = broker.messages()
    assert len(messages) == 1
    headers = messages[0]["headers"]
    assert headers["task"] == "reporting.reports.tasks.generate_report"
    body = json.loads(base64.b64decode(messages[0]["body"]))
    assert body[0] == [run.pk]
