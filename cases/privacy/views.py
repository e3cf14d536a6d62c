"""The right of access: everything stored about one citizen, as JSON or PDF, from the citizen
page. Any user who may see the citizen (``Citizen.objects.visible_to``) may make it; the full
CPR number only for a role that may reveal it. Each export is audit-logged as a read."""

from __future__ import annotations

import json

from django.http import HttpResponse

from cases.citizens.queries import visible_citizen
from cases.privacy import access
from substitution import audit
from substitution.http import AuthenticatedHttpRequest
from substitution.models import AuditAction
from substitution.pdf import render_pdf
from substitution.roles import Cap, can, require

FORMATS = ("json", "pdf")


def access_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    citizen = visible_citizen(request, pk)
    require(request.user, Cap.CITIZENS_VIEW)
    include_cpr = can(request.user, Cap.CPR_REVEAL)
    export = access.collect(citizen, request.user, include_cpr=include_cpr)
    audit.record(
        request,
        AuditAction.EXPORT,
        citizen,
        citizen_id=citizen.pk,
        object_repr=f"Indsigt ({fmt}): {citizen.full_name}",
        changes={"indsigt": fmt, "fuldt_cpr": include_cpr},
    )
    filename = f"indsigt-borger-{citizen.pk}-{export.generated_at:%Y%m%d}.{fmt}"
    if fmt == "json":
        body: bytes = json.dumps(export.as_json(), ensure_ascii=False, indent=2).encode()
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = render_pdf(
            "cases/privacy/access_pdf.html",
            {
                "export": export,
                "sections": [(s.title, s.display_rows()) for s in export.sections],
            },
        )
        response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
