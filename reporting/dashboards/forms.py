"""Forms of the team lead's dashboard: targets, action plans, case reviews. Danish messages
beside the field; a refused form shows what was typed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reporting.dashboards.models import ActionPlan, Target
from reporting.measures import MEASURES, Kind
from substitution import days
from substitution.forms import (
    DanishDecimalField,
    LimitedText,
    danish_choice_errors,
    date_field,
    plain_select,
)
from substitution.models import Team, User

MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$|^\s*(\d{1,2})[.\-/](\d{4})\s*$")
MONTH_ERROR = _("Skriv en måned som åååå-mm, fx 2026-01.")


def parse_month(text: str) -> dt.date | None:
    match = MONTH_RE.match(text or "")
    if not match:
        return None
    year, month = (match.group(1), match.group(2)) if match.group(1) else match.group(4, 3)
    try:
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None


class MonthField(forms.CharField):
    """A month typed as ``åååå-mm`` (or ``mm.åååå``): its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "åååå-mm"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.date | None:
        text = super().clean(value)
        if not text:
            return None
        first = parse_month(text)
        if first is None:
            raise forms.ValidationError(MONTH_ERROR, code="invalid")
        return first

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value


def measure_choices() -> list[tuple[str, str]]:
    return [(m.slug, str(m.label)) for m in MEASURES]


class TargetForm(LimitedText, forms.ModelForm):
    value = DanishDecimalField(
        label=_("Mål"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("For en andel i procent: 40 betyder 40 %."),
    )
    tolerance = DanishDecimalField(
        label=_("Tolerance"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        initial=0,
        help_text=_("Hvor langt fra målet et tal må være og stadig være gult (procentpoint)."),
    )
    valid_from = MonthField(label=_("Gælder fra måned"))
    valid_to = MonthField(
        label=_("Gælder til og med måned"), required=False, help_text=_("Tom: indtil videre.")
    )

    class Meta:
        model = Target
        fields = ["measure", "team", "value", "direction", "tolerance", "valid_from", "valid_to"]
        fields += ["note"]

    def __init__(self, *args: Any, unit_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit_id = unit_id
        self.fields["measure"] = forms.ChoiceField(label=_("Måltal for"), choices=measure_choices())
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = Team.objects.filter(unit_id=unit_id).order_by("name")
        team_field.empty_label = str(_("Hele jobcentret"))
        team_field.label = _("Team")
        self.fields["direction"].label = _("Retning")
        self.fields["note"].label = _("Bemærkning")
        danish_choice_errors(self)

    def clean_value(self) -> Any:
        value = self.cleaned_data["value"]
        slug = self.data.get(self.add_prefix("measure"), "")
        kind = next((m.kind for m in MEASURES if m.slug == slug), None)
        if kind == Kind.SHARE and value is not None and value > 100:
            raise forms.ValidationError(_("En andel kan højst være 100 %."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("valid_from"), data.get("valid_to")
        if first and last and last < first:
            self.add_error("valid_to", _("Slutmåneden ligger før startmåneden."))
            return data
        if first and last:
            data["valid_to"] = days.month_end(last)
        slug, team = data.get("measure"), data.get("team")
        if first and slug:
            end = data.get("valid_to")
            overlapping = Target.objects.filter(
                unit_id=self.unit_id, measure=slug, team=team
            ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
            if end is not None:
                overlapping = overlapping.filter(valid_from__lte=end)
            if self.instance.pk:
                overlapping = overlapping.exclude(pk=self.instance.pk)
            if overlapping.exists():
                self.add_error(
                    "valid_from",
                    _(
                        "Der findes allerede et mål for dette tal og team i de måneder. "
                        "Afslut det gamle mål, eller vælg andre måneder."
                    ),
                )
        return data


class ActionPlanForm(LimitedText, forms.ModelForm):
    follow_up_on = date_field(_("Opfølgning senest"), required=True)

    class Meta:
        model = ActionPlan
        fields = ["explanation", "plan", "owner", "follow_up_on"]
        widgets = {
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "explanation": _("Forklaring på afvigelsen"),
            "plan": _("Handlingsplan"),
            "owner": _("Ansvarlig"),
        }

    def __init__(self, *args: Any, owners: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(pk__in=[u.pk for u in owners]).order_by(
            "first_name", "last_name", "pk"
        )
        plain_select(owner)
        danish_choice_errors(self)

    def clean_follow_up_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["follow_up_on"]
        if day < days.today():
            raise forms.ValidationError(_("Opfølgningen kan ikke ligge i fortiden."))
        return day


class ClosePlanForm(LimitedText, forms.Form):
    closing_note = forms.CharField(
        label=_("Hvad blev resultatet?"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReviewStartForm(forms.Form):
    # Not "jobformidler": that query parameter narrows the list the citizens came from.
    med = forms.ModelChoiceField(label=_("Sagssparring med"), queryset=User.objects.none())
    held_on = date_field(_("Dato"), required=True)

    def __init__(self, *args: Any, partners: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["med"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in partners]).order_by(
            "first_name", "last_name", "pk"
        )
        danish_choice_errors(self)


class DecisionForm(LimitedText, forms.Form):
    decision = forms.CharField(
        label=_("Beslutning"), widget=forms.Textarea(attrs={"rows": 2}), max_length=None
    )
    follow_up_on = date_field(_("Opfølgning senest"), required=True)
    follow_up_title = forms.CharField(
        label=_("Opfølgning"),
        max_length=300,
        required=False,
        help_text=_("Tom: »Opfølgning på sagssparring«."),
    )

    def clean_follow_up_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["follow_up_on"]
        if day < days.today():
            raise forms.ValidationError(_("Opfølgningen kan ikke ligge i fortiden."))
        return day
