"""Demo targets (måltal), so the demo's team lead dashboard shows colours (``seed_demo``).

Jobcentre-wide targets from the published reference figures (docs/measures.md) and one team's
own, stricter target. Idempotent: a jobcentre that has targets is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reporting.dashboards.models import Direction, Target
from substitution import days
from substitution.demo import DemoContext

# (measure, target, direction, tolerance, note)
UNIT_TARGETS = [
    ("contact_cadence", 80, Direction.HOEJERE, 10, "Samtale hver 4.–6. uge (FSM)"),
    ("virksomhedsforloeb", 40, Direction.HOEJERE, 5, "FSM-kriteriet: mindst 40 %"),
    ("ordinary_hours", 22, Direction.HOEJERE, 4, "FSM, gruppe 1: 22 %"),
    ("praktik_without_hours", 38, Direction.LAVERE, 5, "Trin-for-trin, Bilag 1: 38 %"),
    ("placements_followed_up", 90, Direction.HOEJERE, 10, "Opfølgning hver 14. dag (FSM)"),
]
TEAM_TARGET = ("contact_cadence", 90, Direction.HOEJERE, 5, "Team Nords eget mål")


def seed(ctx: DemoContext) -> None:
    unit = ctx.data["unit"]
    if Target.objects.filter(unit=unit).exists():
        ctx.log("Måltal: findes allerede, springer over")
        return
    start = dt.date(days.today().year, 1, 1)
    rows = [
        Target(
            unit=unit,
            measure=slug,
            value=Decimal(value),
            direction=direction,
            tolerance=Decimal(tolerance),
            valid_from=start,
            note=note,
        )
        for slug, value, direction, tolerance, note in UNIT_TARGETS
    ]
    slug, value, direction, tolerance, note = TEAM_TARGET
    rows.append(
        Target(
            unit=unit,
            team=ctx.data["teams"][0],
            measure=slug,
            value=Decimal(value),
            direction=direction,
            tolerance=Decimal(tolerance),
            valid_from=start,
            note=note,
        )
    )
    Target.objects.bulk_create(rows)
    ctx.log(f"Måltal: {len(rows)}")
