"""The pipeline's page of 50 companies by name (issue 13): an index on (unit, name, id), so
``ORDER BY name, id LIMIT 50`` is an ordered index scan instead of a sort of every company of
the jobcentre (docs/performance.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("companies", "0009_task_company_postal_code")]

    operations = [
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["unit", "name", "id"], name="company_unit_name_idx"),
        ),
    ]
