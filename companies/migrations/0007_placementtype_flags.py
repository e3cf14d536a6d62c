"""Placement type flags for the step and the measures (docs/measures.md): ``at_company``
(trin 3), ``counts_as_virksomhedsforloeb`` (renamed from ``counts_as_company_placement``),
``virksomhedsrettet`` (praktik and løntilskud) and ``unpaid_praktik``. The values for the
default types are this migration's own copy."""

from django.db import migrations, models

# code -> (at_company, virksomhedsrettet, unpaid_praktik)
FLAGS = {
    "virksomhedspraktik": (True, True, True),
    "loentilskud": (True, True, False),
    "ordinaere-loentimer": (True, False, False),
    "ordinaer-ansaettelse": (True, False, False),
    "fleksjob": (True, False, False),
    "igu": (True, False, False),
    "ordinaer-uddannelse": (False, False, False),
}


def load(apps, schema_editor):
    PlacementType = apps.get_model("companies", "PlacementType")
    for code, (at_company, virksomhedsrettet, unpaid) in FLAGS.items():
        PlacementType.objects.filter(code=code).update(
            at_company=at_company, virksomhedsrettet=virksomhedsrettet, unpaid_praktik=unpaid
        )


class Migration(migrations.Migration):
    dependencies = [("companies", "0006_company_version_task_version")]

    operations = [
        migrations.RenameField(
            model_name="placementtype",
            old_name="counts_as_company_placement",
            new_name="counts_as_virksomhedsforloeb",
        ),
        migrations.AddField(
            model_name="placementtype",
            name="at_company",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Praktik eller beskæftigelse hos en virksomhed. Falsk for ordinær uddannelse."
                ),
                verbose_name="ved en virksomhed (trin 3)",
            ),
        ),
        migrations.AddField(
            model_name="placementtype",
            name="virksomhedsrettet",
            field=models.BooleanField(
                default=False,
                help_text="Praktik og løntilskud.",
                verbose_name="virksomhedsrettet indsats",
            ),
        ),
        migrations.AddField(
            model_name="placementtype",
            name="unpaid_praktik",
            field=models.BooleanField(default=False, verbose_name="ulønnet praktik"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
