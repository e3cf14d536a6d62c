"""Audit retention on PostgreSQL: the one way rows leave the audit log.

``substitution_audit_purge(read_before, other_before)`` deletes read events (view, CPR reveal,
export, search) older than ``read_before`` and, when ``other_before`` is not NULL, every other
event older than that. It is ``SECURITY DEFINER``: it runs as the role that owns the table (the
role running this migration), so the application's role, which may not DELETE, can call it
once ``grant_app_role`` has granted EXECUTE. It refuses cut-offs younger than one month for
reads and one year for the rest, so even the application's role cannot empty the log through
it, and it fixes which actions count as reads.

The insert-only trigger of 0002 now lets a DELETE through only inside this function: it
sets a transaction-local flag, and the trigger also demands that the deleting role is the
table's owner (which only the function's callers become). Anyone else, the owner included,
is refused as before (the owner can still switch the triggers off: docs/security.md).
"""

from django.db import migrations

READ_ACTIONS = ("view", "reveal_cpr", "export", "search")

TRIGGER = """
CREATE OR REPLACE FUNCTION substitution_auditevent_insert_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('substitution.audit_purge', true) = 'on'
       AND current_user = (SELECT tableowner FROM pg_tables
                            WHERE schemaname = TG_TABLE_SCHEMA AND tablename = TG_TABLE_NAME)
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'substitution_auditevent is insert-only (% rejected)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

OLD_TRIGGER = """
CREATE OR REPLACE FUNCTION substitution_auditevent_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'substitution_auditevent is insert-only (% rejected)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PURGE = """
CREATE OR REPLACE FUNCTION substitution_audit_purge(
    read_before timestamptz, other_before timestamptz
) RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, {schema}, pg_temp
AS $$
DECLARE
    deleted bigint := 0;
    more bigint := 0;
BEGIN
    IF read_before IS NULL OR read_before > now() - interval '1 month' THEN
        RAISE EXCEPTION 'audit purge: read events are kept at least one month (got %)',
            read_before USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF other_before IS NOT NULL AND other_before > now() - interval '1 year' THEN
        RAISE EXCEPTION 'audit purge: other events are kept at least one year (got %)',
            other_before USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('substitution.audit_purge', 'on', true);
    DELETE FROM {schema}.substitution_auditevent
     WHERE action IN ({read_actions}) AND at < read_before;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    IF other_before IS NOT NULL THEN
        DELETE FROM {schema}.substitution_auditevent
         WHERE action NOT IN ({read_actions}) AND at < other_before;
        GET DIAGNOSTICS more = ROW_COUNT;
    END IF;
    PERFORM set_config('substitution.audit_purge', 'off', true);
    RETURN deleted + more;
END;
$$;
REVOKE ALL ON FUNCTION substitution_audit_purge(timestamptz, timestamptz) FROM PUBLIC;
"""

DROP_PURGE = "DROP FUNCTION IF EXISTS substitution_audit_purge(timestamptz, timestamptz);"


def create(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.connection.ops.quote_name
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = quote(cursor.fetchone()[0])
    actions = ", ".join(f"'{action}'" for action in READ_ACTIONS)
    schema_editor.execute(TRIGGER, params=None)
    schema_editor.execute(PURGE.format(schema=schema, read_actions=actions), params=None)


def drop(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP_PURGE, params=None)
    schema_editor.execute(OLD_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [("substitution", "0003_auditevent_no_truncate_trigger")]

    operations = [migrations.RunPython(create, drop)]
