"""The team lead's dashboard (docs/dashboards.md): tiles for the key measures with target,
colour and a 13-month sparkline; the weekly board, one row per jobformidler; the team's
alerts. Every number is a ``reporting.measures`` figure; nothing is counted here.

Cost: the board, the tiles and the alerts of one month are one aggregate over the team's
citizens grouped by the jobformidler assigned on the period's last day — the rule
``Population.jobformidler_id`` filters by — (on the facts the overdue follow-ups too, as a
count per citizen; computed live, one grouped count of them); the tiles are the sums over the
groups. So it costs the same for 3 staff or 30. The 13 months of the sparklines are one
``compute`` per month (``trend``), asked by a second request (htmx) so the page itself does
not wait for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.citizens import month_facts as citizen_month_facts
from cases.citizens.models import CitizenMonth
from cases.placements import alerts
from reporting.charts.base import Chart
from reporting.charts.sparkline import sparkline
from reporting.charts.svg import Point
from reporting.dashboards import targets as rules
from reporting.dashboards.models import ActionPlan, Target
from reporting.measures import (
    BY_SLUG,
    NOT_ADDITIVE,
    Context,
    Figure,
    Kind,
    Period,
    Population,
    assigned_on,
    compute,
    context,
    counted_per,
    facts_cover,
    grouped_values,
)
from substitution import days, thresholds
from substitution.models import User

# The key measures a team lead steers on (KL's monthly figures; FSM's outcome measures).
TILE_SLUGS = [
    "contact_cadence",
    "virksomhedsforloeb",
    "ordinary_hours",
    "praktik_without_hours",
    "placements_started",
    "overdue_follow_ups",
]
ALERT_SLUGS = [f"alert_{alert.key}" for alert in alerts.ALERTS]
TREND_MONTHS = 13

# The weekly board's columns: (key, measure slug).
BOARD_COLUMNS = [
    ("caseload", "caseload"),
    ("cadence", "contact_cadence"),
    ("overdue", "overdue_follow_ups"),
    ("hours", "ordinary_hours"),
    ("started", "placements_started"),
    ("unconfirmed", "alert_unconfirmed_start"),
]


def month_label(first: dt.date) -> str:
    return date_format(first, "M Y").lower()


def months_ending(day: dt.date, count: int = TREND_MONTHS) -> list[Period]:
    """The ``count`` calendar months ending with ``day``'s month, oldest first; the newest
    runs to ``day`` (today: the live month)."""
    first = days.month_start(day)
    periods = []
    for back in range(count - 1, -1, -1):
        start = days.add_months(first, -back)
        periods.append(Period(start, day if back == 0 else days.month_end(start)))
    return periods


def trend(
    population: Population, periods: Sequence[Period], slugs: Sequence[str]
) -> dict[str, list[Figure]]:
    """Each measure of ``slugs`` for each period: one ``compute`` per period (the facts'
    state read once for all). The one place a dashboard asks for a series of months. (One
    query over the 13 months' facts was tried: at scale 33 its join alone read the unit's
    245,000 facts rows of the months, 150 ms, more than the 13 aggregates; docs/performance.md.)"""
    state = citizen_month_facts.built()
    per_period = [
        compute(population, period, list(slugs), facts_cover(period, state)) for period in periods
    ]
    return {slug: [figures[slug] for figures in per_period] for slug in slugs}


# --- tiles -----------------------------------------------------------------------------------


@dataclass
class Tile:
    slug: str
    label: str
    figure: Figure
    target: Target | None
    status: rules.Status | None
    target_display: str = ""
    deviation: str = ""
    plans: list[ActionPlan] = field(default_factory=list)
    chart: Chart | None = None

    @property
    def needs_plan(self) -> bool:
        return self.status in (rules.Status.AMBER, rules.Status.RED)

    @property
    def status_label(self) -> str:
        return str(rules.STATUS_LABELS[self.status]) if self.status else ""


def tile_for(figure: Figure, target: Target | None, plans: Sequence[ActionPlan] = ()) -> Tile:
    slug = figure.slug
    tile = Tile(
        slug=slug,
        label=BY_SLUG[slug].label,
        figure=figure,
        target=target,
        status=rules.status_of(figure, target),
        plans=[p for p in plans if p.measure == slug],
    )
    if target is not None:
        tile.target_display = rules.display(slug, target.value)
        tile.deviation = rules.deviation_text(slug, rules.comparable(figure), target.value)
    return tile


def tiles(
    population: Population,
    period: Period,
    team_id: int | None,
    unit_targets: Sequence[Target],
    plans: Sequence[ActionPlan] = (),
    slugs: Sequence[str] = TILE_SLUGS,
    figures: dict[str, Figure] | None = None,
) -> list[Tile]:
    """The tiles of ``slugs``; ``figures``: already computed (``board``'s totals)."""
    if figures is None:
        figures = compute(population, period, list(slugs))
    return [
        tile_for(figures[slug], rules.applicable(unit_targets, slug, team_id, period.last), plans)
        for slug in slugs
    ]


def point(figure: Figure, period: Period) -> Point:
    value = rules.comparable(figure)
    return Point(month_label(period.first), value, figure.display)


def sparklines(
    population: Population,
    periods: Sequence[Period],
    team_id: int | None,
    unit_targets: Sequence[Target],
    slugs: Sequence[str] = TILE_SLUGS,
) -> dict[str, Chart]:
    """A sparkline per measure over ``periods`` (the newest month's target drawn)."""
    series = trend(population, periods, slugs)
    charts = {}
    for slug in slugs:
        target = rules.applicable(unit_targets, slug, team_id, periods[-1].last)
        charts[slug] = sparkline(
            [point(f, p) for f, p in zip(series[slug], periods, strict=True)],
            title=_("%(label)s, %(count)s måneder")
            % {"label": BY_SLUG[slug].label, "count": len(periods)},
            target=target.value if target else None,
            target_display=rules.display(slug, target.value) if target else "",
        )
    return charts


# --- the weekly board --------------------------------------------------------------------------


def _jobformidler_key(ctx: Context) -> Callable[[str], Any]:
    """The jobformidler assigned on the period's last day to a row's citizen (the column of
    the citizen's month facts where the context reads them, else the assignment history)."""
    if not ctx.facts:
        return lambda ref: assigned_on(ctx.day, ref)
    month = ctx.period.first

    def fact(ref: str) -> Any:
        if ref == "pk":
            return F("month_facts__jobformidler")
        facts = CitizenMonth.objects.filter(citizen=OuterRef(ref), month=month)
        return Subquery(facts.values("jobformidler_id")[:1])

    return fact


@dataclass
class BoardRow:
    staff: User
    figures: dict[str, Figure]
    over_norm: bool = False
    links: dict[str, str] = field(default_factory=dict)  # per column: the list behind it

    def sort_value(self, key: str) -> Decimal:
        figure = self.figures[key]
        value = figure.value if figure.value is not None else Decimal(-1)
        return value


def _additive(slug: str) -> bool:
    """Whether the team's figure is the sum of its groups' numerators and denominators (a
    count or share of citizens or their rows; every citizen is in one group)."""
    measure = BY_SLUG[slug]
    return slug not in NOT_ADDITIVE and measure.summed is None and measure.kind != Kind.MEDIAN


def board(
    population: Population,
    period: Period,
    staff: Sequence[User],
    totals: Sequence[str] = (),
) -> tuple[list[BoardRow], int, dict[str, Figure]]:
    """One row per staff member (``staff``: the team's jobformidlere), the caseload norm, and
    the population's figures of ``totals`` (the tiles and alerts: the sums over every group,
    including citizens of other staff and of nobody). Each row's figure equals ``compute``
    for ``Population(..., jobformidler_id=<staff>)``, each total ``compute`` for the
    population. The measures that are conditions on the citizens (on the facts: all, the
    follow-ups as a count per citizen) are one aggregate grouped by the jobformidler assigned
    on the period's last day; each other measure one grouped count. Figures are made only for
    the board's cells and the totals (from the groups' values added up: the pooled figure)."""
    ctx = context(population, period)
    day = period.last
    board_slugs = [slug for _key, slug in BOARD_COLUMNS]
    summed = [slug for slug in totals if _additive(slug)]
    slugs = list(dict.fromkeys([*board_slugs, *summed]))
    # On the facts the jobformidler assigned that day is their column, else a subquery.
    key = _jobformidler_key(ctx)
    values_of, _batched, rest = grouped_values(ctx, key("pk"), slugs)
    counted: dict[str, tuple[dict[Any, int], dict[Any, int] | None]] = {}
    for slug in rest:
        measure = BY_SLUG[slug]
        counted[slug] = (
            counted_per(measure.rows(ctx), key),
            counted_per(measure.denominator(ctx), key) if measure.denominator else None,
        )

    def figure(slug: str, values: dict[str, Any], group: Any) -> Figure:
        measure = BY_SLUG[slug]
        if slug not in counted:
            return measure.from_aggregates(ctx, values)
        numerators, denominators = counted[slug]
        return measure._make(
            Decimal(numerators.get(group, 0)),
            None if denominators is None else Decimal(denominators.get(group, 0)),
            None,
        )

    norm = thresholds.get_int("caseload_norm", population.unit_id, day)
    rows = []
    for member in staff:
        own = values_of.get(member.pk, {})
        figures = {key: figure(slug, own, member.pk) for key, slug in BOARD_COLUMNS}
        rows.append(BoardRow(member, figures, over_norm=figures["caseload"].numerator > norm))
    # The team's figures: the groups' values (and counts) added up, every citizen in one group.
    pooled: dict[str, Any] = {}
    for values in values_of.values():
        for name, value in values.items():
            if value is not None:
                pooled[name] = pooled.get(name, 0) + value
    team: dict[str, Figure] = {}
    for slug in summed:
        if slug in counted:
            numerators, denominators = counted[slug]
            team[slug] = BY_SLUG[slug]._make(
                Decimal(sum(numerators.values())),
                None if denominators is None else Decimal(sum(denominators.values())),
                None,
            )
        else:
            team[slug] = BY_SLUG[slug].from_aggregates(ctx, pooled)
    others = [slug for slug in totals if slug not in team]
    if others:
        team.update(compute(population, period, others))
    return rows, norm, {slug: team[slug] for slug in totals}


def sort_board(rows: list[BoardRow], key: str, descending: bool) -> list[BoardRow]:
    if key == "name":
        return sorted(rows, key=lambda r: str(r.staff).lower(), reverse=descending)
    if key not in dict(BOARD_COLUMNS):
        return rows
    return sorted(rows, key=lambda r: (r.sort_value(key), str(r.staff)), reverse=descending)


PAGE_SLUGS = [*TILE_SLUGS, *ALERT_SLUGS]


def alert_figures(
    population: Population, period: Period, figures: dict[str, Figure] | None = None
) -> list[Figure]:
    if figures is None:
        figures = compute(population, period, ALERT_SLUGS)
    return [figures[slug] for slug in ALERT_SLUGS]
