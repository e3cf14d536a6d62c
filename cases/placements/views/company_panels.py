"""The placements panel on the company page (registered in ``cases.apps`` through
``companies.panels``).

Companies are read by every staff member of the jobcentre, but the placements at a company
belong to citizens of many teams. The panel therefore shows:

* counts for the whole company (how many placements, how many running today) — numbers
  only, never who; so a virksomhedskonsulent knows the company's load even when the citizens
  belong to other teams;
* the rows, and the ordinary hours, of the placements whose citizen the user may see
  (``Placement.objects.visible_to``), labelled as such.

The queries are ``cases.placements.queries.company_panel``: a constant number, whatever the
number of placements and hours.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cases.placements import queries
from companies.models import Company
from substitution import days, links
from substitution.http import AuthenticatedHttpRequest


@require_GET
def company_placements(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.visible_to(request.user), pk=company_pk)
    panel = queries.company_panel(request.user, company, days.today())
    url = links.pk_url("cases:placement_detail")  # one reverse() for the rows
    for placement in panel.rows:
        placement.url = url(placement.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/placements/_company_panel.html",
        {
            "company": company,
            "placements": panel.rows,
            "total": panel.total,
            "active": panel.active,
            "visible_total": panel.visible_total,
            "visible_active": panel.visible_active,
            "hidden_total": panel.hidden_total,
            "hidden_active": panel.hidden_active,
            "more_rows": panel.more_rows,
            "ordinary_total": panel.ordinary_total,
        },
    )
