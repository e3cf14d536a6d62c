"""The monthly status (*Månedlig status*, docs/reports.md) for a jobcentre and a month: key
measures, 13-month trends, exits by reason, the FSM 40 % criterion, the company pipeline,
placements and ordinary hours, the results statement's summary and the teams side by side
with median and spread.

Every figure is a measure: the month's figures for every team and the jobcentre come from one
``measures.teams_and_total`` (the jobcentre pooled, never a mean of the teams), the trends from
``measures.compute`` per month. The median and spread across teams are statistics *of the
teams' figures* (FSM compares units by median and spread), not a second definition.

Two sections belong to other features and are joined here when those exist: the targets with
their recorded explanations and action plans (the dashboards feature) and the fidelity summary
(the fidelity feature). Until then ``targets_section`` and ``fidelity_section`` return None and
the PDF says so (see docs/reports.md).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count

from companies.models import Company, PipelineStatus
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
    targets: Any  # the dashboards feature's section, None until it exists
    fidelity: Any  # the fidelity feature's section, None until it exists

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


def targets_section(unit: Unit, period: Period) -> Any:
    """HOOK (dashboards feature): the targets with recorded explanations and action plans.
    Returns None until ``reporting.dashboards`` offers them; the PDF then says so."""
    return None


def fidelity_section(unit: Unit, period: Period) -> Any:
    """HOOK (fidelity feature): the fidelity summary. None until ``reporting.fidelity`` offers
    its scoring; the PDF then says so."""
    return None


def build(unit: Unit, period: Period, progress: Progress) -> MonthlyStatus:
    teams = list(Team.objects.filter(unit=unit).order_by("name"))
    base = Population(unit.pk)
    progress(5, "Månedens tal for teams og jobcentret")
    slugs = list(dict.fromkeys(KEY + EXITS + FSM + COMPANIES + PLACEMENTS + SIDE_BY_SIDE))
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
    results_all = results.statement(base, year, paid_only=False).summary
    results_paid = results.statement(base, year, paid_only=True).summary
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
        targets=targets_section(unit, period),
        fidelity=fidelity_section(unit, period),
    )
