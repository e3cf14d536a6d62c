"""Follow-ups on citizens: the rules. A conversation's agreed next step with a due date
becomes a follow-up (written by ``services``); overdue is derived from the due date."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from cases.citizens.models import Citizen, Conversation
from substitution import days
from substitution.models import FollowUp


def citizen_type() -> ContentType:
    return ContentType.objects.get_for_model(Citizen)


def agreed_next_step(conversation: Conversation) -> bool:
    """True when the conversation's next step has a due date, so it is followed up."""
    return bool(conversation.next_step and conversation.next_step_due)


def annotate_overdue(follow_ups: list[FollowUp], day: dt.date | None = None) -> list[FollowUp]:
    """Set ``overdue`` and ``due_today`` on each follow-up for the templates."""
    day = day or days.today()
    for item in follow_ups:
        item.overdue = item.is_overdue(day)  # type: ignore[attr-defined]
        item.due_today = item.done_at is None and item.due_on == day  # type: ignore[attr-defined]
    return follow_ups


def citizen_of(follow_up: FollowUp) -> Citizen | None:
    """The citizen a follow-up is about, or None for a company's or a placement's."""
    if follow_up.subject_type_id != citizen_type().pk:
        return None
    return Citizen.objects.filter(pk=follow_up.subject_id).first()
