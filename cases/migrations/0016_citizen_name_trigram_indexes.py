"""Trigram indexes for the name searches (issue 13): the search from every page, the
caseload's name search and the citizen combobox look citizens up with ``icontains``
(``UPPER(name) LIKE UPPER('%text%')``), which without them reads every citizen of the
jobcentre. PostgreSQL only (pg_trgm); SQLite keeps its plain scans. Not declared on the
model: ``Meta.indexes`` cannot say ``gin_trgm_ops`` and skip SQLite (docs/performance.md)."""

from django.db import migrations

INDEXES = {
    "citizen_first_name_trgm": ("cases_citizen", "first_name"),
    "citizen_last_name_trgm": ("cases_citizen", "last_name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_citizen_current_step")]

    operations = [migrations.RunPython(create, drop)]
