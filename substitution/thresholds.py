"""Configurable thresholds and targets. Defaults apply until an administrator records a value
(``Threshold`` rows, per jobcentre or global, with a validity start)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q

from substitution import days
from substitution.models import Threshold, Unit

# key -> (default, Danish explanation). Every threshold the product uses is listed here.
DEFAULTS: dict[str, tuple[Decimal, str]] = {
    "no_contact_days": (Decimal(42), "Dage uden afholdt samtale før borgeren markeres"),
    "review_interval_weeks": (Decimal(6), "Uger mellem progressionsmålinger af delmål"),
    "conversation_edit_hours": (Decimal(24), "Timer hvor forfatteren frit kan rette en samtale"),
    "coordination_staff_limit": (
        Decimal(2),
        "Antal forskellige medarbejdere der må kontakte en virksomhed på 7 dage",
    ),
    "weekly_hours_target": (Decimal(30), "Ugentligt mål for ordinære timer (FSM)"),
    "monthly_smalljob_hours": (Decimal(30), "Ordinære timer i en kalendermåned (småjob)"),
    "full_time_hours": (Decimal(37), "Fuld tid, timer pr. uge"),
    "praktik_weeks_without_hours": (
        Decimal(13),
        "Uger i praktik uden ordinære timer før der advares",
    ),
    "follow_up_cadence_days": (Decimal(14), "Standardkadence for opfølgning i virksomhedsforløb"),
    "hours_lag_weeks": (Decimal(2), "Afsluttede uger uden registrerede timer før der advares"),
    "anonymise_after_years": (
        Decimal(5),
        "År efter en afsluttet sag før borgerens personoplysninger anonymiseres (mindst 1)",
    ),
    "caseload_counts_pause": (
        Decimal(0),
        "Borgere på pause tæller i sagsstammen (1 = ja, 0 = nej)",
    ),
    "caseload_norm": (Decimal(40), "Norm for sagsstamme pr. jobformidler"),
}


def get(key: str, unit: Unit | int | None = None, on: dt.date | None = None) -> Decimal:
    """The value of ``key`` valid on ``on`` (default today); a unit's own value wins."""
    if key not in DEFAULTS:
        raise KeyError(f"Unknown threshold {key!r}")
    on = on or days.today()
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    rows = Threshold.objects.filter(key=key, valid_from__lte=on).filter(
        Q(unit__isnull=True) | Q(unit_id=unit_id)
    )
    best = rows.order_by("unit_id", "-valid_from").first() if unit_id is None else None
    if unit_id is not None:
        best = rows.filter(unit_id=unit_id).order_by("-valid_from").first() or (
            rows.filter(unit__isnull=True).order_by("-valid_from").first()
        )
    return best.value if best is not None else DEFAULTS[key][0]


def get_int(key: str, unit: Unit | int | None = None, on: dt.date | None = None) -> int:
    return int(get(key, unit, on))
