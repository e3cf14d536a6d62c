"""The Django admin for the organisation, thresholds, follow-ups and the audit log.

Access in the admin follows the application's rule: a user who is not a superuser sees and
edits only their own jobcentre (``Unit``). Every model admin of our apps derives from
``ScopedAdmin`` (inlines from ``ScopedInline``):

- ``get_queryset`` is limited to the user's jobcentre (citizens, companies and tasks through
  their ``visible_to(user)`` query methods), so another jobcentre's object answers 404 on its
  change, delete, history and password pages, and is absent from lists, actions and filters;
- the choices of every foreign key and many-to-many field come from the related model's
  admin queryset, so a team, jobcentre or user of another jobcentre cannot be chosen (raw-id
  and select widgets alike, because the form validates against the same queryset);
- only superusers see superusers, and only superusers change staff accounts, staff and
  superuser flags, groups and permissions, or add and delete jobcentres.

See docs/security.md.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from substitution.forms import limit_text_field
from substitution.models import AuditEvent, FollowUp, Membership, Team, Threshold, Unit, User


def own_unit_id(request: HttpRequest) -> int | None:
    """The jobcentre of the requesting user (None: no jobcentre, so nothing in scope)."""
    return getattr(request.user, "unit_id", None)


def is_superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


def in_own_unit[M: models.Model](
    request: HttpRequest, queryset: QuerySet[M], lookup: str = "unit_id"
) -> QuerySet[M]:
    """``queryset`` limited to rows whose ``lookup`` is the user's jobcentre (everything for
    a superuser, nothing for a user without a jobcentre: ``filter(x=None)`` would match the
    rows without one)."""
    if is_superuser(request):
        return queryset
    unit_id = own_unit_id(request)
    if unit_id is None:
        return queryset.none()
    return queryset.filter(**{lookup: unit_id})


class ScopeMixin:
    """Shared by model admins and inlines: related choices come from the related model's
    (scoped) admin queryset."""

    admin_site: admin.AdminSite

    def formfield_for_dbfield(
        self, db_field: models.Field, request: HttpRequest, **kwargs: Any
    ) -> Any:
        # Free text in the admin has the application's limit and message (substitution.forms).
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None:
            limit_text_field(field)
        return field

    def get_field_queryset(
        self, db: str | None, db_field: models.Field, request: HttpRequest
    ) -> QuerySet[Any] | None:
        remote = db_field.remote_field.model  # type: ignore[union-attr]
        try:
            related_admin = self.admin_site.get_model_admin(remote)
        except NotRegistered:
            return super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        queryset: QuerySet[Any] = related_admin.get_queryset(request)
        if db is not None:
            queryset = queryset.using(db)
        ordering = related_admin.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


class ScopedAdmin(ScopeMixin, admin.ModelAdmin):
    """Base of every model admin of our apps: subclasses limit ``get_queryset`` to the
    user's jobcentre for non-superusers."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A user without a jobcentre has nothing in scope, so nothing to add to.
        if not is_superuser(request) and own_unit_id(request) is None:
            return False
        return super().has_add_permission(request)

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> NoReturn:
        # Django redirects to the admin index when the object is not in get_queryset; an
        # object of another jobcentre answers 404 instead, as it does in the application.
        raise Http404(_("Siden findes ikke."))


class ScopedInline(ScopeMixin, admin.StackedInline):
    """Stacked, not tabular: Django's tabular inline shows its fields under column headings
    without a label each, which a screen reader cannot name (axe-core 'label', 'select-name';
    docs/accessibility.md)."""


class CodeListAdmin(ScopedAdmin):
    """Admin for every code list: values are retired with valid_to, never deleted.

    Code lists are shared by every jobcentre (they have no jobcentre of their own)."""

    list_display: tuple[str, ...] = ("label", "code", "valid_from", "valid_to", "sort_order")
    list_filter = ("valid_to",)
    search_fields = ("label", "code")
    ordering = ("sort_order", "label")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(ScopedInline):
    model = Membership
    extra = 1


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    """A non-superuser sees (and may rename) only their own jobcentre."""

    list_display = ("name", "municipality_code")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        return in_own_unit(request, super().get_queryset(request), "pk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_superuser(request) and super().has_delete_permission(request, obj)


@admin.register(Team)
class TeamAdmin(ScopedAdmin):
    list_display = ("name", "unit")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter),)
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return in_own_unit(request, super().get_queryset(request))


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    """Staff of the user's own jobcentre. Superusers are invisible to everyone else, and only
    a superuser changes a staff account (other than one's own), staff and superuser status,
    groups or permissions: otherwise an administrator could take over a more privileged
    account by setting its password."""

    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (_("Jobcenter"), {"fields": ("unit",)}))
    list_display = ("username", "first_name", "last_name", "unit", "is_active")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter), "memberships__role", "is_active")
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        return in_own_unit(request, queryset).filter(is_superuser=False)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if is_superuser(request):
            return fields
        return (*fields, "is_staff", "is_superuser", "groups", "user_permissions")

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "unit" and not is_superuser(request):
            kwargs["required"] = True  # a user cannot be moved out of the jobcentre
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _is_other_staff(self, request: HttpRequest, obj: User | None) -> bool:
        return obj is not None and obj.is_staff and obj.pk != request.user.pk

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if not is_superuser(request) and self._is_other_staff(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if not is_superuser(request) and self._is_other_staff(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change and not is_superuser(request):
            obj.unit_id = own_unit_id(request)  # the add form has no jobcentre field
        super().save_model(request, obj, form, change)


@admin.register(Threshold)
class ThresholdAdmin(ScopedAdmin):
    """A non-superuser sees the shared defaults (read-only: they apply to every jobcentre)
    and changes only their own jobcentre's values."""

    list_display = ("key", "value", "unit", "valid_from", "note")
    list_filter = ("key", ("unit", admin.RelatedOnlyFieldListFilter))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Threshold]:
        queryset = super().get_queryset(request)
        if is_superuser(request) or own_unit_id(request) is None:
            return in_own_unit(request, queryset)
        return queryset.filter(Q(unit__isnull=True) | Q(unit_id=own_unit_id(request)))

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "unit" and not is_superuser(request):
            kwargs["required"] = True  # only a superuser sets a default for everyone
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.unit_id is None and not is_superuser(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.unit_id is None and not is_superuser(request):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = ("title", "owner", "due_on", "done_at")
    list_filter = ("done_at",)
    raw_id_fields = ("owner", "created_by")

    def get_queryset(self, request: HttpRequest) -> QuerySet[FollowUp]:
        return in_own_unit(request, super().get_queryset(request), "owner__unit_id")


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    """Read-only: the audit log is never changed or deleted. A non-superuser sees the events
    of their own jobcentre's staff, as in the application's audit-log page."""

    list_display = ("at", "user", "action", "object_repr", "citizen_id")
    list_filter = ("action",)
    search_fields = ("object_repr", "user__username")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        return in_own_unit(request, super().get_queryset(request), "user__unit_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The admin's own titles in Danish (Django's Danish catalogue keeps "Django administration").
admin.site.site_header = _("Substitution – administration")
admin.site.site_title = _("Substitution – administration")
admin.site.index_title = _("Administration")
