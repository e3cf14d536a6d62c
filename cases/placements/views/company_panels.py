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

import datetime as dt
from collections.abc import Sequence

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from cases.placements import queries
from cases.placements.models import Placement, status_on
from companies.models import Company
from substitution import days, links
from substitution.http import AuthenticatedHttpRequest
from substitution.templatetags.numbers import hours


@require_GET
def company_placements(request: AuthenticatedHttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.visible_to(request.user), pk=company_pk)
    today = days.today()
    panel = queries.company_panel(request.user, company, today)
    return render(
        request,
        "cases/placements/_company_panel.html",
        {
            "company": company,
            "placements": panel.rows,
            "rows_html": rows_html(panel.rows, today),
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


def rows_html(placements: Sequence[Placement], today: dt.date) -> SafeString:
    """The table's rows, built in Python like the caseload's (50 rows of six cells through the
    template engine were most of the panel's Python; docs/performance.md): one ``reverse()``
    for the links, the status labels translated once. The same markup as the template had."""
    url = links.pk_url("cases:placement_detail")
    labels: dict[str, str] = {}
    rows = []
    for p in placements:
        status = status_on(p.starts_on, p.ends_on, today, p.start_confirmed_on is not None)
        if status not in labels:
            labels[status] = str(status.label)
        if p.type.counts_as_ordinary_hours:
            recent = hours(p.recent_hours or 0)  # type: ignore[attr-defined]
            total = hours(p.total_hours or 0)  # type: ignore[attr-defined]
        else:
            recent = total = "–"
        rows.append(
            format_html(
                '      <tr>\n        <td><a href="{}">{}</a></td>\n        <td>{}{}</td>\n'
                "        <td>{} –{}</td>\n        <td>{}</td>\n"
                '        <td class="num">{}</td>\n        <td class="num">{}</td>\n      </tr>\n',
                url(p.pk),
                p.citizen.full_name,
                p.type.label,
                format_html(" · {}", p.task.title) if p.task else "",
                f"{p.starts_on:%d.%m.%Y}",
                f" {p.ends_on:%d.%m.%Y}" if p.ends_on else "",
                labels[status],
                recent,
                total,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row went through format_html
