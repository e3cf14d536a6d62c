"""Continuity of the personal jobformidler: one definition of a jobformidler change, in SQL.

The assignment history itself is written by ``services.assign`` only, so the current
jobformidler and the history cannot disagree.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from cases.citizens.models import Assignment, Citizen
from cases.citizens.services import assign

# ``assign`` is re-exported for callers outside the package (tests of the access walk and the
# browser flows) that import it from here.
__all__ = ["assign", "changes_in_period", "continuity"]


def changes_in_period(
    citizens: QuerySet[Citizen], start: dt.date, end: dt.date
) -> QuerySet[Citizen]:
    """Annotate ``jobformidler_changes``: assignments that started within [start, end] other
    than the citizen's first assignment. The first assignment is not a change; a new
    jobformidler is (also one that replaces the first on its first day, so the first row is
    identified by (started_on, pk), not by date). One definition of continuity (the contact
    and continuity principle in docs/domain.md).
    """
    return citizens.annotate(jobformidler_changes=jobformidler_changes(start, end))


def jobformidler_changes(start: dt.date, end: dt.date) -> Count:
    """The number of a citizen's jobformidler changes in [start, end] (``changes_in_period``),
    as an SQL expression."""
    return Count(
        "assignments",
        filter=Q(assignments__started_on__gte=start, assignments__started_on__lte=end)
        & ~Q(assignments__pk=_first_assignment_subquery()),
    )


def _first_assignment_subquery() -> Subquery:
    return Subquery(
        Assignment.objects.filter(citizen=OuterRef("pk"))
        .order_by("started_on", "pk")
        .values("pk")[:1]
    )


def continuity(citizen: Citizen, start: dt.date, end: dt.date) -> int:
    """Number of jobformidler changes for one citizen in [start, end]."""
    rows = Citizen.objects.filter(pk=citizen.pk).annotate(changes=jobformidler_changes(start, end))
    return int(rows.values_list("changes", flat=True).get())
