"""The citizen's timeline: conversations, plan revisions, follow-ups and progression reviews
in date order, newest first, plus the entries the feature packages above citizens register
(``register_source``: sharing with a company from matching). A constant number of queries
whatever the history's length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


# The timeline's filter (issue 14): a group of entry kinds per choice, in the order shown.
GROUPS: dict[str, frozenset[str]] = {
    "samtaler": frozenset({"conversation"}),
    "plan": frozenset({"plan", "review"}),
    "opfoelgninger": frozenset({"followup"}),
    "forloeb": frozenset({"placement_start", "agreement", "placement_end", "milestone"}),
    "virksomheder": frozenset({"share"}),
    "sagssparring": frozenset({"case_review"}),
}


# Entries from the packages above citizens (docs/architecture.md), registered at start-up in
# CasesConfig.ready (and ReportingConfig.ready): each source returns at most ``fetch``
# entries for the citizen, in one query.
Source = Callable[[Citizen, int], list[Entry]]
SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def build(
    citizen: Citizen, day: dt.date | None = None, limit: int = LIMIT, group: str = ""
) -> list[Entry]:
    """The newest ``limit`` entries (one more when there are more, so callers can tell); only
    the kinds of ``group`` (``GROUPS``) when one is given."""
    day = day or days.today()
    fetch = limit + 1
    kinds = GROUPS.get(group)
    if kinds is not None:
        return [e for e in _all(citizen, day, fetch, kinds) if e.kind in kinds][:fetch]
    return _all(citizen, day, fetch, None)


def _all(citizen: Citizen, day: dt.date, fetch: int, kinds: frozenset[str] | None) -> list[Entry]:
    """Every kind's newest ``fetch`` entries, skipping the queries of kinds not in ``kinds``."""

    def wanted(kind: str) -> bool:
        return kinds is None or kind in kinds

    conversations = (
        list(
            Conversation.objects.filter(citizen=citizen).select_related(
                "kind", "channel", "author"
            )[:fetch]
        )
        if wanted("conversation")
        else []
    )
    _attach_revisions(conversations)
    revisions = PlanRevision.objects.filter(plan__citizen=citizen).select_related("by")[:fetch]
    follow_ups = (
        followups.annotate_overdue(
            list(queries.follow_ups_of(citizen).order_by("-due_on", "-pk")[:fetch]), day
        )
        if wanted("followup")
        else []
    )
    reviews = (
        ProgressReview.objects.filter(sub_goal__plan__citizen=citizen)
        .select_related("sub_goal", "by")
        .order_by("-reviewed_on", "-pk")[:fetch]
    )
    entries: list[Entry] = []
    if wanted("conversation"):
        entries += [Entry(c.occurred_at, "conversation", c) for c in conversations]
    if kinds is None or kinds - BUILT_IN:
        for source in SOURCES:
            entries += source(citizen, fetch)
    if wanted("plan"):
        entries += [Entry(r.at, "plan", r) for r in revisions]
    if wanted("followup"):
        entries += [Entry(days.start_of_day(f.due_on), "followup", f) for f in follow_ups]
    if wanted("review"):
        entries += [Entry(days.start_of_day(r.reviewed_on), "review", r) for r in reviews]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:fetch]


def _attach_revisions(conversations: list[Conversation]) -> None:
    """Each conversation's earlier versions, newest first, as ``revision_list``: one query
    for all of them (``prefetch_related`` cost three times the query's own Python here)."""
    if not conversations:
        return
    found: dict[int, list[ConversationRevision]] = {c.pk: [] for c in conversations}
    revisions = ConversationRevision.objects.filter(conversation_id__in=list(found))
    for revision in revisions.select_related("by"):
        found[revision.conversation_id].append(revision)
    for conversation in conversations:
        conversation.revision_list = found[conversation.pk]  # type: ignore[attr-defined]


# The kinds this module reads itself; the rest come from the registered sources.
BUILT_IN = frozenset({"conversation", "plan", "followup", "review"})
