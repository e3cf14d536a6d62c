"""Placement alerts: computed from the data on a day, never stored.

Each alert is a function ``(placements, day, unit) -> QuerySet[Placement]`` that narrows a
placement queryset (usually ``Placement.objects.visible_to(user)`` or one citizen's
placements), so dashboards can count them in SQL and pages can list them. ``ALERTS`` lists them
in display order; ``evaluate`` runs them all (one query for every alert together, whatever the
caseload: ``matches``).

- ``praktik_without_agreement``: an active praktik whose work agreement is missing or says
  "ingen ordinære timer";
- ``praktik_without_hours``: an active praktik that started more than
  ``praktik_weeks_without_hours`` (13) weeks ago while the citizen has had no ordinary hours
  since it started;
- ``no_follow_up``: an active placement with no follow-up within its agreement's cadence
  (``follow_up_days``, default ``follow_up_cadence_days``): a held conversation linked to the
  placement, or a held "opfølgning på arbejdspladsen" conversation with the citizen, in the last
  ``cadence`` days; placements younger than the cadence are not yet due;
- ``unconfirmed_start``: a planned placement whose start date has come without a confirmed
  start ("bekræft start eller aflys"); it does not count anywhere until it is confirmed;
- ``hours_missing``: an active paid placement that counts as ordinary hours, running through the
  last ``hours_lag_weeks`` (2) finished ISO weeks, with no hours registered for any of them
  (payslip lag).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.citizens.models import Conversation, ConversationKind, ConversationOutcome
from cases.placements.hours import last_finished_week, ordinary_hours
from cases.placements.models import (
    OrdinaryHoursTerms,
    Placement,
    PlacementQuerySet,
    WeeklyHours,
    WorkAgreement,
)
from substitution import days, thresholds
from substitution.models import Unit

FOLLOW_UP_KIND = "opfoelgning-arbejdsplads"

UnitArg = Unit | int | None
AlertFn = Callable[[PlacementQuerySet, dt.date, UnitArg], PlacementQuerySet]


def _praktik(placements: PlacementQuerySet, day: dt.date) -> PlacementQuerySet:
    """Active unpaid praktik (the type flag ``unpaid_praktik``, data)."""
    return placements.active_on(day).filter(type__unpaid_praktik=True)


def praktik_without_agreement(
    placements: PlacementQuerySet, day: dt.date, unit: UnitArg = None
) -> PlacementQuerySet:
    with_terms = WorkAgreement.objects.filter(placement=OuterRef("pk")).exclude(
        ordinary_hours_terms=OrdinaryHoursTerms.INGEN
    )
    return _praktik(placements, day).exclude(Exists(with_terms))


def praktik_without_hours(
    placements: PlacementQuerySet, day: dt.date, unit: UnitArg = None
) -> PlacementQuerySet:
    weeks = thresholds.get_int("praktik_weeks_without_hours", unit, day)
    any_hours = ordinary_hours().filter(
        placement__citizen=OuterRef("citizen"),
        hours__gt=0,
        week_start__gte=OuterRef("starts_on") - dt.timedelta(days=6),
    )
    return (
        _praktik(placements, day)
        .filter(starts_on__lt=day - dt.timedelta(weeks=weeks))
        .exclude(Exists(any_hours))
    )


def no_follow_up(
    placements: PlacementQuerySet, day: dt.date, unit: UnitArg = None
) -> PlacementQuerySet:
    default = thresholds.get_int("follow_up_cadence_days", unit, day)
    active = placements.active_on(day)
    # Cadences vary per agreement; the distinct values are few (7, 14, ...). Each placement's
    # due moment is a CASE over them, so "no follow-up since then" is a NOT EXISTS at the top
    # level of the WHERE clause, which PostgreSQL runs as a (hash) anti join instead of
    # correlated lookups per placement. Held on or after ``since + 1 day`` (local midnight)
    # counts as within the cadence; placements younger than their cadence are not yet due.
    cadences = sorted(
        set(
            WorkAgreement.objects.filter(placement__in=active.values("pk"))
            .values_list("follow_up_days", flat=True)
            .distinct()
        )
        | {default}
    )

    def since(cadence: int) -> dt.date:
        return day - dt.timedelta(days=cadence)

    def after(cadence: int) -> dt.datetime:
        return days.start_of_day(since(cadence) + dt.timedelta(days=1))

    others = [c for c in cadences if c != default]
    due_since = Case(
        *[When(agreement__follow_up_days=c, then=Value(since(c))) for c in others],
        default=Value(since(default)),
        output_field=DateField(),
    )
    due_after = Case(
        *[When(agreement__follow_up_days=c, then=Value(after(c))) for c in others],
        default=Value(after(default)),
        output_field=DateTimeField(),
    )
    held = Conversation.objects.filter(outcome=ConversationOutcome.AFHOLDT)
    linked = held.filter(placement=OuterRef("pk"), occurred_at__gte=OuterRef("due_after"))
    at_workplace = held.filter(
        citizen=OuterRef("citizen"),
        # The kind's id as an init plan, so (citizen, kind, occurred_at) is one index range.
        kind=Subquery(ConversationKind.objects.filter(code=FOLLOW_UP_KIND).values("pk")[:1]),
        occurred_at__gte=OuterRef("due_after"),
    )
    return (
        active.alias(due_since=due_since, due_after=due_after)
        .filter(starts_on__lte=F("due_since"))
        .exclude(Exists(linked))
        .exclude(Exists(at_workplace))
    )


def hours_missing(
    placements: PlacementQuerySet, day: dt.date, unit: UnitArg = None
) -> PlacementQuerySet:
    lag = thresholds.get_int("hours_lag_weeks", unit, day)
    newest = last_finished_week(day)
    oldest = newest - dt.timedelta(weeks=lag - 1)
    registered = WeeklyHours.objects.filter(
        placement=OuterRef("pk"), week_start__gte=oldest, week_start__lte=newest
    )
    return (
        placements.active_on(day)
        .counting_ordinary_hours()
        .filter(type__is_paid=True, starts_on__lte=oldest)
        .exclude(Exists(registered))
    )


def unconfirmed_start(
    placements: PlacementQuerySet, day: dt.date, unit: UnitArg = None
) -> PlacementQuerySet:
    return placements.unconfirmed_past_start(day)


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
    Alert(
        "unconfirmed_start",
        _("Start ikke bekræftet – bekræft start eller aflys"),
        "danger",
        unconfirmed_start,
    ),
    Alert("no_follow_up", _("Ingen opfølgning inden for kadencen"), "warn", no_follow_up),
    Alert("hours_missing", _("Ingen timer registreret for de seneste uger"), "warn", hours_missing),
]
BY_KEY = {alert.key: alert for alert in ALERTS}


@dataclass
class AlertResult:
    alert: Alert
    placements: list[Placement]
    total: int  # all matching placements; ``placements`` holds at most ``limit`` of them

    @property
    def truncated(self) -> bool:
        return self.total > len(self.placements)


def matches(
    placements: PlacementQuerySet, day: dt.date, unit: UnitArg = None
) -> dict[str, list[tuple[dt.date, int]]]:
    """Each alert's matching placements as ``(starts_on, pk)``, oldest start first: every
    alert's own queryset, one ``UNION ALL`` of them, so one query (plus ``no_follow_up``'s
    read of the cadences) instead of one per alert."""
    parts = [
        alert.fn(placements, day, unit)
        .order_by()
        .annotate(alert_index=Value(index))
        .values_list("alert_index", "starts_on", "pk")
        for index, alert in enumerate(ALERTS)
    ]
    found: dict[str, list[tuple[dt.date, int]]] = {alert.key: [] for alert in ALERTS}
    for index, starts_on, pk in parts[0].union(*parts[1:], all=True):
        found[ALERTS[index].key].append((starts_on, pk))
    for pairs in found.values():
        pairs.sort()
    return found


def evaluate(
    placements: PlacementQuerySet,
    day: dt.date,
    unit: UnitArg = None,
    limit: int | None = None,
    loaded: Mapping[int, Placement] | None = None,
) -> list[AlertResult]:
    """Every alert with its placements (citizen, company, type loaded), oldest start first,
    at most ``limit`` of each (``total`` counts them all).

    One query for the matching ``(starts_on, pk)`` pairs of every alert (``matches``), then
    one for the placements shown with their relations, unless the caller has them already
    (``loaded``, by pk: e.g. the citizen panel's list of the citizen's placements). A SQL
    ``ORDER BY starts_on LIMIT n`` per alert would let PostgreSQL walk the whole
    ``starts_on`` index hoping to meet n matches early (0.8 s for a 1,688-citizen caseload on
    the benchmark data) instead of starting from the caseload's citizens."""
    keys = matches(placements, day, unit)
    first = {key: [pk for _, pk in pairs[:limit]] for key, pairs in keys.items()}
    if loaded is None:
        wanted = {pk for pks in first.values() for pk in pks}
        loaded = (
            Placement.objects.select_related("citizen", "company", "type").in_bulk(wanted)
            if wanted
            else {}
        )
    return [
        AlertResult(alert, [loaded[pk] for pk in first[alert.key]], len(keys[alert.key]))
        for alert in ALERTS
    ]
