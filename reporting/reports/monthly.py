"""The monthly status (*Månedlig status*, docs/reports.md) for a jobcentre and a month: key
measures, 13-month trends, exits by reason, the FSM 40 % criterion, the company pipeline,
placements and ordinary hours, the results statement's summary and the teams side by side
with median and spread.

Every figure is a measure: the month's figures for every team and the jobcentre come from one
``measures.teams_and_total`` (the jobcentre pooled, never a mean of the teams), the trends from
``measures.compute`` per month. The median and spread across teams are statistics *of the
teams' figures* (FSM compares units by median and spread), not a second definition.

Two sections come from other features: the targets with their colour (``reporting.dashboards.
targets``: the same rule as the dashboards) and the action plans open at the month's end with
their recorded explanations (``reporting.dashboards.queries.open_plans``); and the fidelity
summary of the latest closed round whose data period ends by the month's end
(``reporting.reports.fidelity``, from ``reporting.fidelity.scoring``).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from companies.models import Company, PipelineStatus
from reporting.dashboards import targets as target_rules
from reporting.dashboards.models import ActionPlan, Target
from reporting.dashboards.queries import open_plans, targets_for
from reporting.measures import (
    BY_SLUG,
    Figure,
    Kind,
    Period,
    Population,
    compute,
    danish_number,
    percent,
    teams_and_total,
)
from reporting.reports import results
from reporting.reports.fidelity import FidelitySummary, fidelity_summary
from reporting.reports.params import Progress
from substitution import days
from substitution.models import Team, Unit

KEY = [
    "caseload",
    "caseload_per_jobformidler",
    "inflow",
    "exits",
    "contact_cadence",
    "cv",
    "own_job_goal",
    "virksomhedsforloeb",
    "ordinary_hours",
    "self_supporting",
    "ren_beskaeftigelse",
]
EXITS = ["exits_job", "exits_job_special", "exits_education", "exits_afklaring", "exits_other"]
FSM = ["fsm40_window", "fsm40_day"]
COMPANIES = ["company_contacts", "companies_mapped", "open_tasks", "match_rate"]
PLACEMENTS = [
    "placements_started",
    "virksomhedsrettet",
    "praktik_without_hours",
    "ordinary_hours_per_week",
    "hours_rising",
    "agreements_ordinary_from_start",
    "placements_followed_up",
]
SIDE_BY_SIDE = [
    "caseload",
    "caseload_per_jobformidler",
    "contact_cadence",
    "virksomhedsforloeb",
    "fsm40_window",
    "ordinary_hours",
    "placements_started",
    "self_supporting",
]
# Trends over 13 months: the measures a politician follows month by month.
TREND = ["caseload", "virksomhedsforloeb", "ordinary_hours", "placements_started", "exits"]
TREND_MONTHS = 13
FSM_CRITERION = Decimal("0.40")


@dataclass(frozen=True)
class Spread:
    label: str
    median: str
    low: str
    high: str


@dataclass(frozen=True)
class MonthlyStatus:
    unit: Unit
    period: Period
    teams: list[Team]
    total: dict[str, Figure]
    per_team: dict[int, dict[str, Figure]]
    trend_months: list[Period]
    trends: list[tuple[str, list[Figure]]]  # (measure label, figure per month)
    fsm_met: bool | None
    pipeline: list[tuple[str, int]]
    results_all: results.Summary
    results_paid: results.Summary
    spreads: list[Spread]
    targets: Targets
    fidelity: FidelitySummary | None  # None: no closed round for the month yet

    def rows(self, slugs: list[str]) -> list[tuple[str, Figure]]:
        return [(BY_SLUG[s].label, self.total[s]) for s in slugs]

    def side_by_side(self) -> list[tuple[str, list[Figure], Figure]]:
        return [
            (BY_SLUG[s].label, [self.per_team[t.pk][s] for t in self.teams], self.total[s])
            for s in SIDE_BY_SIDE
        ]


def shown(slug: str, value: Decimal) -> str:
    """A statistic of figures' values shown like the measure's own display."""
    kind = BY_SLUG[slug].kind
    if kind == Kind.SHARE:
        return f"{percent(value, 1)} %"
    if value == value.to_integral_value():
        return danish_number(value, 0)
    return danish_number(value, 1)


def spreads(per_team: dict[int, dict[str, Figure]], slugs: list[str]) -> list[Spread]:
    out = []
    for slug in slugs:
        values = [v for f in per_team.values() if (v := f[slug].value) is not None]
        if not values:
            out.append(Spread(BY_SLUG[slug].label, "–", "–", "–"))
            continue
        median = Decimal(statistics.median(values))
        out.append(
            Spread(
                BY_SLUG[slug].label,
                shown(slug, median),
                shown(slug, min(values)),
                shown(slug, max(values)),
            )
        )
    return out


def months_ending(period: Period, count: int) -> list[Period]:
    last_month = days.month_start(period.last)
    firsts = [days.add_months(last_month, -n) for n in range(count - 1, -1, -1)]
    # The last is the report's own period (a month still running ends today).
    return [Period(first, days.month_end(first)) for first in firsts[:-1]] + [period]


@dataclass(frozen=True)
class TargetRow:
    scope: str  # a team's name or the jobcentre
    label: str
    figure: str
    target: str
    deviation: str
    status: str  # Danish status label ("Mål nået" …), "" without a value


@dataclass(frozen=True)
class Targets:
    rows: list[TargetRow]
    plans: list[ActionPlan]


def target_slugs(targets: list[Target], period: Period) -> list[str]:
    """The measures with a target valid on the month's last day (their figures are computed
    with the month's other figures)."""
    day = period.last
    return sorted(
        {
            t.measure
            for t in targets
            if t.measure in BY_SLUG
            and t.valid_from <= day
            and (t.valid_to is None or t.valid_to >= day)
        }
    )


def targets_section(
    unit: Unit,
    period: Period,
    teams: list[Team],
    targets: list[Target],
    total: dict[str, Figure],
    per_team: dict[int, dict[str, Figure]],
) -> Targets:
    """Each measure with a target on the month's last day, for the jobcentre and for each team
    with a target of its own, coloured by the dashboards' rule; and the action plans open at the
    end of the month (their explanation and plan as recorded)."""
    day = period.last
    rows = []
    scopes: list[tuple[str, int | None, dict[str, Figure]]] = [(unit.name, None, total)]
    scopes += [(t.name, t.pk, per_team[t.pk]) for t in teams]
    for slug in target_slugs(targets, period):
        for scope, team_id, figures in scopes:
            target = target_rules.applicable(targets, slug, team_id, day)
            if target is None or (team_id is not None and target.team_id != team_id):
                continue  # a team without its own target is shown under the jobcentre's
            figure = figures[slug]
            colour = target_rules.status_of(figure, target)
            rows.append(
                TargetRow(
                    scope=scope,
                    label=BY_SLUG[slug].label,
                    figure=figure.display,
                    target=target_rules.display(slug, target.value),
                    deviation=target_rules.deviation_text(
                        slug, target_rules.comparable(figure), target.value
                    ),
                    status=str(target_rules.STATUS_LABELS[colour]) if colour else "",
                )
            )
    plans = list(
        open_plans(unit.pk, None, on=days.end_of_day(period.last)).order_by(
            "team__name", "measure", "created_at"
        )
    )
    return Targets(rows, plans)


def build(unit: Unit, period: Period, progress: Progress) -> MonthlyStatus:
    teams = list(Team.objects.filter(unit=unit).order_by("name"))
    base = Population(unit.pk)
    progress(5, "Månedens tal for teams og jobcentret")
    targets = targets_for(unit.pk)
    slugs = list(
        dict.fromkeys(
            KEY
            + EXITS
            + FSM
            + COMPANIES
            + PLACEMENTS
            + SIDE_BY_SIDE
            + target_slugs(targets, period)
        )
    )
    per_team, total = teams_and_total(base, [t.pk for t in teams], period, slugs)
    trend_months = months_ending(period, TREND_MONTHS)
    trend_figures: dict[str, list[Figure]] = {s: [] for s in TREND}
    for index, month in enumerate(trend_months):
        progress(40 + int(40 * index / TREND_MONTHS), f"Udvikling: {month.first:%m.%Y}")
        # The report's own month is already computed (pooled over the teams).
        same = month == period
        figures = {s: total[s] for s in TREND} if same else compute(base, month, TREND)
        for slug in TREND:
            trend_figures[slug].append(figures[slug])
    progress(82, "Virksomhedspipeline og resultatopgørelse")
    counts = dict(Company.objects.filter(unit=unit).values_list("status").annotate(n=Count("pk")))
    pipeline = [(str(label), counts.get(value, 0)) for value, label in PipelineStatus.choices]
    year = Period(days.add_months(period.first, -11), period.last)
    results_all, results_paid = results.summaries(base, year)
    fsm = total["fsm40_window"].value
    return MonthlyStatus(
        unit=unit,
        period=period,
        teams=teams,
        total=total,
        per_team=per_team,
        trend_months=trend_months,
        trends=[(BY_SLUG[s].label, trend_figures[s]) for s in TREND],
        fsm_met=None if fsm is None else fsm >= FSM_CRITERION,
        pipeline=pipeline,
        results_all=results_all,
        results_paid=results_paid,
        spreads=spreads(per_team, SIDE_BY_SIDE),
        targets=targets_section(unit, period, teams, targets, total, per_team),
        fidelity=fidelity_summary(unit, period),
    )
