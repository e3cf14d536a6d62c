"""Links for the rows of a list: one ``reverse()`` per URL name instead of one per row.

A page of 50 rows with a ``{% url %}`` (or ``get_absolute_url``) per row resolves the same
pattern 50 times; ``pk_url(name)`` resolves it once with a marker and fills in each primary
key (docs/performance.md, issue 13). Only for URLs whose one argument is an ``<int:…>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse

_MARKER = 987654321


def pk_url(name: str) -> Callable[[int], str]:
    """A function ``pk -> reverse(name, args=[pk])`` that resolves ``name`` only once."""
    head, found, tail = reverse(name, args=[_MARKER]).rpartition(str(_MARKER))
    assert found, name
    return lambda pk: f"{head}{int(pk)}{tail}"


def choice_labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    """``{value: label}`` of a ``TextChoices.choices`` in the active language, for rows that
    print a choice's label: ``get_FOO_display()`` builds and hashes every label on each call."""
    return {value: str(label) for value, label in choices}
