"""Forms of the fidelity feature: opening a round, extending it, answering it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reporting.fidelity.models import (
    LEVEL_LABELS,
    SHARE_LABELS,
    FidelityModel,
    Item,
    RoundKind,
    Scale,
)
from substitution import days
from substitution.forms import INVALID_CHOICE, LimitedText, danish_choice_errors, date_field
from substitution.models import Team

REQUIRED = _("Udfyld feltet.")


class RoundForm(LimitedText, forms.Form):
    model = forms.ModelChoiceField(
        label=_("Model"),
        queryset=FidelityModel.objects.none(),
        empty_label=None,
        error_messages={"required": _("Vælg en model."), "invalid_choice": INVALID_CHOICE},
    )
    kind = forms.ChoiceField(
        label=_("Måling"),
        choices=RoundKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg hvilken måling det er.")},
    )
    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        required=False,
        help_text=_("Tomt: målingens art og dato, fx «Midtvejsmåling december 2026»."),
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Vælg mindst ét team."),
            "invalid_choice": INVALID_CHOICE,
            "invalid_pk_value": INVALID_CHOICE,
        },
    )
    closes_on = date_field(_("Lukker"), required=True)
    period_first = date_field(_("Dataperiode fra"), help_text=_("Tomt: de 3 måneder op til i dag."))
    period_last = date_field(_("Dataperiode til"))

    def __init__(
        self, *args: Any, models: QuerySet[FidelityModel], teams: QuerySet[Team], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = models  # type: ignore[attr-defined]
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        self.fields["closes_on"].error_messages["required"] = _("Skriv en lukkedato.")
        danish_choice_errors(self)

    def clean_closes_on(self) -> dt.date:
        closes_on: dt.date = self.cleaned_data["closes_on"]
        if closes_on < days.today():
            raise forms.ValidationError(_("Lukkedatoen kan ikke ligge før i dag."))
        return closes_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("period_first"), data.get("period_last")
        if (first is None) != (last is None):
            self.add_error("period_last", _("Udfyld både fra og til, eller ingen af dem."))
        elif first and last and last < first:
            self.add_error("period_last", _("Perioden skal slutte efter den begynder."))
        elif last and last > days.today():
            self.add_error("period_last", _("Perioden kan ikke slutte efter i dag."))
        if not data.get("name") and data.get("kind") == RoundKind.NAVNGIVET:
            self.add_error("name", _("Giv målingen et navn."))
        elif not data.get("name") and data.get("kind"):
            label = RoundKind(data["kind"]).label
            data["name"] = f"{label} {days.today().strftime('%d.%m.%Y')}"
        return data


class ExtendForm(forms.Form):
    closes_on = date_field(_("Ny lukkedato"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].error_messages["required"] = _("Skriv en ny lukkedato.")


NO_ANSWER = ""


class AnswerForm(forms.Form):
    """One radio group per survey item (field ``item_<id>``); "Ved ikke" leaves it unanswered."""

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            labels = SHARE_LABELS if item.scale == Scale.ANDELE else LEVEL_LABELS
            choices = [(str(n), label) for n, label in enumerate(labels, start=1)]
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=item.text,
                choices=[*choices, (NO_ANSWER, _("Ved ikke"))],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": INVALID_CHOICE},
            )

    def values(self) -> dict[int, int | None]:
        result: dict[int, int | None] = {}
        for item in self.items:
            raw = self.cleaned_data.get(f"item_{item.pk}") or NO_ANSWER
            result[item.pk] = int(raw) if raw else None
        return result
