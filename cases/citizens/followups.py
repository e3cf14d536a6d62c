"""Follow-ups on citizens: created from a conversation's agreed next step, marked done,
listed on the citizen page and on "Min dag". Overdue is derived from the due date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cases.citizens.models import Citizen, Conversation
from substitution import days
from substitution.models import FollowUp, FollowUpQuerySet


def citizen_type() -> ContentType:
    return ContentType.objects.get_for_model(Citizen)


def for_citizen(citizen: Citizen) -> QuerySet[FollowUp]:
    return FollowUp.objects.for_subject(citizen).select_related("owner")


def from_conversation(conversation: Conversation) -> FollowUp | None:
    """The agreed next step with a due date becomes a follow-up owned by the author."""
    if not (conversation.next_step and conversation.next_step_due):
        return None
    follow_up = FollowUp.objects.create(
        owner=conversation.author,
        due_on=conversation.next_step_due,
        title=conversation.next_step,
        subject=conversation.citizen,
        created_by=conversation.author,
    )
    conversation.follow_up = follow_up
    conversation.save(update_fields=["follow_up"])
    return follow_up


def sync_with_conversation(conversation: Conversation) -> FollowUp | None:
    """After a correction: the open follow-up follows the corrected next step and due date.

    A next step added by the correction creates the follow-up; one removed deletes the open
    follow-up it had created (it was logged in error). A follow-up already done is history
    and is left alone.
    """
    follow_up = conversation.follow_up
    wanted = bool(conversation.next_step and conversation.next_step_due)
    if follow_up is None:
        return from_conversation(conversation) if wanted else None
    if follow_up.done_at is not None:
        return follow_up
    if not wanted:
        conversation.follow_up = None
        conversation.save(update_fields=["follow_up"])
        follow_up.delete()
        return None
    if (follow_up.title, follow_up.due_on) != (conversation.next_step, conversation.next_step_due):
        follow_up.title = conversation.next_step[:300]
        follow_up.due_on = conversation.next_step_due
        follow_up.save(update_fields=["title", "due_on"])
    return follow_up


def visible_citizen_followups(user: Any) -> QuerySet[FollowUp]:
    """Follow-ups whose subject is a citizen the user may see (the access rule applies)."""
    visible = Citizen.objects.visible_to(user).values("pk")
    return FollowUp.objects.filter(subject_type=citizen_type(), subject_id__in=visible)


def mark_done(follow_up: FollowUp, now: dt.datetime | None = None) -> bool:
    """Mark done (idempotent). Returns False when it already was."""
    if follow_up.done_at is not None:
        return False
    follow_up.done_at = now or timezone.now()
    follow_up.save(update_fields=["done_at"])
    return True


def due_counts(follow_ups: FollowUpQuerySet, day: dt.date) -> tuple[int, int]:
    """(open follow-ups due by ``day``, of which overdue) in one aggregate query. Within the
    open ones due by ``day``, overdue (FollowUp.is_overdue) is those due before it."""
    counts = follow_ups.due_by(day).aggregate(
        due=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=day))
    )
    return counts["due"], counts["overdue"]


def annotate_overdue(follow_ups: list[FollowUp], day: dt.date | None = None) -> list[FollowUp]:
    """Set ``overdue`` and ``due_today`` on each follow-up for the templates."""
    day = day or days.today()
    for item in follow_ups:
        item.overdue = item.is_overdue(day)  # type: ignore[attr-defined]
        item.due_today = item.done_at is None and item.due_on == day  # type: ignore[attr-defined]
    return follow_ups
