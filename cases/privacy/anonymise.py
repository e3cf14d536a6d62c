"""Anonymisation of long-closed cases: which citizens are due, and what is removed.

A citizen is due when their case is closed (status *afsluttet*) and its closing day (the exit
date, else the day the status changed) lies more than ``anonymise_after_years`` years back
(a threshold: default 5, per jobcentre as data, ``substitution.thresholds``; at least 1).

``FIELDS`` lists, per model holding rows about the citizen, the fields that are blanked or
replaced: names, CPR, contact details, barriers and every free text (notes, plans, agreements,
follow-up titles, revision snapshots). What is kept is what the statistics need: dates,
statuses, codes (benefit, readiness, visitation, exit reason), placements, hours, team and
the staff involved. A test fails when a model gets a free-text field that is in neither
``FIELDS`` nor ``KEPT``.

The audit log is insert-only and not rewritten: its older rows may name the citizen until the
retention removes them (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from cases.citizens.models import (
    Citizen,
    CitizenStatus,
    Conversation,
    ConversationRevision,
    JobGoal,
    Plan,
    PlanRevision,
    ProgressReview,
    SubGoal,
)
from cases.matching.models import MatchProposal
from cases.placements.models import WeeklyHoursRevision, WorkAgreement
from substitution import days, thresholds
from substitution.models import Unit

ANONYMOUS_NAME = "Anonymiseret"
MIN_YEARS = 1

# model -> (path from the model to the citizen, {field: value it gets}).
FIELDS: dict[type[models.Model], tuple[str, dict[str, Any]]] = {
    Citizen: (
        "pk",
        {
            "first_name": ANONYMOUS_NAME,
            "last_name": "",
            "phone": "",
            "email": "",
            "address": "",
            "postal_code": "",
            "resources": "",
        },
    ),
    JobGoal: ("citizen", {"experience": ""}),
    Conversation: ("citizen", {"note": "", "next_step": ""}),
    ConversationRevision: ("conversation__citizen", {"reason": "", "snapshot": {}}),
    Plan: ("citizen", {"end_goal": ""}),
    PlanRevision: ("plan__citizen", {"summary": "", "snapshot": {}}),
    SubGoal: ("plan__citizen", {"title": "Delmål", "owner": ""}),
    ProgressReview: ("sub_goal__plan__citizen", {"note": ""}),
    MatchProposal: ("citizen", {"reasons": []}),
    WorkAgreement: (
        "placement__citizen",
        {"tasks": "", "working_hours": "", "sub_goals": "", "aids": "", "roles": ""},
    ),
    WeeklyHoursRevision: ("weekly_hours__placement__citizen", {"reason": ""}),
}


def register_fields(model: type[models.Model], path: str, values: dict[str, Any]) -> None:
    """A package above this one (reporting's case review decisions) adds its rows about a
    citizen at start-up, as it does to the access export (``cases.privacy.access.register``)."""
    FIELDS[model] = (path, values)


# Free-text fields deliberately kept, with the reason.
KEPT: dict[str, str] = {
    "cases.Citizen.cpr": "replaced by a number that cannot be a CPR number (see anonymise)",
    "cases.JobGoal.title": "a job title, needed for the statistics, not identifying alone",
    "cases.Consent.scope": "what a consent covered, a standard text",
    "cases.CandidateShare.fields": "the names of the fields shared, no values",
    "substitution.FollowUp.title": "replaced with a neutral title (see anonymise)",
    "substitution.AuditEvent.object_repr": "the audit log is insert-only; retention removes it",
    "substitution.AuditEvent.object_id": "an id",
    "substitution.AuditEvent.changes": "the audit log is insert-only; retention removes it",
}
FOLLOW_UP_TITLE = "Opfølgning"


@dataclass(frozen=True)
class Due:
    citizen_id: int
    unit: str
    closed_on: dt.date
    years: int


def years_for(unit: Unit, day: dt.date) -> int:
    return max(MIN_YEARS, thresholds.get_int("anonymise_after_years", unit, day))


def due(day: dt.date | None = None) -> list[Due]:
    """Citizens whose closed case is older than their jobcentre's limit and who are not yet
    anonymised, oldest first."""
    day = day or days.today()
    found: list[Due] = []
    for unit in Unit.objects.order_by("name"):
        years = years_for(unit, day)
        before = days.add_months(day, -12 * years)
        rows = (
            Citizen.objects.filter(
                unit=unit, status=CitizenStatus.AFSLUTTET, anonymised_on__isnull=True
            )
            .annotate(closed_on=Coalesce(F("exit_date"), F("status_changed_on")))
            .filter(Q(closed_on__lt=before))
            .order_by("closed_on", "pk")
            .values_list("pk", "closed_on")
        )
        found.extend(Due(pk, unit.name, closed_on, years) for pk, closed_on in rows)
    return found


def placeholder_cpr(citizen_id: int) -> str:
    """Ten digits unique per citizen whose day part is 00, so it is never a valid CPR number
    (the unique constraint per jobcentre still holds)."""
    return f"00{citizen_id:08d}"[-10:]


def report(items: list[Due], day: dt.date | None = None) -> str:
    """The dry-run report: how many citizens would be anonymised, per jobcentre, with their
    ids and closing days (no names: the report goes to logs and terminals)."""
    day = day or days.today()
    lines = [
        f"Anonymisering {day:%d.%m.%Y}: {len(items)} borger(e) med afsluttet sag over grænsen."
    ]
    units = sorted({item.unit for item in items})
    for unit in units:
        rows = [item for item in items if item.unit == unit]
        lines.append(f"{unit}: {len(rows)} (afsluttet for mere end {rows[0].years} år siden)")
        lines.extend(
            f"  borger {item.citizen_id}, afsluttet {item.closed_on:%d.%m.%Y}" for item in rows
        )
    return "\n".join(lines)
