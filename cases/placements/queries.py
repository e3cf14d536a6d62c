"""What the placement pages read: querysets and annotations, every one through
``Placement.objects.visible_to(user)`` (or a citizen already fetched that way), so a page never
shows a placement of a citizen the user may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from cases.citizens.models import Citizen, visible_q
from cases.placements.hours import HoursPeriod, ordinary_hours, week_start
from cases.placements.models import (
    Placement,
    PlacementQuerySet,
    PlacementStatus,
    WeeklyHours,
    WorkAgreement,
    status_on,
)
from companies.models import Company
from substitution.models import User

# --- one placement -------------------------------------------------------------------------


def visible_placement(request: HttpRequest, pk: int) -> Placement:
    """The placement ``pk`` if the user may see its citizen, else 404."""
    qs = Placement.objects.visible_to(request.user).select_related(
        "citizen", "company", "task", "type", "end_reason"
    )
    return get_object_or_404(qs, pk=pk)


def agreement_of(placement: Placement) -> WorkAgreement | None:
    return (
        WorkAgreement.objects.filter(placement=placement)
        .select_related("company_mentor", "jobcentre_mentor")
        .first()
    )


def recent_hours(placement: Placement, weeks: int = 26) -> list[WeeklyHours]:
    """The newest ``weeks`` rows of the placement, each annotated with ``corrections`` (the
    newest revision's pk, None when the week was never corrected)."""
    return list(
        WeeklyHours.objects.filter(placement=placement)
        .annotate(corrections=Max("revisions__pk"))
        .order_by("-week_start")[:weeks]
    )


def total_hours(placement: Placement) -> Decimal:
    total = WeeklyHours.objects.filter(placement=placement).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


def week_row(placement: Placement, monday: dt.date) -> WeeklyHours | None:
    return WeeklyHours.objects.filter(
        placement=placement, week_start=monday, ends_on=monday + dt.timedelta(days=6)
    ).first()


# --- the citizen's panel -------------------------------------------------------------------


def citizen_placements(citizen: Citizen) -> list[Placement]:
    """All the citizen's placements, newest first, with what the panel shows."""
    return list(
        Placement.objects.filter(citizen=citizen)
        .select_related("company", "task", "type", "end_reason", "agreement")
        .order_by("-starts_on", "-pk")
    )


# --- Min dag -------------------------------------------------------------------------------


def my_alert_placements(user: User) -> PlacementQuerySet:
    """The placements Min dag's alerts look at: the user's caseload; a user without a caseload
    (a mentor) gets the placements whose agreement names them. (One plain join each: an OR
    across the two scans every placement on PostgreSQL.)"""
    if Citizen.objects.filter(jobformidler=user).exists():
        # One subquery for "visible and theirs" (the jobformidler's index, then the team): as
        # a join to the citizen plus a semi-join to the visible citizens, PostgreSQL read every
        # citizen of the team in each of the five alerts (4,950 at scale 33).
        caseload = Citizen.objects.visible_to(user).filter(jobformidler=user)
        return Placement.objects.filter(citizen__in=caseload)
    return Placement.objects.visible_to(user).filter(agreement__jobcentre_mentor=user)


# --- the hours grid ------------------------------------------------------------------------


def has_caseload(user: User) -> bool:
    return Citizen.objects.filter(jobformidler=user).exists()


def grid_placements(
    user: User, first: dt.date, last: dt.date, everyone: bool
) -> QuerySet[Placement]:
    """Paid placements counting as ordinary hours that overlap the weeks shown (the Monday
    ``first`` to the Sunday after ``last``), the user's caseload unless ``everyone``."""
    # Visibility as a condition on the joined citizen (the rows are sorted by its name).
    qs = (
        Placement.objects.filter(visible_q(user, "citizen__"))
        .counting_ordinary_hours()
        .filter(type__is_paid=True)
        .overlapping(first, last + dt.timedelta(days=6))
    )
    if not everyone:
        qs = qs.filter(citizen__jobformidler=user)
    # Only what the grid prints (``views.hours.grid_row_html``), not the citizens' and the
    # companies' other columns.
    return (
        qs.select_related("citizen", "company", "type")
        .only(
            "citizen",
            "company",
            "type",
            "starts_on",
            "ends_on",
            "citizen__first_name",
            "citizen__last_name",
            "company__name",
            "type__label",
        )
        .order_by("citizen__last_name", "citizen__first_name", "pk")
    )


def grid_values(
    placements: list[Placement], first: dt.date, last: dt.date
) -> dict[tuple[int, dt.date], Decimal]:
    """{(placement pk, Monday): hours} for the placements and weeks shown (one query). Only
    weekly rows: a longer pay period (a monthly payslip) is not one week's hours."""
    week = dt.timedelta(days=6)
    return {
        (placement_id, week_start): hours
        for placement_id, week_start, ends_on, hours in WeeklyHours.objects.filter(
            placement__in=[p.pk for p in placements], week_start__gte=first, week_start__lte=last
        ).values_list("placement_id", "week_start", "ends_on", "hours")
        if ends_on == week_start + week
    }


def citizens_hours_periods(
    citizen_ids: set[int], first: dt.date, last: dt.date
) -> dict[int, list[HoursPeriod]]:
    """{citizen: [(first day, last day, ordinary hours)]} over all their placements, for the pay
    periods that reach into ``first``..``last`` (one query): the hours grid's month totals,
    weekly rows and monthly payslips alike (``hours.monthly_totals``)."""
    rows = (
        ordinary_hours()
        .filter(placement__citizen_id__in=citizen_ids, week_start__lte=last, ends_on__gte=first)
        .values("placement__citizen_id", "week_start", "ends_on")
        .annotate(total=Sum("hours"))
    )
    periods: dict[int, list[HoursPeriod]] = {}
    for row in rows:
        periods.setdefault(row["placement__citizen_id"], []).append(
            (row["week_start"], row["ends_on"], row["total"])
        )
    return periods


# --- the company page's panel --------------------------------------------------------------

ROW_LIMIT = 50
# What the panel's rows print (``views.company_panels.rows_html``): not the citizens' and
# tasks' other columns.
PANEL_ROW_FIELDS = (
    "citizen",
    "task",
    "type",
    "starts_on",
    "ends_on",
    "start_confirmed_on",
    "citizen__first_name",
    "citizen__last_name",
    "task__title",
    "type__label",
    "type__counts_as_ordinary_hours",
)


@dataclass
class CompanyPanel:
    """The placements at a company: counts for the whole company (numbers only, never who),
    rows and ordinary hours only for the placements whose citizen the user may see."""

    rows: Sequence[Placement]
    total: int
    active: int
    visible_total: int
    visible_active: int
    ordinary_total: Decimal

    @property
    def hidden_total(self) -> int:
        return self.total - self.visible_total

    @property
    def hidden_active(self) -> int:
        return self.active - self.visible_active

    @property
    def more_rows(self) -> int:
        return max(0, self.visible_total - len(self.rows))


def company_panel(user: User, company: Company, day: dt.date) -> CompanyPanel:
    """A constant number of queries (four), whatever the number of placements and hours: the
    company's placements (dates and type flag only, by the company index), which of their
    citizens the user may see (by primary key), the rows shown, and the hours of the visible
    placements per placement. The counts and the ordinary total are added up from these in
    Python. Each row is annotated with ``total_hours``, ``recent_hours`` (the last four weeks)
    and ``last_week``.

    Nothing here reads the citizens of the user's teams as a list: with
    ``citizen__in=Citizen.objects.visible_to(user)`` every query hashed all of them (4,950 at
    ``--scale 33``), and inside the counts' ``FILTER`` PostgreSQL searched that list once per
    placement; joined instead, it hashed the jobcentre's 19,800 citizens
    (docs/performance.md)."""
    here = list(
        Placement.objects.filter(company=company).values_list(
            "pk",
            "citizen_id",
            "starts_on",
            "ends_on",
            "start_confirmed_on",
            "type__counts_as_ordinary_hours",
        )
    )
    seen_citizens = set(
        Citizen.objects.visible_to(user)
        .filter(pk__in={row[1] for row in here})
        .values_list("pk", flat=True)
        if here
        else ()
    )
    active = {
        row[0]
        for row in here
        if status_on(row[2], row[3], day, row[4] is not None) == PlacementStatus.AKTIV
    }
    visible = [row for row in here if row[1] in seen_citizens]
    visible.sort(key=lambda row: (row[2], row[0]), reverse=True)
    shown = [row[0] for row in visible[:ROW_LIMIT]]
    by_pk = Placement.objects.select_related("citizen", "task", "type").only(*PANEL_ROW_FIELDS)
    rows = sorted(
        by_pk.filter(pk__in=shown) if shown else [],
        key=lambda p: (p.starts_on, p.pk),
        reverse=True,
    )
    recent_from = week_start(day) - dt.timedelta(weeks=4)
    sums: dict[int, dict[str, Any]] = (
        {
            row["placement_id"]: dict(row)
            for row in WeeklyHours.objects.filter(placement__in=[row[0] for row in visible])
            .order_by()
            .values("placement_id")
            .annotate(
                total_hours=Sum("hours"),
                recent_hours=Sum("hours", filter=Q(week_start__gte=recent_from)),
                last_week=Max("week_start"),
            )
        }
        if visible
        else {}
    )
    for placement in rows:
        found = sums.get(placement.pk, {})
        placement.total_hours = found.get("total_hours")  # type: ignore[attr-defined]
        placement.recent_hours = found.get("recent_hours")  # type: ignore[attr-defined]
        placement.last_week = found.get("last_week")  # type: ignore[attr-defined]
    # Ordinary hours: the placements whose type counts them (``hours.ordinary_hours``).
    ordinary = sum(
        (sums[row[0]]["total_hours"] for row in visible if row[5] and row[0] in sums),
        Decimal(0),
    )
    return CompanyPanel(
        rows=rows,
        total=len(here),
        active=len(active),
        visible_total=len(visible),
        visible_active=sum(1 for row in visible if row[0] in active),
        ordinary_total=ordinary,
    )
