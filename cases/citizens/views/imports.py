"""Upload page for the CSV import of citizens (administrators). Format: docs/import.md."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases.citizens import citizen_import, services
from cases.citizens.forms import ImportForm
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest

MAX_ERRORS_SHOWN = 500


def import_citizens(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not citizen_import.may_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    plan = None
    if request.method == "POST" and form.is_valid():
        if request.user.unit is None:
            form.add_error(None, _("Din bruger er ikke knyttet til et jobcenter."))
        else:
            upload = form.cleaned_data["fil"]
            plan = services.import_citizens(
                upload.read(),
                request.user.unit,
                actor=request.user,
                context=AuditContext.of(request),
                dry_run=form.cleaned_data["kun_kontrol"],
                source=upload.name,
            )
    context = {
        "form": form,
        "plan": plan,
        "counts": plan.counts() if plan is not None else None,
        "errors": plan.errors[:MAX_ERRORS_SHOWN] if plan is not None else [],
        "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["kun_kontrol"],
        "required_columns": citizen_import.REQUIRED_COLUMNS,
        "optional_columns": citizen_import.OPTIONAL_COLUMNS,
    }
    return render(request, "cases/citizens/import.html", context, status=200)
