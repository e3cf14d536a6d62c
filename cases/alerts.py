"""Placement alerts: computed from the data on a day, never stored.

Each alert is a function ``(placements, day, unit) -> QuerySet[Placement]`` that narrows a
placement queryset (usually ``Placement.objects.visible_to(user)`` or one citizen's
placements), so dashboards can count them in SQL and pages can list them. ``ALERTS`` lists them
in display order; ``evaluate`` runs them all (one query per alert, whatever the caseload).

- ``praktik_without_agreement``: an active praktik whose work agreement is missing or says
  "ingen ordinære timer";
- ``praktik_without_hours``: an active praktik that started more than
  ``praktik_weeks_without_hours`` (13) weeks ago while the citizen has had no ordinary hours
  since it started;
- ``no_follow_up``: an active placement with no follow-up within its agreement's cadence
  (``follow_up_days``, default ``follow_up_cadence_days``): a held conversation linked to the
  placement, or a held "opfølgning på arbejdspladsen" conversation with the citizen, in the last
  ``cadence`` days; placements younger than the cadence are not yet due;
- ``hours_missing``: an active paid placement that counts as ordinary hours, running through the
  last ``hours_lag_weeks`` (2) finished ISO weeks, with no hours registered for any of them
  (payslip lag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.hours import last_finished_week
from cases.models import (
    Conversation,
    ConversationOutcome,
    OrdinaryHoursTerms,
    Placement,
    WeeklyHours,
    WorkAgreement,
)
from cases.placements import PRAKTIK_CODES
from substitution import thresholds

FOLLOW_UP_KIND = "opfoelgning-arbejdsplads"

AlertFn = Callable[[QuerySet[Placement], dt.date, Any], QuerySet[Placement]]


def _praktik(placements: QuerySet[Placement], day: dt.date) -> QuerySet[Placement]:
    return placements.active_on(day).filter(type__code__in=PRAKTIK_CODES)  # type: ignore[attr-defined]


def praktik_without_agreement(
    placements: QuerySet[Placement], day: dt.date, unit: Any = None
) -> QuerySet[Placement]:
    with_terms = WorkAgreement.objects.filter(placement=OuterRef("pk")).exclude(
        ordinary_hours_terms=OrdinaryHoursTerms.NONE
    )
    return _praktik(placements, day).exclude(Exists(with_terms))


def praktik_without_hours(
    placements: QuerySet[Placement], day: dt.date, unit: Any = None
) -> QuerySet[Placement]:
    weeks = thresholds.get_int("praktik_weeks_without_hours", unit, day)
    any_hours = WeeklyHours.objects.filter(
        placement__citizen=OuterRef("citizen"),
        placement__type__counts_as_ordinary_hours=True,
        hours__gt=0,
        week_start__gte=OuterRef("starts_on") - dt.timedelta(days=6),
    )
    return (
        _praktik(placements, day)
        .filter(starts_on__lt=day - dt.timedelta(weeks=weeks))
        .exclude(Exists(any_hours))
    )


def no_follow_up(
    placements: QuerySet[Placement], day: dt.date, unit: Any = None
) -> QuerySet[Placement]:
    default = thresholds.get_int("follow_up_cadence_days", unit, day)
    held = Conversation.objects.filter(outcome=ConversationOutcome.HELD).order_by("-occurred_at")
    # The latest follow-up of each kind, as correlated lookups (index on placement_id and on
    # (citizen, outcome, occurred_at)); cheap per active placement, whatever the history.
    active = placements.active_on(
        day
    ).annotate(  # type: ignore[attr-defined]
        last_linked=Subquery(held.filter(placement=OuterRef("pk")).values("occurred_at")[:1]),
        last_workplace=Subquery(
            held.filter(citizen=OuterRef("citizen"), kind__code=FOLLOW_UP_KIND).values(
                "occurred_at"
            )[:1]
        ),
    )
    # Cadences vary per agreement; the distinct values are few (7, 14, ...), so the condition
    # is one OR over them and stays a single portable query.
    cadences = set(
        WorkAgreement.objects.filter(placement__in=placements.active_on(day).values("pk"))  # type: ignore[attr-defined]
        .values_list("follow_up_days", flat=True)
        .distinct()
    )
    condition = Q()
    for cadence in sorted(cadences | {default}):
        since = day - dt.timedelta(days=cadence)
        # Held after the end of ``since`` (local time) counts as within the cadence.
        after = timezone.make_aware(dt.datetime.combine(since + dt.timedelta(days=1), dt.time()))
        has_cadence = (
            Q(agreement__follow_up_days=cadence)
            if cadence != default
            else Q(agreement__follow_up_days=cadence) | Q(agreement__isnull=True)
        )
        condition |= (
            has_cadence
            & Q(starts_on__lte=since)
            & (Q(last_linked__isnull=True) | Q(last_linked__lt=after))
            & (Q(last_workplace__isnull=True) | Q(last_workplace__lt=after))
        )
    return active.filter(condition)


def hours_missing(
    placements: QuerySet[Placement], day: dt.date, unit: Any = None
) -> QuerySet[Placement]:
    lag = thresholds.get_int("hours_lag_weeks", unit, day)
    newest = last_finished_week(day)
    oldest = newest - dt.timedelta(weeks=lag - 1)
    registered = WeeklyHours.objects.filter(
        placement=OuterRef("pk"), week_start__gte=oldest, week_start__lte=newest
    )
    return (
        placements.active_on(day)  # type: ignore[attr-defined]
        .filter(type__is_paid=True, type__counts_as_ordinary_hours=True, starts_on__lte=oldest)
        .exclude(Exists(registered))
    )


@dataclass(frozen=True)
class Alert:
    key: str
    label: str | Promise
    severity: str  # css badge class: warn / danger
    fn: AlertFn


ALERTS: list[Alert] = [
    Alert(
        "praktik_without_agreement",
        _("Praktik uden aftale om ordinære timer"),
        "warn",
        praktik_without_agreement,
    ),
    Alert(
        "praktik_without_hours",
        _("Langvarig praktik uden ordinære timer"),
        "danger",
        praktik_without_hours,
    ),
    Alert("no_follow_up", _("Ingen opfølgning inden for kadencen"), "warn", no_follow_up),
    Alert("hours_missing", _("Ingen timer registreret for de seneste uger"), "warn", hours_missing),
]
BY_KEY = {alert.key: alert for alert in ALERTS}


@dataclass
class AlertResult:
    alert: Alert
    placements: list[Placement]


def evaluate(
    placements: QuerySet[Placement], day: dt.date, unit: Any = None, limit: int | None = None
) -> list[AlertResult]:
    """Every alert with its placements (citizen, company, type loaded). One query per alert."""
    results = []
    for alert in ALERTS:
        qs = alert.fn(placements, day, unit).select_related("citizen", "company", "type")
        qs = qs.order_by("starts_on", "pk")
        rows = list(qs[:limit] if limit else qs)
        results.append(AlertResult(alert, rows))
    return results
