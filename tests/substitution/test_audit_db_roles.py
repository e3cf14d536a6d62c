"""The audit log in PostgreSQL itself (issue 15, finding 3).

- TRUNCATE is refused by a statement trigger, also for a role that owns the table (migration
  0003); a superuser is let through (it can switch any trigger off anyway, and the test
  runner empties test databases with TRUNCATE as a superuser).
- A role that owns the table can still switch the triggers off: that limit is proven here so
  docs/security.md does not promise more than the database gives.
- ``manage.py grant_app_role`` gives the application a role that cannot UPDATE, DELETE,
  TRUNCATE, disable the triggers or drop the table, and the application still works as it.

Roles are created inside the test's transaction, so they vanish with its rollback.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from substitution.management.commands.grant_app_role import scram_sha_256
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory

TABLE = "substitution_auditevent"

postgres = pytest.mark.postgres


def sql(statement: str, params: Sequence[str | int] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def refused(statement: str, match: str) -> None:
    """``statement`` fails with ``match``; the savepoint keeps the test's transaction usable."""
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        sql(statement)


def new_role(*options: str) -> str:
    name = f"test_role_{uuid.uuid4().hex[:10]}"
    sql(f"CREATE ROLE {name} NOLOGIN {' '.join(options)}")
    return name


def settle() -> None:
    """Run the deferred foreign-key checks of the rows inserted so far: PostgreSQL refuses
    ALTER TABLE and TRUNCATE on a table with pending trigger events."""
    sql("SET CONSTRAINTS ALL IMMEDIATE")


def give_table_to(owner: str) -> None:
    settle()
    sql(f"ALTER TABLE {TABLE} OWNER TO {owner}")


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    sql(f"SET ROLE {role}")
    try:
        yield
    finally:
        sql("RESET ROLE")


@pytest.fixture
def events(jobformidler: User) -> int:
    for n in range(3):
        AuditEvent.objects.create(user=jobformidler, action=AuditAction.VIEW, object_repr=f"{n}")
    return AuditEvent.objects.count()


@pytest.fixture
def app_role(db: None) -> str:
    role = new_role()
    call_command("grant_app_role", role, stdout=StringIO())
    return role


# --- the TRUNCATE trigger ----------------------------------------------------------------------


@postgres
def test_truncate_is_refused_for_a_role_that_owns_the_table(events: int) -> None:
    owner = new_role()
    give_table_to(owner)
    with acting_as(owner):
        refused(f"TRUNCATE {TABLE}", r"insert-only \(TRUNCATE rejected\)")
        refused(f"DELETE FROM {TABLE}", r"insert-only \(DELETE rejected\)")
    assert AuditEvent.objects.count() == events


@postgres
def test_truncate_cascading_from_another_table_is_refused(events: int) -> None:
    owner = new_role()
    give_table_to(owner)
    sql("CREATE TABLE test_parent (id bigint PRIMARY KEY)")
    sql(f"ALTER TABLE test_parent OWNER TO {owner}")
    sql(f"ALTER TABLE {TABLE} ADD COLUMN test_parent_id bigint REFERENCES test_parent")
    with acting_as(owner):
        refused("TRUNCATE test_parent CASCADE", r"insert-only \(TRUNCATE rejected\)")
    assert AuditEvent.objects.count() == events


@postgres
def test_a_superuser_may_truncate_so_test_databases_can_be_emptied(events: int) -> None:
    assert sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") == [(True,)]
    settle()
    with transaction.atomic():
        sql(f"TRUNCATE {TABLE}")
        assert AuditEvent.objects.count() == 0
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == events


@postgres
def test_the_owning_role_can_still_switch_the_triggers_off(events: int) -> None:
    """Why the application must not own the table: the triggers only slow an owner down."""
    owner = new_role()
    give_table_to(owner)
    with acting_as(owner), transaction.atomic():
        sql(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        sql(f"DELETE FROM {TABLE}")
        assert AuditEvent.objects.count() == 0
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == events


# --- the application's role --------------------------------------------------------------------


@postgres
def test_app_role_cannot_erase_or_unprotect_the_audit_log(events: int, app_role: str) -> None:
    with acting_as(app_role):
        assert sql(f"SELECT count(*) FROM {TABLE}") == [(events,)]
        refused(f"UPDATE {TABLE} SET object_repr = 'x'", "permission denied")
        refused(f"DELETE FROM {TABLE}", "permission denied")
        refused(f"TRUNCATE {TABLE}", "permission denied")
        refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER", "must be owner")
        refused(f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL", "must be owner")
        refused(f"DROP TRIGGER substitution_auditevent_insert_only ON {TABLE}", "must be owner")
        refused(f"DROP TABLE {TABLE} CASCADE", "must be owner")
        refused(f"ALTER TABLE {TABLE} OWNER TO CURRENT_USER", "must be owner")
        refused("SET session_replication_role = replica", "permission denied")
        refused(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
            "permission denied",
        )
        AuditEvent.objects.create(action=AuditAction.SEARCH, object_repr="ny")  # INSERT works
    assert AuditEvent.objects.count() == events + 1


@postgres
def test_the_application_works_as_the_app_role(
    app_role: str, team: Team, jobformidler: User, administrator: User
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    jf, adm = client_for(jobformidler), client_for(administrator)
    with acting_as(app_role):
        assert jf.get(reverse("cases:citizen_detail", args=[citizen.pk])).status_code == 200
        assert jf.get(reverse("cases:my_day")).status_code == 200
        admin_page = reverse("admin:cases_citizen_change", args=[citizen.pk])
        assert adm.get(admin_page).status_code == 200
        assert sql("SELECT current_user") == [(app_role,)]
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, citizen_id=citizen.pk)
    assert views.count() == 2  # both views were logged by the app role


@postgres
def test_grant_app_role_creates_a_login_role_with_a_hashed_password(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    role = f"test_app_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("TEST_APP_DB_PASSWORD", "hemmelig-2026")
    call_command(
        "grant_app_role", role, "--password-env", "TEST_APP_DB_PASSWORD", stdout=StringIO()
    )
    [(login, superuser, createrole, stored)] = sql(
        "SELECT rolcanlogin, rolsuper, rolcreaterole, rolpassword FROM pg_authid "
        "WHERE rolname = %s",
        [role],
    )
    assert login and not superuser and not createrole
    assert isinstance(stored, str) and stored.startswith("SCRAM-SHA-256$4096:")
    assert "hemmelig" not in stored
    privileges = sql(
        "SELECT privilege_type FROM information_schema.role_table_grants "
        "WHERE grantee = %s AND table_name = %s ORDER BY 1",
        [role, TABLE],
    )
    assert privileges == [("INSERT",), ("SELECT",)]


@postgres
def test_our_scram_verifier_is_the_one_postgresql_computes(db: None) -> None:
    role = new_role()
    sql("SET LOCAL password_encryption = 'scram-sha-256'")
    sql(f"ALTER ROLE {role} PASSWORD 'korrekt-hest-batteri'")
    [(stored,)] = sql("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [role])
    salt = base64.b64decode(stored.split(":")[1].split("$")[0])
    assert scram_sha_256("korrekt-hest-batteri", salt) == stored


@postgres
@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("SUPERUSER", "er superbruger"),
        ("CREATEROLE", "har CREATEROLE"),
        ("IN ROLE postgres", "er \\(medlem af\\) tabellernes ejer"),
    ],
)
def test_grant_app_role_refuses_a_role_that_could_unprotect_the_log(
    db: None, options: str, reason: str
) -> None:
    role = new_role(options)
    with pytest.raises(CommandError, match=reason):
        call_command("grant_app_role", role, stdout=StringIO())


@postgres
def test_grant_app_role_refuses_a_role_that_owns_a_table(db: None) -> None:
    role = new_role()
    sql(f"ALTER TABLE cases_citizen OWNER TO {role}")
    with pytest.raises(CommandError, match="ejer 1 tabel"):
        call_command("grant_app_role", role, stdout=StringIO())


@postgres
def test_grant_app_role_refuses_delete_granted_to_public(db: None) -> None:
    role = new_role()
    sql(f"GRANT DELETE ON {TABLE} TO PUBLIC")
    with pytest.raises(CommandError, match="stadig DELETE"):
        call_command("grant_app_role", role, stdout=StringIO())


@postgres
def test_grant_app_role_must_run_as_the_owner(app_role: str) -> None:
    with acting_as(app_role), pytest.raises(CommandError, match="Kør kommandoen som rollen"):
        call_command("grant_app_role", app_role, stdout=StringIO())


@postgres
def test_grant_app_role_needs_an_existing_role_or_a_password(db: None) -> None:
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("grant_app_role", "test_role_mangler", stdout=StringIO())
    with pytest.raises(CommandError, match="Ugyldigt rollenavn"):
        call_command("grant_app_role", 'x"; DROP TABLE cases_citizen; --', stdout=StringIO())


def test_grant_app_role_is_postgresql_only(db: None) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("runs on the other databases")
    with pytest.raises(CommandError, match="kun på PostgreSQL"):
        call_command("grant_app_role", "substitution_app", stdout=StringIO())
