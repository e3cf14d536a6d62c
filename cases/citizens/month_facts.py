"""Facts per citizen and month (``CitizenMonth``; docs/measures.md, "Facts per citizen and
month"): the one entry point that keeps them, and the contact fact.

A month's facts are its state on its last day; the current month's are its state so far, on
the day the horizon records (``taken_on``: the live month up to today, as the dashboards show
it), and the hourly ``extend`` moves them to each new day. ``refresh(citizens, since)`` is the
only writer of the table. Every writer of a fact's inputs
calls it with the citizens and the earliest day its change touches; the months from that
day's up to the horizon are recomputed, one *part* at a time: the contact part here (the
latest conversation that counts for the cadence held before each month's end), the
assignment part here (the jobformidler assigned on the month's last day, which the team
lead's board groups by) and the placement part that ``cases.placements.month_facts``
registers at start-up (the layers let this package not import placements; ``register``
inverts the call). ``rebuild`` builds every
month up to the current one, ``extend`` adds the months begun since (nightly), ``stale``
compares the table with a fresh computation (``manage.py check_data``), ``invalidate`` makes
the measures compute live until the next ``extend`` (a flag or threshold the facts read
changed).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from cases.citizens.models import (
    Assignment,
    Citizen,
    CitizenMonth,
    MonthFactsHorizon,
    cadence_conversations,
)
from substitution import days
from substitution.models import AuditEvent

if TYPE_CHECKING:
    from substitution.demo import DemoContext

CitizenSet = QuerySet[Citizen] | Iterable[int] | None
Facts = dict[tuple[int, dt.date], dict[str, Any]]


@dataclass(frozen=True)
class Part:
    """A group of columns computed together: ``compute(citizens, months, taken_on)`` gives
    the facts per (citizen, month) that are not empty, each month taken on its ``last_day``;
    ``first_month()`` the first month any can be."""

    columns: dict[str, Any]  # name: empty value
    compute: Callable[[CitizenSet, list[dt.date], dt.date], Facts]
    first_month: Callable[[], dt.date | None]


PARTS: list[Part] = []


def register(part: Part) -> None:
    if part not in PARTS:
        PARTS.append(part)


def horizon() -> dt.date | None:
    """The last month the facts are built and kept for (None: not built)."""
    return MonthFactsHorizon.objects.filter(pk=1).values_list("through", flat=True).first()


def built() -> tuple[dt.date, dt.date] | None:
    """The last month the facts are built for and the day that month is taken on (None: not
    built): every month before it is covered whole, that month from its first day to
    ``taken_on`` (one query)."""
    row = MonthFactsHorizon.objects.filter(pk=1).values_list("through", "taken_on").first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


def set_horizon(through: dt.date | None, taken_on: dt.date | None = None) -> None:
    """The facts are built up to ``through``'s month, that month taken on ``taken_on``
    (default: its last day)."""
    if through is not None:
        through = days.month_start(through)
        taken_on = taken_on or days.month_end(through)
    MonthFactsHorizon.objects.update_or_create(
        pk=1, defaults={"through": through, "taken_on": taken_on if through else None}
    )


def last_day(month: dt.date, taken_on: dt.date) -> dt.date:
    """The day a month's facts describe: its last day, or ``taken_on`` for the month so far."""
    return min(days.month_end(month), taken_on)


def invalidate() -> None:
    """A flag or threshold the facts read changed: the measures compute live until the next
    ``extend`` rebuilds the table (one UPDATE; nothing when already unset)."""
    MonthFactsHorizon.objects.filter(pk=1, through__isnull=False).update(
        through=None, taken_on=None
    )


def months(first: dt.date, through: dt.date) -> list[dt.date]:
    """The first days of the calendar months from ``first``'s month to ``through``'s."""
    month, last = days.month_start(first), days.month_start(through)
    result = []
    while month <= last:
        result.append(month)
        month = days.add_months(month, 1)
    return result


def citizen_filter(citizens: CitizenSet, field: str) -> dict[str, Any]:
    """``{field + '__in': …}`` for a citizen set (all when None)."""
    if citizens is None:
        return {}
    if isinstance(citizens, QuerySet):
        return {f"{field}__in": citizens.values("pk")}
    return {f"{field}__in": list(citizens)}


def _write(citizens: CitizenSet, month_list: list[dt.date], part: Part, facts: Facts) -> int:
    """Set the part's columns of these citizens' rows in these months to ``facts`` — empty
    where a (citizen, month) has none — creating rows as needed; other columns stay."""
    CitizenMonth.objects.filter(month__in=month_list, **citizen_filter(citizens, "citizen")).update(
        **part.columns
    )
    rows = [
        CitizenMonth(citizen_id=citizen_id, month=month, **{**part.columns, **values})
        for (citizen_id, month), values in facts.items()
    ]
    CitizenMonth.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["citizen", "month"],
        update_fields=list(part.columns),
    )
    return len(rows)


def refresh(citizens: CitizenSet, since: dt.date | None = None) -> int:
    """Bring every fact of these citizens (ids or a queryset) in line with the data for the
    months from ``since``'s (default: every month) up to the horizon. Nothing when the facts
    are not built (the measures then compute live). Returns the rows written."""
    if citizens is not None and not isinstance(citizens, QuerySet):
        citizens = sorted({c for c in citizens if c is not None})
        if not citizens:
            return 0
    state = built()
    if state is None:
        return 0
    through, taken_on = state
    first = since or _first_month()
    if first is None or days.month_start(first) > through:
        return 0
    month_list = months(first, through)
    with transaction.atomic():
        # Two writers of one citizen's data refresh one after the other: the second waits
        # for the first's commit and then computes from both changes (READ COMMITTED).
        list(
            Citizen.objects.select_for_update()
            .filter(**citizen_filter(citizens, "pk"))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return sum(
            _write(citizens, month_list, p, p.compute(citizens, month_list, taken_on))
            for p in PARTS
        )


def _first_month() -> dt.date | None:
    starts = [m for m in (p.first_month() for p in PARTS) if m is not None]
    return min(starts) if starts else None


def fresh(month: dt.date, taken_on: dt.date) -> Facts:
    """Every part's facts of every citizen in one month (taken on ``last_day``), computed
    now."""
    merged: Facts = {}
    for part in PARTS:
        for key, values in part.compute(None, [month], taken_on).items():
            merged.setdefault(key, {}).update(values)
    return merged


def _build(month_list: list[dt.date], taken_on: dt.date) -> int:
    """Rows for every citizen in these months (none there yet), a month at a time."""
    written = 0
    for month in month_list:
        rows = [
            CitizenMonth(citizen_id=citizen_id, month=m, **values)
            for (citizen_id, m), values in fresh(month, taken_on).items()
        ]
        CitizenMonth.objects.bulk_create(rows, batch_size=5000)
        written += len(rows)
    return written


def rebuild(taken_on: dt.date | None = None) -> int:
    """Every citizen's facts for every month up to ``taken_on``'s (default: today), that
    month taken on that day, from scratch, and the horizon set there. Returns the number of
    rows."""
    taken_on = taken_on or days.today()
    through = days.month_start(taken_on)
    started = timezone.now()
    with transaction.atomic():
        CitizenMonth.objects.all().delete()
        set_horizon(through, taken_on)
        first = _first_month()
        written = _build(months(first, through), taken_on) if first is not None else 0
    _catch_up(started)
    return written


def _catch_up(since: dt.datetime) -> None:
    """Writers that committed while a build ran did not see its horizon yet (their refresh
    did nothing or too little): refresh the citizens the audit log names since it began."""
    changed = (
        AuditEvent.objects.filter(at__gte=since, citizen_id__isnull=False)
        .values_list("citizen_id", flat=True)
        .distinct()
    )
    ids = [citizen_id for citizen_id in changed if citizen_id is not None]
    if ids:
        refresh(ids)


def extend(today: dt.date | None = None) -> int:
    """The hourly step: take the facts to ``today`` (default: today). The month they were
    taken in so far is rebuilt whole (or to today), the months begun since are built, and the
    horizon moves to today; every month when it is unset (after ``invalidate``). Nothing when
    they are taken on today already."""
    today = today or days.today()
    current = days.month_start(today)
    state = built()
    if state is None:
        return rebuild(today)
    through, taken_on = state
    if through == current and taken_on == today:
        return 0
    started = timezone.now()
    with transaction.atomic():
        # The horizon month is stale unless it was taken on its last day.
        first = through if taken_on < days.month_end(through) else days.add_months(through, 1)
        redone = months(min(first, current), current)
        CitizenMonth.objects.filter(month__in=redone).delete()
        written = _build(redone, today)
        set_horizon(current, today)
    _catch_up(started)
    return written


def _normal(value: Any) -> Any:
    return Decimal(value) if isinstance(value, Decimal) else value


def stale(limit: int | None = 20) -> list[tuple[int, dt.date, str]]:
    """(citizen, month, column) where the table differs from a fresh computation, for every
    month up to the horizon. Empty when the facts are not built."""
    state = built()
    first = _first_month()
    if state is None or first is None:
        return []
    through, taken_on = state
    empty: dict[str, Any] = {}
    for part in PARTS:
        empty.update(part.columns)
    columns = list(empty)
    differences: list[tuple[int, dt.date, str]] = []
    for month in months(first, through):
        want_all = fresh(month, taken_on)
        stored = {
            (row["citizen_id"], row["month"]): row
            for row in CitizenMonth.objects.filter(month=month).values(
                "citizen_id", "month", *columns
            )
        }
        for key in sorted(set(want_all) | set(stored)):
            want = {**empty, **want_all.get(key, {})}
            have = stored.get(key, empty)
            for column in columns:
                if _normal(want[column]) != _normal(have[column]):
                    differences.append((key[0], key[1], column))
                    if limit is not None and len(differences) >= limit:
                        return differences
    return differences


def seed_demo(ctx: DemoContext) -> None:
    """The demo's last step: every month's facts, built from the data seeded before."""
    started = time.perf_counter()
    written = rebuild()
    ctx.log(f"Fakta pr. borger og måned: {written} ({time.perf_counter() - started:.1f} s)")


# --- the contact part ------------------------------------------------------------------------


def contact_facts(citizens: CitizenSet, month_list: list[dt.date], taken_on: dt.date) -> Facts:
    """``last_contact_at`` per (citizen, month): one grouped query per month."""
    facts: Facts = {}
    for month in month_list:
        latest = (
            cadence_conversations()
            .filter(
                occurred_at__lt=days.end_of_day(last_day(month, taken_on)),
                **citizen_filter(citizens, "citizen"),
            )
            .values("citizen")
            .annotate(at=Max("occurred_at"))
            .values_list("citizen", "at")
        )
        for citizen_id, at in latest:
            facts[(citizen_id, month)] = {"last_contact_at": at}
    return facts


def first_contact_month() -> dt.date | None:
    """The first month with a contact: the earliest counted conversation's."""
    held = cadence_conversations().aggregate(m=Min("occurred_at"))["m"]
    return days.month_start(days.local_date(held)) if held is not None else None


CONTACT = Part({"last_contact_at": None}, contact_facts, first_contact_month)
register(CONTACT)


# --- the assignment part ---------------------------------------------------------------------


def assignment_facts(citizens: CitizenSet, month_list: list[dt.date], taken_on: dt.date) -> Facts:
    """``jobformidler`` per (citizen, month): the staff member assigned on the month's last
    day (or ``taken_on``) — the latest assignment covering that day, as the board groups by
    (a change on the day of the first assignment leaves two covering it). One query per
    month."""
    facts: Facts = {}
    for month in month_list:
        day = last_day(month, taken_on)
        covering = (
            Assignment.objects.filter(started_on__lte=day, **citizen_filter(citizens, "citizen"))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
            .order_by("citizen_id", "started_on", "pk")
            .values_list("citizen_id", "jobformidler_id")
        )
        # Ordered by start: the last row per citizen is the latest assignment.
        for citizen_id, jobformidler_id in covering:
            facts[(citizen_id, month)] = {"jobformidler_id": jobformidler_id}
    return facts


def first_assignment_month() -> dt.date | None:
    """The first month with an assignment: the earliest start's."""
    start = Assignment.objects.aggregate(m=Min("started_on"))["m"]
    return days.month_start(start) if start is not None else None


ASSIGNMENT = Part({"jobformidler_id": None}, assignment_facts, first_assignment_month)
register(ASSIGNMENT)
