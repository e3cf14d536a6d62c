"""Progression reviews of sub-goals (seed 002 L1163-1174): every ``review_interval_weeks``
(default 6) each open sub-goal is reviewed: achieved / moving / not moving / adjusted.

A sub-goal is due when its last review (or, never reviewed, its creation) is at least the
interval ago. One definition, in SQL, so "Min dag" lists due reviews in one query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import DateField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from cases.citizens import plans
from cases.citizens.models import (
    Citizen,
    Plan,
    ProgressReview,
    ReviewOutcome,
    SubGoal,
    SubGoalStatus,
)
from substitution import days, thresholds


def interval(unit: Any = None, day: dt.date | None = None) -> dt.timedelta:
    return dt.timedelta(weeks=thresholds.get_int("review_interval_weeks", unit, day))


def with_last_review(qs: QuerySet[SubGoal]) -> QuerySet[SubGoal]:
    """Annotate ``last_review_on``: the latest review date, or the creation date."""
    latest = (
        ProgressReview.objects.filter(sub_goal=OuterRef("pk"))
        .order_by("-reviewed_on", "-pk")
        .values("reviewed_on")[:1]
    )
    return qs.annotate(
        last_review_on=Coalesce(Subquery(latest, output_field=DateField()), "created_on")
    )


def due(qs: QuerySet[SubGoal], day: dt.date, every: dt.timedelta) -> QuerySet[SubGoal]:
    """Open sub-goals whose review is due on ``day``."""
    return with_last_review(qs.filter(status=SubGoalStatus.AABEN)).filter(
        last_review_on__lte=day - every
    )


def due_for_citizens(
    citizens: QuerySet[Citizen], day: dt.date | None = None, unit: Any = None
) -> QuerySet[SubGoal]:
    """Due sub-goals of ``citizens`` with their citizen, oldest first."""
    day = day or days.today()
    return (
        due(SubGoal.objects.filter(plan__citizen__in=citizens), day, interval(unit, day))
        .select_related("plan__citizen")
        .order_by("last_review_on", "pk")
    )


def next_due_on(sub_goal: SubGoal, every: dt.timedelta) -> dt.date:
    """The date the next review is due (needs ``last_review_on`` or prefetched reviews)."""
    last = getattr(sub_goal, "last_review_on", None)
    if last is None:
        reviews = list(sub_goal.reviews.all())
        last = reviews[-1].reviewed_on if reviews else sub_goal.created_on
    return last + every


@transaction.atomic
def record(
    plan: Plan,
    by: Any,
    entries: list[tuple[SubGoal, str, str]],
    day: dt.date | None = None,
) -> list[ProgressReview]:
    """Save one review per (sub-goal, outcome, note). An achieved sub-goal is closed, and the
    plan gets a revision when any sub-goal changed."""
    day = day or days.today()
    saved = []
    closed = False
    for sub_goal, outcome, note in entries:
        saved.append(
            ProgressReview.objects.create(
                sub_goal=sub_goal, reviewed_on=day, by=by, outcome=outcome, note=note[:300]
            )
        )
        if outcome == ReviewOutcome.OPNAAET and sub_goal.status == SubGoalStatus.AABEN:
            sub_goal.status = SubGoalStatus.OPNAAET
            sub_goal.closed_on = day
            sub_goal.save(update_fields=["status", "closed_on"])
            closed = True
    if closed:
        plans.save_revision(plan, by, gettext("Delmål opnået ved progressionsmåling"))
    return saved
