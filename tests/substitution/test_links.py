"""substitution.links: one reverse() per URL name gives the same links as reverse() per row,
and choice_labels the same labels as get_FOO_display()."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies.models import Company, PipelineStatus
from substitution.links import choice_labels, pk_url


@pytest.mark.parametrize(
    "name", ["cases:citizen_detail", "cases:placement_detail", "companies:company_detail"]
)
@pytest.mark.parametrize("pk", [1, 7, 987654321, 123456789012])
def test_pk_url_is_reverse(name: str, pk: int) -> None:
    assert pk_url(name)(pk) == reverse(name, args=[pk])


def test_choice_labels_are_the_display_values() -> None:
    labels = choice_labels(PipelineStatus.choices)
    for status in PipelineStatus.values:
        assert labels[status] == Company(status=status).get_status_display()
