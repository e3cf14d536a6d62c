"""The company's remembered history in one timeline, so a new consultant does not start over
(docs/domain.md, "The company side"): contacts, task maps, tasks, agreements, status changes,
fixed-contact periods and follow-ups, newest first.

One query per source whatever the length of the history (placements come from the
placements package's panel, because companies never import cases).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from companies.models import (
    Agreement,
    Company,
    CompanyContact,
    CompanyStatusChange,
    FixedContactPeriod,
    MappingSession,
    Task,
)
from substitution import days
from substitution.models import FollowUp

LIMIT = 200


@dataclass(frozen=True)
class Entry:
    on: dt.date
    kind: str  # contact | mapping | task | agreement | status | fixed_contact | followup
    obj: Any
    order: int = 0
    overdue: bool = False  # an open follow-up past its due date (derived, never stored)


def build(
    company: Company,
    day: dt.date | None = None,
    *,
    tasks: list[Task] | None = None,
    agreements: list[Agreement] | None = None,
) -> list[Entry]:
    """The timeline, newest first. ``tasks`` / ``agreements``: the company's, when the page
    has read them already (no second query for the same rows)."""
    day = day or days.today()
    contacts = CompanyContact.objects.filter(company=company).select_related(
        "staff", "contact_person"
    )[:LIMIT]
    sessions = (
        MappingSession.objects.filter(company=company)
        .select_related("created_by")
        .prefetch_related("participants")[:LIMIT]
    )
    if tasks is None:
        tasks = list(Task.objects.filter(company=company).order_by("-created_at", "-pk")[:LIMIT])
    else:
        tasks = sorted(tasks, key=lambda t: (t.created_at, t.pk), reverse=True)[:LIMIT]
    if agreements is None:
        agreements = list(Agreement.objects.filter(company=company)[:LIMIT])
    else:
        agreements = agreements[:LIMIT]
    # Newest first before the limit (both models order oldest first by default).
    statuses = (
        CompanyStatusChange.objects.filter(company=company)
        .select_related("changed_by")
        .order_by("-changed_on", "-pk")[:LIMIT]
    )
    periods = (
        FixedContactPeriod.objects.filter(company=company)
        .select_related("consultant")
        .order_by("-started_on", "-pk")[:LIMIT]
    )
    follow_ups = (
        FollowUp.objects.for_subject(company)
        .select_related("owner")
        .order_by("-due_on", "-pk")[:LIMIT]
    )
    entries = [Entry(c.occurred_on, "contact", c, c.pk) for c in contacts]
    entries += [Entry(s.held_on, "mapping", s, s.pk) for s in sessions]
    entries += [Entry(days.local_date(t.created_at), "task", t, t.pk) for t in tasks]
    entries += [Entry(a.signed_on, "agreement", a, a.pk) for a in agreements]
    entries += [Entry(s.changed_on, "status", s, s.pk) for s in statuses]
    entries += [Entry(p.started_on, "fixed_contact", p, p.pk) for p in periods]
    entries += [Entry(f.due_on, "followup", f, f.pk, f.is_overdue(day)) for f in follow_ups]
    entries.sort(key=lambda e: (e.on, e.order), reverse=True)
    return entries
