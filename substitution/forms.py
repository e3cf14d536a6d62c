"""Form helpers shared by every app.

Dates are typed as Danish text (``dd.mm.åååå``) rather than a browser date picker, so a wrong
date is shown back exactly as typed with a Danish message beside the field, and every form in
the product reads dates the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from substitution import days


def limit_code_fields(form: forms.ModelForm[Any], day: dt.date | None = None) -> None:
    """Restrict every code-list choice on ``form`` to values valid on ``day``.

    A value already on the instance stays selectable, so editing an old record never forces a
    change of a retired code.
    """
    from substitution.models import CodeList

    day = day or days.today()
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
            continue
        if field.queryset is None:  # no choices yet, so no code list to limit
            continue
        model = field.queryset.model
        if not issubclass(model, CodeList):
            continue
        current: list[Any] = []
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk:
            value = getattr(instance, name, None)
            if isinstance(value, models.Model):
                current = [value.pk]
            elif value is not None and hasattr(value, "values_list"):
                current = list(value.values_list("pk", flat=True))
        valid = model.objects.valid_on(day)
        field.queryset = model.objects.filter(
            models.Q(pk__in=valid.values("pk")) | models.Q(pk__in=current)
        )


class DanishDecimalField(forms.DecimalField):
    """Accepts a Danish decimal comma (``7,5``) as well as a point."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)


DATE_FORMATS = ["%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H"]
DATE_ERRORS = {"invalid": _("Skriv en gyldig dato som dd.mm.åååå, fx 03.02.2025.")}
TIME_ERRORS = {"invalid": _("Skriv et gyldigt klokkeslæt som tt:mm, fx 09:30.")}
INVALID_CHOICE = _("Vælg en af de viste muligheder.")


class DanishDateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {"placeholder": "dd.mm.åååå", "autocomplete": "off", **(attrs or {})}
        super().__init__(attrs=attrs, format="%d.%m.%Y")


def date_field(label: Any, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DanishDateInput(),
        error_messages=DATE_ERRORS,
        **kwargs,
    )


def danish_choice_errors(form: forms.BaseForm) -> None:
    """Django's Danish catalogue lacks the "invalid choice" messages; give every choice field
    one (e.g. a retired code-list value posted for a new record)."""
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField):
            field.error_messages.setdefault("invalid_choice", INVALID_CHOICE)
            if field.error_messages["invalid_choice"].startswith("Select a valid choice"):
                field.error_messages["invalid_choice"] = INVALID_CHOICE


def danish_dates(form: forms.BaseForm) -> None:
    """Give every date field on ``form`` the Danish text input, formats and error message."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
            field.input_formats = DATE_FORMATS
            field.widget = DanishDateInput(attrs=field.widget.attrs)
            field.error_messages = {**field.error_messages, **DATE_ERRORS}
