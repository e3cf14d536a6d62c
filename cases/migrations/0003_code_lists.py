from django.db import migrations


def load(apps, schema_editor):
    from cases.citizens.codes import BARRIER_EXCLUDES, CODE_LISTS, HEALTH_BARRIERS, JOB_END_REASONS

    for model_name, rows in CODE_LISTS.items():
        model = apps.get_model("cases", model_name)
        for order, (code, label) in enumerate(rows):
            defaults = {"label": label, "sort_order": order}
            if model_name == "Barrier":
                defaults["is_health"] = code in HEALTH_BARRIERS
            if model_name == "PlacementEndReason":
                defaults["is_job"] = code in JOB_END_REASONS
            model.objects.update_or_create(code=code, defaults=defaults)
    Barrier = apps.get_model("cases", "Barrier")
    RequirementTag = apps.get_model("companies", "RequirementTag")
    for barrier_code, tag_codes in BARRIER_EXCLUDES.items():
        barrier = Barrier.objects.get(code=barrier_code)
        barrier.excludes_requirements.set(RequirementTag.objects.filter(code__in=tag_codes))


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial"), ("companies", "0003_code_lists")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
