"""The search from every page: the top bar's field lands here; typing on the page updates the
results in place (htmx). The citizens shown are one audit row, like the caseload list."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.citizens import search as global_search
from substitution.audit import record_list
from substitution.http import AuthenticatedHttpRequest
from substitution.roles import Cap, require


@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.CITIZENS_VIEW)
    results = global_search.search(request.user, request.GET.get("q", ""))
    if results.citizens:
        record_list(request, _("Søgning"), [c.pk for c in results.citizens], {"q": results.text})
    template = (
        "cases/citizens/search.html#results" if request.htmx else "cases/citizens/search.html"
    )
    return render(request, template, {"results": results})
