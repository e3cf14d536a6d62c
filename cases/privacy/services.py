"""Writers of the privacy package: anonymisation (the only writer of ``anonymised_on``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F

from cases.citizens.followups import citizen_type
from cases.citizens.models import Citizen
from cases.privacy import anonymise as rules
from substitution import audit, days
from substitution.audit import SYSTEM, AuditContext
from substitution.models import AuditAction, FollowUp, User


def anonymise(
    citizen_ids: Sequence[int], *, actor: User | None, context: AuditContext = SYSTEM
) -> int:
    """Remove the personal data of ``citizen_ids`` (``rules.FIELDS``), once each; one audit
    row per citizen that names no one. Returns how many were anonymised."""
    today = days.today()
    with transaction.atomic():
        ids = list(
            Citizen.objects.select_for_update()
            .filter(pk__in=citizen_ids, anonymised_on__isnull=True)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        for model, (path, values) in rules.FIELDS.items():
            lookup = "pk__in" if path == "pk" else f"{path}__in"
            model._default_manager.filter(**{lookup: ids}).update(**values)
        FollowUp.objects.filter(subject_type=citizen_type(), subject_id__in=ids).update(
            title=rules.FOLLOW_UP_TITLE
        )
        Citizen.barriers.through.objects.filter(citizen_id__in=ids).delete()
        for pk in ids:
            Citizen.objects.filter(pk=pk).update(
                cpr=rules.placeholder_cpr(pk), anonymised_on=today, version=F("version") + 1
            )
        audit.write_many(
            audit.event(
                actor,
                AuditAction.CHANGE,
                None,
                context=context,
                citizen_id=pk,
                object_repr=f"Borger {pk} anonymiseret",
                changes={"anonymiseret": today.isoformat()},
            )
            for pk in ids
        )
    return len(ids)
