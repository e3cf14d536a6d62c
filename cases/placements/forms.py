"""Forms for placements, work agreements and the hours import (Danish labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.placements.models import OrdinaryHoursTerms, Placement, PlacementEndReason, WorkAgreement
from companies.models import Company, ContactPerson, Task
from substitution.csv_reader import validate_upload_size
from substitution.forms import (
    DanishDecimalField,
    danish_choice_errors,
    danish_dates,
    date_field,
    limit_code_fields,
)
from substitution.models import Role, User


class PlacementForm(forms.ModelForm):
    planned_hours_per_week = DanishDecimalField(
        label=_("Planlagte timer pr. uge"),
        min_value=0,
        max_value=80,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "invalid": _("Skriv et tal, fx 7,5."),
            "max_value": _("Højst 80 timer pr. uge."),
            "min_value": _("Timer kan ikke være negative."),
        },
    )

    class Meta:
        model = Placement
        fields = ["company", "task", "type", "starts_on", "ends_on", "planned_hours_per_week"]
        labels = {
            "company": _("Virksomhed"),
            "task": _("Opgave (fra opgavekortlægning)"),
            "type": _("Forløbstype"),
            "starts_on": _("Startdato"),
            "ends_on": _("Planlagt slutdato"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.visible_to(user).order_by("name")
        # Only the chosen company's tasks (a jobcentre has thousands): the template reloads
        # this field with htmx when the company changes (cases:placement_task_field).
        self.fields["task"].queryset = (
            Task.objects.visible_to(user).filter(company_id=self.company_id()).order_by("title")
        )
        self.fields["task"].required = False
        self.fields["company"].widget.attrs.update(
            {
                "hx-get": reverse("cases:placement_task_field"),
                "hx-trigger": "change",
                "hx-target": "#opgave-felt",
                "hx-swap": "outerHTML",
            }
        )
        self.fields["ends_on"].required = False
        limit_code_fields(self)
        danish_dates(self)
        danish_choice_errors(self)

    def company_id(self) -> int | None:
        """The company chosen in the posted data, the initial data or the instance."""
        raw = self.data.get(self.add_prefix("company")) if self.is_bound else None
        raw = raw or self.initial.get("company") or self.instance.company_id
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        company, task = data.get("company"), data.get("task")
        if company and task and task.company_id != company.pk:
            self.add_error("task", _("Opgaven hører ikke til den valgte virksomhed."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Slutdatoen ligger før startdatoen."))
        return data


class EndPlacementForm(forms.Form):
    ends_on = date_field(_("Slutdato"), required=True)
    end_reason = forms.ModelChoiceField(
        label=_("Ophørsårsag"), queryset=PlacementEndReason.objects.all()
    )

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.placement = placement
        danish_choice_errors(self)
        self.fields["end_reason"].queryset = PlacementEndReason.objects.valid_on(
            placement.starts_on
        ) | PlacementEndReason.objects.filter(pk=placement.end_reason_id or 0)

    def clean_ends_on(self) -> Any:
        value = self.cleaned_data["ends_on"]
        if value < self.placement.starts_on:
            raise forms.ValidationError(_("Slutdatoen ligger før startdatoen."))
        return value


class WorkAgreementForm(forms.ModelForm):
    class Meta:
        model = WorkAgreement
        fields = [
            "tasks",
            "working_hours",
            "sub_goals",
            "ordinary_hours_terms",
            "ordinary_hours_target_date",
            "follow_up_days",
            "company_mentor",
            "jobcentre_mentor",
            "aids",
            "roles",
            "agreed_on",
        ]
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "sub_goals": forms.Textarea(attrs={"rows": 3}),
            "aids": forms.Textarea(attrs={"rows": 2}),
            "roles": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "ordinary_hours_target_date": _("Påkrævet når ordinære timer aftales på sigt."),
            "roles": _(
                "Fx: virksomheden oplærer, mentor følger op ugentligt, borgeren melder fravær."
            ),
        }

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Active people only, but the agreement's current mentors stay selectable, so editing
        # an agreement never silently drops a mentor who has since been deactivated.
        current_contact = self.instance.company_mentor_id or 0
        current_mentor = self.instance.jobcentre_mentor_id or 0
        self.fields["company_mentor"].queryset = ContactPerson.objects.filter(
            Q(company_id=placement.company_id, active=True) | Q(pk=current_contact)
        )
        self.fields["jobcentre_mentor"].queryset = (
            User.objects.filter(
                Q(
                    unit_id=placement.citizen.unit_id,
                    memberships__role=Role.MENTOR,
                    is_active=True,
                )
                | Q(pk=current_mentor)
            )
            .distinct()
            .order_by("first_name", "last_name")
        )
        self.fields["jobcentre_mentor"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )
        danish_dates(self)
        danish_choice_errors(self)

    def clean_follow_up_days(self) -> int:
        value = self.cleaned_data["follow_up_days"]
        if not 1 <= value <= 90:
            raise forms.ValidationError(_("Opfølgning skal ske mellem hver 1. og 90. dag."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        terms = data.get("ordinary_hours_terms")
        if terms == OrdinaryHoursTerms.LATER and not data.get("ordinary_hours_target_date"):
            self.add_error(
                "ordinary_hours_target_date",
                _("Angiv en måldato, når ordinære timer aftales på sigt."),
            )
        if terms != OrdinaryHoursTerms.LATER:
            data["ordinary_hours_target_date"] = None
        return data


class HoursImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_("Kolonner: cpr, cvr, uge (fx 2026-W14) eller dato, timer, løn, kilde."),
        validators=[validate_upload_size],
    )
