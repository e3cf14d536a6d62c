"""Two people edit the same record: load the form as a browser would, post it back changed.

``form_data`` reads what a browser would submit from a rendered page (inputs, checked boxes,
selected options, text areas) for the form whose action is ``action`` ("" for the page's own
URL); ``race`` lets two clients load a form and save one after the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from substitution.models import User


@dataclass
class _Form:
    action: str
    data: dict[str, list[str]] = field(default_factory=dict)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self.form: _Form | None = None
        self.textarea: str | None = None
        self.text = ""
        self.select: str | None = None
        self.first_option: str | None = None
        self.selected = False

    def _add(self, name: str, value: str) -> None:
        if self.form is not None and name:
            self.form.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = _Form(action=a.get("action", ""))
            self.forms.append(self.form)
        elif tag == "input" and a.get("type", "text") not in {"submit", "button", "reset"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self._add(a.get("name", ""), a.get("value", "on" if "checked" in a else ""))
        elif tag == "textarea":
            self.textarea, self.text = a.get("name", ""), ""
        elif tag == "select":
            self.select, self.first_option, self.selected = a.get("name", ""), None, False
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.selected = True
                self._add(self.select, value)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            self._add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            if not self.selected and self.first_option is not None:
                self._add(self.select, self.first_option)
            self.select = None


def form_data(html: str, action: str = "") -> dict[str, list[str]]:
    """What submitting the form posting to ``action`` sends, unchanged."""
    parser = _Parser()
    parser.feed(html)
    for form in parser.forms:
        if form.action == action and "csrfmiddlewaretoken" in form.data:
            return form.data
    raise AssertionError(f"no form posting to {action!r}")


@dataclass
class Race:
    """The two responses (the test client's) and the second one's page."""

    first: Any
    second: Any
    second_html: str


def race(
    first: Client,
    second: Client,
    *,
    page: str,
    post: str,
    first_changes: dict[str, str],
    second_changes: dict[str, str],
    action: str = "",
) -> Race:
    """Both clients load ``page``; the first posts its changes to ``post``, then the second."""
    loaded_first = form_data(first.get(page).content.decode(), action)
    loaded_second = form_data(second.get(page).content.decode(), action)
    first_response = first.post(post, {**loaded_first, **_lists(first_changes)})
    second_response = second.post(post, {**loaded_second, **_lists(second_changes)})
    return Race(first_response, second_response, second_response.content.decode())


def _lists(changes: dict[str, str]) -> dict[str, list[str]]:
    return {name: [value] for name, value in changes.items()}


def assert_refused(html: str, noun: str, who: User, label: str) -> None:
    """The Danish conflict message: who saved first, when, and which field they changed."""
    assert re.search(
        f"{noun} er ændret af {who.get_full_name()} kl. \\d\\d:\\d\\d, mens du redigerede. "
        "Dine ændringer er ikke gemt; felterne nedenfor viser hvad du skrev. "
        f"Ændret siden: {re.escape(label)}",
        html,
    ), html
