"""The citizen's timeline: conversations, plan revisions, follow-ups and progression reviews
in date order, newest first, plus the entries the feature packages above citizens register
(``register_source``: sharing with a company from matching). A constant number of queries
whatever the history's length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from cases.citizens import followups, queries
from cases.citizens.models import (
    Citizen,
    Conversation,
    ConversationRevision,
    PlanRevision,
    ProgressReview,
)
from substitution import days

# Entries shown at first, and at most on "show the whole timeline"; older history stays in
# the revision lists.
RECENT = 25
LIMIT = 200


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    # "conversation" | "plan" | "followup" | "review" | "share" (matching) | "placement_start" |
    # "agreement" | "placement_end" | "milestone" (placements) | "case_review" (a case review's
    # decision, reporting.dashboards)
    kind: str
    obj: Any

    @property
    def is_date_only(self) -> bool:
        return self.kind in DATE_ONLY


# Entries dated by a day, not a time of day.
DATE_ONLY = frozenset(
    {"followup", "review", "placement_start", "agreement", "placement_end", "milestone"}
)


# Entries from the packages above citizens (docs/architecture.md), registered at start-up in
# CasesConfig.ready (and ReportingConfig.ready): each source returns at most ``fetch``
# entries for the citizen, in one query.
Source = Callable[[Citizen, int], list[Entry]]
SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def build(citizen: Citizen, day: dt.date | None = None, limit: int = LIMIT) -> list[Entry]:
    """The newest ``limit`` entries (one more when there are more, so callers can tell)."""
    day = day or days.today()
    fetch = limit + 1
    conversations = (
        Conversation.objects.filter(citizen=citizen)
        .select_related("kind", "channel", "author")
        .prefetch_related(
            Prefetch("revisions", queryset=ConversationRevision.objects.select_related("by"))
        )[:fetch]
    )
    revisions = PlanRevision.objects.filter(plan__citizen=citizen).select_related("by")[:fetch]
    follow_ups = followups.annotate_overdue(
        list(queries.follow_ups_of(citizen).order_by("-due_on", "-pk")[:fetch]), day
    )
    reviews = (
        ProgressReview.objects.filter(sub_goal__plan__citizen=citizen)
        .select_related("sub_goal", "by")
        .order_by("-reviewed_on", "-pk")[:fetch]
    )
    entries = [Entry(c.occurred_at, "conversation", c) for c in conversations]
    for source in SOURCES:
        entries += source(citizen, fetch)
    entries += [Entry(r.at, "plan", r) for r in revisions]
    entries += [Entry(days.start_of_day(f.due_on), "followup", f) for f in follow_ups]
    entries += [Entry(days.start_of_day(r.reviewed_on), "review", r) for r in reviews]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:fetch]
