"""Targets (måltal) in the Django admin, limited to the administrator's jobcentre like every
model admin (``substitution.admin.ScopedAdmin``). The page /styring/maaltal/ edits the same rows
for leders and administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from reporting.dashboards.models import Target
from substitution.admin import ScopedAdmin, in_own_unit, is_superuser, own_unit_id


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ("measure", "team", "value", "direction", "tolerance", "valid_from", "valid_to")
    list_filter = ("measure", ("team", admin.RelatedOnlyFieldListFilter))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Target]:
        return in_own_unit(request, super().get_queryset(request))

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The jobcentre is the administrator's own (set on save); only a superuser picks one.
        hidden = ("updated_at", "updated_by")
        return hidden if is_superuser(request) else (*hidden, "unit")

    def save_model(self, request: HttpRequest, obj: Target, form: ModelForm, change: bool) -> None:
        if not is_superuser(request):
            unit_id = own_unit_id(request)
            assert unit_id is not None
            obj.unit_id = unit_id
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
