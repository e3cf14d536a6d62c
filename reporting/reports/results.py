"""The results statement (*Resultatopgørelse*, docs/reports.md): per forløb the citizen (name
shortened, no CPR), the competences, the company, the task, the type, start and end or "still
employed", months employed, ordinary hours per month, and still employed after 3, 6 and 12
months.

Which forløb: placements with a confirmed start and a day in the period
(``Placement.objects.overlapping``, the measures' rule) of the population's citizens
(``measures.citizens_in``); with ``paid_only`` only paid ones (the placement type's ``is_paid``
flag: the payment-by-results schemes' proposal), else every forløb (the current form).
A month's ordinary hours are ``cases.placements.hours.monthly_totals`` (the one definition).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cases.citizens.models import JobGoal
from cases.placements.hours import HoursPeriod, monthly_totals, ordinary_hours
from cases.placements.models import Placement
from reporting.measures import Period, Population, citizens_in
from reporting.reports.params import months_between, short_name
from substitution import days

MILESTONES = (3, 6, 12)


@dataclass(frozen=True)
class ResultRow:
    placement_id: int
    citizen: str
    competences: str
    company: str
    task: str
    type: str
    paid: bool
    starts_on: dt.date
    ends_on: dt.date | None  # None: still employed on the report's last day
    months: float
    hours_per_month: Decimal | None  # None: the type's hours are not ordinary hours
    # Still employed after n months: True / False, or None while n months have not passed.
    still_after: dict[int, bool | None]


@dataclass
class Summary:
    forloeb: int = 0
    paid: int = 0
    still_employed: int = 0
    # n -> (still employed after n months, of those who reached n months)
    after: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Statement:
    period: Period
    paid_only: bool
    rows: list[ResultRow]
    summary: Summary


def placements(population: Population, period: Period, paid_only: bool) -> list[Placement]:
    qs = (
        Placement.objects.overlapping(period.first, period.last)
        .filter(citizen__in=citizens_in(population, period))
        .select_related("citizen", "company", "task", "type")
        .order_by("citizen__last_name", "citizen__first_name", "starts_on", "pk")
    )
    if paid_only:
        qs = qs.filter(type__is_paid=True)
    return list(qs)


def still_after(start: dt.date, end: dt.date | None, months: int, day: dt.date) -> bool | None:
    """Employed ``months`` months after ``start``: None while that day is after ``day``."""
    milestone = days.add_months(start, months)
    if milestone > day:
        return None
    return end is None or end >= milestone


def counted(
    summary: Summary, paid: bool, end: dt.date | None, after: dict[int, bool | None]
) -> None:
    """Add one forløb to ``summary`` (the statement and ``summary`` count alike)."""
    summary.forloeb += 1
    summary.paid += int(paid)
    summary.still_employed += int(end is None)
    for n, value in after.items():
        kept, reached = summary.after[n]
        if value is not None:
            summary.after[n] = (kept + int(value), reached + 1)


def summaries(population: Population, period: Period) -> tuple[Summary, Summary]:
    """The statement's summary alone, for every forløb and for paid jobs only (the monthly
    status): the same forløb and rules, read as three columns per forløb in one pass instead of
    whole rows with their hours (one query, little memory at any size)."""
    qs = Placement.objects.overlapping(period.first, period.last).filter(
        citizen__in=citizens_in(population, period)
    )
    every = Summary(after={n: (0, 0) for n in MILESTONES})
    paid_only = Summary(after={n: (0, 0) for n in MILESTONES})
    for starts_on, ends_on, paid in qs.values_list(
        "starts_on", "ends_on", "type__is_paid"
    ).iterator(chunk_size=5000):
        end = ends_on if ends_on is not None and ends_on <= period.last else None
        after = {n: still_after(starts_on, end, n, period.last) for n in MILESTONES}
        counted(every, paid, end, after)
        if paid:
            counted(paid_only, paid, end, after)
    return every, paid_only


class TooLarge(Exception):
    """More forløb than a PDF can hold (``REPORT_MAX_ROWS``)."""


def statement(
    population: Population, period: Period, paid_only: bool, max_rows: int | None = None
) -> Statement:
    """Three queries whatever the number of forløb: placements, hour rows, job goals (four
    with ``max_rows``: a statement with more forløb raises ``TooLarge`` before loading them)."""
    if max_rows is not None:
        qs = Placement.objects.overlapping(period.first, period.last).filter(
            citizen__in=citizens_in(population, period)
        )
        count = (qs.filter(type__is_paid=True) if paid_only else qs).count()
        if count > max_rows:
            raise TooLarge(count)
    chosen = placements(population, period, paid_only)
    ids = [p.pk for p in chosen]
    periods: dict[int, list[HoursPeriod]] = defaultdict(list)
    rows = (
        ordinary_hours()
        .filter(placement_id__in=ids, hours__gt=0)
        .values_list("placement_id", "week_start", "ends_on", "hours")
    )
    for placement_id, first, last, hours in rows:
        periods[placement_id].append((first, last, hours))
    goals: dict[int, list[str]] = defaultdict(list)
    citizen_ids = {p.citizen_id for p in chosen}
    for citizen_id, title in (
        JobGoal.objects.filter(citizen_id__in=citizen_ids, created_on__lte=period.last)
        .exclude(ended_on__lt=period.last)
        .order_by("created_on", "pk")
        .values_list("citizen_id", "title")
    ):
        goals[citizen_id].append(title)

    counts = Summary(after={n: (0, 0) for n in MILESTONES})
    result: list[ResultRow] = []
    for p in chosen:
        end = p.ends_on if p.ends_on is not None and p.ends_on <= period.last else None
        until = end or period.last
        months = months_between(p.starts_on, until) if until >= p.starts_on else 0.0
        per_month: Decimal | None = None
        if p.type.counts_as_ordinary_hours:
            totals = monthly_totals(periods.get(p.pk, []))
            inside = [
                hours
                for (year, month), hours in totals.items()
                if dt.date(year, month, 1) <= until
                and days.month_end(dt.date(year, month, 1)) >= p.starts_on
            ]
            span = max(months, 1.0)
            per_month = (sum(inside, Decimal(0)) / Decimal(str(span))).quantize(Decimal("0.1"))
        after = {n: still_after(p.starts_on, end, n, period.last) for n in MILESTONES}
        result.append(
            ResultRow(
                placement_id=p.pk,
                citizen=short_name(p.citizen.first_name, p.citizen.last_name),
                competences=", ".join(goals.get(p.citizen_id, [])),
                company=p.company.name,
                task=p.task.title if p.task is not None else "",
                type=p.type.label,
                paid=p.type.is_paid,
                starts_on=p.starts_on,
                ends_on=end,
                months=months,
                hours_per_month=per_month,
                still_after=after,
            )
        )
        counted(counts, p.type.is_paid, end, after)
    return Statement(period, paid_only, result, counts)
