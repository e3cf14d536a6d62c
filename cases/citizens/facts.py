"""Maintained facts of a citizen that lists sort by over a whole jobcentre.

``Citizen.last_held_conversation_at`` (the latest held conversation) and
``Citizen.next_follow_up_on`` (the due date of the earliest open follow-up on the citizen)
are copies of what the conversations and follow-ups say, kept so the caseload can sort
17,000 citizens by them with one column each instead of a subquery per citizen
(docs/performance.md). The rule is stated once, as the SQL below; ``refresh`` is the only
writer of the columns and the writers of their inputs call it (``cases.citizens.services``:
logging and correcting a conversation, its follow-up, marking a follow-up done; the demo
seeders after their bulk inserts). ``stale`` finds rows that disagree (``check_data``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from cases.citizens import followups
from cases.citizens.models import Citizen, Conversation, ConversationOutcome
from substitution.models import FollowUp


def last_held_conversation_at() -> Subquery:
    """When the latest held conversation with the citizen (``OuterRef("pk")``) took place."""
    return Subquery(
        Conversation.objects.filter(citizen=OuterRef("pk"), outcome=ConversationOutcome.AFHOLDT)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def next_follow_up_due() -> Subquery:
    """Due date of the earliest open follow-up on the citizen (``OuterRef("pk")``)."""
    return Subquery(
        FollowUp.objects.open()
        .filter(subject_type=followups.citizen_type(), subject_id=OuterRef("pk"))
        .order_by("due_on")
        .values("due_on")[:1]
    )


def refresh(citizens: QuerySet[Citizen] | Iterable[int] | None = None) -> int:
    """Bring the stored facts of these citizens (ids or a queryset; all when None) in line
    with their conversations and follow-ups: one UPDATE. Returns the number of rows."""
    if citizens is None:
        citizens = Citizen.objects.all()
    elif not isinstance(citizens, QuerySet):
        citizens = Citizen.objects.filter(pk__in=list(citizens))
    return citizens.update(
        last_held_conversation_at=last_held_conversation_at(),
        next_follow_up_on=next_follow_up_due(),
    )


def stale() -> QuerySet[Citizen]:
    """Citizens whose stored facts differ from what their conversations and follow-ups say."""
    live = Citizen.objects.annotate(
        live_held=last_held_conversation_at(), live_follow_up=next_follow_up_due()
    )
    held_differs = (
        Q(live_held__isnull=True, last_held_conversation_at__isnull=False)
        | Q(live_held__isnull=False, last_held_conversation_at__isnull=True)
        | ~Q(live_held=F("last_held_conversation_at"))
    )
    follow_up_differs = (
        Q(live_follow_up__isnull=True, next_follow_up_on__isnull=False)
        | Q(live_follow_up__isnull=False, next_follow_up_on__isnull=True)
        | ~Q(live_follow_up=F("next_follow_up_on"))
    )
    return live.filter(held_differs | follow_up_differs)
