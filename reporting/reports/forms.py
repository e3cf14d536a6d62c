"""The report request form and the archive's filters (Danish messages beside the fields)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.fidelity.models import Round
from reporting.measures import Period
from reporting.reports.models import ReportType, RunStatus
from reporting.reports.params import Params
from reporting.reports.queries import teams_for
from reporting.reports.rendering import AVAILABLE
from substitution import days
from substitution.forms import LimitedText
from substitution.models import User

MONTHS_CHOICES = [
    (1, _("1 måned")),
    (3, _("3 måneder")),
    (6, _("6 måneder")),
    (12, _("12 måneder")),
]
SCOPE_CHOICES = [
    ("alle", _("Alle forløb (den nuværende opgørelse)")),
    ("loennede", _("Kun lønnede job (ordningernes forslag)")),
]


def previous_month(today: dt.date) -> str:
    first = days.add_months(days.month_start(today), -1)
    return f"{first:%Y-%m}"


class ReportRequestForm(LimitedText, forms.Form):
    text_limits = {"note": 1000}

    report_type = forms.ChoiceField(
        label=_("Rapport"),
        choices=[(t.value, t.label) for t in AVAILABLE],
        widget=forms.RadioSelect,
    )
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        empty_label=_("Hele jobcentret"),
        help_text=_("Sagsstammerapporten laves for et team; månedlig status for hele jobcentret."),
    )
    month = forms.CharField(
        label=_("Måned"),
        widget=forms.TextInput(attrs={"type": "month", "autocomplete": "off"}),
        help_text=_("Skriv måneden som år-måned, fx 2026-11."),
    )
    months = forms.TypedChoiceField(
        label=_("Periode for resultatopgørelsen"),
        choices=MONTHS_CHOICES,
        coerce=int,
        initial=12,
        help_text=_("Antal måneder til og med den valgte måned."),
    )
    scope = forms.ChoiceField(
        label=_("Forløb i resultatopgørelsen"),
        choices=SCOPE_CHOICES,
        initial="alle",
        widget=forms.RadioSelect,
    )
    round: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Fidelitetsmåling"),
        queryset=None,
        required=False,
        empty_label=_("Vælg en måling"),
        help_text=_("Kun til fidelitetsrapporten; perioden er målingens dataperiode."),
    )
    note = forms.CharField(
        label=_("Bemærkning på forsiden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Valgfri. Vises som tekst på rapportens forside."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["team"].queryset = teams_for(user)  # type: ignore[attr-defined]
        if not (user.is_superuser or user.is_unit_wide):
            self.fields["team"].required = True
            self.fields["team"].empty_label = None  # type: ignore[attr-defined]
        self.fields["month"].initial = previous_month(days.today())
        self.fields["round"].queryset = (  # type: ignore[attr-defined]
            Round.objects.filter(unit=user.unit, teams__in=teams_for(user))
            .distinct()
            .order_by("-opened_on", "-pk")
        )

    def clean_month(self) -> Period:
        text = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in text.split("-"))
            period = Period.month(year, month)
        except ValueError:
            raise forms.ValidationError(_("Skriv måneden som år-måned, fx 2026-11.")) from None
        today = days.today()
        if period.first > today:
            raise forms.ValidationError(_("Måneden er ikke begyndt endnu."))
        if period.last > today:
            period = Period(period.first, today)
        return period

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind, team = data.get("report_type"), data.get("team")
        unit_wide = self.user.is_superuser or self.user.is_unit_wide
        if kind == ReportType.SAGSSTAMME and team is None:
            self.add_error("team", _("Vælg det team, sagsstammerapporten skal vise."))
        if kind == ReportType.FIDELITET:
            chosen = data.get("round")
            if chosen is None:
                self.add_error("round", _("Vælg den fidelitetsmåling, rapporten skal vise."))
            elif team is not None and not chosen.teams.filter(pk=team.pk).exists():
                self.add_error("round", _("Teamet var ikke med i den måling."))
            elif team is None and not unit_wide:
                self.add_error("team", _("Vælg dit team."))
        if kind == ReportType.MAANEDLIG_STATUS:
            if not unit_wide:
                self.add_error(
                    "report_type", _("Månedlig status viser alle teams og bestilles af en leder.")
                )
            elif team is not None:
                self.add_error("team", _("Månedlig status laves for hele jobcentret."))
        return data

    def params(self) -> Params:
        data = self.cleaned_data
        period: Period = data["month"]
        kind = data["report_type"]
        team = data.get("team")
        paid_only = False
        round_id = None
        if kind == ReportType.RESULTATOPGOERELSE:
            period = Period(period.months_back(int(data["months"])).first, period.last)
            paid_only = data.get("scope") == "loennede"
        if kind == ReportType.FIDELITET:
            chosen = data["round"]
            period, round_id = Period(chosen.period_first, chosen.period_last), chosen.pk
        unit_id = team.unit_id if team is not None else self.user.unit_id
        assert unit_id is not None
        return Params(
            kind,
            unit_id,
            team.pk if team is not None else None,
            period,
            paid_only=paid_only,
            note=data.get("note", "").strip(),
            round_id=round_id,
        )


class ArchiveFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Rapport"), required=False, choices=[("", _("Alle"))] + ReportType.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle"))] + RunStatus.choices
    )
    since = forms.DateField(
        label=_("Bestilt fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Bestilt til"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("Slutdatoen ligger før startdatoen."))
        return data
