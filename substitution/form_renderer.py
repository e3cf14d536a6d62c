"""The form renderer: Django's template renderer, with the common widgets built in Python.

A form field's widget is rendered through two or three small templates (``text.html`` ->
``input.html`` -> ``attrs.html``; a ``<select>`` through one template per option), which
costs 0.2–0.5 ms of CPU per field and more per option: a quick-log form of eleven fields
cost several milliseconds of every Min dag request (docs/performance.md, issue 13). The
plain input types, the textarea and the select (with its options) are built here in
Python with the same HTML, byte for byte (``tests/substitution/test_form_renderer.py``
renders each both ways); every other template (radio and checkbox lists, file inputs,
a project's own templates) goes to Django's renderer as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_WIDGETS = "django/forms/widgets/"
_INPUT_TYPES = (
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "search",
    "tel",
    "color",
    "checkbox",
)


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: `` name="value"``, a bare `` name`` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _text(value: Any) -> str:
    """``{{ value }}`` in a template: localized, then escaped unless safe."""
    value = localize(value)
    if not isinstance(value, str):
        value = str(value)
    return str(conditional_escape(value))


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{conditional_escape(value)}"' if value is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


_OPTION = _WIDGETS + "select_option.html"


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # a widget with its own option template: Django renders it
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_FAST: dict[str, Callable[[dict[str, Any]], str | None]] = {
    **{f"{_WIDGETS}{name}.html": _input for name in _INPUT_TYPES},
    _WIDGETS + "textarea.html": _textarea,
    _WIDGETS + "select.html": _select,
}


class FormRenderer(DjangoTemplates):
    """``FORM_RENDERER``: the widgets of ``_FAST`` in Python, everything else as Django does."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        fast = _FAST.get(template_name)
        widget = context.get("widget") if fast is not None else None
        if fast is not None and isinstance(widget, dict):
            html = fast(widget)
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308 - every value escaped above
        rendered: str = super().render(template_name, context, request)
        return rendered


def fast_templates() -> list[str]:
    """The widget templates built in Python (for the test that compares both renderers)."""
    return sorted(_FAST)
