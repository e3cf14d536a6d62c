from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from substitution.models import AuditEvent, FollowUp, Membership, Team, Threshold, Unit, User


class CodeListAdmin(admin.ModelAdmin):
    """Admin for every code list: values are retired with valid_to, never deleted."""

    list_display = ("label", "code", "valid_from", "valid_to", "sort_order")
    list_filter = ("valid_to",)
    search_fields = ("label", "code")
    ordering = ("sort_order", "label")

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality_code")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    list_filter = ("unit",)
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Jobcenter"), {"fields": ("unit",)}))
    list_display = ("username", "first_name", "last_name", "unit", "is_active")
    list_filter = ("unit", "memberships__role", "is_active")
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        """Only superusers grant superuser status or Django permissions."""
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, "is_superuser", "groups", "user_permissions")


@admin.register(Threshold)
class ThresholdAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "unit", "valid_from", "note")
    list_filter = ("key", "unit")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "due_on", "done_at")
    list_filter = ("done_at",)
    raw_id_fields = ("owner", "created_by")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never changed or deleted."""

    list_display = ("at", "user", "action", "object_repr", "citizen_id")
    list_filter = ("action",)
    search_fields = ("object_repr", "user__username")

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
