"""Forms for companies, contacts, agreements and task maps. Danish messages beside the field;
an invalid form is re-rendered with everything the user typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from companies.models import (
    Agreement,
    Company,
    CompanyContact,
    ContactPerson,
    MappingSession,
    PipelineStatus,
    Task,
)
from substitution import days
from substitution.forms import (
    DanishDecimalField,
    LimitedText,
    danish_choice_errors,
    danish_dates,
    limit_code_fields,
    read_in_one_select,
)
from substitution.models import Role, User
from substitution.versioning import VersionedForm
from substitution.widgets import use_combobox


def _model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's model-choice field ``name`` (typed, to set its queryset or widget)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def clean_cvr(value: str) -> str:
    """A valid Danish CVR number (8 digits, modulus 11), compacted; Danish errors."""
    try:
        return str(stdnum_cvr.validate(value))
    except InvalidLength as exc:
        raise ValidationError(_("Et CVR-nummer har 8 cifre."), code="length") from exc
    except InvalidFormat as exc:
        raise ValidationError(
            _("Et CVR-nummer består kun af cifre og kan ikke starte med 0."), code="format"
        ) from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            _("CVR-nummeret er ikke gyldigt (kontrolcifferet passer ikke). Tjek tallene."),
            code="checksum",
        ) from exc


def not_in_future(day: dt.date) -> dt.date:
    if day > days.today():
        raise ValidationError(_("Datoen kan ikke ligge i fremtiden."), code="future")
    return day


# Staff in choice lists: by name.
BY_NAME = ("first_name", "last_name", "username")


def active_staff_in(unit_id: int | None) -> QuerySet[User]:
    """Active staff members of the jobcentre ``unit_id``."""
    staff = User.objects.filter(is_active=True)
    if unit_id is None:
        return staff.filter(unit__isnull=True)
    return staff.filter(unit_id=unit_id)


def consultants_in(unit_id: int | None) -> QuerySet[User]:
    """The jobcentre's virksomhedskonsulenter: who may be a company's fixed contact."""
    return (
        active_staff_in(unit_id)
        .filter(memberships__role=Role.VIRKSOMHEDSKONSULENT)
        .distinct()
        .order_by(*BY_NAME)
    )


class CompanyForm(VersionedForm):
    # Wider than the stored 8/10 digits so "1358 5628" can be typed; cleaned to digits.
    cvr = forms.CharField(label=_("CVR-nummer"), max_length=20)
    p_number = forms.CharField(label=_("P-nummer"), max_length=20, required=False)
    fixed_contact_choice = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Fast kontaktperson (virksomhedskonsulent)"),
        help_text=_("Virksomhedens ene indgang til jobcentret."),
    )

    class Meta:
        model = Company
        fields = [
            "cvr",
            "p_number",
            "name",
            "address",
            "postal_code",
            "city",
            "industry",
            "size_band",
            "target_groups",
            "wants_preselected",
            "wants_cvs",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, unit_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_id = unit_id if unit_id is not None else self.instance.unit_id
        consultants = consultants_in(self.unit_id)
        if self.instance.pk and self.instance.fixed_contact_id:
            # The current fixed contact stays selectable even if no longer a consultant, so
            # saving another field never drops the company's one contact silently.
            consultants = User.objects.filter(
                Q(pk__in=consultants.values("pk")) | Q(pk=self.instance.fixed_contact_id)
            ).order_by(*BY_NAME)
        fixed_contact = _model_choice(self, "fixed_contact_choice")
        fixed_contact.queryset = consultants
        if self.instance.pk:
            fixed_contact.initial = self.instance.fixed_contact_id
        self.fields["cvr"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["postal_code"].widget.attrs.update({"inputmode": "numeric"})
        limit_code_fields(self)
        danish_choice_errors(self)

    def clean_cvr(self) -> str:
        return clean_cvr(self.cleaned_data["cvr"])

    def clean_p_number(self) -> str:
        value = "".join(self.cleaned_data.get("p_number", "").split())
        if value and (not value.isdigit() or len(value) != 10):
            raise ValidationError(_("Et P-nummer har 10 cifre."))
        return value

    def clean_postal_code(self) -> str:
        value = self.cleaned_data.get("postal_code", "").strip()
        if value and (not value.isdigit() or len(value) != 4):
            raise ValidationError(_("Et postnummer har 4 cifre."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cvr, p_number = data.get("cvr"), data.get("p_number", "")
        if cvr and self.unit_id is not None:
            clash = Company.objects.filter(unit_id=self.unit_id, cvr=cvr, p_number=p_number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("cvr", _("Virksomheden findes allerede med dette CVR- og P-nummer."))
        return data


class StatusForm(LimitedText, forms.Form):
    status = forms.ChoiceField(label=_("Ny status"), choices=PipelineStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        danish_choice_errors(self)


class ContactPersonForm(LimitedText, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "phone", "email"]


class ContactPersonEditForm(ContactPersonForm):
    """Editing also (de)activates: an inactive person stays in the history but is no longer
    offered in choice lists (the contact log, a work agreement's company mentor)."""

    class Meta(ContactPersonForm.Meta):
        fields = [*ContactPersonForm.Meta.fields, "active"]
        labels = {"active": _("Aktiv kontaktperson")}
        help_texts = {
            "active": _(
                "Fjern fluebenet, når personen ikke længere er kontakt for virksomheden. "
                "Historikken bevares."
            )
        }


class CompanyContactForm(LimitedText, forms.ModelForm):
    class Meta:
        model = CompanyContact
        fields = [
            "occurred_on",
            "channel",
            "purpose",
            "contact_person",
            "outcome",
            "next_step",
            "next_step_due",
        ]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "contact_person").queryset = ContactPerson.objects.filter(
            company=company, active=True
        )
        # One plain SELECT on each rendering, not a server-side cursor (DECLARE, FETCH, CLOSE).
        read_in_one_select(self.fields["contact_person"])
        danish_dates(self)
        danish_choice_errors(self)

    def clean_occurred_on(self) -> dt.date:
        return not_in_future(self.cleaned_data["occurred_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_step") and not data.get("next_step_due"):
            self.add_error("next_step_due", _("Angiv en frist for næste skridt."))
        if data.get("next_step_due") and not data.get("next_step"):
            self.add_error("next_step", _("Skriv hvad næste skridt er."))
        occurred, due = data.get("occurred_on"), data.get("next_step_due")
        if occurred and due and due < occurred:
            self.add_error("next_step_due", _("Fristen kan ikke ligge før kontakten."))
        return data


class AgreementForm(LimitedText, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "signed_on",
            "ends_on",
            "scope",
            "target_placements_per_year",
            "target_paid_jobs_per_year",
        ]
        widgets = {"scope": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        danish_dates(self)
        for name in ("target_placements_per_year", "target_paid_jobs_per_year"):
            field = self.fields[name]
            field.widget.attrs.update({"inputmode": "numeric"})
            field.error_messages.update(
                {
                    "invalid": _("Skriv et helt tal, fx 4."),
                    "min_value": _("Målet kan ikke være negativt."),
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # An agreement cannot end before it was signed (stated once, for both forms).
        signed = data.get("signed_on") if "signed_on" in self.fields else self.instance.signed_on
        ends = data.get("ends_on")
        if signed and ends and ends < signed:
            self.add_error("ends_on", self.ends_before_signing_message(signed))
        return data

    def ends_before_signing_message(self, signed: dt.date) -> str:
        return str(_("Aftalen kan ikke udløbe før den er indgået."))


class AgreementEditForm(AgreementForm):
    """Change an agreement's end date, scope and targets. The signing date stays: it dated
    the company's move to "samarbejde" in the status history."""

    class Meta(AgreementForm.Meta):
        fields = [
            "ends_on",
            "scope",
            "target_placements_per_year",
            "target_paid_jobs_per_year",
        ]

    def ends_before_signing_message(self, signed: dt.date) -> str:
        # The signing date is not a field here, so the message says what it is.
        return _("Aftalen kan ikke udløbe før den er indgået (%(signed)s).") % {
            "signed": f"{signed:%d.%m.%Y}"
        }


class MappingSessionForm(LimitedText, forms.ModelForm):
    class Meta:
        model = MappingSession
        fields = ["held_on", "participants", "company_participants", "problems"]
        widgets = {"problems": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, unit_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participants = _model_choice(self, "participants")
        participants.queryset = active_staff_in(unit_id).order_by(*BY_NAME)
        participants.label = _("Deltagere fra jobcentret")
        participants.help_text = _("Vælg en eller flere: skriv et navn og vælg, og gentag.")
        use_combobox(participants, "staff_choices")
        danish_dates(self)
        danish_choice_errors(self)

    def clean_held_on(self) -> dt.date:
        # A saved mapping moves the company to "kortlagt", so it must have taken place.
        return not_in_future(self.cleaned_data["held_on"])


class MappingSessionChoiceField(forms.ModelChoiceField):
    """A task's mapping session, shown by its date."""

    def label_from_instance(self, obj: MappingSession) -> str:
        return f"{obj.held_on:%d.%m.%Y}"


class TaskForm(VersionedForm):
    hours_per_week = DanishDecimalField(
        label=_("Timer pr. uge"),
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=80,
        help_text=_("Fx 7,5. Typisk et godt stykke under 37."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = Task
        fields = [
            "session",
            "title",
            "description",
            "department",
            "hours_per_week",
            "schedule",
            "requirements",
            "relieves",
            "placement_types",
            "wage_basis",
            "positions",
            "status",
        ]
        field_classes = {"session": MappingSessionChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.CheckboxSelectMultiple,
            "placement_types": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, company: Company, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "session").queryset = MappingSession.objects.filter(company=company)
        limit_code_fields(self)
        danish_choice_errors(self)
