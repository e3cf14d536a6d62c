"""Ordinary paid hours: ISO weeks, what may be registered, months and milestones (the writer is
``cases.placements.services.register_hours``).

One definition each:

- a week is an ISO week, stored as its Monday (``week_start``); ``2026-W01`` begins on
  Monday 29 December 2025;
- hours count as *ordinary hours* only on placements whose type has
  ``counts_as_ordinary_hours`` (never løntilskud or fleksjob): ``check_placement_week`` refuses
  the others (``services.register_hours`` calls it), and every measure reads the flag through
  ``ordinary_hours`` (weekly rows) or ``PlacementQuerySet.counting_ordinary_hours``;
- hours are stored per **pay period** (``WeeklyHours.week_start`` to ``ends_on``): an ISO week
  from the hours grid, or a calendar month (or any period) from a payslip or eIndkomst line;
- **hours per calendar month**: a period that lies inside one month counts whole in that month
  (a payslip for March with 30 hours is 30 hours in March); a period that straddles months is
  split by day, each day carrying an equal share. A week from Monday 29 June to Sunday 5 July
  with 14 hours gives June 2 days x 2 = 4 hours and July 5 days x 2 = 10 hours. (We do not know
  on which days the hours were worked; an even split is the neutral assumption and keeps month
  totals equal to period totals over a year.) ``monthly_totals`` is the one definition;
  ``reporting.measures`` states the same rule in SQL;
- **hours per ISO week** (the chart, the weekly milestones): a weekly row is its week; a longer
  period is spread evenly over its days (``weekly_from``).
- milestones (first paid hour, >= 30 h in a calendar month, weekly target, full time) are
  reached on the first week / day where the definition holds; the thresholds are data
  (``substitution.thresholds``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.citizens.models import Citizen
from cases.placements.models import Placement, WeeklyHours
from substitution import days, thresholds
from substitution.days import week_start  # re-exported: the ISO week rule lives in days
from substitution.models import Unit
from substitution.numbers import format_hours  # re-exported: one Danish way to print hours

MAX_HOURS = Decimal(80)
ZERO = Decimal(0)
_ISO_WEEK = re.compile(r"^\s*(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\s*$")

# --- ISO weeks -------------------------------------------------------------------------------


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December always lies in the last ISO week of its year."""
    return dt.date(year, 12, 28).isocalendar().week


def parse_iso_week(value: str) -> dt.date:
    """``2026-W14`` (also ``2026W14``, ``2026-w14``) -> the Monday of that week.

    Raises a Danish ``ValueError`` for a malformed value or a week the year does not have.
    """
    match = _ISO_WEEK.match(value or "")
    if not match:
        raise ValueError(_("Ugen skal skrives som ÅÅÅÅ-Uuu, fx 2026-W14."))
    year, week = int(match.group(1)), int(match.group(2))
    if not 1 <= week <= weeks_in_year(year):
        raise ValueError(
            _("%(year)s har ikke en uge %(week)s (kun %(weeks)s uger).")
            % {"year": year, "week": week, "weeks": weeks_in_year(year)}
        )
    return dt.date.fromisocalendar(year, week, 1)


def iso_week_label(day: dt.date) -> str:
    """``2026-W14`` for any day of that week."""
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_number(day: dt.date) -> int:
    return day.isocalendar().week


def weeks_ending(last_monday: dt.date, count: int) -> list[dt.date]:
    """``count`` Mondays, oldest first, ending with ``last_monday``."""
    last_monday = week_start(last_monday)
    return [last_monday - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def last_finished_week(day: dt.date) -> dt.date:
    """The Monday of the last ISO week that has fully ended before ``day``'s week."""
    return week_start(day) - dt.timedelta(weeks=1)


def week_overlaps(placement: Placement, monday: dt.date) -> bool:
    """Whether the ISO week starting ``monday`` has at least one day inside the placement."""
    sunday = monday + dt.timedelta(days=6)
    if placement.starts_on > sunday:
        return False
    return placement.ends_on is None or placement.ends_on >= monday


# --- parsing ----------------------------------------------------------------------------------


def max_hours(first: dt.date, last: dt.date) -> Decimal:
    """The most hours a pay period from ``first`` to ``last`` may hold: 80 a week, pro rata by
    day, to the hundredth (a week 80, a 30-day month 342.86, a 31-day month 354.29)."""
    return (MAX_HOURS * ((last - first).days + 1) / 7).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def parse_hours(value: Any, period: tuple[dt.date, dt.date] | None = None) -> Decimal:
    """``7,5`` / ``7.5`` / ``7`` -> Decimal, 0 to 80 (a week), or to ``max_hours(*period)``
    for a pay period. Danish ``ValidationError`` otherwise."""
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value if value is not None else "").strip().replace(" ", "").replace(",", ".")
        if not text:
            raise ValidationError(_("Skriv antal timer."), code="required")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValidationError(
                _("Timer skal være et tal, fx 7,5."), code="invalid_number"
            ) from exc
    if not number.is_finite():
        raise ValidationError(_("Timer skal være et tal, fx 7,5."), code="invalid_number")
    if number < 0:
        raise ValidationError(_("Timer kan ikke være negative."), code="negative")
    limit = max_hours(*period) if period else MAX_HOURS
    if number > limit:
        if limit == MAX_HOURS:
            raise ValidationError(_("Højst 80 timer på en uge."), code="too_many")
        assert period is not None
        raise ValidationError(
            _("Højst %(max)s timer på %(days)s dage (80 timer pr. uge).")
            % {"max": format_hours(limit),
               "days": (period[1] - period[0]).days + 1},
            code="too_many",
        )  # fmt: skip
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("Højst to decimaler, fx 7,25."), code="decimals")
    return number


# --- what may be registered -------------------------------------------------------------------


def check_placement_week(placement: Placement, monday: dt.date) -> None:
    """Refuse hours on a placement that does not count as ordinary hours or outside its dates
    (the hours import and ``services.register_hours`` both ask this)."""
    if not placement.type.counts_as_ordinary_hours:
        raise ValidationError(
            _("%(type)s tæller ikke som ordinære timer – der kan ikke registreres timer.")
            % {"type": placement.type.label},
            code="not_ordinary",
        )
    if not week_overlaps(placement, monday):
        raise ValidationError(
            _("Uge %(week)s ligger uden for forløbets datoer.") % {"week": iso_week_label(monday)},
            code="outside_dates",
        )


def period_overlaps(placement: Placement, first: dt.date, last: dt.date) -> bool:
    """Whether the pay period ``first``-``last`` has at least one day inside the placement
    (``week_overlaps`` for any period)."""
    if placement.starts_on > last:
        return False
    return placement.ends_on is None or placement.ends_on >= first


def period_label(first: dt.date, last: dt.date) -> str:
    """``uge 2026-W14`` for an ISO week, ``01.03.2026–31.03.2026`` for any other period."""
    if first == week_start(first) and last == first + dt.timedelta(days=6):
        return _("uge %s") % iso_week_label(first)
    return f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"


# --- ordinary hours of a citizen -------------------------------------------------------------


def ordinary_hours(qs: QuerySet[WeeklyHours] | None = None) -> QuerySet[WeeklyHours]:
    """Weekly rows that count as ordinary hours (the type flag; never løntilskud/fleksjob).
    The rows' side of ``PlacementQuerySet.counting_ordinary_hours``."""
    qs = WeeklyHours.objects.all() if qs is None else qs
    return qs.filter(placement__type__counts_as_ordinary_hours=True)


# (first day, last day, hours) of one pay period.
HoursPeriod = tuple[dt.date, dt.date, Decimal]
Periods = Mapping[dt.date, Decimal] | Iterable[HoursPeriod]


def as_periods(hours: Periods) -> list[HoursPeriod]:
    """Periods from either periods or {Monday: hours} (weekly rows)."""
    if isinstance(hours, Mapping):
        return [(monday, monday + dt.timedelta(days=6), value) for monday, value in hours.items()]
    return list(hours)


def period_totals(citizen: Citizen | int) -> list[HoursPeriod]:
    """The citizen's ordinary hours per pay period over all placements (one query)."""
    return period_totals_and_first_days(citizen)[0]


def period_totals_and_first_days(
    citizen: Citizen | int,
) -> tuple[list[HoursPeriod], dict[dt.date, dt.date]]:
    """``period_totals`` and, for each ISO week with hours (by its Monday), the first day of it
    the hours can have been worked on: the Monday, or the start of a placement (or pay period)
    that began later that week (a placement starting Tuesday 3 November reaches its first hour
    on the 3rd, not on Monday the 2nd). One query."""
    citizen_id = citizen.pk if isinstance(citizen, Citizen) else citizen
    rows = (
        ordinary_hours()
        .filter(placement__citizen_id=citizen_id)
        .values("week_start", "ends_on")
        .annotate(total=Sum("hours"), first=Min("placement__starts_on", filter=Q(hours__gt=0)))
        .order_by("week_start", "ends_on")
    )
    periods: list[HoursPeriod] = []
    first_days: dict[dt.date, dt.date] = {}
    for row in rows:
        first, last = row["week_start"], row["ends_on"]
        periods.append((first, last, row["total"]))
        if row["first"] is None:
            continue
        worked_from = max(first, row["first"])
        monday = week_start(first)
        while monday <= last:
            day = max(monday, worked_from)
            if day <= monday + dt.timedelta(days=6):
                first_days[monday] = min(first_days.get(monday, day), day)
            monday += dt.timedelta(days=7)
    return periods, first_days


def _spread(periods: Periods, key: Callable[[dt.date], Any]) -> dict[Any, Decimal]:
    """Each period's hours over ``key(day)`` buckets: whole when the period lies in one bucket,
    else by day (exact: ``hours x days / length``, rounded to 2 decimals per bucket)."""
    shares: dict[Any, Decimal] = defaultdict(Decimal)
    for first, last, value in as_periods(periods):
        if key(first) == key(last):
            shares[key(first)] += value
            continue
        length = (last - first).days + 1
        per_bucket: dict[Any, int] = defaultdict(int)
        for offset in range(length):
            per_bucket[key(first + dt.timedelta(days=offset))] += 1
        for bucket, count in per_bucket.items():
            shares[bucket] += value * count / length
    return {k: v.quantize(Decimal("0.01")) for k, v in sorted(shares.items())}


def weekly_from(periods: Periods) -> dict[dt.date, Decimal]:
    """{Monday: hours} (module docstring: a longer period spread evenly over its days)."""
    return _spread(periods, week_start)


def weekly_totals(citizen: Citizen | int) -> dict[dt.date, Decimal]:
    """{Monday: ordinary hours that week} over all the citizen's placements (one query)."""
    return weekly_from(period_totals(citizen))


def monthly_totals(periods: Periods) -> dict[tuple[int, int], Decimal]:
    """{(year, month): hours}: a period inside a month counts whole there, one that straddles
    months is split by day (module docstring). The one definition of a month's hours."""
    return _spread(periods, lambda day: (day.year, day.month))


def month_totals(periods: Periods) -> dict[tuple[int, int], Decimal]:
    """Ordinary hours per calendar month as pages show them (the hours grid's month columns
    and the småjob mark): ``monthly_totals`` (a pay period inside a month counts whole there,
    one that straddles months is split by day)."""
    return monthly_totals(periods)


def is_smalljob_month(total: Decimal, threshold: Decimal) -> bool:
    """Whether a calendar month's ordinary hours reach the småjob threshold
    (``monthly_smalljob_hours``, 30 by default)."""
    return total > 0 and total >= threshold


def months_of(mondays: list[dt.date]) -> list[tuple[int, int]]:
    """The calendar months the ISO weeks starting on ``mondays`` have days in, in order."""
    months: list[tuple[int, int]] = []
    for monday in mondays:
        for day in (monday, monday + dt.timedelta(days=6)):
            if (day.year, day.month) not in months:
                months.append((day.year, day.month))
    return months


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar month."""
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def month_label(year: int, month: int) -> str:
    return days.month_label(dt.date(year, month, 1))


def week_label(monday: dt.date) -> str:
    """``Uge 42`` (the ISO week number; the year shows in the dates beside it)."""
    return _("Uge %(week)s") % {"week": week_number(monday)}


# --- milestones --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    threshold: Decimal
    reached_on: dt.date | None  # the day the milestone was first reached
    period: str  # "2026-W14" or "marts 2026"

    @property
    def reached(self) -> bool:
        return self.reached_on is not None


MILESTONE_LABELS = {
    "first_hour": gettext_lazy("Første lønnede time"),
    "smalljob": gettext_lazy("Småjob: %(hours)s timer i en kalendermåned"),
    "weekly_target": gettext_lazy("Ugentligt mål: %(hours)s timer"),
    "full_time": gettext_lazy("Fuld tid: %(hours)s timer pr. uge"),
}


@dataclass(frozen=True)
class Targets:
    weekly_target: Decimal
    monthly_smalljob: Decimal
    full_time: Decimal

    @classmethod
    def for_unit(cls, unit: Unit | int | None = None, on: dt.date | None = None) -> Targets:
        return cls(
            weekly_target=thresholds.get("weekly_hours_target", unit, on),
            monthly_smalljob=thresholds.get("monthly_smalljob_hours", unit, on),
            full_time=thresholds.get("full_time_hours", unit, on),
        )


DEFAULT_TARGETS = Targets(Decimal(30), Decimal(30), Decimal(37))


def _first_week(weekly: Mapping[dt.date, Decimal], at_least: Decimal) -> dt.date | None:
    for monday in sorted(weekly):
        if weekly[monday] >= at_least and weekly[monday] > 0:
            return monday
    return None


def smalljob_reached_on(periods: Periods, monthly_hours: Decimal) -> dt.date | None:
    """The first day on which a calendar month's running total reaches the threshold, each
    period's hours spread evenly over its days (so the month's total is ``monthly_totals``):
    a weekly row reaches it within the week, a monthly payslip on the month's last day."""
    per_day: dict[dt.date, Decimal] = defaultdict(Decimal)
    for first, last, value in as_periods(periods):
        length = (last - first).days + 1
        for offset in range(length):
            per_day[first + dt.timedelta(days=offset)] += value / length
    running: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for day in sorted(per_day):
        key = (day.year, day.month)
        running[key] += per_day[day]
        # Compare at cents, as monthly_totals rounds: 7 x (30/7) may fall short by 1e-27.
        if per_day[day] > 0 and running[key].quantize(Decimal("0.01")) >= monthly_hours:
            return day
    return None


def milestones(
    periods: Periods,
    targets: Targets = DEFAULT_TARGETS,
    first_days: Mapping[dt.date, dt.date] | None = None,
) -> list[Milestone]:
    """The four hours milestones and when each was first reached (None if not yet). Weekly
    milestones read ``weekly_from``; the småjob month reads ``monthly_totals`` (exact for a
    monthly payslip). A week's milestone is reached on its first day with a placement
    (``first_days``, from ``period_totals_and_first_days``; the Monday when not given), never
    before the placement started."""
    weekly = weekly_from(periods)
    first_days = first_days or {}

    def day_in(monday: dt.date | None) -> dt.date | None:
        return None if monday is None else first_days.get(monday, monday)

    def week_ms(key: str, threshold: Decimal, label: str) -> Milestone:
        monday = _first_week(weekly, threshold)
        return Milestone(
            key, label, threshold, day_in(monday), iso_week_label(monday) if monday else ""
        )

    first = _first_week(weekly, Decimal("0.01"))
    smalljob_day = smalljob_reached_on(periods, targets.monthly_smalljob)
    if smalljob_day is not None:
        smalljob_day = max(smalljob_day, first_days.get(week_start(smalljob_day), smalljob_day))
    return [
        Milestone(
            "first_hour",
            str(MILESTONE_LABELS["first_hour"]),
            Decimal("0.01"),
            day_in(first),
            iso_week_label(first) if first else "",
        ),
        Milestone(
            "smalljob",
            str(MILESTONE_LABELS["smalljob"]) % {"hours": format_hours(targets.monthly_smalljob)},
            targets.monthly_smalljob,
            smalljob_day,
            days.month_label(smalljob_day) if smalljob_day else "",
        ),
        week_ms(
            "weekly_target",
            targets.weekly_target,
            str(MILESTONE_LABELS["weekly_target"]) % {"hours": format_hours(targets.weekly_target)},
        ),
        week_ms(
            "full_time",
            targets.full_time,
            str(MILESTONE_LABELS["full_time"]) % {"hours": format_hours(targets.full_time)},
        ),
    ]


def series(
    weekly: Mapping[dt.date, Decimal], last_monday: dt.date, count: int
) -> list[tuple[dt.date, Decimal]]:
    """(Monday, hours) for ``count`` weeks ending with ``last_monday``; missing weeks are 0."""
    return [(monday, weekly.get(monday, ZERO)) for monday in weeks_ending(last_monday, count)]
