from django.contrib import admin

from companies.models import (
    Agreement,
    Company,
    ContactPerson,
    Industry,
    PlacementType,
    RequirementTag,
    TargetGroup,
    Task,
)
from substitution.admin import CodeListAdmin

for model in (Industry, RequirementTag, TargetGroup, PlacementType):
    if not admin.site.is_registered(model):
        admin.site.register(model, CodeListAdmin)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class AgreementInline(admin.TabularInline):
    model = Agreement
    extra = 0


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    """Read-mostly: status and fixed contact change through the app (history is kept there)."""

    list_display = ("name", "cvr", "status", "fixed_contact", "unit")
    list_filter = ("status", "unit")
    search_fields = ("name", "cvr")
    readonly_fields = ("status", "fixed_contact")
    inlines = [ContactPersonInline, AgreementInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "status", "hours_per_week")
    list_filter = ("status",)
    search_fields = ("title", "company__name")
    raw_id_fields = ("company", "session")
