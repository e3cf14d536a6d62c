"""Backup and restore as docs/backup.md describes it (issue 15, resilience).

The seeded demo is committed (a transactional test), dumped with the real ``pg_dump -Fc``,
restored with the real ``pg_restore --no-owner --no-privileges`` into a new, empty database,
and then every table of the public schema (our apps, auth, contenttypes, sessions, ...) must
hold the same number of rows as the source, and the audit log's triggers must be there,
enabled, and still refuse UPDATE and DELETE in the restored database (the TRUNCATE trigger
lets the superuser this test connects as through, so only its presence is checked).

pg_dump and pg_restore come from PATH; PostgreSQL refuses to dump a server newer than the
client, so the versions are checked first and a mismatch fails with a clear message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from substitution.models import AuditAction, AuditEvent, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCALE = "0.05"  # 30 citizens, 8 companies: a few thousand rows, a dump of well under 1 MB
APPS = {"substitution", "cases", "companies", "reporting", "auth", "contenttypes"}
AUDIT_TABLE = "substitution_auditevent"
AUDIT_TRIGGERS = {"substitution_auditevent_insert_only", "substitution_auditevent_no_truncate"}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not on PATH (install the PostgreSQL client, e.g. postgresql-client)"
        )
    return path


def conninfo(dbname: str) -> dict[str, Any]:
    s = connection.settings_dict
    params: dict[str, Any] = {"dbname": dbname, "user": s["USER"], "host": s["HOST"] or None}
    if s["PORT"]:
        params["port"] = int(s["PORT"])
    if s["PASSWORD"]:
        params["password"] = s["PASSWORD"]
    return {k: v for k, v in params.items() if v is not None}


def pg_env() -> dict[str, str]:
    """The libpq environment the client programs read: the test database's settings."""
    s = connection.settings_dict
    env = dict(os.environ)
    for var, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if s[key]:
            env[var] = str(s[key])
    if s["PASSWORD"]:
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return env


def run(*args: str) -> str:
    done = subprocess.run(args, env=pg_env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}"
    return done.stdout


def query(dbname: str, statement: sql.Composable | str) -> list[tuple[Any, ...]]:
    with psycopg.connect(**conninfo(dbname), autocommit=True) as conn:
        cursor = conn.execute(statement)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def tables(dbname: str) -> list[str]:
    rows = query(
        dbname,
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    return [r[0] for r in rows]


def row_counts(dbname: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    with psycopg.connect(**conninfo(dbname), autocommit=True) as conn:
        for table in tables(dbname):
            stmt = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = conn.execute(stmt).fetchone()
            assert row is not None
            counts[table] = int(row[0])
    return counts


def audit_triggers(dbname: str) -> set[str]:
    rows = query(
        dbname,
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D' "
        f"AND tgrelid = '{AUDIT_TABLE}'::regclass",
    )
    return {r[0] for r in rows}


@pytest.fixture
def restored_name() -> Iterator[str]:
    """A new database's name; the database is dropped afterwards, also when the test fails."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    try:
        yield name
    finally:
        with psycopg.connect(**conninfo("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def major(version_output: str) -> int:
    # "pg_dump (PostgreSQL) 15.20 (Debian ...)" -> 15
    return int(version_output.split(")")[1].split()[0].split(".")[0])


def test_a_dump_restores_into_an_empty_database_with_every_row(
    code_lists: None, restored_name: str, tmp_path: Path
) -> None:
    # code_lists: an earlier transactional test's flush emptied the code lists seed_demo needs.
    pg_dump, pg_restore = tool("pg_dump"), tool("pg_restore")
    server = connection.cursor().connection.info.server_version // 10000
    client = major(run(pg_dump, "--version"))
    assert client >= server, (
        f"pg_dump {client} cannot dump a PostgreSQL {server} server: install the client "
        f"of version {server} or newer (docs/backup.md)"
    )

    call_command("seed_demo", "--scale", SCALE, stdout=StringIO())
    user = User.objects.order_by("pk").first()
    AuditEvent.objects.create(user=user, action=AuditAction.VIEW, object_repr="Før backup")
    source = str(connection.settings_dict["NAME"])
    connection.close()  # nothing of ours open on the source while it is dumped

    dump = tmp_path / "substitution.dump"
    run(pg_dump, "-Fc", "--dbname", source, "--file", str(dump))
    assert dump.stat().st_size > 0

    with psycopg.connect(**conninfo("postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(restored_name))
        )
    assert tables(restored_name) == []
    run(
        pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
        "--dbname", restored_name, str(dump),
    )  # fmt: skip

    expected = row_counts(source)
    actual = row_counts(restored_name)
    model_tables = {
        m._meta.db_table for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in APPS and m._meta.managed
    }  # fmt: skip
    assert model_tables <= set(expected), model_tables - set(expected)
    assert actual == expected, {t: (expected[t], actual.get(t)) for t in expected
                                if expected[t] != actual.get(t)}  # fmt: skip
    # The seed really put data in the tables that matter (a dump of empty tables proves little).
    for table in ["cases_citizen", "companies_company", "cases_placement", "auth_permission",
                  "django_content_type", "substitution_user"]:  # fmt: skip
        assert expected[table] > 0, table
    assert sum(expected.values()) > 1000

    # The restored audit log is still append-only: the triggers came along and fire.
    assert audit_triggers(restored_name) == AUDIT_TRIGGERS
    assert expected[AUDIT_TABLE] > 0
    for statement in [f"UPDATE {AUDIT_TABLE} SET object_repr = 'x'", f"DELETE FROM {AUDIT_TABLE}"]:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="insert-only"):
            query(restored_name, statement)
