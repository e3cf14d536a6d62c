# The caseload's maintained facts (cases/citizens/facts.py), filled for existing citizens.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """A frozen copy of cases.citizens.facts.refresh with the historical models (the live
    function may later read columns this point of the history does not have yet)."""
    Citizen = apps.get_model("cases", "Citizen")
    if not Citizen.objects.exists():
        return
    Conversation = apps.get_model("cases", "Conversation")
    FollowUp = apps.get_model("substitution", "FollowUp")
    ContentType = apps.get_model("contenttypes", "ContentType")
    citizen_type = ContentType.objects.filter(app_label="cases", model="citizen").first()
    latest = (
        Conversation.objects.filter(citizen=OuterRef("pk"), outcome="afholdt")
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    changes = {"last_held_conversation_at": Subquery(latest)}
    if citizen_type is not None:
        due = (
            FollowUp.objects.filter(
                subject_type=citizen_type, subject_id=OuterRef("pk"), done_at__isnull=True
            )
            .order_by("due_on")
            .values("due_on")[:1]
        )
        changes["next_follow_up_on"] = Subquery(due)
    Citizen.objects.update(**changes)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_wt15_citizen_anonymised_on"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="citizen",
            name="last_held_conversation_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="seneste afholdte samtale"
            ),
        ),
        migrations.AddField(
            model_name="citizen",
            name="next_follow_up_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="næste åbne opfølgning"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
