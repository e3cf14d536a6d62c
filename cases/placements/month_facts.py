"""The placement, hours and alert facts of ``CitizenMonth`` (docs/measures.md, "Facts per citizen
and month"): the part ``cases.citizens.month_facts`` computes them with, registered at
start-up (``connect``, from ``CasesConfig.ready``) together with the signals that make the
measures compute live when a flag or threshold these facts read changes.

The writers of placements, work agreements and hours (``cases.placements.services``) call
``cases.citizens.month_facts.refresh`` with the citizen and the earliest day they touched.

The SQL helpers here (``DaysBetween``, ``prorated_hours``, ``ordinary_hour_rows``) are the
ones ``reporting.measures`` computes its live figures with, so a pay period counts the same
way in both; the alerts are ``cases.placements.alerts`` themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.signals import post_delete, post_save

from cases.citizens import month_facts
from cases.citizens.models import Channel, Citizen, ConversationKind
from cases.citizens.month_facts import CitizenSet, Facts, Part, citizen_filter
from cases.placements import alerts
from cases.placements.models import OrdinaryHoursTerms, Placement, WeeklyHours, WorkAgreement
from companies.models import PlacementType
from substitution import days
from substitution.models import Threshold

# The FSM criterion's window: the 3 calendar months ending with the month.
WINDOW_MONTHS = 3
PLACEMENT_FLAGS = (
    "in_virksomhedsforloeb",
    "in_virksomhedsrettet",
    "virksomhedsforloeb_window",
    "virksomhedsforloeb_last_day",
    "paid_ordinary_last_day",
)
COLUMNS: dict[str, Any] = {
    **dict.fromkeys(PLACEMENT_FLAGS, False),
    "placements_started": 0,
    "agreements_agreed": 0,
    "agreements_ordinary_from_start": 0,
    "ordinary_hours": Decimal(0),
    "praktik_without_hours": False,
    "hours_last_4_weeks": Decimal(0),
    "hours_4_weeks_before": Decimal(0),
    "active_placements_last_day": 0,
    **{f"alert_{alert.key}": 0 for alert in alerts.ALERTS},
}


# --- SQL helpers shared with reporting.measures ---------------------------------------------


class DaysBetween(Func):
    """``later - earlier`` in whole days (dates), on PostgreSQL and SQLite."""

    output_field = IntegerField()
    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def prorated_hours(first: dt.date, last: dt.date, prefix: str = "") -> ExpressionWrapper:
    """A pay period's hours inside ``first``..``last``: whole when it lies inside, else by
    day; 0 outside (a grouped sum over a wider window can ask for several periods at once)."""
    start, end = f"{prefix}week_start", f"{prefix}ends_on"
    overlap = Greatest(
        DaysBetween(Least(F(end), Value(last)), Greatest(F(start), Value(first))) + 1,
        Value(0),
    )
    length = DaysBetween(F(end), F(start)) + 1
    return ExpressionWrapper(
        F(f"{prefix}hours") * overlap * Value(Decimal("1.0")) / length,
        output_field=DecimalField(max_digits=12, decimal_places=4),
    )


def ordinary_hour_rows(first: dt.date, last: dt.date) -> QuerySet[WeeklyHours]:
    """Hour rows with ordinary hours (> 0, a type that counts) overlapping ``first``..``last``,
    on a confirmed placement."""
    return WeeklyHours.objects.filter(
        placement__type__counts_as_ordinary_hours=True,
        placement__start_confirmed_on__isnull=False,
        hours__gt=0,
        week_start__lte=last,
        ends_on__gte=first,
    )


def praktik_without_hours(first: dt.date, last: dt.date) -> QuerySet[Placement]:
    """Unpaid praktik with a day in ``first``..``last`` during whose days (inside it) the
    citizen had no ordinary hours (docs/measures.md, ``praktik_without_hours``)."""
    hours_during = ordinary_hour_rows(first, last).filter(
        placement__citizen=OuterRef("citizen"),
        week_start__lte=Least(Coalesce(OuterRef("ends_on"), Value(last)), Value(last)),
        ends_on__gte=Greatest(OuterRef("starts_on"), Value(first)),
    )
    return (
        Placement.objects.overlapping(first, last)
        .filter(type__unpaid_praktik=True)
        .exclude(Exists(hours_during))
    )


def hours_windows(day: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The last 4 weeks up to ``day`` and the 4 weeks before them (``hours_rising``)."""
    recent = (day - dt.timedelta(days=27), day)
    before = (day - dt.timedelta(days=55), day - dt.timedelta(days=28))
    return recent, before


# --- the facts -------------------------------------------------------------------------------


def _flag(condition: Q) -> Max:
    return Max(Case(When(condition, then=Value(1)), default=Value(0)))


def placement_facts(citizens: CitizenSet, month_list: list[dt.date], taken_on: dt.date) -> Facts:
    """The placement, hours and alert columns per (citizen, month) with any fact: three
    grouped queries per month, and one per alert and jobcentre."""
    facts: Facts = {}

    def put(citizen_id: int, month: dt.date, **values: Any) -> None:
        facts.setdefault((citizen_id, month), {}).update(values)

    for month in month_list:
        first, last = month, month_facts.last_day(month, taken_on)
        window_first = days.add_months(month, -(WINDOW_MONTHS - 1))
        on_last_day = Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=last))
        in_month = Q(ends_on__isnull=True) | Q(ends_on__gte=first)
        vf = Q(type__counts_as_virksomhedsforloeb=True)
        placements = (
            Placement.objects.overlapping(window_first, last)
            .filter(**citizen_filter(citizens, "citizen"))
            .values("citizen")
            .annotate(
                started=Count("pk", filter=Q(starts_on__gte=first)),
                vf=_flag(vf & in_month),
                vr=_flag(Q(type__virksomhedsrettet=True) & in_month),
                vf_window=_flag(vf),
                vf_last=_flag(vf & on_last_day),
                paid_last=_flag(
                    Q(type__is_paid=True, type__counts_as_ordinary_hours=True) & on_last_day
                ),
            )
            .values_list("citizen", "started", "vf", "vr", "vf_window", "vf_last", "paid_last")
        )
        for citizen_id, started, *flags in placements:
            if started or any(flags):
                put(
                    citizen_id,
                    month,
                    placements_started=started,
                    **{name: bool(flag) for name, flag in zip(PLACEMENT_FLAGS, flags, strict=True)},
                )
        agreements = (
            WorkAgreement.objects.filter(agreed_on__gte=first, agreed_on__lte=last)
            .filter(**citizen_filter(citizens, "placement__citizen"))
            .values("placement__citizen")
            .annotate(
                n=Count("pk"),
                from_start=Count("pk", filter=Q(ordinary_hours_terms=OrdinaryHoursTerms.FRA_START)),
            )
            .values_list("placement__citizen", "n", "from_start")
        )
        for citizen_id, n, from_start in agreements:
            put(
                citizen_id,
                month,
                agreements_agreed=n,
                agreements_ordinary_from_start=from_start,
            )
        recent, before = hours_windows(last)
        hours = (
            ordinary_hour_rows(min(first, before[0]), last)
            .filter(**citizen_filter(citizens, "placement__citizen"))
            .values("placement__citizen")
            .annotate(
                in_month=Sum(prorated_hours(first, last)),
                recent=Sum(prorated_hours(*recent)),
                before=Sum(prorated_hours(*before)),
            )
            .values_list("placement__citizen", "in_month", "recent", "before")
        )
        for citizen_id, in_month, recent_hours, before_hours in hours:
            put(
                citizen_id,
                month,
                ordinary_hours=_stored(in_month),
                hours_last_4_weeks=_stored(recent_hours),
                hours_4_weeks_before=_stored(before_hours),
            )
        praktik = (
            praktik_without_hours(first, last)
            .filter(**citizen_filter(citizens, "citizen"))
            .values_list("citizen", flat=True)
            .distinct()
        )
        for citizen_id in praktik:
            put(citizen_id, month, praktik_without_hours=True)
        _status_facts(citizens, month, last, put)
    return facts


def _status_facts(
    citizens: CitizenSet, month: dt.date, last: dt.date, put: Callable[..., None]
) -> None:
    """Placements active on the month's ``last`` day and those in each alert that day, per
    citizen: the alert functions themselves, with each jobcentre's thresholds."""
    units = (
        Citizen.objects.filter(**citizen_filter(citizens, "pk"))
        .order_by()
        .values_list("unit_id", flat=True)
        .distinct()
    )
    for unit_id in list(units):
        placements = Placement.objects.filter(
            citizen__unit_id=unit_id, **citizen_filter(citizens, "citizen")
        )
        counted = [("active_placements_last_day", placements.active_on(last))]
        counted += [
            (f"alert_{alert.key}", alert.fn(placements, last, unit_id)) for alert in alerts.ALERTS
        ]
        for column, rows in counted:
            per_citizen = rows.order_by().values("citizen").annotate(n=Count("pk"))
            for citizen_id, n in per_citizen.values_list("citizen", "n"):
                put(citizen_id, month, **{column: n})


def _stored(value: Any) -> Decimal:
    """A sum of hours as PostgreSQL computed it, unrounded (the columns hold 24 decimals)."""
    return Decimal(value or 0)


def first_month() -> dt.date | None:
    """The first month with a placement fact: the earliest start's (an unconfirmed start can
    be an alert)."""
    start = Placement.objects.aggregate(m=Min("starts_on"))["m"]
    return days.month_start(start) if start is not None else None


PLACEMENTS = Part(COLUMNS, placement_facts, first_month)


def _invalidate(sender: type[Model], **kwargs: Any) -> None:
    month_facts.invalidate()


# Saving or deleting these changes what the facts say without touching a citizen's data:
# the type flags, the cadence flags of kinds and channels, the thresholds of the alerts and
# the contact cadence.
INVALIDATING = (PlacementType, ConversationKind, Channel, Threshold)


def connect() -> None:
    """Register the part and the signals (``CasesConfig.ready``)."""
    month_facts.register(PLACEMENTS)
    for model in INVALIDATING:
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"month_facts_{model.__name__}")
        post_delete.connect(
            _invalidate, sender=model, dispatch_uid=f"month_facts_del_{model.__name__}"
        )
