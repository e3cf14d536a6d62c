"""Celery wiring: the app, autodiscovered tasks, the beat schedule, eager mode without Redis and
a real worker against Redis."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.schedules import schedule as celery_schedule
from django.conf import settings

from substitution import tasks
from substitution.celery import app

ROOT = Path(__file__).resolve().parents[2]
# The worker test uses its own Redis database number so it never touches the data of REDIS_URL.
TEST_REDIS_DB = 5


def _reset_connections(celery_app: Celery) -> None:
    """Drop pooled broker connections and the thread's result backend so new config applies."""
    # Celery's private connection state; its stubs leave it out.
    if celery_app._pool is not None:  # type: ignore[attr-defined]
        celery_app._pool.force_close_all()  # type: ignore[attr-defined]
        celery_app._pool = None  # type: ignore[attr-defined]
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]
    if hasattr(celery_app._local, "backend"):  # type: ignore[attr-defined]
        del celery_app._local.backend  # type: ignore[attr-defined]


@pytest.fixture
def redis_app() -> Iterator[Celery]:
    """The project's Celery app pointed at a real Redis (REDIS_URL, DB 5), restored afterwards.

    Settings are read at import, so the app is reconfigured here rather than through settings.
    """
    parts = urlsplit(os.environ["REDIS_URL"])
    url = urlunsplit(parts._replace(path=f"/{TEST_REDIS_DB}"))
    changes = {
        "broker_url": url,
        "result_backend": url,
        "task_always_eager": False,
        # A queue of our own, so parallel runs on the same Redis never take each other's tasks.
        "task_default_queue": f"test-{uuid.uuid4().hex}",
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


# The worker (and autodiscovery) run Django's system checks, which query the database.
@pytest.mark.redis
@pytest.mark.django_db
def test_real_worker_runs_tasks_through_redis(redis_app: Celery) -> None:
    import celery.contrib.testing.tasks  # noqa: F401  registers celery.ping for the ping check

    with start_worker(redis_app, pool="solo", perform_ping_check=True):
        result = tasks.add.delay(2, 3)
        assert result.get(timeout=20) == 5
        assert result.successful()
        heartbeat = tasks.heartbeat.delay()
        assert heartbeat.get(timeout=20).startswith("20")
    # The result went through the Redis result backend, not an in-process eager result.
    assert type(result).__name__ == "AsyncResult"
    assert redis_app.backend.__class__.__name__ == "RedisBackend"


def test_without_redis_url_tasks_run_eagerly() -> None:
    """A fresh process with no REDIS_URL: the app is eager and .delay() runs in-process."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "substitution.settings"
    code = (
        "import json, django; django.setup()\n"
        "from substitution.celery import app\n"
        "from substitution.tasks import add\n"
        "r = add.delay(20, 22)\n"
        "print(json.dumps({'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url,"
        " 'result': r.get(timeout=1), 'kind': type(r).__name__}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert data == {"eager": True, "broker": "memory://", "result": 42, "kind": "EagerResult"}


def test_with_redis_url_the_app_uses_the_broker() -> None:
    """Setting REDIS_URL switches Celery from eager to the broker (read from the environment)."""
    env = {**os.environ, "REDIS_URL": "redis://redis.example:6379/3"}
    env["DJANGO_SETTINGS_MODULE"] = "substitution.settings"
    code = (
        "import json, django; django.setup()\n"
        "from substitution.celery import app\n"
        "print(json.dumps([app.conf.task_always_eager, app.conf.broker_url,"
        " app.conf.result_backend]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    eager, broker, backend = json.loads(out.stdout.strip().splitlines()[-1])
    assert not eager
    assert broker == backend == "redis://redis.example:6379/3"


def test_an_enqueue_fails_fast_when_the_broker_is_down() -> None:
    """With Redis unreachable (a closed port), .delay() raises at once (about 1 second on a
    quiet machine) instead of retrying for about 20 (result backend and broker both retried),
    so a view that enqueues can answer at once. A fresh process: settings are read at import;
    no mock. The Redis client modules are imported before the clock starts, and the bound is
    half the retrying behaviour's 20 s: on a loaded 2-core machine the first attempt took
    4.5 s (a 3 s bound failed CI once); without the transport options it takes 19 s."""
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:1/0"}
    env["DJANGO_SETTINGS_MODULE"] = "substitution.settings"
    code = (
        "import json, time, django; django.setup()\n"
        "import redis, kombu.transport.redis, celery.backends.redis\n"
        "from substitution.tasks import add\n"
        "out = []\n"
        "for _ in range(2):\n"
        "    start = time.monotonic()\n"
        "    try:\n"
        "        add.delay(1, 2)\n"
        "        error = None\n"
        "    except Exception as exc:\n"
        "        error = type(exc).__name__\n"
        "    out.append([time.monotonic() - start, error])\n"
        "print(json.dumps(out))\n"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    attempts = json.loads(result.stdout.strip().splitlines()[-1])
    for elapsed, error in attempts:
        assert error is not None, "the enqueue succeeded against a closed port"
        assert elapsed < 10, f"the enqueue took {elapsed:.1f} s to fail ({error})"
    assert time.monotonic() - started < 60


@pytest.mark.django_db
def test_beat_schedule_names_registered_tasks() -> None:
    app.loader.import_default_modules()  # autodiscovery of every app's tasks.py
    assert settings.CELERY_BEAT_SCHEDULE, "the beat schedule is empty"
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name!r}: no task {entry['task']!r}"
        when = entry["schedule"]
        assert isinstance(when, int | float | timedelta | celery_schedule), name
    assert "substitution.tasks.heartbeat" in app.tasks


def test_project_app_is_the_current_app_in_django() -> None:
    """Django imports the Celery app (substitution/__init__.py), so shared tasks bind to it."""
    assert tasks.add.app is app
    assert app.main == "substitution"
