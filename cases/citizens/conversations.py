"""Who may correct a conversation, and how. Rules only; the writers are
``services.log_conversation`` and ``services.correct_conversation``.

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
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from cases.citizens.models import Citizen, Conversation
from substitution import thresholds
from substitution.models import Role, Unit, User

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


def edit_window(unit: Unit | int | None = None) -> dt.timedelta:
    return dt.timedelta(hours=float(thresholds.get("conversation_edit_hours", unit)))


def corrector(user: User, citizen: Citizen) -> Callable[[Conversation], bool]:
    """The rule of who may correct a conversation with ``citizen``, for one user: the author,
    or a teamleder of the citizen's team. Asks the database once, however many conversations
    it is applied to (the citizen page's timeline)."""
    leads_team = user.has_role(Role.TEAMLEDER) and citizen.team_id in user.led_team_ids()

    def may(conversation: Conversation) -> bool:
        return conversation.author_id == user.pk or leads_team

    return may


def may_correct(conversation: Conversation, user: User) -> bool:
    """True when ``user`` may correct ``conversation`` (see ``corrector``)."""
    return corrector(user, conversation.citizen)(conversation)


def freely_editable(conversation: Conversation, user: User, now: dt.datetime | None = None) -> bool:
    """True while the author may correct without a reason (and no revision is kept)."""
    if conversation.author_id != user.pk:
        return False
    now = now or timezone.now()
    return now - conversation.created_at <= edit_window(conversation.citizen.unit_id)


def reason_required(conversation: Conversation, user: User) -> bool:
    """A correction by ``user`` needs a reason, and the earlier version is kept."""
    return not freely_editable(conversation, user)


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
