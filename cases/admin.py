"""Admin for the cases code lists and citizens.

Code lists use ``CodeListAdmin`` (retired with valid_to, never deleted). Citizens show the
CPR number masked in lists; opening, changing and deleting a citizen in the admin is
audit-logged like in the application. (Placements are added by the placements work.)
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from cases.cpr import mask
from cases.models import (
    Assignment,
    Barrier,
    BenefitType,
    Channel,
    Citizen,
    ConversationKind,
    ExitReason,
    PlacementEndReason,
    ReadinessCategory,
    VisitationGroup,
)
from substitution import audit
from substitution.admin import CodeListAdmin
from substitution.models import AuditAction

for code_list in (
    BenefitType,
    ReadinessCategory,
    VisitationGroup,
    ConversationKind,
    Channel,
    ExitReason,
    PlacementEndReason,
):
    admin.site.register(code_list, CodeListAdmin)


@admin.register(Barrier)
class BarrierAdmin(CodeListAdmin):
    list_display = (*CodeListAdmin.list_display, "is_health")
    filter_horizontal = ("excludes_requirements",)


class AssignmentInline(admin.TabularInline):
    """Read-only history: assignments are written by cases.assignments.assign only."""

    model = Assignment
    fk_name = "citizen"
    extra = 0
    fields = ("jobformidler", "started_on", "ended_on", "assigned_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    list_display = ("full_name", "masked_cpr", "team", "status", "jobformidler")
    list_filter = ("unit", "team", "status")
    search_fields = ("first_name", "last_name", "=cpr")
    readonly_fields = ("jobformidler",)
    filter_horizontal = ("barriers",)
    inlines = [AssignmentInline]

    @admin.display(description="CPR-nummer")
    def masked_cpr(self, obj: Citizen) -> str:
        return obj.masked_cpr

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET" and object_id.isdigit():
            citizen = Citizen.objects.filter(pk=int(object_id)).first()
            if citizen is not None:
                audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Citizen, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = audit.form_changes(form)
        if "cpr" in changes:  # never the full number in the log
            changes["cpr"] = [mask(str(v)) if v else v for v in changes["cpr"]]
        audit.record(
            request,
            AuditAction.CHANGE if change else AuditAction.CREATE,
            obj,
            citizen_id=obj.pk,
            changes=changes,
        )

    def delete_model(self, request: HttpRequest, obj: Citizen) -> None:
        audit.record(request, AuditAction.DELETE, obj, citizen_id=obj.pk)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for citizen in queryset:
            audit.record(request, AuditAction.DELETE, citizen, citizen_id=citizen.pk)
        super().delete_queryset(request, queryset)
