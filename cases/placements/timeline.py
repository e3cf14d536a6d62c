"""Placements' entries on the citizen's timeline: a placement started, its work agreement
made, the placement ended, and each hours milestone reached. Registered with
``cases.citizens.timeline`` at start-up (``CasesConfig.ready``); each source is one query (the
placements two: their work agreements apart; the milestones two: the weekly hours and the
unit's thresholds)."""

from __future__ import annotations

from cases.citizens.models import Citizen
from cases.citizens.timeline import Entry
from cases.placements import hours
from cases.placements.models import Placement
from substitution import days


def placements(citizen: Citizen, fetch: int) -> list[Entry]:
    """Start, work agreement and end of the citizen's latest ``fetch`` placements."""
    today = days.today()
    # The work agreement in a query of its own: joined as a seventh table it made PostgreSQL
    # plan for 10-30 ms (the join order search grows steeply with the tables; 1-3 ms with six).
    rows = (
        Placement.objects.filter(citizen=citizen)
        .select_related("company", "type", "task", "end_reason", "created_by")
        .prefetch_related("agreement")[:fetch]
    )
    entries: list[Entry] = []
    for placement in rows:
        entries.append(Entry(days.start_of_day(placement.starts_on), "placement_start", placement))
        agreement = getattr(placement, "agreement", None)
        if agreement is not None:
            entries.append(Entry(days.start_of_day(agreement.agreed_on), "agreement", placement))
        if placement.ends_on is not None and (
            placement.ends_on <= today or placement.end_reason_id is not None
        ):
            entries.append(Entry(days.start_of_day(placement.ends_on), "placement_end", placement))
    return entries


def milestones(citizen: Citizen, fetch: int) -> list[Entry]:
    """The hours milestones the citizen has reached, on the day each was reached."""
    periods, first_days = hours.period_totals_and_first_days(citizen)
    if not periods:
        return []
    targets = hours.Targets.for_unit(citizen.unit_id, days.today())
    reached = [m for m in hours.milestones(periods, targets, first_days) if m.reached_on]
    return [
        Entry(days.start_of_day(m.reached_on), "milestone", m)
        for m in reached[:fetch]
        if m.reached_on is not None
    ]
