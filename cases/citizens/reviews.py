"""Progression reviews of sub-goals (progressionsmåling, docs/domain.md): every
``review_interval_weeks`` (default 6) each open sub-goal is reviewed: achieved / moving / not
moving / adjusted. Rules and queries only; ``services.record_reviews`` writes them.

A sub-goal is due when its last review (or, never reviewed, its creation) is at least the
interval ago. One definition, in SQL, so "Min dag" lists due reviews in one query.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from cases.citizens.models import Citizen, ProgressReview, SubGoal, SubGoalStatus
from substitution import days, thresholds
from substitution.models import Unit


def interval(unit: Unit | int | None = None, day: dt.date | None = None) -> dt.timedelta:
    return dt.timedelta(weeks=thresholds.get_int("review_interval_weeks", unit, day))


def last_review() -> Coalesce:
    """A sub-goal's latest review date, or its creation date, as an SQL expression."""
    latest = (
        ProgressReview.objects.filter(sub_goal=OuterRef("pk"))
        .order_by("-reviewed_on", "-pk")
        .values("reviewed_on")[:1]
    )
    return Coalesce(Subquery(latest, output_field=DateField()), "created_on")


def with_last_review(qs: QuerySet[SubGoal]) -> QuerySet[SubGoal]:
    """Annotate ``last_review_on`` (``last_review``)."""
    return qs.annotate(last_review_on=last_review())


def due_for_citizens(
    citizens: QuerySet[Citizen], day: dt.date | None = None, unit: Unit | int | None = None
) -> QuerySet[SubGoal]:
    """Open sub-goals of ``citizens`` whose review is due on ``day``, with their citizen,
    oldest first."""
    day = day or days.today()
    return (
        SubGoal.objects.filter(plan__citizen__in=citizens, status=SubGoalStatus.AABEN)
        .annotate(last_review_on=last_review())
        .filter(last_review_on__lte=day - interval(unit, day))
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
