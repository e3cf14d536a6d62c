"""Upload page for the import of history (administrators): placements, benefit periods,
visitation periods and exits. Formats: docs/import.md, "Import of history"."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases.citizens import citizen_import
from cases.citizens.history_import import COLUMNS, KIND_LABELS, PLACEMENTS
from cases.placements import placement_import, services
from cases.placements.forms import HistoryImportForm
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest

MAX_ERRORS_SHOWN = 500


def history_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not citizen_import.may_import(request.user):
        raise PermissionDenied
    form = (
        HistoryImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else HistoryImportForm()
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        if request.user.unit is None:
            form.add_error(None, _("Din bruger er ikke knyttet til et jobcenter."))
        else:
            upload = form.cleaned_data["fil"]
            plan = services.import_history(
                form.cleaned_data["kind"],
                upload.read(),
                request.user.unit,
                actor=request.user,
                context=AuditContext.of(request),
                dry_run=form.cleaned_data["kun_kontrol"],
                source=upload.name,
            )
    formats = [
        (
            label,
            placement_import.REQUIRED if kind == PLACEMENTS else COLUMNS[kind][0],
            placement_import.OPTIONAL if kind == PLACEMENTS else COLUMNS[kind][1],
        )
        for kind, label in KIND_LABELS.items()
    ]
    context = {
        "form": form,
        "plan": plan,
        "kind_label": KIND_LABELS.get(plan.kind) if plan is not None else None,
        "counts": plan.counts() if plan is not None else None,
        "errors": plan.errors[:MAX_ERRORS_SHOWN] if plan is not None else [],
        "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["kun_kontrol"],
        "formats": formats,
    }
    return render(request, "cases/placements/history_import.html", context)
