"""Upload page for the CSV import of citizens (administrators). Format: docs/import.md."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.citizens import citizen_import as importer
from substitution.csv_reader import validate_upload_size
from substitution.models import Role

MAX_ERRORS_SHOWN = 500


class ImportForm(forms.Form):
    fil = forms.FileField(
        label=gettext_lazy("CSV-fil"),
        help_text=gettext_lazy(
            "UTF-8 eller Windows-1252, semikolon eller komma. Se kolonnerne nedenfor."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[validate_upload_size],
    )
    kun_kontrol = forms.BooleanField(
        label=gettext_lazy("Kontrollér kun filen (importér ikke)"), required=False
    )


def import_citizens(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_superuser or request.user.has_role(Role.ADMINISTRATOR)):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    plan = None
    if request.method == "POST" and form.is_valid():
        if request.user.unit is None:
            form.add_error(None, _("Din bruger er ikke knyttet til et jobcenter."))
        else:
            upload = form.cleaned_data["fil"]
            plan = importer.import_citizens(
                upload.read(),
                request.user.unit,
                by=request.user,
                request=request,
                dry_run=form.cleaned_data["kun_kontrol"],
                source=upload.name,
            )
    context = {
        "form": form,
        "plan": plan,
        "counts": plan.counts() if plan is not None else None,
        "errors": plan.errors[:MAX_ERRORS_SHOWN] if plan is not None else [],
        "dry_run": form.is_bound and form.is_valid() and form.cleaned_data["kun_kontrol"],
        "required_columns": importer.REQUIRED_COLUMNS,
        "optional_columns": importer.OPTIONAL_COLUMNS,
    }
    return render(request, "cases/citizens/import.html", context, status=200)
