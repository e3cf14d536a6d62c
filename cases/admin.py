"""Admin for the cases code lists and citizens.

Code lists use ``CodeListAdmin`` (retired with valid_to, never deleted). Citizens show the
CPR number masked in lists; opening, changing and deleting a citizen in the admin is
audit-logged like in the application. Of the placements package only its code list
(``PlacementEndReason``) is here; placements, plans and conversations are edited in the
application, not in the admin.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.citizens import facts, queries
from cases.citizens.cpr import mask, validate_cpr
from cases.citizens.filters import is_cpr_query
from cases.citizens.forms import CprLookupForm
from cases.citizens.models import (
    Assignment,
    Barrier,
    BenefitType,
    Channel,
    Citizen,
    CitizenQuerySet,
    ConversationKind,
    ExitReason,
    ReadinessCategory,
    VisitationGroup,
)
from cases.citizens.services import sync_periods
from cases.placements.models import PlacementEndReason
from companies.models import PlacementType
from substitution import audit, days
from substitution.admin import CodeListAdmin, ScopedAdmin, ScopedInline
from substitution.forms import LimitedText, limit_code_fields
from substitution.models import AuditAction, User

for code_list in (
    BenefitType,
    ReadinessCategory,
    VisitationGroup,
    ExitReason,
):
    admin.site.register(code_list, CodeListAdmin)


class StepCodeListAdmin(CodeListAdmin):
    """Placement end reasons (``is_job``) and placement types (``at_company``): their flags
    decide trin 3 (``cases.citizens.steps``), so a change refreshes every citizen's
    maintained step (``cases.citizens.facts``)."""

    step_flags = ("is_job", "at_company")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if any(flag in form.changed_data for flag in self.step_flags):
            facts.refresh()


admin.site.register(PlacementEndReason, StepCodeListAdmin)
# The companies app registers its code lists first (INSTALLED_APPS order); the placement
# type's ``at_company`` flag is a rule of the step, so its admin is this one.
if admin.site.is_registered(PlacementType):
    admin.site.unregister(PlacementType)
admin.site.register(PlacementType, StepCodeListAdmin)


@admin.register(ConversationKind, Channel)
class CadenceCodeListAdmin(CodeListAdmin):
    """Conversation kinds and channels: their ``counts_for_cadence`` flag decides which
    conversations restart the contact-cadence clock, so a save refreshes every citizen's
    maintained latest contact (``cases.citizens.facts``)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "counts_for_cadence" in form.changed_data:
            facts.refresh()


@admin.register(Barrier)
class BarrierAdmin(CodeListAdmin):
    list_display = (*CodeListAdmin.list_display, "is_health")
    filter_horizontal = ("excludes_requirements",)


class AssignmentInline(ScopedInline):
    """Read-only history: assignments are written by cases.citizens.services.assign only."""

    model = Assignment
    fk_name = "citizen"
    extra = 0
    fields = ("jobformidler", "started_on", "ended_on", "assigned_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CitizenAdminForm(LimitedText, forms.ModelForm):
    """The CPR number is validated like in the application; retired code-list values cannot
    be chosen (a value already on the citizen stays selectable)."""

    class Meta:
        model = Citizen
        fields = "__all__"  # noqa: DJ007 - the admin passes its own field list

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_code_fields(self)
        if "opened_on" in self.fields:
            self.fields["opened_on"].required = False
        if "cpr" in self.fields:
            cpr = self.fields["cpr"]
            assert isinstance(cpr, forms.CharField)  # from the model's CharField
            cpr.max_length = 11
            cpr.validators = []
            cpr.widget.attrs.update({"maxlength": 11, "autocomplete": "off"})

    def clean_cpr(self) -> str:
        return validate_cpr(self.cleaned_data["cpr"])

    def clean_opened_on(self) -> dt.date:
        """Left empty: the case opens today."""
        value: dt.date | None = self.cleaned_data.get("opened_on")
        return value or days.today()


CPR_IN_URL_MESSAGE = _(
    "CPR-numre kan ikke søges i adresselinjen. Skriv CPR-nummeret i søgefeltet herunder (det "
    "sendes skjult), eller brug “Find borger på CPR-nummer” i borgerlisten i systemet."
)


@admin.register(Citizen)
class CitizenAdmin(ScopedAdmin):
    """The full CPR number is typed when a citizen is created and never shown afterwards:
    the change page shows it masked (the application's audited "Vis CPR" is the one place a
    full number is shown), and the admin's search never takes a CPR number (its search is a
    GET, so the number would be in the URL).

    The admin shows the citizens ``Citizen.objects.visible_to(user)`` gives, like the
    application; another jobcentre's citizen answers 404."""

    form = CitizenAdminForm
    list_display = ("full_name", "masked_cpr", "team", "status", "jobformidler")
    list_filter = (
        ("unit", admin.RelatedOnlyFieldListFilter),
        ("team", admin.RelatedOnlyFieldListFilter),
        "status",
    )
    search_fields = ("first_name", "last_name")
    readonly_fields = ("masked_cpr", "jobformidler", "created_at")
    filter_horizontal = ("barriers",)
    inlines = [AssignmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Citizen]:
        queryset = super().get_queryset(request)
        assert isinstance(queryset, CitizenQuerySet)  # Citizen's default manager
        return queryset.visible_to(request.user)

    @admin.display(description=_("CPR-nummer"))
    def masked_cpr(self, obj: Citizen) -> str:
        return obj.masked_cpr

    def get_exclude(self, request: HttpRequest, obj: Citizen | None = None) -> Any:
        return ("cpr",) if obj is not None else ()

    def get_readonly_fields(self, request: HttpRequest, obj: Citizen | None = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields if obj is not None else tuple(f for f in fields if f != "masked_cpr")

    def get_fields(self, request: HttpRequest, obj: Citizen | None = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is not None and "masked_cpr" in fields:  # where the CPR field would be
            fields.remove("masked_cpr")
            fields.insert(fields.index("first_name"), "masked_cpr")
        return fields

    def get_urls(self) -> list[URLPattern]:
        search = path(
            "soeg/", self.admin_site.admin_view(self.search_view), name="cases_citizen_search"
        )
        return [search, *super().get_urls()]

    def search_view(self, request: HttpRequest) -> HttpResponse:
        """The changelist's search box (POST, templates/admin/cases/citizen/search_form.html):
        a name goes on to the changelist's own search (``?q=name``); a CPR number is looked
        up exactly among the citizens the user may see, audit-logged like the application's
        "Find borger på CPR-nummer", and never put in a URL."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:cases_citizen_changelist")
        if request.method != "POST":
            return redirect(changelist)
        params = request.POST.copy()
        typed = params.pop(SEARCH_VAR, [""])[-1].strip()
        params.pop("csrfmiddlewaretoken", None)
        if not is_cpr_query(typed):
            if typed:
                params[SEARCH_VAR] = typed
            return redirect(f"{changelist}?{params.urlencode()}" if params else changelist)
        user = request.user
        assert isinstance(user, User)  # admin_view: a logged-in staff user
        form = CprLookupForm({"cpr": typed})
        found = queries.cpr_matches(user, form.cleaned_data["cpr"]) if form.is_valid() else []
        audit.record(
            request,
            AuditAction.SEARCH,
            None,
            citizen_id=found[0] if len(found) == 1 else None,
            object_repr=gettext("CPR-opslag i administrationen"),
            changes={"resultater": len(found)},
        )
        if len(found) == 1:
            return redirect("admin:cases_citizen_change", found[0])
        messages.error(
            request,
            " ".join(str(error) for error in form.errors.get("cpr") or [])
            or gettext("Ingen borger med dette CPR-nummer blandt de borgere, du har adgang til."),
        )
        return redirect(changelist)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        typed = request.GET.get(SEARCH_VAR, "")
        if is_cpr_query(typed) and any(c.isdigit() for c in typed):
            # A CPR number in the URL (an old bookmark, a hand-typed address): not searched,
            # and the page the user lands on no longer carries it.
            messages.error(request, CPR_IN_URL_MESSAGE)
            params = request.GET.copy()
            params.pop(SEARCH_VAR)
            url = reverse("admin:cases_citizen_changelist")
            return redirect(f"{url}?{params.urlencode()}" if params else url)
        return super().changelist_view(request, extra_context)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET" and object_id.isdigit():
            citizen = self.get_object(request, object_id)  # only a citizen the user may see
            if citizen is not None:
                audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Citizen, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        sync_periods(obj)  # the visitation and benefit history follow the record
        facts.refresh([obj.pk])  # the maintained facts: the status decides the step
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

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Citizen]) -> None:
        for citizen in queryset:
            audit.record(request, AuditAction.DELETE, citizen, citizen_id=citizen.pk)
        super().delete_queryset(request, queryset)
