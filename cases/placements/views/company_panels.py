"""The placements panel on the company page (registered in ``cases.apps`` through
``companies.panels``).

Companies are read by every staff member of the jobcentre, but the placements at a company
belong to citizens of many teams. The panel therefore shows:

* counts for the whole company (how many placements, how many running today) — numbers
  only, never who; so a virksomhedskonsulent knows the company's load even when the citizens
  belong to other teams;
* the rows, and the ordinary hours, of the placements whose citizen the user may see
  (``Placement.objects.visible_to``), labelled as such.

A constant number of queries, whatever the number of placements and hours.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cases.placements import hours
from cases.placements import services as placements
from cases.placements.models import Placement, WeeklyHours
from companies.models import Company
from substitution import days

ROW_LIMIT = 50


@require_GET
def company_placements(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.visible_to(request.user), pk=company_pk)
    today = days.today()
    here = Placement.objects.filter(company=company)
    visible = Placement.objects.visible_to(request.user).filter(company=company)
    total = here.count()
    active = here.active_on(today).count()
    visible_total = visible.count()
    visible_active = visible.active_on(today).count()
    recent_from = hours.week_start(today) - dt.timedelta(weeks=4)
    rows = list(
        visible.select_related("citizen", "task", "type")
        .annotate(
            total_hours=Sum("hours__hours"),
            recent_hours=Sum("hours__hours", filter=Q(hours__week_start__gte=recent_from)),
            last_week=Max("hours__week_start"),
        )
        .order_by("-starts_on", "-pk")[:ROW_LIMIT]
    )
    for placement in rows:
        placement.current_status = placements.status_label(placement, today)  # type: ignore[attr-defined]
    ordinary_total = WeeklyHours.objects.filter(
        placement__in=visible, placement__type__counts_as_ordinary_hours=True
    ).aggregate(total=Sum("hours"))["total"]
    return render(
        request,
        "cases/placements/_company_panel.html",
        {
            "company": company,
            "placements": rows,
            "total": total,
            "active": active,
            "visible_total": visible_total,
            "visible_active": visible_active,
            "hidden_total": total - visible_total,
            "hidden_active": active - visible_active,
            "more_rows": max(0, visible_total - len(rows)),
            "ordinary_total": ordinary_total or 0,
        },
    )
