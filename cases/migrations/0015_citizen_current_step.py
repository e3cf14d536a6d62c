# The caseload's maintained step (Citizen.current_step, cases/citizens/facts.py), filled for
# existing citizens, and the indexes of the leder's and teamleder's sort by trin.

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A frozen copy of cases.citizens.steps.step_on on today (Copenhagen's date) with the
    historical models (the live rule may later read columns this point of the history does
    not have yet)."""
    Citizen = apps.get_model("cases", "Citizen")
    if not Citizen.objects.exists():
        return
    day = dt.datetime.now(ZoneInfo("Europe/Copenhagen")).date()
    Placement = apps.get_model("cases", "Placement")
    JobGoal = apps.get_model("cases", "JobGoal")
    confirmed = Q(start_confirmed_on__isnull=False)
    at_company = Placement.objects.filter(citizen=OuterRef("pk"), type__at_company=True)
    active = at_company.filter(
        confirmed, Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    latest_ended = (
        at_company.filter(confirmed, ends_on__lt=day)
        .order_by("-ends_on", "-pk")
        .values("end_reason__is_job")[:1]
    )
    goal = JobGoal.objects.filter(citizen=OuterRef("pk"), created_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    Citizen.objects.update(
        current_step=Case(
            When(status="afsluttet", then=Value(0)),
            When(Exists(active), then=Value(3)),
            When(Subquery(latest_ended, output_field=models.BooleanField()), then=Value(3)),
            When(Exists(goal), then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_month_facts_taken_on"),
        ("companies", "0007_placementtype_flags"),
        ("substitution", "0006_followup_open_subject_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="citizen",
            name="current_step",
            field=models.PositiveSmallIntegerField(
                db_default=1, default=1, editable=False, verbose_name="trin i dag"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                fields=["unit", "status", "current_step", "last_name", "first_name", "id"],
                name="citizen_unit_step_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                fields=["unit", "status", "-current_step", "last_name", "first_name", "id"],
                name="citizen_unit_step_desc_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                fields=["team", "status", "current_step", "last_name", "first_name", "id"],
                name="citizen_team_step_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="citizen",
            index=models.Index(
                fields=["team", "status", "-current_step", "last_name", "first_name", "id"],
                name="citizen_team_step_desc_idx",
            ),
        ),
    ]
