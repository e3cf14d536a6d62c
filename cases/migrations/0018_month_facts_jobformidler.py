"""The jobformidler assigned on each month's last day as a fact (``CitizenMonth.jobformidler``):
the team lead's board groups by it instead of a subquery per citizen. The existing rows do not
have it yet, so the facts are marked unbuilt: the measures compute live until the task
(``extend_month_facts``) has rebuilt the table (``manage.py month_facts`` does it at once)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def unbuilt(apps, schema_editor):  # type: ignore[no-untyped-def]
    horizon = apps.get_model("cases", "MonthFactsHorizon")
    horizon.objects.filter(pk=1).update(through=None, taken_on=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_citizen_team_sort_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="citizenmonth",
            name="jobformidler",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(unbuilt, migrations.RunPython.noop),
    ]
