from django.db import migrations


def load(apps, schema_editor):
    from companies.codes import INDUSTRIES, PLACEMENT_TYPES, REQUIREMENT_TAGS, TARGET_GROUPS

    Industry = apps.get_model("companies", "Industry")
    for order, (code, label, section) in enumerate(INDUSTRIES):
        Industry.objects.update_or_create(
            code=code.lower(), defaults={"label": label, "section": section, "sort_order": order}
        )
    for model_name, rows in (("RequirementTag", REQUIREMENT_TAGS), ("TargetGroup", TARGET_GROUPS)):
        model = apps.get_model("companies", model_name)
        for order, (code, label) in enumerate(rows):
            model.objects.update_or_create(
                code=code, defaults={"label": label, "sort_order": order}
            )
    PlacementType = apps.get_model("companies", "PlacementType")
    for order, (code, label, ordinary, company, paid) in enumerate(PLACEMENT_TYPES):
        PlacementType.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "sort_order": order,
                "counts_as_ordinary_hours": ordinary,
                "counts_as_company_placement": company,
                "is_paid": paid,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("companies", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
