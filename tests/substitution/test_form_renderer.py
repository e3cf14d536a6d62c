"""The form renderer builds the common widgets in Python with the same HTML as Django's
templates (substitution.form_renderer): every widget it takes over is rendered both ways and
compared byte for byte, with the values that matter (escaping, True/False attributes, None
and empty values, selected options, option groups, safe strings, lazy labels)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from substitution.form_renderer import FormRenderer, fast_templates
from substitution.forms import DanishDateInput

ATTRS: dict[str, Any] = {
    "class": 'a "quoted" <b>',
    "required": True,
    "disabled": False,
    "data-x": mark_safe("<safe>"),
    "maxlength": 11,
}

WIDGETS: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(attrs=ATTRS), 'Søren & "Co" <x>'),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.NumberInput(attrs={"step": "0.5"}), 7.5),
    (forms.EmailInput(), "a@b.dk"),
    (forms.URLInput(), "https://x.dk/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "hemmelig"),
    (forms.HiddenInput(), 42),
    (forms.DateInput(format="%d.%m.%Y"), dt.date(2026, 12, 8)),
    (DanishDateInput(), dt.date(2026, 2, 3)),
    (forms.TimeInput(format="%H:%M", attrs={"placeholder": "tt:mm"}), dt.time(9, 30)),
    (forms.DateTimeInput(), dt.datetime(2026, 12, 8, 9, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.Textarea(attrs={"rows": 3}), "linje 1\nlinje <2> & 3"),
    (forms.Textarea(), ""),
    (forms.Textarea(), None),
    (forms.Select(choices=[("", "Vælg"), ("1", "Én & to"), (2, gettext_lazy("Status"))]), "1"),
    (forms.Select(choices=[("a", "A"), ("b", "B")], attrs=ATTRS), None),
    (
        forms.Select(choices=[("x", "X"), ("Gruppe <1>", [("g1", "G1"), ("g2", "G2")])]),
        "g2",
    ),
    (forms.SelectMultiple(choices=[(1, "En"), (2, "To"), (3, "Tre")]), [1, 3]),
    (forms.NullBooleanSelect(), True),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_same_html_as_django_templates(widget: forms.Widget, value: Any) -> None:
    attrs = {"id": "id_felt"}
    ours = widget.render("felt", value, attrs=attrs, renderer=FormRenderer())
    django = widget.render("felt", value, attrs=attrs, renderer=DjangoTemplates())
    assert ours == django


def test_the_widgets_compared_cover_every_template_it_takes_over() -> None:
    covered = {widget.template_name for widget, _ in WIDGETS}
    missing = (
        set(fast_templates())
        - covered
        - {
            # The same input.html as the text input; no widget of the project uses them.
            "django/forms/widgets/search.html",
            "django/forms/widgets/tel.html",
            "django/forms/widgets/color.html",
        }
    )
    assert not missing, missing


def test_other_templates_go_to_django() -> None:
    widget = forms.RadioSelect(choices=[("ja", "Ja"), ("nej", "Nej")])
    ours = widget.render("svar", "ja", renderer=FormRenderer())
    assert ours == widget.render("svar", "ja", renderer=DjangoTemplates())
    assert 'type="radio"' in ours
