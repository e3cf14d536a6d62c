"""The searchable choice field (issue 14): one accessible combobox for long lists (companies,
staff, citizens). The server renders a plain ``<select>``, so the field works without
JavaScript; ``static/js/combobox.js`` turns it into a text field with an ARIA 1.2 combobox
and a listbox whose options an htmx GET to the field's search URL fills as the user types
(keyboard: arrows, Enter, Escape). The search URL answers with
``includes/combobox_options.html`` (``render_options``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from substitution.forms import PlainSelect, PlainSelectMultiple

# How many options one search returns.
SEARCH_LIMIT = 20


class _Searchable:
    """Marks the rendered ``<select>`` with the URL that searches its choices."""

    def __init__(
        self, search_url_name: str, query: str = "", attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(attrs)  # type: ignore[call-arg]
        self.search_url_name = search_url_name
        self.query = query

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        url = reverse(self.search_url_name)
        context["widget"]["attrs"]["data-combobox"] = f"{url}?{self.query}" if self.query else url
        return context


class Combobox(_Searchable, PlainSelect):
    """A ``<select>`` marked for the combobox, with the URL that searches its choices. Its
    options (a whole caseload, every mentor) are built in Python (``PlainSelect``)."""


class SearchOnlyCombobox(Combobox):
    """A combobox for a list too long to render (hundreds of jobformidlere in a jobcentre):
    the ``<select>`` holds only the empty choice and the chosen one, read by primary key; the
    others are found by typing (the search URL), so a page does not build hundreds of
    ``<option>`` elements per request. Without JavaScript the field keeps its value and
    offers "all" (the empty choice) only. For model choice fields."""

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> Any:
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return super().optgroups(name, value, attrs)
        chosen = [v for v in value if str(v).isdigit()]
        shown: list[Any] = []
        if choices.field.empty_label is not None:
            shown.append(("", choices.field.empty_label))
        if chosen:
            shown += [choices.choice(obj) for obj in choices.queryset.filter(pk__in=chosen)]
        self.choices = shown
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


class ComboboxMultiple(_Searchable, PlainSelectMultiple):
    """A ``<select multiple>`` marked for the combobox: the chosen ones show as a list with a
    remove button each, and typing searches for the next one (no Ctrl-click)."""


def use_combobox(
    field: forms.Field, search_url_name: str, query: str = "", *, search_only: bool = False
) -> None:
    """Give a choice field the combobox widget, keeping its attributes (htmx and the like).
    ``query`` is added to the search URL (``rolle=mentor``). A multiple choice field gets the
    multiple combobox; ``search_only``: a model choice field whose list is too long to render
    (``SearchOnlyCombobox``: the empty choice and the chosen one only)."""
    attrs = dict(field.widget.attrs)
    widget: forms.Select | forms.SelectMultiple
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        widget = ComboboxMultiple(search_url_name, query=query, attrs=attrs)
    elif search_only:
        widget = SearchOnlyCombobox(search_url_name, query=query, attrs=attrs)
    else:
        widget = Combobox(search_url_name, query=query, attrs=attrs)
    widget.choices = getattr(field, "choices", [])
    field.widget = widget


def search_text(request: HttpRequest) -> str:
    """The typed text the combobox sends (``q``), trimmed and capped."""
    return request.GET.get("q", "").strip()[:100]


def render_options(request: HttpRequest, options: Iterable[tuple[Any, str, str]]) -> HttpResponse:
    """The listbox options for a search: (value, label, extra detail)."""
    return render(
        request,
        "includes/combobox_options.html",
        {"options": list(options)[:SEARCH_LIMIT], "q": search_text(request)},
    )
