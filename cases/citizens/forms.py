"""Forms for the citizen record, job goals, consent, CV, plan, conversations, reviews and the
citizen import.

Every code-list field is limited with ``limit_code_fields`` (retired values cannot be chosen
for new records but stay on old ones). Dates are typed as Danish text (``dd.mm.åååå``) so a
wrong date is shown back exactly as typed, with a Danish message beside the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.citizens.cpr import validate_cpr
from cases.citizens.models import (
    Citizen,
    CitizenStatus,
    Consent,
    Conversation,
    JobGoal,
    Plan,
    ReviewOutcome,
    SubGoal,
)
from substitution import days
from substitution.csv_reader import validate_upload_size
from substitution.forms import (
    DATE_ERRORS,
    DATE_FORMATS,
    INVALID_CHOICE,
    TIME_ERRORS,
    TIME_FORMATS,
    DanishDateInput,
    DanishDecimalField,
    LimitedText,
    danish_choice_errors,
    date_field,
    limit_code_fields,
    plain_select,
    read_in_one_select,
    read_once,
)
from substitution.models import Membership, Role, Team, User
from substitution.versioning import VersionedForm
from substitution.widgets import Combobox, use_combobox


def _field[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]``, known to be a ``kind``."""
    field = form.fields[name]
    assert isinstance(field, kind)
    return field


def staff_teams(user: User) -> QuerySet[Team]:
    """Teams a user may put a citizen in: their own teams (unit-wide roles: all in the unit)."""
    if user.is_superuser:
        return Team.objects.all()
    if user.is_unit_wide:
        if user.unit_id is None:  # every team is in a jobcentre
            return Team.objects.none()
        return Team.objects.filter(unit_id=user.unit_id)
    return Team.objects.filter(pk__in=user.team_ids())


# --- citizen ---------------------------------------------------------------------------------


class CitizenForm(VersionedForm):
    """Create and edit a citizen. The CPR number is typed only when creating."""

    jobformidler = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Personlig jobformidler"),
        help_text=_("Skift af jobformidler på en eksisterende borger sker via teamlederen."),
    )

    class Meta:
        model = Citizen
        fields = [
            "cpr",
            "first_name",
            "last_name",
            "phone",
            "email",
            "address",
            "postal_code",
            "team",
            "benefit_type",
            "readiness",
            "visitation_group",
            "visitation_date",
            "benefit_spell_start",
            "status",
            "exit_reason",
            "exit_date",
        ]
        field_classes = {
            "visitation_date": forms.DateField,
            "benefit_spell_start": forms.DateField,
            "exit_date": forms.DateField,
        }
        widgets = {
            "visitation_date": DanishDateInput(),
            "benefit_spell_start": DanishDateInput(),
            "exit_date": DanishDateInput(),
            "cpr": forms.TextInput(attrs={"autocomplete": "off", "placeholder": "DDMMÅÅ-XXXX"}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        limit_code_fields(self)
        danish_choice_errors(self)
        for name in ("visitation_date", "benefit_spell_start", "exit_date"):
            _field(self, name, forms.DateField).input_formats = DATE_FORMATS
            self.fields[name].error_messages.update(DATE_ERRORS)
        teams = staff_teams(user)
        team_field = _field(self, "team", forms.ModelChoiceField)
        team_field.queryset = teams
        team_field.empty_label = None
        if self.instance.pk:
            del self.fields["cpr"]
            del self.fields["jobformidler"]
        else:
            # Typed with or without the dash; validate_cpr normalises to ten digits.
            _field(self, "cpr", forms.CharField).max_length = 11
            self.fields["cpr"].validators = []
            self.fields["cpr"].widget.attrs["maxlength"] = 11
            _field(self, "jobformidler", forms.ModelChoiceField).queryset = User.objects.filter(
                memberships__role=Role.JOBFORMIDLER, memberships__team__in=teams, is_active=True
            ).distinct()
            if user.has_role(Role.JOBFORMIDLER):
                self.fields["jobformidler"].initial = user.pk
            own = teams.filter(pk__in=user.team_ids()).first()
            if own is not None:
                self.fields["team"].initial = own.pk

    def clean_cpr(self) -> str:
        cpr = validate_cpr(self.cleaned_data["cpr"])
        unit_id = self.user.unit_id
        if unit_id is not None and Citizen.objects.filter(unit_id=unit_id, cpr=cpr).exists():
            raise forms.ValidationError(
                _("Der findes allerede en borger med dette CPR-nummer i jobcentret."),
                code="cpr_unique",
            )
        return cpr

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        status = data.get("status")
        if status == CitizenStatus.AFSLUTTET:
            if not data.get("exit_reason"):
                self.add_error("exit_reason", _("Angiv en afslutningsårsag."))
            if not data.get("exit_date") and "exit_date" not in self.errors:
                self.add_error("exit_date", _("Angiv en afslutningsdato."))
        elif status:
            if data.get("exit_reason"):
                self.add_error(
                    "exit_reason", _("Afslutningsårsag udfyldes kun når status er afsluttet.")
                )
            if data.get("exit_date"):
                self.add_error(
                    "exit_date", _("Afslutningsdato udfyldes kun når status er afsluttet.")
                )
        jobformidler = data.get("jobformidler")
        team = data.get("team")
        if (
            jobformidler is not None
            and team is not None
            and not Membership.objects.filter(
                user=jobformidler, team=team, role=Role.JOBFORMIDLER
            ).exists()
        ):
            self.add_error("jobformidler", _("Jobformidleren er ikke jobformidler i teamet."))
        return data


class ProfileForm(VersionedForm):
    """CV, resources and barriers (FSM elements 1 and 5)."""

    class Meta:
        model = Citizen
        fields = ["cv_present", "cv_updated_on", "resources", "barriers"]
        field_classes = {"cv_updated_on": forms.DateField}
        widgets = {
            "cv_updated_on": DanishDateInput(),
            "barriers": forms.CheckboxSelectMultiple,
            "resources": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_code_fields(self)
        danish_choice_errors(self)
        _field(self, "cv_updated_on", forms.DateField).input_formats = DATE_FORMATS
        self.fields["cv_updated_on"].error_messages.update(DATE_ERRORS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        updated = data.get("cv_updated_on")
        if updated and updated > days.today():
            self.add_error("cv_updated_on", _("Datoen må ikke ligge i fremtiden."))
        if updated and not data.get("cv_present"):
            self.add_error("cv_present", _("Sæt hak i CV oprettet, når der er en dato."))
        return data


class JobGoalForm(LimitedText, forms.ModelForm):
    hours_per_week = DanishDecimalField(
        label=_("Ønskede timer pr. uge"),
        required=False,
        min_value=0,
        max_value=80,
        max_digits=4,
        decimal_places=1,
    )

    class Meta:
        model = JobGoal
        fields = ["title", "hours_per_week", "own_wish", "experience"]
        widgets = {"experience": forms.Textarea(attrs={"rows": 2})}


class ConsentForm(LimitedText, forms.ModelForm):
    given_on = date_field(_("Givet"), required=True, initial=timezone.localdate)

    class Meta:
        model = Consent
        fields = ["given_on", "scope"]

    def clean_given_on(self) -> dt.date:
        given = self.cleaned_data["given_on"]
        if given > days.today():
            raise forms.ValidationError(_("Datoen må ikke ligge i fremtiden."))
        return given


class CprLookupForm(forms.Form):
    """Find one citizen by the full CPR number. Sent by POST so the number never appears in a
    URL, the browser history or an access log (the name search of the caseload is a GET)."""

    cpr = forms.CharField(
        label=_("Find borger på CPR-nummer"),
        max_length=11,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "placeholder": "DDMMÅÅ-XXXX"}
        ),
        error_messages={"required": _("Skriv CPR-nummeret (10 cifre).")},
    )

    def clean_cpr(self) -> str:
        return validate_cpr(self.cleaned_data["cpr"])


# --- plan --------------------------------------------------------------------------------------


class PlanForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["end_goal"]
        widgets = {"end_goal": forms.Textarea(attrs={"rows": 2})}


class SubGoalForm(LimitedText, forms.ModelForm):
    due_on = date_field(_("Frist"))

    class Meta:
        model = SubGoal
        fields = ["title", "due_on", "owner", "status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        danish_choice_errors(self)


class ReviewForm(LimitedText, forms.Form):
    """One outcome and a line of text per open sub-goal (fields ``outcome_<id>``/``note_<id>``)."""

    def __init__(self, *args: Any, sub_goals: list[SubGoal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sub_goals = sub_goals
        for goal in sub_goals:
            self.fields[f"outcome_{goal.pk}"] = forms.ChoiceField(
                label=_("Vurdering"),
                choices=ReviewOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Vælg en vurdering af delmålet."),
                    "invalid_choice": INVALID_CHOICE,
                },
            )
            self.fields[f"note_{goal.pk}"] = forms.CharField(
                label=_("Bemærkning"), max_length=300, required=False
            )

    def rows(self) -> list[tuple[SubGoal, Any, Any]]:
        return [(g, self[f"outcome_{g.pk}"], self[f"note_{g.pk}"]) for g in self.sub_goals]

    def entries(self) -> list[tuple[SubGoal, str, str]]:
        return [
            (g, self.cleaned_data[f"outcome_{g.pk}"], self.cleaned_data[f"note_{g.pk}"])
            for g in self.sub_goals
        ]


# --- conversations ---------------------------------------------------------------------------

YES_NO = [("True", _("Ja")), ("False", _("Nej"))]


class ConversationForm(LimitedText, forms.ModelForm):
    """The quick-log form: one short form, date and time default now."""

    date = date_field(_("Dato"), required=True)
    time = forms.TimeField(
        label=_("Klokkeslæt"),
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(
            format="%H:%M", attrs={"placeholder": "tt:mm", "autocomplete": "off"}
        ),
        error_messages={**TIME_ERRORS, "required": _("Skriv klokkeslættet.")},
    )
    job_focused = forms.TypedChoiceField(
        label=_("Jobrettet"),
        choices=YES_NO,
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
        initial="True",
    )
    next_step_due = date_field(_("Frist for næste skridt"))
    # Not stored on the conversation: the follow-up's time (FollowUp.due_time), for a
    # calendar invitation (.ics) with the meeting at that time.
    next_step_time = forms.TimeField(
        label=_("Kl. (hvis det er et møde)"),
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(
            format="%H:%M", attrs={"placeholder": "tt:mm", "autocomplete": "off"}
        ),
        error_messages=TIME_ERRORS,
    )

    class Meta:
        model = Conversation
        fields = [
            "kind",
            "channel",
            "outcome",
            "note",
            "next_step",
            "next_step_due",
        ]
        widgets = {
            "outcome": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "kind": {
                "required": _("Vælg samtaletype."),
                "invalid_choice": _("Vælg en af de viste samtaletyper."),
            },
            "channel": {
                "required": _("Vælg kanal."),
                "invalid_choice": _("Vælg en af de viste kanaler."),
            },
        }

    field_order = ["citizen", "date", "time", "kind", "channel", "job_focused", "outcome"]

    def __init__(
        self, *args: Any, citizens: QuerySet[Citizen] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_code_fields(self)
        danish_choice_errors(self)
        self.fields["date"].error_messages["required"] = _("Skriv datoen.")
        _field(self, "kind", forms.ModelChoiceField).empty_label = _("Vælg type")
        _field(self, "channel", forms.ModelChoiceField).empty_label = _("Vælg kanal")
        follow_up = self.instance.follow_up if self.instance.follow_up_id else None
        if follow_up is not None and follow_up.due_time is not None:
            self.fields["next_step_time"].initial = follow_up.due_time.strftime("%H:%M")
        when = timezone.localtime(self.instance.occurred_at)
        self.fields["date"].initial = when.date()
        self.fields["time"].initial = when.strftime("%H:%M")
        # The code lists are read once (one SELECT each, kept for the rendering).
        read_once(self.fields["kind"])
        channels = read_once(self.fields["channel"])
        if self.instance.pk:
            self.fields["job_focused"].initial = str(self.instance.job_focused)
        else:
            # The first channel by sort order: a new conversation's list is the valid ones
            # (``limit_code_fields``), already read.
            self.fields["channel"].initial = channels[0].pk if channels else None
        if citizens is not None:
            self.fields["citizen"] = forms.ModelChoiceField(
                queryset=citizens,
                label=_("Borger"),
                empty_label=_("Vælg borger"),
                error_messages={
                    "required": _("Vælg borgeren samtalen var med."),
                    "invalid_choice": _("Borgeren er ikke i din sagsstamme."),
                },
            )
            read_in_one_select(self.fields["citizen"])
            use_combobox(self.fields["citizen"], "cases:citizen_choices", "mine=1")
            self.order_fields(self.field_order)
        for name in ("citizen", "kind", "channel"):  # a caseload of options: built in Python
            # The citizen on Min dag is the searchable combobox (issue 14): keep its widget.
            if name in self.fields and not isinstance(self.fields[name].widget, Combobox):
                plain_select(self.fields[name])
        if channels is not None:
            field = _field(self, "channel", forms.ModelChoiceField)
            field.widget.choices = [("", field.empty_label)] + [
                (c.pk, field.label_from_instance(c)) for c in channels
            ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, time = data.get("date"), data.get("time")
        if day and time:
            try:
                occurred = days.local_moment(day, time)
            except ValueError:
                self.add_error(
                    "time",
                    _(
                        "Klokken %(time)s fandtes ikke den %(date)s: uret blev stillet en time "
                        "frem til sommertid."
                    )
                    % {"time": f"{time:%H:%M}", "date": f"{day:%d.%m.%Y}"},
                )
            else:
                if occurred > days.now() + dt.timedelta(minutes=5):
                    self.add_error("date", _("Tidspunktet ligger i fremtiden."))
                else:
                    self.instance.occurred_at = occurred
        self.instance.job_focused = bool(data.get("job_focused"))
        next_step, due = data.get("next_step"), data.get("next_step_due")
        if next_step and not due and "next_step_due" not in self.errors:
            self.add_error("next_step_due", _("Angiv en frist for det aftalte næste skridt."))
        if due and not next_step:
            self.add_error("next_step", _("Beskriv det aftalte næste skridt."))
        if due and day and due < day:
            self.add_error("next_step_due", _("Fristen må ikke ligge før samtalen."))
        meeting = data.get("next_step_time")
        if meeting and not due and "next_step_due" not in self.errors:
            self.add_error("next_step_due", _("Angiv datoen for mødet."))
        elif meeting and due:
            try:
                days.local_moment(due, meeting)
            except ValueError:
                self.add_error(
                    "next_step_time",
                    _(
                        "Klokken %(time)s findes ikke den %(date)s: uret stilles en time "
                        "frem til sommertid."
                    )
                    % {"time": f"{meeting:%H:%M}", "date": f"{due:%d.%m.%Y}"},
                )
        return data


class ConversationEditForm(ConversationForm):
    """Correcting a conversation; after the free window a reason is required."""

    reason = forms.CharField(
        label=_("Begrundelse for rettelsen"),
        max_length=300,
        required=False,
        help_text=_("Kræves efter rettefristen. Den tidligere udgave gemmes."),
    )

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason_required = reason_required
        if not reason_required:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Skriv hvorfor samtalen rettes efter fristen."
            )


# --- the citizen import ----------------------------------------------------------------------


class ImportForm(forms.Form):
    """The upload of a citizen CSV file (format: docs/import.md)."""

    fil = forms.FileField(
        label=_("CSV-fil"),
        help_text=_("UTF-8 eller Windows-1252, semikolon eller komma. Se kolonnerne nedenfor."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[validate_upload_size],
    )
    kun_kontrol = forms.BooleanField(
        label=_("Kontrollér kun filen (importér ikke)"), required=False
    )
