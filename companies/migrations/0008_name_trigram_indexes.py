"""Trigram indexes for the name searches (issue 13): the search from every page and the
company combobox look companies and tasks up with ``icontains``
(``UPPER(name) LIKE UPPER('%text%')``), which without them reads every company and task of
the jobcentre (the CVR number is a prefix match, which the trigram index answers too).
PostgreSQL only (pg_trgm), as cases/migrations/0016."""

from django.db import migrations

# name: (table, indexed expression); icontains compares UPPER(column), the CVR is a prefix.
INDEXES = {
    "company_name_trgm": ("companies_company", 'UPPER("name")'),
    "company_cvr_trgm": ("companies_company", '"cvr"'),
    "task_title_trgm": ("companies_task", 'UPPER("title")'),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f"USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("companies", "0007_placementtype_flags")]

    operations = [migrations.RunPython(create, drop)]
