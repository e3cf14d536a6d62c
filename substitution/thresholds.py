"""Configurable thresholds and targets. Defaults apply until an administrator records a value
(``Threshold`` rows, per jobcentre or global, with a validity start)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

from django.core.signals import request_finished, request_started
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

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
    "fall_alert_percent": (
        Decimal(20),
        "Fald i procent fra en måned til den næste før et tal markeres (ledelsesoverblik)",
    ),
    "fidelity_min_respondents": (
        Decimal(3),
        "Mindste antal svar i et team før fidelitetsmålingens gennemsnit vises",
    ),
    "fidelity_gap_points": (
        Decimal(1),
        "Forskel (point) mellem selvvurderet og datamålt fidelitet, der markeres",
    ),
    "fidelity_reminder_days": (Decimal(3), "Dage før en fidelitetsmåling lukker, da der mindes"),
}


# Within a request every threshold a page asks for comes from one query per (jobcentre, day):
# a page reads several (the citizen page four). Cleared when a request starts and ends and when
# a threshold is written; outside a request (Celery, commands) every call reads afresh.
_request = threading.local()


def _request_started(**_kwargs: object) -> None:
    _request.cache = {}


def _request_finished(**_kwargs: object) -> None:
    _request.cache = None


def _written(**_kwargs: object) -> None:
    if getattr(_request, "cache", None) is not None:
        _request.cache = {}


request_started.connect(_request_started, dispatch_uid="thresholds_request_started")
request_finished.connect(_request_finished, dispatch_uid="thresholds_request_finished")
post_save.connect(_written, sender=Threshold, dispatch_uid="thresholds_saved")
post_delete.connect(_written, sender=Threshold, dispatch_uid="thresholds_deleted")


def _values(unit_id: int | None, on: dt.date) -> dict[str, Decimal]:
    """Every recorded threshold valid on ``on`` for the unit: its own latest value, else the
    latest global one (keys without a row are left to ``DEFAULTS``). One query."""
    cache: dict[tuple[int | None, dt.date], dict[str, Decimal]] | None = getattr(
        _request, "cache", None
    )
    if cache is not None and (unit_id, on) in cache:
        return cache[(unit_id, on)]
    rows = Threshold.objects.filter(valid_from__lte=on).filter(
        Q(unit__isnull=True) | Q(unit_id=unit_id)
    )
    values: dict[str, Decimal] = {}
    # Globals first, each key's latest last, then the unit's own, latest last: the last wins.
    for key, value, _unit, _from in sorted(
        rows.values_list("key", "value", "unit_id", "valid_from"),
        key=lambda row: (row[2] is not None, row[3]),
    ):
        values[key] = value
    if cache is not None:
        cache[(unit_id, on)] = values
    return values


def get(key: str, unit: Unit | int | None = None, on: dt.date | None = None) -> Decimal:
    """The value of ``key`` valid on ``on`` (default today); a unit's own value wins."""
    if key not in DEFAULTS:
        raise KeyError(f"Unknown threshold {key!r}")
    on = on or days.today()
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    return _values(unit_id, on).get(key, DEFAULTS[key][0])


def get_int(key: str, unit: Unit | int | None = None, on: dt.date | None = None) -> int:
    return int(get(key, unit, on))
