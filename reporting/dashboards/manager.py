"""The manager dashboard (the leder's landing page): every team side by side for one period,
with the jobcentre's pooled total, the median and the quartiles across teams, each team's
third among the teams and a fall alert (docs/manager-dashboard.md).

No HTTP here. Every figure comes from ``reporting.measures.teams_and_total``: a measure is never
recomputed; this module only compares the figures it is given.

- **Quartiles across teams** (FSM compared municipalities this way): the inclusive method with
  linear interpolation — Excel's ``KVARTIL.MEDTAG``/``QUARTILE.INC``, numpy's default. The
  p-quantile of n sorted values sits at position (n − 1)·p (0-based); between two values it is
  interpolated. With five teams the positions are 0, 1, 2, 3, 4: the quartiles *are* teams'
  figures, so five teams at 57/73/78/84/100 % print exactly 57, 73, 78, 84 and 100 %.
- **Thirds** (Jobindsats' scoreboard colours a municipality by its third): the teams with a
  figure are ranked best first (the direction of the measure decides what is best); a team at
  0-based rank r of n is in third ⌊3r/n⌋ (0 best, 2 worst). Tied teams share the best rank of
  the tie, so equal figures never get different colours.
- **Fall alert** (KL, *Gør som de bedste*: alert on a fall, e.g. in the number of praktikker):
  a measure where more is better whose value fell by more than ``fall_alert_percent`` per cent
  (a threshold, default 20) from one whole month to the next: the chosen month and the one
  before, or — for the month so far — the last two whole months (``fall_months``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting import measures
from reporting.dashboards import targets as target_rules
from reporting.dashboards.models import Target
from reporting.measures import BY_SLUG, Figure, Kind, Period, Population
from substitution import days, thresholds
from substitution.models import Team

# The measures on the manager dashboard, in the order shown, with their direction: True when
# more is better (a fall is bad, a high figure is the best third).
MANAGER_MEASURES: dict[str, bool] = {
    "caseload": True,
    "caseload_per_jobformidler": False,
    "inflow": True,
    "exits": True,
    "contact_cadence": True,
    "cv": True,
    "virksomhedsforloeb": True,
    "fsm40_window": True,
    "ordinary_hours": True,
    "praktik_without_hours": False,
    "self_supporting": True,
    "placements_started": True,
    "overdue_follow_ups": False,
}
# The measure the 13-month trend shows unless another is chosen: placements started (KL's
# example of a fall to act on).
DEFAULT_TREND = "placements_started"
TREND_MONTHS = 13

THIRD_LABELS = {
    0: gettext_lazy("bedste tredjedel"),
    1: gettext_lazy("midterste tredjedel"),
    2: gettext_lazy("dårligste tredjedel"),
}


# --- visibility -----------------------------------------------------------------------------

# Which teams a user sees numbers for, and the population of their total: one rule, in
# ``reporting.measures`` (the API for BI tools uses it as well).
visible_teams = measures.visible_teams
base_population = measures.population_for


# --- statistics across teams ---------------------------------------------------------------


def quantile(values: Sequence[Decimal], p: Decimal) -> Decimal | None:
    """The inclusive p-quantile with linear interpolation (QUARTILE.INC; module docstring)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * p
    low = int(position)
    fraction = position - low
    if fraction == 0 or low + 1 >= len(ordered):
        return ordered[low]
    return ordered[low] + (ordered[low + 1] - ordered[low]) * fraction


@dataclass(frozen=True)
class Spread:
    """Minimum, quartiles, median and maximum of the teams' values (None without values)."""

    minimum: Decimal | None
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    maximum: Decimal | None

    @classmethod
    def of(cls, values: Sequence[Decimal]) -> Spread:
        quarters = [quantile(values, Decimal(k) / 4) for k in range(5)]
        return cls(*quarters)


def thirds(values: dict[int, Decimal | None], higher_is_better: bool) -> dict[int, int]:
    """Each team's third among the teams with a value (0 best, 2 worst; module docstring)."""
    ranked = sorted(
        ((v, k) for k, v in values.items() if v is not None),
        key=lambda item: item[0],
        reverse=higher_is_better,
    )
    n = len(ranked)
    result: dict[int, int] = {}
    first_rank: dict[Decimal, int] = {}
    for rank, (value, key) in enumerate(ranked):
        rank = first_rank.setdefault(value, rank)
        result[key] = (3 * rank) // n
    return result


def display_value(slug: str, value: Decimal | None) -> str:
    """A value across teams (median, quartile) printed as the measure prints its figures."""
    if value is None:
        return "–"
    measure = BY_SLUG[slug]
    if measure.kind == Kind.SHARE:
        whole = (value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return f"{whole} %"
    places = 0 if measure.kind in (Kind.COUNT, Kind.MEDIAN) and value == int(value) else 1
    text = measures.danish_number(value, places)
    return f"{text} {measure.unit_label}".strip()


def figure_value(figure: Figure) -> Decimal | None:
    """The number a figure is compared by: the fraction, ratio, count or median."""
    return figure.value


# --- the fall alert --------------------------------------------------------------------------


def fall_months(period: Period) -> tuple[Period, Period]:
    """The two whole calendar months the fall alert compares: for a whole month, the month
    before and that month; for the month so far (or any other period), the last two whole
    months before its last day's month. A few days against the same few days of the month
    before flag noise early in a month (two placements against three is "a fall of 33 %"),
    KL's guidance speaks of months, and whole months are what the facts keep."""
    first = days.month_start(period.first)
    if period.first == first and period.last == days.month_end(first):
        after = period
    else:
        last_whole = days.add_months(days.month_start(period.last), -1)
        after = Period.month(last_whole.year, last_whole.month)
    before = days.add_months(after.first, -1)
    return Period.month(before.year, before.month), after


def fall_threshold(unit_id: int, day: dt.date) -> Decimal:
    """The share a measure may fall from one month to the next before it is flagged."""
    return thresholds.get("fall_alert_percent", unit_id, day) / 100


def fell(
    before: Decimal | None, now: Decimal | None, share: Decimal, higher_is_better: bool = True
) -> bool:
    """True when a measure where more is better fell by more than ``share`` of its earlier
    value (a fall from 0 or to no value is not a fall)."""
    if not higher_is_better or before is None or now is None or before <= 0:
        return False
    return (before - now) / before > share


def fall_percent(before: Decimal | None, now: Decimal | None) -> Decimal | None:
    if before is None or now is None or before <= 0:
        return None
    return ((before - now) * 100 / before).quantize(Decimal(1), rounding=ROUND_HALF_UP)


# --- the board ------------------------------------------------------------------------------


@dataclass
class Cell:
    team_id: int | None  # None: the total
    figure: Figure
    third: int | None = None
    previous: Figure | None = None
    fall: Decimal | None = None  # per cent fallen, when flagged
    # Against its target (reporting.dashboards.targets): "green", "amber", "red" or None.
    target_status: str | None = None
    target_label: str = ""

    @property
    def third_label(self) -> str:
        return str(THIRD_LABELS[self.third]) if self.third is not None else ""


@dataclass
class Row:
    slug: str
    label: str
    higher_is_better: bool
    cells: list[Cell]
    total: Cell
    spread: Spread

    @property
    def median_display(self) -> str:
        return display_value(self.slug, self.spread.median)

    @property
    def q1_display(self) -> str:
        return display_value(self.slug, self.spread.q1)

    @property
    def q3_display(self) -> str:
        return display_value(self.slug, self.spread.q3)

    @property
    def falls(self) -> list[Cell]:
        return [c for c in [*self.cells, self.total] if c.fall is not None]


@dataclass
class Board:
    period: Period
    previous: Period  # the fall alert compares ``compared`` with this month (``fall_months``)
    teams: list[Team]
    base: Population
    rows: list[Row] = field(default_factory=list)
    fall_share: Decimal = Decimal("0.2")
    compared: Period | None = None  # default: ``period``
    # When ``compared`` is not ``period`` (the month so far): its rows, with the previous
    # month and the falls, for the measures where more is better.
    compared_rows: list[Row] = field(default_factory=list)

    @property
    def compares_period(self) -> bool:
        return self.compared in (None, self.period)

    @property
    def comparison_rows(self) -> list[Row]:
        """The rows whose cells carry the previous month and the falls."""
        return self.rows if self.compares_period else self.compared_rows

    @property
    def falls(self) -> list[tuple[Row, Cell]]:
        return [(row, cell) for row in self.comparison_rows for cell in row.falls]

    def team_name(self, team_id: int | None) -> str:
        for team in self.teams:
            if team.pk == team_id:
                return team.name
        return ""


def board(
    base: Population,
    teams: Sequence[Team],
    period: Period,
    slugs: Sequence[str] | None = None,
    targets: Sequence[Target] = (),
) -> Board:
    """Every measure of ``slugs`` (default ``MANAGER_MEASURES``) for every team and the total
    over ``base`` in ``period``, and — for the fall alert, so only the measures where more is
    better — the two whole months it compares (``fall_months``): two ``teams_and_total``
    calls for a whole month, three for the month so far (every one read from the facts).
    Each cell is coloured against its target (``targets``: the unit's,
    ``queries.targets_for``)."""
    chosen = list(slugs or MANAGER_MEASURES)
    team_ids = [t.pk for t in teams]
    previous, compared = fall_months(period)
    per_team, total = measures.teams_and_total(base, team_ids, period, chosen)
    rising = [s for s in chosen if MANAGER_MEASURES.get(s, True)]
    before_team: dict[int, dict[str, Figure]] = {t: {} for t in team_ids}
    before_total: dict[str, Figure] = {}
    after_team, after_total = per_team, total
    if rising:
        before_team, before_total = measures.teams_and_total(base, team_ids, previous, rising)
        if compared != period:
            after_team, after_total = measures.teams_and_total(base, team_ids, compared, rising)
    share = fall_threshold(base.unit_id, period.last)
    result = Board(period, previous, list(teams), base, fall_share=share, compared=compared)
    here = compared == period
    for slug in chosen:
        better = MANAGER_MEASURES.get(slug, True)
        values = {t: figure_value(per_team[t][slug]) for t in team_ids}
        ranks = thirds(values, better)

        def before(team_id: int | None, slug: str = slug) -> Figure | None:
            return (before_team[team_id] if team_id is not None else before_total).get(slug)

        row = Row(
            slug,
            BY_SLUG[slug].label,
            better,
            [
                _cell(
                    t, per_team[t][slug], before(t) if here else None, ranks.get(t), share, better
                )
                for t in team_ids
            ],
            _cell(None, total[slug], before(None) if here else None, None, share, better),
            Spread.of([v for v in values.values() if v is not None]),
        )
        for c in [*row.cells, row.total]:
            _colour(c, slug, targets, period.last)
        result.rows.append(row)
        if not here and slug in rising:
            result.compared_rows.append(
                Row(
                    slug,
                    BY_SLUG[slug].label,
                    better,
                    [
                        _cell(t, after_team[t][slug], before(t), None, share, better)
                        for t in team_ids
                    ],
                    _cell(None, after_total[slug], before(None), None, share, better),
                    Spread.of([]),
                )
            )
    return result


def _colour(cell: Cell, slug: str, targets: Sequence[Target], day: dt.date) -> None:
    """The cell against its target (the team's own, else the jobcentre's; the total: the
    jobcentre's), as the team lead's tiles colour it (``reporting.dashboards.targets``)."""
    target = target_rules.applicable(targets, slug, cell.team_id, day)
    state = target_rules.status_of(cell.figure, target)
    if target is None or state is None:
        return
    cell.target_status = str(state)
    cell.target_label = _("%(status)s (mål %(target)s)") % {
        "status": target_rules.STATUS_LABELS[state],
        "target": target_rules.display(slug, target.value),
    }


def _cell(
    team_id: int | None,
    now: Figure,
    before: Figure | None,
    third: int | None,
    share: Decimal,
    higher_is_better: bool,
) -> Cell:
    if before is None:  # a measure where fewer is better: no fall alert, no previous month
        return Cell(team_id, now, third)
    flagged = fell(before.value, now.value, share, higher_is_better)
    fall = fall_percent(before.value, now.value) if flagged else None
    return Cell(team_id, now, third, before, fall)


@dataclass
class Trend:
    """One measure over ``TREND_MONTHS`` calendar months: per team and the total."""

    slug: str
    months: list[Period]
    per_team: dict[int, list[Figure]]
    total: list[Figure]


def months_ending(last: dt.date, count: int = TREND_MONTHS) -> list[Period]:
    """The ``count`` calendar months ending with the month of ``last`` (the last one up to
    ``last``: a month to date)."""
    result = []
    for back in range(count - 1, -1, -1):
        first = days.add_months(days.month_start(last), -back)
        result.append(Period(first, min(days.month_end(first), last)))
    return result


def trend(base: Population, teams: Sequence[Team], last: dt.date, slug: str) -> Trend:
    team_ids = [t.pk for t in teams]
    months = months_ending(last)
    per_team: dict[int, list[Figure]] = {t: [] for t in team_ids}
    total: list[Figure] = []
    for month in months:
        by_team, month_total = measures.teams_and_total(base, team_ids, month, [slug])
        for t in team_ids:
            per_team[t].append(by_team[t][slug])
        total.append(month_total[slug])
    return Trend(slug, months, per_team, total)
