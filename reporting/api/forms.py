"""The administrator's form for issuing an API token."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from substitution.models import User


class IssueTokenForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Medarbejder"),
        queryset=User.objects.none(),
        error_messages={"required": _("Vælg den medarbejder, nøglen tilhører.")},
        help_text=_("Nøglen ser de tal, medarbejderen selv må se."),
    )
    name = forms.CharField(
        label=_("Navn på nøglen"),
        max_length=100,
        error_messages={"required": _("Skriv hvad nøglen bruges til, fx “Power BI”.")},
    )

    def __init__(self, *args: Any, owners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in owners]).order_by(
            "first_name", "last_name", "username"
        )
