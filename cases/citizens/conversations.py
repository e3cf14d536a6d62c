"""Logging and correcting conversations.

The author corrects a conversation freely for ``conversation_edit_hours`` (default 24) after
logging it. After that a change needs a reason, and the earlier version is kept as a
ConversationRevision.

Who may change a conversation: its author, and a teamleder of the citizen's team (a team
lead corrects records in case reviews, e.g. when the author has left). A teamleder who is
not the author always gives a reason and the earlier version is always kept, inside the
window too, so nobody's record changes silently. Everyone else gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.citizens import followups
from cases.citizens.models import Conversation, ConversationRevision
from substitution import thresholds
from substitution.models import Role

SNAPSHOT_FIELDS = [
    "occurred_at",
    "kind",
    "channel",
    "job_focused",
    "outcome",
    "note",
    "next_step",
    "next_step_due",
]


def edit_window(unit: Any = None) -> dt.timedelta:
    return dt.timedelta(hours=float(thresholds.get("conversation_edit_hours", unit)))


def may_edit(conversation: Conversation, user: Any) -> bool:
    if conversation.author_id == user.pk:
        return True
    return user.has_role(Role.TEAMLEDER) and conversation.citizen.team_id in user.led_team_ids()


def freely_editable(conversation: Conversation, user: Any, now: dt.datetime | None = None) -> bool:
    """True while the author may correct without a reason (and no revision is kept)."""
    if conversation.author_id != user.pk:
        return False
    now = now or timezone.now()
    return now - conversation.created_at <= edit_window(conversation.citizen.unit_id)


def snapshot(conversation: Conversation) -> dict[str, Any]:
    """The conversation's fields as plain JSON (labels for the code lists)."""
    data: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(conversation, name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).isoformat(timespec="minutes")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = str(value)
        data[name] = value
    data["outcome_label"] = str(conversation.get_outcome_display())
    return data


@transaction.atomic
def log(conversation: Conversation) -> Conversation:
    """Save a new conversation; its next step with a due date becomes a follow-up."""
    conversation.save()
    followups.from_conversation(conversation)
    return conversation


@transaction.atomic
def correct(
    conversation: Conversation,
    before: dict[str, Any],
    by: Any,
    reason: str,
    keep_revision: bool,
) -> ConversationRevision | None:
    """Save the corrected conversation; keep ``before`` as a revision when required."""
    conversation.save()
    followups.sync_with_conversation(conversation)
    if not keep_revision:
        return None
    return ConversationRevision.objects.create(
        conversation=conversation, by=by, reason=reason[:300], snapshot=before
    )
