"""Forms for placements, work agreements and the hours import (Danish labels and errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.citizens.history_import import KIND_LABELS
from cases.placements.hours import format_hours
from cases.placements.models import (
    CANCELLED_REASON,
    EDITABLE_FIELDS,
    OrdinaryHoursTerms,
    Placement,
    PlacementEndReason,
    WorkAgreement,
)
from cases.placements.rules import placement_errors
from companies.forms import ContactPersonForm
from companies.models import Company, ContactPerson, Task
from substitution.csv_reader import validate_upload_size
from substitution.forms import (
    DanishDecimalField,
    LimitedText,
    danish_choice_errors,
    danish_dates,
    date_field,
    limit_code_fields,
)
from substitution.models import Role, User
from substitution.versioning import VersionedForm
from substitution.widgets import use_combobox


def _choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class TaskSelect(forms.Select):
    """The task choice: each option carries the task's hours per week and first placement
    type, so choosing a task prefills the form (``data-prefill`` in static/js/app.js)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attrs["data-prefill"] = "task"

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        task = getattr(option["value"], "instance", None)
        if isinstance(task, Task):
            types = list(task.placement_types.all())
            option["attrs"]["data-hours"] = f"{task.hours_per_week.normalize():f}"
            if types:
                option["attrs"]["data-type"] = str(
                    min(types, key=lambda t: (t.sort_order, t.pk)).pk
                )
        return option


class PlacementForm(VersionedForm):
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
        fields = list(EDITABLE_FIELDS)
        labels = {
            "company": _("Virksomhed"),
            "task": _("Opgave (fra opgavekortlægning)"),
            "type": _("Forløbstype"),
            "starts_on": _("Startdato"),
            "ends_on": _("Planlagt slutdato"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "company").queryset = Company.objects.visible_to(user).order_by("name")
        # Only the chosen company's tasks (a jobcentre has thousands): the template reloads
        # this field with htmx when the company changes (cases:placement_task_field).
        company_id = self.company_id()
        _choice(self, "task").queryset = (
            Task.objects.visible_to(user)
            .filter(company_id=company_id)
            .prefetch_related("placement_types")
            .order_by("title")
            if company_id is not None
            else Task.objects.none()
        )
        self.fields["task"].required = False
        # Choosing a task fills in its hours and first placement type (static/js/app.js).
        self.fields["task"].widget = TaskSelect(choices=self.fields["task"].widget.choices)
        self.fields["company"].widget.attrs.update(
            {
                "hx-get": reverse("cases:placement_task_field"),
                "hx-trigger": "change",
                "hx-target": "#opgave-felt",
                "hx-swap": "outerHTML",
            }
        )
        # A jobcentre has hundreds of companies (4,950 at --scale 33): a searchable field that
        # renders the chosen company only, not an <option> per company on every form.
        use_combobox(self.fields["company"], "companies:company_choices", search_only=True)
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
        super().clean()
        data = self.cleaned_data
        errors = placement_errors(
            company=data.get("company"),
            task=data.get("task"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return data


class EndPlacementForm(LimitedText, forms.Form):
    ends_on = date_field(_("Slutdato"), required=True)
    end_reason = forms.ModelChoiceField(
        label=_("Ophørsårsag"), queryset=PlacementEndReason.objects.all()
    )

    def __init__(self, *args: Any, placement: Placement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.placement = placement
        danish_choice_errors(self)
        _choice(self, "end_reason").queryset = PlacementEndReason.objects.valid_on(
            placement.starts_on
        ).exclude(code=CANCELLED_REASON) | PlacementEndReason.objects.filter(
            pk=placement.end_reason_id or 0
        )

    def clean_ends_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["ends_on"]
        errors = placement_errors(starts_on=self.placement.starts_on, ends_on=value)
        if errors:
            raise forms.ValidationError(errors["ends_on"])
        return value


class StaffChoiceField(forms.ModelChoiceField):
    """A staff member by full name (username when no name is recorded)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class WorkAgreementForm(VersionedForm):
    class Meta:
        model = WorkAgreement
        field_classes = {"jobcentre_mentor": StaffChoiceField}
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
        self.placement = placement
        # Active people only, but the agreement's current mentors stay selectable, so editing
        # an agreement never silently drops a mentor who has since been deactivated.
        current_contact = self.instance.company_mentor_id or 0
        current_mentor = self.instance.jobcentre_mentor_id or 0
        _choice(self, "company_mentor").queryset = ContactPerson.objects.filter(
            Q(company_id=placement.company_id, active=True) | Q(pk=current_contact)
        )
        use_combobox(self.fields["jobcentre_mentor"], "staff_choices", "rolle=mentor")
        _choice(self, "jobcentre_mentor").queryset = (
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
        danish_dates(self)
        danish_choice_errors(self)

    def clean_follow_up_days(self) -> int:
        value = self.cleaned_data["follow_up_days"]
        if not 1 <= value <= 90:
            raise forms.ValidationError(_("Opfølgning skal ske mellem hver 1. og 90. dag."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        terms = data.get("ordinary_hours_terms")
        if terms == OrdinaryHoursTerms.PAA_SIGT and not data.get("ordinary_hours_target_date"):
            self.add_error(
                "ordinary_hours_target_date",
                _("Angiv en måldato, når ordinære timer aftales på sigt."),
            )
        if terms and terms != OrdinaryHoursTerms.FRA_START and paid_from_start(self.placement):
            # A placement in ordinary paid hours (ordinære løntimer / småjob, ordinær
            # ansættelse, IGU) is ordinary hours from its first day.
            self.add_error(
                "ordinary_hours_terms",
                _(
                    "%(type)s er ordinære timer fra start. Vælg »Ordinære timer fra start«, "
                    "eller ret forløbets type."
                )
                % {"type": self.placement.type.label},
            )
        if terms != OrdinaryHoursTerms.PAA_SIGT:
            data["ordinary_hours_target_date"] = None
        return data


def paid_from_start(placement: Placement) -> bool:
    """Whether the placement's hours are ordinary paid hours from its first day (its type
    counts as ordinary hours), so its work agreement can only say so."""
    return placement.type.counts_as_ordinary_hours


def draft_agreement(placement: Placement) -> WorkAgreement:
    """The unsaved agreement a placement's first agreement form starts from: the task's
    description (or title) and the planned hours."""
    task = placement.task
    return WorkAgreement(
        placement=placement,
        follow_up_days=14,
        ordinary_hours_terms=OrdinaryHoursTerms.FRA_START if paid_from_start(placement) else "",
        working_hours=gettext("%(hours)s timer pr. uge")
        % {"hours": format_hours(placement.planned_hours_per_week)},
        tasks=(task.description or task.title) if task is not None else "",
    )


class HoursImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Kolonner: cpr, cvr, uge (fx 2026-W14), dato, måned (fx 2026-03) eller fra og til, "
            "timer, løn, kilde."
        ),
        validators=[validate_upload_size],
    )


class HistoryImportForm(forms.Form):
    """The upload of a history file (placements, benefit or visitation periods, exits;
    formats: docs/import.md)."""

    kind = forms.ChoiceField(label=_("Filen indeholder"), choices=list(KIND_LABELS.items()))
    fil = forms.FileField(
        label=_("CSV-fil"),
        help_text=_("UTF-8 eller Windows-1252, semikolon eller komma. Se kolonnerne nedenfor."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[validate_upload_size],
    )
    kun_kontrol = forms.BooleanField(
        label=_("Kontrollér kun filen (importér ikke)"), required=False
    )


# The work agreement's "new contact person" (issue 14): the company mentor list can be empty,
# so the person is created from inside the agreement. Its inputs sit inside the agreement's
# form on the page but belong to their own form (the HTML ``form`` attribute), so saving the
# agreement never posts them and creating the person never posts the agreement.
NEW_CONTACT_FORM_ID = "ny-kontaktperson"


class AgreementContactForm(ContactPersonForm):
    prefix = "ny_kontakt"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = NEW_CONTACT_FORM_ID
        self.fields["name"].error_messages["required"] = _("Skriv kontaktpersonens navn.")
