"""On PostgreSQL, refuse TRUNCATE of substitution_auditevent too (0002 refuses UPDATE and
DELETE row by row; TRUNCATE fires no row triggers, so it needs a statement trigger). The
trigger also fires when the table would be emptied by ``TRUNCATE other_table CASCADE``.

A superuser is let through: a superuser can switch any trigger off anyway
(``session_replication_role``, ``ALTER TABLE … DISABLE TRIGGER``), so refusing would protect
nothing, and the test runner, which connects as a superuser, empties test databases with
TRUNCATE. Neither this trigger nor 0002's stops the role that owns the table: an owner may
disable or drop them. The protection that holds is that the application runs as a role that
does not own the table and is granted only SELECT and INSERT on it
(``manage.py grant_app_role``; see docs/security.md).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION substitution_auditevent_no_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'substitution_auditevent is insert-only (% rejected)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER substitution_auditevent_no_truncate
    BEFORE TRUNCATE ON substitution_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION substitution_auditevent_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS substitution_auditevent_no_truncate ON substitution_auditevent;
DROP FUNCTION IF EXISTS substitution_auditevent_no_truncate();
"""


def _run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("substitution", "0002_auditevent_insert_only_trigger")]

    operations = [
        migrations.RunPython(_run_on_postgresql(CREATE), _run_on_postgresql(DROP)),
    ]
