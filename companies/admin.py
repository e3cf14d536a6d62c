"""Admin for the companies code lists, companies and tasks, limited like the application to
``Company.objects.visible_to(user)`` and ``Task.objects.visible_to(user)`` (the user's
jobcentre; see ``substitution.admin``)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from companies.models import (
    Agreement,
    Company,
    CompanyQuerySet,
    ContactPerson,
    Industry,
    MappingSession,
    PlacementType,
    RequirementTag,
    TargetGroup,
    Task,
    TaskQuerySet,
)
from substitution.admin import CodeListAdmin, ScopedAdmin, ScopedInline

for model in (Industry, RequirementTag, TargetGroup, PlacementType):
    if not admin.site.is_registered(model):
        admin.site.register(model, CodeListAdmin)


class ContactPersonInline(ScopedInline):
    model = ContactPerson
    extra = 0


class AgreementInline(ScopedInline):
    model = Agreement
    extra = 0


@admin.register(Company)
class CompanyAdmin(ScopedAdmin):
    """Read-mostly: status and fixed contact change through the app (history is kept there)."""

    list_display = ("name", "cvr", "status", "fixed_contact", "unit")
    list_filter = ("status", ("unit", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "cvr")
    readonly_fields = ("status", "fixed_contact")
    inlines = [ContactPersonInline, AgreementInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Company]:
        return cast(CompanyQuerySet, super().get_queryset(request)).visible_to(request.user)


@admin.register(Task)
class TaskAdmin(ScopedAdmin):
    list_display = ("title", "company", "status", "hours_per_week")
    list_filter = ("status",)
    search_fields = ("title", "company__name")
    raw_id_fields = ("company", "session")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        return cast(TaskQuerySet, super().get_queryset(request)).visible_to(request.user)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "session":  # mapping sessions have no admin of their own
            companies = Company.objects.visible_to(request.user)
            kwargs["queryset"] = MappingSession.objects.filter(company__in=companies)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
