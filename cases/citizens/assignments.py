"""The personal jobformidler: assignment with history, and continuity.

``assign`` is the only writer of ``Citizen.jobformidler`` and ``Assignment`` rows, so the
current jobformidler and the history cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from cases.citizens.models import Assignment, Citizen
from substitution import days
from substitution.models import User


@transaction.atomic
def assign(
    citizen: Citizen, jobformidler: User | None, by: User | None = None, on: dt.date | None = None
) -> bool:
    """Make ``jobformidler`` the citizen's personal jobformidler from ``on`` (default today).

    Closes the open assignment (ended the day before ``on``, or ``on`` itself when it started
    that day). Returns False when nothing changed.
    """
    on = on or days.today()
    if citizen.jobformidler_id == (jobformidler.pk if jobformidler else None):
        return False
    open_rows = Assignment.objects.select_for_update().filter(
        citizen=citizen, ended_on__isnull=True
    )
    for row in open_rows:
        row.ended_on = max(row.started_on, on - dt.timedelta(days=1))
        row.save(update_fields=["ended_on"])
    if jobformidler is not None:
        Assignment.objects.create(
            citizen=citizen, jobformidler=jobformidler, started_on=on, assigned_by=by
        )
    citizen.jobformidler = jobformidler
    citizen.save(update_fields=["jobformidler", "updated_at"])
    return True


def reassign_many(
    citizens: Iterable[Citizen], jobformidler: User, by: User | None, on: dt.date | None = None
) -> int:
    """Reassign several citizens at once (team lead). Returns how many changed."""
    return sum(1 for citizen in citizens if assign(citizen, jobformidler, by=by, on=on))


def changes_in_period(
    citizens: QuerySet[Citizen], start: dt.date, end: dt.date
) -> QuerySet[Citizen]:
    """Annotate ``jobformidler_changes``: assignments that started within [start, end] other
    than the citizen's first assignment. The first assignment is not a change; a new
    jobformidler is (also one that replaces the first on its first day, so the first row is
    identified by (started_on, pk), not by date). One definition of continuity (DOMAIN.md §5).
    """
    return citizens.annotate(
        jobformidler_changes=Count(
            "assignments",
            filter=Q(assignments__started_on__gte=start, assignments__started_on__lte=end)
            & ~Q(assignments__pk=_first_assignment_subquery()),
        )
    )


def _first_assignment_subquery() -> Subquery:
    return Subquery(
        Assignment.objects.filter(citizen=OuterRef("pk"))
        .order_by("started_on", "pk")
        .values("pk")[:1]
    )


def continuity(citizen: Citizen, start: dt.date, end: dt.date) -> int:
    """Number of jobformidler changes for one citizen in [start, end]."""
    row = changes_in_period(Citizen.objects.filter(pk=citizen.pk), start, end).get()
    return int(row.jobformidler_changes)
