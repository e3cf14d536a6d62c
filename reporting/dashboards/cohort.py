"""The cohort view, as FSM's figure 4-3 (Rambøll, *Flere skal med – slutevaluering*): citizens
grouped by the month they were visited; for each month 1..29 since visitation, the share who
have *ever* been in virksomhedsforløb mv. and the share who have *ever* had ordinary hours (or,
switched, who were so *in that month*), one line per team and the jobcentre
(docs/manager-dashboard.md, "Kohorter").

Definitions, built from the same blocks as ``reporting.measures``:

- **Visitation month**: the month of the citizen's first visitation period (``VisitationPeriod``,
  any group). Cohorts are the ``COHORT_MONTHS`` calendar months ending with this month.
- **Month k since visitation**: month 1 is the visitation month itself, month k the (k − 1)th
  calendar month after it. A cohort is counted in month k only once month k has begun (the
  denominator of month k is the citizens whose month k has begun): younger cohorts do not
  pull the later months down.
- **In virksomhedsforløb mv. in a month**: a confirmed placement of a type flagged
  *virksomhedsforløb mv.* with a day in the month (``Placement.objects.overlapping``, as the
  measure ``virksomhedsforloeb``). **Ordinary hours in a month**: an hours row with ordinary
  hours (> 0) whose pay period has a day in the month (``measures.ordinary_hours_in``, as the
  measure ``ordinary_hours``).
- **Ever**: in month k or any month before it since visitation. Citizens stay in their cohort
  after their case closed (the share is of everyone visited then).
- The population: the citizens of ``base`` (a jobcentre or the user's teams, the citizen's
  current team) whose case was open on a day of the cohort window (``measures.citizens_in``).

Three queries whatever the data size: the citizens with their first visitation, the
(citizen, month) pairs in a placement, the (citizen, month) pairs with hours.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.placements.models import Placement
from reporting import measures
from reporting.charts import line
from reporting.charts.base import Chart
from reporting.charts.svg import Point
from reporting.measures import Period, Population
from substitution import days
from substitution.models import Team

MONTHS_SINCE = 29  # FSM's figure 4-3 runs to month 29
COHORT_MONTHS = 36
EVER = "altid"
IN_MONTH = "maaned"
VF = "virksomhedsforloeb"
HOURS = "ordinary_hours"
TOTAL = 0  # the series key of the total


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


@dataclass
class Series:
    """One line: per month since visitation (1..29), numerator and denominator."""

    label: str
    numerators: list[int] = field(default_factory=lambda: [0] * MONTHS_SINCE)
    denominators: list[int] = field(default_factory=lambda: [0] * MONTHS_SINCE)

    def share(self, k: int) -> Decimal | None:
        """The share in month ``k`` (1-based); None before any cohort has reached it."""
        d = self.denominators[k - 1]
        return None if d == 0 else Decimal(self.numerators[k - 1]) / d

    def display(self, k: int) -> str:
        d = self.denominators[k - 1]
        return "–" if d == 0 else f"{measures.percent(self.numerators[k - 1], d)} %"


@dataclass
class Curves:
    mode: str
    today: dt.date
    cohorts: Period
    # outcome (VF, HOURS) -> series key (team id, TOTAL) -> Series
    lines: dict[str, dict[int, Series]]
    citizens: int = 0


def _months(first: dt.date, last: dt.date | None, cap: int) -> range:
    end = min(month_index(last), cap) if last is not None else cap
    return range(month_index(first), end + 1)


def curves(base: Population, teams: Sequence[Team], today: dt.date, *, mode: str = EVER) -> Curves:
    now = month_index(today)
    window = Period(days.add_months(days.month_start(today), -(COHORT_MONTHS - 1)), today)
    citizens = list(
        measures.citizens_in(base, window)
        .annotate(visited_on=Min("visitation_periods__starts_on"))
        .filter(visited_on__gte=window.first, visited_on__lte=today)
        .values_list("pk", "team_id", "visited_on")
    )
    ids = measures.citizens_in(base, window).values("pk")
    placed: dict[int, set[int]] = defaultdict(set)
    for citizen_id, starts_on, ends_on in (
        Placement.objects.overlapping(window.first, today)
        .filter(citizen__in=ids, type__counts_as_virksomhedsforloeb=True)
        .values_list("citizen_id", "starts_on", "ends_on")
    ):
        placed[citizen_id].update(_months(max(starts_on, window.first), ends_on, now))
    paid: dict[int, set[int]] = defaultdict(set)
    for citizen_id, first_month, last_month in (
        measures.ordinary_hours_in(window)
        .filter(placement__citizen__in=ids)
        .values_list("placement__citizen_id", TruncMonth("week_start"), TruncMonth("ends_on"))
        .distinct()
    ):
        paid[citizen_id].update(_months(_date(first_month), _date(last_month), now))

    team_ids = {t.pk for t in teams}
    lines: dict[str, dict[int, Series]] = {
        outcome: {TOTAL: Series("total"), **{t.pk: Series(t.name) for t in teams}}
        for outcome in (VF, HOURS)
    }
    for citizen_id, team_id, visited_on in citizens:
        start = month_index(visited_on)
        for outcome, months in (
            (VF, placed.get(citizen_id, set())),
            (HOURS, paid.get(citizen_id, set())),
        ):
            keys = [TOTAL] + ([team_id] if team_id in team_ids else [])
            ever = False
            for k in range(1, MONTHS_SINCE + 1):
                month = start + k - 1
                if month > now:
                    break
                hit = month in months
                ever = ever or hit
                counted = ever if mode == EVER else hit
                for key in keys:
                    series = lines[outcome][key]
                    series.denominators[k - 1] += 1
                    series.numerators[k - 1] += int(counted)
    return Curves(mode, today, window, lines, len(citizens))


def _date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def percent_value(share: Decimal | None) -> Decimal | None:
    return None if share is None else (share * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


OUTCOME_TITLES = {
    VF: gettext_lazy("Har været i virksomhedsforløb mv., efter måneder siden visitation"),
    HOURS: gettext_lazy("Har haft ordinære timer, efter måneder siden visitation"),
}
IN_MONTH_TITLES = {
    VF: gettext_lazy("I virksomhedsforløb mv. i måneden, efter måneder siden visitation"),
    HOURS: gettext_lazy("Med ordinære timer i måneden, efter måneder siden visitation"),
}


def charts(result: Curves, teams: Sequence[Team], total_label: str) -> list[Chart]:
    """One line chart per outcome: a line per team and the total, months 1..29."""
    titles = OUTCOME_TITLES if result.mode == EVER else IN_MONTH_TITLES
    result_charts = []
    for outcome in (VF, HOURS):
        lines = result.lines[outcome]
        keys = [t.pk for t in teams] + [TOTAL]
        series = [
            line.Series(
                total_label if key == TOTAL else lines[key].label,
                [
                    Point(str(k), lines[key].share(k), lines[key].display(k))
                    for k in range(1, MONTHS_SINCE + 1)
                ],
            )
            for key in keys
        ]
        result_charts.append(
            line.line(
                series,
                title=str(titles[outcome]),
                y_format=line.percent_axis,
                x_header=_("Måned siden visitation"),
            )
        )
    return result_charts
