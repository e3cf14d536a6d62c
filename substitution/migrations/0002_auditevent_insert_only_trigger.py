"""On PostgreSQL, make the audit log insert-only in the database itself: a trigger rejects
UPDATE and DELETE on substitution_auditevent, whatever code (or SQL console) tries it.
TRUNCATE fires no row trigger; 0003 adds a statement trigger that refuses it. Other
databases rely on the model's guards (AuditEvent.save/delete, AuditQuerySet.update/delete)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION substitution_auditevent_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'substitution_auditevent is insert-only (% rejected)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER substitution_auditevent_insert_only
    BEFORE UPDATE OR DELETE ON substitution_auditevent
    FOR EACH ROW EXECUTE FUNCTION substitution_auditevent_insert_only();
"""

DROP = """
DROP TRIGGER IF EXISTS substitution_auditevent_insert_only ON substitution_auditevent;
DROP FUNCTION IF EXISTS substitution_auditevent_insert_only();
"""


def _run_on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("substitution", "0001_initial")]

    operations = [
        migrations.RunPython(_run_on_postgresql(CREATE), _run_on_postgresql(DROP)),
    ]
