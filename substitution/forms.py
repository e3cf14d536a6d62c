"""Form helpers shared by every app.

Dates are typed as Danish text (``dd.mm.åååå``) rather than a browser date picker, so a wrong
date is shown back exactly as typed with a Danish message beside the field, and every form in
the product reads dates the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from substitution import days

# --- free-text limits ----------------------------------------------------------------------

NOTE_MAX_LENGTH = 10_000
"""The longest free text a form takes: notes, plans, descriptions, agreement texts, every
``TextField`` a form edits (a long case note is a few thousand characters). Titles and other
short texts keep their model's ``max_length`` (100–300)."""

TOO_LONG = _(
    "Teksten er for lang: højst %(limit_value)d tegn, og der står %(show_value)d. "
    "Det du skrev, står her stadig; gør det kortere og gem igen."
)

# A field with a shorter limit than this is a code or a number (CPR, CVR), not free text, and
# keeps its own message.
_FREE_TEXT_FROM = 100


def limit_text_field(field: forms.Field, max_length: int = NOTE_MAX_LENGTH) -> None:
    """Give a free-text field a maximum length and the Danish message: ``max_length`` for a
    field without one (a ``TextField``, a declared ``CharField``). Only the server checks the
    unlimited ones: a textarea's ``maxlength`` would cut a pasted text without a word."""
    if not isinstance(field, forms.CharField):
        return
    if field.max_length is None and not getattr(field, "_text_limited", False):
        field.validators.append(MaxLengthValidator(max_length))
        field._text_limited = True  # type: ignore[attr-defined]
    if field.max_length is None or field.max_length >= _FREE_TEXT_FROM:
        field.error_messages["max_length"] = TOO_LONG


class LimitedText(forms.BaseForm):
    """Mixin for every form of the product with free text: before validation each text field
    gets its limit (``limit_text_field``; ``text_limits`` names a shorter one per field), so
    fields a form adds in ``__init__`` are covered too. A text over the limit is refused with
    the Danish message beside the field, and the form shows what was typed."""

    text_limits: ClassVar[dict[str, int]] = {}

    def full_clean(self) -> None:
        for name, field in self.fields.items():
            limit_text_field(field, self.text_limits.get(name, NOTE_MAX_LENGTH))
            danish_number_errors(field)
        super().full_clean()

    def __getitem__(self, name: str) -> forms.BoundField:
        # A free-text input with a model limit (a next step's 300 characters) must not carry
        # ``maxlength``: the browser would cut a pasted text without a word. The server refuses
        # it with the Danish message instead, and the form keeps every character typed.
        field = self.fields.get(name)
        if isinstance(field, forms.CharField) and (field.max_length or 0) >= _FREE_TEXT_FROM:
            field.widget.attrs.pop("maxlength", None)
        return super().__getitem__(name)


NUMBER_ERRORS = {
    "invalid": _("Skriv et tal, fx 7,5."),
    "max_value": _("Tallet må højst være %(limit_value)s."),
    "min_value": _("Tallet skal mindst være %(limit_value)s."),
    "max_digits": _("Tallet er for stort: højst %(max)s cifre."),
    "max_decimal_places": _("Højst %(max)s decimaler, fx 7,25."),
    "max_whole_digits": _("Tallet er for stort: højst %(max)s cifre før kommaet."),
}
WHOLE_NUMBER_ERRORS = {**NUMBER_ERRORS, "invalid": _("Skriv et helt tal, fx 14.")}


def danish_number_errors(field: forms.Field) -> None:
    """Our own Danish messages on a number field instead of Django's bare "Indtast et tal."
    (each with an example of what to type). A message the form set itself (a more specific
    one, e.g. "Målet kan ikke være negativt.") is kept: only Django's defaults are replaced."""
    if isinstance(field, forms.DecimalField | forms.FloatField):  # both are IntegerFields
        ours = NUMBER_ERRORS
    elif isinstance(field, forms.IntegerField):
        ours = WHOLE_NUMBER_ERRORS
    else:
        return
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    for key, message in ours.items():
        current = field.error_messages.get(key)
        if current is None or current == defaults.get(key):
            field.error_messages[key] = message


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


# --- long choice lists -------------------------------------------------------------------------


class PlainSelect(forms.Select):
    """``forms.Select`` with the same HTML, built in Python instead of one widget template per
    option: a list of hundreds of staff costs a fraction of the templates' time
    (docs/performance.md). Option groups are not supported (plain choices only)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group, group_options, _index in widget["optgroups"]:
            if group is not None:
                raise ValueError("PlainSelect takes no option groups")
            for option in group_options:
                # The same as format_html('<option value="{}"{}>{}</option>', …), without its
                # per-argument overhead (a caseload or a staff list is hundreds of options).
                options.append(
                    f'<option value="{conditional_escape(option["value"])}"'
                    f"{flatatt(option['attrs']) if option['attrs'] else ''}>"
                    f"{conditional_escape(option['label'])}</option>"
                )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(options)),  # noqa: S308 - each option built by format_html
        )


class PlainSelectMultiple(PlainSelect, forms.SelectMultiple):
    """``forms.SelectMultiple`` rendered like ``PlainSelect`` (``multiple`` is in the attrs)."""


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """A model choice field's options read with one plain SELECT whose rows the field's
    queryset keeps: Django's iterator streams them through a server-side cursor on
    PostgreSQL (DECLARE, FETCH, CLOSE) on every rendering, which a short form list on every
    page does not need; and a form that reads the rows itself (a default) reuses them."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


def read_in_one_select(field: forms.Field) -> None:
    """Give a model choice field ``ReadOnceChoiceIterator`` (its options are read when it is
    rendered). Call before the widget is replaced (``plain_select``, ``use_combobox``)."""
    assert isinstance(field, forms.ModelChoiceField)
    field.iterator = ReadOnceChoiceIterator
    field.widget.choices = field.choices


def read_once(field: forms.Field) -> list[Any]:
    """``read_in_one_select``, and the rows read now (kept for the rendering)."""
    read_in_one_select(field)
    assert isinstance(field, forms.ModelChoiceField)
    return list(field.queryset) if field.queryset is not None else []


def plain_select(field: forms.Field) -> None:
    """Render ``field`` (a choice field) with ``PlainSelect``: same HTML, attributes, choices."""
    widget = PlainSelect(attrs=field.widget.attrs)
    widget.choices = field.choices  # type: ignore[attr-defined]
    widget.is_required = field.widget.is_required
    field.widget = widget
