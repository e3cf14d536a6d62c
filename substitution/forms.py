"""Form helpers shared by every app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone


def limit_code_fields(form: forms.ModelForm[Any], day: dt.date | None = None) -> None:
    """Restrict every code-list choice on ``form`` to values valid on ``day``.

    A value already on the instance stays selectable, so editing an old record never forces a
    change of a retired code.
    """
    from substitution.models import CodeList

    day = day or timezone.localdate()
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
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
            elif hasattr(value, "values_list"):
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
