"""Maintained facts of a citizen that lists sort by over a whole jobcentre.

``Citizen.last_held_conversation_at`` (the latest conversation that counts for the contact
cadence, ``cadence_conversations``: held, of a kind and in a channel so flagged) and
``Citizen.next_follow_up_on`` (the due date of the earliest open follow-up on the citizen)
are copies of what the conversations and follow-ups say, kept so the caseload can sort
17,000 citizens by them with one column each instead of a subquery per citizen
(docs/performance.md). The rule is stated once, as the SQL below; ``refresh`` is the only
writer of the columns and the writers of their inputs call it (``cases.citizens.services``:
logging and correcting a conversation, its follow-up, marking a follow-up done; the demo
seeders after their bulk inserts). ``stale`` finds rows that disagree (``check_data``).

``Citizen.current_step`` is the step on today (``cases.citizens.steps.step_on``, the one rule;
any other day is computed with it), kept so the leder's and the teamleder's caseload can sort
and filter 17,000 citizens by trin with an index instead of the rule per citizen. The same
``refresh`` writes it; besides the writers above, the writers of its inputs call it: the
citizen's status (``services``: the record, the citizen import, the exits import), job goals
(added, ended), placements (``cases.placements.services``: start, confirm start, edit, end,
cancel, the placements import), and a change of the ``is_job`` / ``at_company`` flags in the
admin (every citizen). The step also moves with the calendar alone (a start date arrives, an
end date passes): ``refresh_dated_steps`` refreshes the citizens whose inputs have such a date
near today, run by the hourly ``cases.tasks.refresh_placement_statuses`` (docs/performance.md).
``stale_steps`` finds rows that disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from cases.citizens import followups, steps
from cases.citizens.models import Citizen, JobGoal, cadence_conversations
from substitution import days
from substitution.models import FollowUp

# How many days back the date pass looks for a date that moved a step: the hourly run needs
# only today's and yesterday's dates; the rest covers a worker that was down for days.
DATED_LOOKBACK_DAYS = 7


def last_held_conversation_at() -> Subquery:
    """When the latest conversation with the citizen (``OuterRef("pk")``) that counts for the
    contact cadence took place (``cadence_conversations``: the same rule as Min dag's list and
    the measures; a change of the code lists' flags refreshes every citizen, cases/admin.py)."""
    return Subquery(
        cadence_conversations()
        .filter(citizen=OuterRef("pk"))
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
    with their conversations, follow-ups, status, job goals and placements (the step on
    today): one UPDATE. Returns the number of rows."""
    if citizens is None:
        citizens = Citizen.objects.all()
    elif not isinstance(citizens, QuerySet):
        citizens = Citizen.objects.filter(pk__in=list(citizens))
    return citizens.update(
        last_held_conversation_at=last_held_conversation_at(),
        next_follow_up_on=next_follow_up_due(),
        current_step=steps.step_on(days.today()),
    )


def dated_step_inputs(day: dt.date) -> QuerySet[Citizen]:
    """Citizens whose step may have moved with the calendar alone up to ``day``: a placement
    started (``starts_on``) or ended (the day after ``ends_on``), a job goal began
    (``created_on``) or ended (``ended_on``) on one of the last ``DATED_LOOKBACK_DAYS`` days or
    today (``steps.step_on``'s dates; a superset: the unconfirmed ones are included)."""
    first = day - dt.timedelta(days=DATED_LOOKBACK_DAYS)
    placements = apps.get_model("cases", "Placement").objects
    moved = Q(starts_on__range=(first, day)) | Q(
        ends_on__range=(first - dt.timedelta(days=1), day - dt.timedelta(days=1))
    )
    goals = Q(created_on__range=(first, day)) | Q(ended_on__range=(first, day))
    return Citizen.objects.filter(
        Q(pk__in=placements.filter(moved).values("citizen_id"))
        | Q(pk__in=JobGoal.objects.filter(goals).values("citizen_id"))
    )


def refresh_dated_steps() -> int:
    """The date pass: refresh the citizens of ``dated_step_inputs`` on today (Copenhagen's
    date, ``days.today()``) whose stored step is not today's. Idempotent; run hourly with the
    placement statuses (``cases.tasks.refresh_placement_statuses``), so the column follows a
    new day within the hour. Returns the number of citizens refreshed."""
    day = days.today()
    changed = list(
        dated_step_inputs(day)
        .annotate(live_step=steps.step_on(day))
        .exclude(current_step=F("live_step"))
        .values_list("pk", flat=True)
    )
    return refresh(changed) if changed else 0


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


def stale_steps(day: dt.date | None = None) -> QuerySet[Citizen]:
    """Citizens whose stored step differs from ``steps.step_on`` on ``day`` (default today)."""
    live = Citizen.objects.annotate(live_step=steps.step_on(day or days.today()))
    return live.exclude(current_step=F("live_step"))
