"""The caseload report (*Sagsstammerapport*, docs/reports.md) for one team: for each
jobformidler of the team a section with the caseload, the step distribution, the contact
cadence, overdue follow-ups, ordinary hours and the alerts, and the citizens of the caseload.

Every figure is a measure (``reporting.measures.compute``) of the staff member's population
(``Population.jobformidler_id``: the citizens assigned to them on the period's last day); the
step distribution counts the caseload measure's own rows (``drill_down``) by the derived step
(``cases.citizens.steps.step_on``), so it adds up to the caseload figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from cases.citizens.steps import CLOSED, STEP_LABELS, step_on
from cases.placements import alerts
from reporting.measures import BY_SLUG, Figure, Period, Population, compute, drill_down
from reporting.reports.params import Progress, short_name
from substitution.models import Membership, Role, Team, User

FIGURES = [
    "caseload",
    "contact_cadence",
    "days_since_contact_median",
    "overdue_follow_ups",
    "virksomhedsforloeb",
    "ordinary_hours",
    "ordinary_hours_per_week",
    "placements_followed_up",
]
ALERTS = [f"alert_{a.key}" for a in alerts.ALERTS]


@dataclass(frozen=True)
class StaffSection:
    staff: User
    figures: list[tuple[str, Figure]]  # (label, figure)
    alerts: list[tuple[str, Figure]]
    steps: list[tuple[str, int]]  # (step label, citizens)
    citizens: list[dict[str, Any]]


@dataclass(frozen=True)
class CaseloadReport:
    team: Team
    period: Period
    team_figures: list[tuple[str, Figure]]
    sections: list[StaffSection]


def labelled(figures: dict[str, Figure], slugs: list[str]) -> list[tuple[str, Figure]]:
    return [(BY_SLUG[s].label, figures[s]) for s in slugs]


def staff_of(team: Team) -> list[User]:
    ids = Membership.objects.filter(team=team, role=Role.JOBFORMIDLER).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk"))


def section(base: Population, staff: User, period: Period) -> StaffSection:
    population = Population(base.unit_id, base.team_ids, jobformidler_id=staff.pk)
    figures = compute(population, period, FIGURES + ALERTS)
    caseload = drill_down(population, period, "caseload").annotate(step=step_on(period.last))
    counts = dict(caseload.values_list("step").annotate(n=Count("pk")).values_list("step", "n"))
    steps = [(str(STEP_LABELS[s]), counts.get(s, 0)) for s in (1, 2, 3)]
    if counts.get(CLOSED):
        steps.append((str(STEP_LABELS[CLOSED]), counts[CLOSED]))
    citizens = [
        {
            "name": short_name(row["first_name"], row["last_name"]),
            "step": str(STEP_LABELS[row["step"]]),
            "last_contact": row["last_held_conversation_at"],
            "next_follow_up": row["next_follow_up_on"],
        }
        for row in caseload.order_by("last_name", "first_name", "pk").values(
            "first_name", "last_name", "step", "last_held_conversation_at", "next_follow_up_on"
        )
    ]
    return StaffSection(
        staff=staff,
        figures=labelled(figures, FIGURES),
        alerts=labelled(figures, ALERTS),
        steps=steps,
        citizens=citizens,
    )


def build(team: Team, period: Period, progress: Progress) -> CaseloadReport:
    base = Population(team.unit_id, (team.pk,))
    progress(5, "Teamets nøgletal")
    team_figures = labelled(compute(base, period, FIGURES + ALERTS), FIGURES + ALERTS)
    staff = staff_of(team)
    sections = []
    for index, member in enumerate(staff):
        progress(10 + int(80 * index / max(len(staff), 1)), f"Sagsstamme: {member}")
        sections.append(section(base, member, period))
    return CaseloadReport(team, period, team_figures, sections)
