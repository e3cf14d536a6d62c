"""Administrators edit fidelity models in the Django admin (docs/fidelity.md).

The shared models (no jobcentre) are read-only except for a superuser; a jobcentre's own are
its administrators'. A version that a round uses is locked (read-only here, refused by the
models): the action *Opret ny version* copies the latest version to edit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from reporting.fidelity import services
from reporting.fidelity.models import Element, FidelityModel, Item, ModelVersion, OverallBand
from substitution.admin import ScopedAdmin, ScopedInline, is_superuser, own_unit_id
from substitution.audit import AuditContext


def _unit_of(obj: Any) -> Any:
    if isinstance(obj, FidelityModel):
        return obj.unit_id, None
    if isinstance(obj, ModelVersion):
        return obj.model.unit_id, obj
    if isinstance(obj, Element):
        return obj.version.model.unit_id, obj.version
    return None, None


class _Editable:
    """Change rights: own jobcentre's models (any model for a superuser), unlocked versions."""

    def _may_change(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return True
        unit_id, version = _unit_of(obj)
        if not is_superuser(request) and unit_id is None:
            return False
        return not (version is not None and version.is_locked)


def _scoped(request: HttpRequest, queryset: QuerySet[Any], lookup: str) -> QuerySet[Any]:
    if is_superuser(request):
        return queryset
    return queryset.filter(Q(**{f"{lookup}__isnull": True}) | Q(**{lookup: own_unit_id(request)}))


class OverallBandInline(ScopedInline):
    model = OverallBand
    extra = 0


class ElementInline(ScopedInline):
    model = Element
    extra = 0
    show_change_link = True
    fields = ("position", "name", "weight")


class ItemInline(ScopedInline):
    model = Item
    extra = 0


@admin.register(FidelityModel)
class FidelityModelAdmin(_Editable, ScopedAdmin):
    list_display = ("name", "unit")
    actions = ["make_version"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FidelityModel]:
        return _scoped(request, super().get_queryset(request), "unit_id")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj) and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: FidelityModel, form: Any, change: bool) -> None:
        if not change and not is_superuser(request):
            obj.unit_id = own_unit_id(request)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Opret ny version (kopi af den seneste)"))
    def make_version(self, request: HttpRequest, queryset: QuerySet[FidelityModel]) -> None:
        for model in queryset:
            if not self._may_change(request, model):
                continue
            user = request.user
            services.new_version(
                model,
                actor=user if user.is_authenticated else None,
                context=AuditContext.of(request),
            )
        messages.success(request, _("Ny version oprettet."))


@admin.register(ModelVersion)
class ModelVersionAdmin(_Editable, ScopedAdmin):
    list_display = ("model", "number", "note", "created_at")
    inlines = [OverallBandInline, ElementInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModelVersion]:
        return _scoped(
            request, super().get_queryset(request).select_related("model"), "model__unit_id"
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj) and super().has_delete_permission(request, obj)


@admin.register(Element)
class ElementAdmin(_Editable, ScopedAdmin):
    list_display = ("name", "version", "position", "weight")
    inlines = [ItemInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Element]:
        return _scoped(
            request,
            super().get_queryset(request).select_related("version__model"),
            "version__model__unit_id",
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj) and super().has_delete_permission(request, obj)
