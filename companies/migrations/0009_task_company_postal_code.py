"""Matching prunes before it scores (issue 13, the citizen matches panel): the company's
postal code copied onto the task (``Task.company_postal_code``, kept with the search vector by
``companies.search.refresh_task_vectors``) and three PostgreSQL-only indexes, so that
``cases.matching.scoring.rank_tasks`` reads only the open tasks that can still reach the top
of the ranking (by postal area, hours and goal words) instead of scoring every open task:

* ``task_match_postal_idx``: ``(status, company_postal_code varchar_pattern_ops,
  hours_per_week)``: equal postal code or postal-area prefix (``LIKE '82%'``), hours band;
* ``task_status_hours_idx``: ``(status, hours_per_week)``: an hours band in every area;
* ``task_search_vector_gin``: ``search_vector @@ 'term':*`` (tasks matching a goal word).

SQLite keeps the column NULL and matching scores every task there, as before."""

from django.db import migrations, models

INDEXES = {
    "task_match_postal_idx": (
        "btree (status, company_postal_code varchar_pattern_ops, hours_per_week)"
    ),
    "task_status_hours_idx": "btree (status, hours_per_week)",
    "task_search_vector_gin": "gin (search_vector)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Only refreshed tasks (a stored vector) get the postal code: NULL means "not refreshed".
    schema_editor.execute(
        'UPDATE "companies_task" AS t SET "company_postal_code" = c."postal_code" '
        'FROM "companies_company" AS c '
        'WHERE c."id" = t."company_id" AND t."search_vector" IS NOT NULL'
    )
    for name, using in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "companies_task" USING {using}'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("companies", "0008_name_trigram_indexes")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="company_postal_code",
            field=models.CharField(editable=False, max_length=4, null=True),
        ),
        migrations.RunPython(create, drop),
    ]
