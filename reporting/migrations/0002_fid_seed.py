"""The fidelity models shipped with the product: FSM's six core elements and trin-for-trin's
establishment requirements (reporting/fidelity/seeded.py, docs/fidelity.md)."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from reporting.fidelity.seeded import seed_models

    seed_models(apps)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_fid_models")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
