"""/healthz: database and broker status as JSON, 200 when healthy, 503 when not.

Failures are real: the broker and the database are pointed at closed ports (or, for SQLite, a
file that cannot be opened); nothing is mocked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client, override_settings

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def anon() -> Client:
    return Client()


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_healthy_without_redis_reports_eager_broker(anon: Client) -> None:
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.redis
@pytest.mark.django_db
def test_healthy_with_redis(anon: Client) -> None:
    with override_settings(REDIS_URL=os.environ["REDIS_URL"]):
        response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
@override_settings(REDIS_URL=CLOSED_PORT_REDIS)
def test_broker_down_is_503(anon: Client) -> None:
    response = anon.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"] == "ConnectionError"


@pytest.fixture
def unreachable_database() -> Iterator[None]:
    """Swap the default connection for one to a database that cannot be reached.

    PostgreSQL: the same settings with a closed port. SQLite: a file in a missing directory.
    The real connection (and the test database in it) is put back afterwards.
    """
    real = connections["default"]
    broken_settings = dict(real.settings_dict)
    if real.vendor == "postgresql":
        broken_settings.update(HOST="127.0.0.1", PORT="1")
    else:
        broken_settings.update(NAME="/nonexistent-substitution-dir/db.sqlite3")
    backend = load_backend(broken_settings["ENGINE"])
    broken = backend.DatabaseWrapper(broken_settings, "default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = real


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_database_down_is_503(anon: Client, unreachable_database: None) -> None:
    response = anon.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "OperationalError",
        "broker": "eager",
    }


@pytest.mark.django_db
@override_settings(REDIS_URL="", SECURE_SSL_REDIRECT=True)
def test_anonymous_plain_http_not_redirected(anon: Client) -> None:
    """The compose health check calls plain http inside the container: no login, no https."""
    response = anon.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
@override_settings(REDIS_URL="")
def test_never_cached(anon: Client) -> None:
    response = anon.get("/healthz")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "max-age=0"} <= cache_control


@pytest.mark.django_db
def test_only_get(anon: Client) -> None:
    assert anon.post("/healthz").status_code == 405
