"""The weekly hours grid (one row per paid placement that counts as ordinary hours, one cell per
ISO week, each cell saved on change by htmx) and the CSV import page."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens.models import Citizen
from cases.placements import hours
from cases.placements.forms import HoursImportForm
from cases.placements.hours_import import import_hours
from cases.placements.models import HoursSource, Placement, WeeklyHours
from substitution import audit, days
from substitution.models import AuditAction
from substitution.roles import Cap, require

GRID_WEEKS = 8
PER_PAGE = 50


def _last_week(request: HttpRequest, today: dt.date) -> dt.date:
    """The newest week shown (``?uge=2026-W14``), default the current week."""
    try:
        return hours.parse_iso_week(request.GET.get("uge", ""))
    except ValueError:
        return hours.week_start(today)


def grid_placements(user: object, first: dt.date, last: dt.date, everyone: bool) -> object:
    """Paid placements counting as ordinary hours that overlap the weeks shown."""
    qs = (
        Placement.objects.visible_to(user)
        .filter(type__counts_as_ordinary_hours=True, type__is_paid=True)
        .filter(starts_on__lte=last + dt.timedelta(days=6))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
    )
    if not everyone:
        qs = qs.filter(citizen__jobformidler=user)
    return qs.select_related("citizen", "company", "type").order_by(
        "citizen__last_name", "citizen__first_name", "pk"
    )


def hours_grid(request: HttpRequest) -> HttpResponse:
    require(request.user, Cap.HOURS_CHANGE)
    today = days.today()
    last = _last_week(request, today)
    weeks = hours.weeks_ending(last, GRID_WEEKS)
    first = weeks[0]
    has_caseload = Citizen.objects.filter(jobformidler=request.user).exists()
    everyone = request.GET.get("alle") == "1" or not has_caseload
    page = Paginator(grid_placements(request.user, first, last, everyone), PER_PAGE).get_page(
        request.GET.get("side")
    )
    rows = list(page.object_list)
    values = {
        (row.placement_id, row.week_start): row.hours
        for row in WeeklyHours.objects.filter(
            placement__in=[p.pk for p in rows], week_start__gte=first, week_start__lte=last
        ).only("placement_id", "week_start", "hours")
    }
    grid = [
        {
            "placement": placement,
            "cells": [
                cell_context(placement, monday, values.get((placement.pk, monday)))
                for monday in weeks
            ],
        }
        for placement in rows
    ]
    return render(
        request,
        "cases/placements/hours/grid.html",
        {
            "grid": grid,
            "weeks": [(monday, hours.iso_week_label(monday)) for monday in weeks],
            "page": page,
            "everyone": everyone,
            "has_caseload": has_caseload,
            "previous": hours.iso_week_label(last - dt.timedelta(weeks=GRID_WEEKS)),
            "next": hours.iso_week_label(last + dt.timedelta(weeks=GRID_WEEKS))
            if last < hours.week_start(today)
            else None,
            "sources": HoursSource.choices,
        },
    )


def cell_context(
    placement: Placement,
    monday: dt.date,
    saved: object,
    *,
    typed: str | None = None,
    error: str = "",
    just_saved: bool = False,
) -> dict[str, object]:
    shown = hours.format_hours(saved) if saved is not None else ""  # type: ignore[arg-type]
    return {
        "placement": placement,
        "monday": monday,
        "week": hours.iso_week_label(monday),
        "in_range": hours.week_overlaps(placement, monday),
        "value": typed if typed is not None else shown,
        "previous": shown,
        "error": error,
        "saved": just_saved,
        "id": f"c{placement.pk}-{monday:%Y%m%d}",
    }


@require_POST
def hours_cell(request: HttpRequest) -> HttpResponse:
    """Save one cell. An existing value is replaced only if the form shows that value
    (``previous``): editing a shown number is the explicit correction; anything else is a
    second entry and is refused."""
    require(request.user, Cap.HOURS_CHANGE)
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("citizen", "type"),
        pk=request.POST.get("placement") or 0,
    )
    try:
        monday = hours.parse_iso_week(request.POST.get("week", ""))
    except ValueError:
        monday = hours.week_start(days.today())
    typed = request.POST.get("hours", "")
    previous = request.POST.get("previous", "").strip()
    source = request.POST.get("source") or HoursSource.VIRKSOMHED
    existing = WeeklyHours.objects.filter(placement=placement, week_start=monday).first()
    current = hours.format_hours(existing.hours) if existing else ""
    error = ""
    if existing is not None and previous != current:
        error = _(
            "Ugen er netop registreret af en anden med %(hours)s timer. "
            "Genindlæs siden for at rette."
        ) % {"hours": current}
    elif existing is not None and not typed.strip():
        error = _("Skriv antal timer (0 hvis borgeren ikke har arbejdet).")
    else:
        try:
            registration = hours.register_hours(
                placement,
                monday,
                typed,
                source=source,
                user=request.user,
                correction=existing is not None,
                reason=_("Rettet i timeoversigten"),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if registration.created or registration.corrected:
                audit.record(
                    request,
                    AuditAction.CREATE if registration.created else AuditAction.CHANGE,
                    registration.row,
                    citizen_id=placement.citizen_id,
                    changes={
                        "week": hours.iso_week_label(monday),
                        "hours": [
                            current or None,
                            hours.format_hours(registration.row.hours),
                        ],
                    },
                    object_repr=f"Timer {hours.iso_week_label(monday)}: {placement}",
                )
            context = cell_context(placement, monday, registration.row.hours, just_saved=True)
            return render(request, "cases/placements/hours/grid.html#cell", {"cell": context})
    context = cell_context(
        placement, monday, existing.hours if existing else None, typed=typed, error=error
    )
    if existing is not None:
        context["previous"] = current
    return render(request, "cases/placements/hours/grid.html#cell", {"cell": context}, status=200)


def hours_import(request: HttpRequest) -> HttpResponse:
    require(request.user, Cap.HOURS_CHANGE)
    form = HoursImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = import_hours(
            form.cleaned_data["file"].read(),
            unit_id=request.user.unit_id,
            user=request.user,
            citizens=Citizen.objects.visible_to(request.user),
        )
        if result.ok:
            audit.record(
                request,
                AuditAction.IMPORT,
                None,
                object_repr=f"Import af timer: {result.rows} rækker",
                changes={
                    "created": result.created,
                    "corrected": result.corrected,
                    "unchanged": result.unchanged,
                },
            )
    return render(request, "cases/placements/hours/import.html", {"form": form, "result": result})
