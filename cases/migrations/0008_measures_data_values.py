"""Values for the measures' data (docs/measures.md), this migration's own copy:

- every weekly hours row ends on its Sunday (``ends_on``), then the column is required;
- placements that have started by today were taken as started: their start is confirmed
  (``start_confirmed_on = starts_on``); later ones wait for a confirmation;
- a case opened on the day its citizen was created (local day);
- each citizen's current visitation group and benefit become an open period;
- code-list flags: which conversation kinds and channels count for the contact cadence, the
  exit reasons' categories and the codes a monthly exit overview needs, and the placement end
  reason "aflyst" (cancelled before the start).
"""

import datetime as dt
import zoneinfo

from django.db import migrations, models
from django.db.models import ExpressionWrapper, F
from django.db.models.functions import TruncDate
from django.utils import timezone

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")

NOT_FOR_CADENCE_KINDS = {"drop-in"}
NOT_FOR_CADENCE_CHANNELS = {"sms", "telefon"}

# code -> (label, category, sort order); existing codes keep their label.
EXIT_REASONS = {
    "ordinaert-job": ("Ordinært job", "job", 0),
    "job-saerlige-vilkaar": ("Job på særlige vilkår", "job_saerlige_vilkaar", 1),
    "uddannelse": ("Ordinær uddannelse", "uddannelse", 2),
    "fleksjob": ("Fleksjob", "afklaring", 3),
    "foertidspension": ("Førtidspension", "afklaring", 4),
    "ressourceforloeb": ("Ressourceforløb", "afklaring", 5),
    "flyttet": ("Fraflyttet kommunen", "andet", 6),
    "mistet-ret": ("Mistet retten til ydelse", "andet", 7),
    "faengsel": ("Fængsel", "andet", 8),
    "doed": ("Død", "andet", 9),
    "anden-forsoergelse": ("Anden forsørgelse", "andet", 10),
    "oevrige": ("Øvrige", "andet", 11),
}


def load(apps, schema_editor):
    WeeklyHours = apps.get_model("cases", "WeeklyHours")
    Placement = apps.get_model("cases", "Placement")
    Citizen = apps.get_model("cases", "Citizen")
    VisitationPeriod = apps.get_model("cases", "VisitationPeriod")
    BenefitPeriod = apps.get_model("cases", "BenefitPeriod")
    today = timezone.localdate()

    WeeklyHours.objects.filter(ends_on__isnull=True).update(
        ends_on=ExpressionWrapper(
            F("week_start") + dt.timedelta(days=6), output_field=models.DateField()
        )
    )
    Placement.objects.filter(start_confirmed_on__isnull=True, starts_on__lte=today).update(
        start_confirmed_on=F("starts_on")
    )
    Citizen.objects.update(opened_on=TruncDate("created_at", tzinfo=CPH))

    visitations, benefits = [], []
    rows = Citizen.objects.values_list(
        "pk",
        "opened_on",
        "visitation_group_id",
        "visitation_date",
        "benefit_type_id",
        "benefit_spell_start",
    )
    for pk, opened, group, visited, benefit, spell in rows.iterator(chunk_size=5000):
        if group is not None:
            visitations.append(
                VisitationPeriod(citizen_id=pk, group_id=group, starts_on=visited or opened)
            )
        if benefit is not None:
            benefits.append(
                BenefitPeriod(citizen_id=pk, benefit_type_id=benefit, starts_on=spell or opened)
            )
    VisitationPeriod.objects.bulk_create(visitations, batch_size=5000)
    BenefitPeriod.objects.bulk_create(benefits, batch_size=5000)

    apps.get_model("cases", "ConversationKind").objects.filter(
        code__in=NOT_FOR_CADENCE_KINDS
    ).update(counts_for_cadence=False)
    apps.get_model("cases", "Channel").objects.filter(code__in=NOT_FOR_CADENCE_CHANNELS).update(
        counts_for_cadence=False
    )
    ExitReason = apps.get_model("cases", "ExitReason")
    for code, (label, category, order) in EXIT_REASONS.items():
        reason, created = ExitReason.objects.get_or_create(
            code=code, defaults={"label": label, "sort_order": order}
        )
        reason.category = category
        reason.sort_order = order
        reason.save(update_fields=["category", "sort_order"])
    apps.get_model("cases", "PlacementEndReason").objects.get_or_create(
        code="aflyst", defaults={"label": "Aflyst før start", "sort_order": 99}
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_measures_data")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="weeklyhours",
            name="ends_on",
            field=models.DateField(verbose_name="til"),
        ),
    ]
