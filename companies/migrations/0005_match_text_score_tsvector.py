from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from companies.search import PG_DROP_OLD_FUNCTION_SQL, PG_FUNCTION_SQL

        schema_editor.execute(PG_DROP_OLD_FUNCTION_SQL)
        schema_editor.execute(PG_FUNCTION_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from companies.search import PG_DROP_FUNCTION_SQL, PG_OLD_FUNCTION_SQL

        schema_editor.execute(PG_DROP_FUNCTION_SQL)
        schema_editor.execute(PG_OLD_FUNCTION_SQL)


class Migration(migrations.Migration):
    """match_text_score takes the task document as a tsvector (computed once per query)."""

    dependencies = [("companies", "0004_task_search_vector")]

    operations = [migrations.RunPython(forwards, backwards)]
