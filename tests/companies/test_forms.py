"""companies/forms.py: the CVR number, typed the Danish way, valid and unique per jobcentre."""

from __future__ import annotations

from typing import Any

import pytest

from companies.forms import CompanyForm
from tests.factories.companies import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("13585627", "kontrolcifferet passer ikke"),
        ("1358562", "8 cifre"),
        ("1358562A", "kun af cifre"),
        ("03585628", "kun af cifre"),
    ],
)
def test_invalid_cvr_gives_danish_message(unit: Any, value: str, message: str) -> None:
    form = CompanyForm({"cvr": value, "name": "Test ApS", "size_band": ""}, unit_id=unit.pk)
    assert not form.is_valid()
    assert message in form.errors["cvr"][0]


def test_valid_cvr_is_compacted_and_unique_per_unit(unit: Any) -> None:
    form = CompanyForm({"cvr": "1358 5628", "name": "Test ApS"}, unit_id=unit.pk)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cvr"] == "13585628"
    CompanyFactory.create(unit=unit, cvr="13585628")
    form = CompanyForm({"cvr": "13585628", "name": "Igen ApS"}, unit_id=unit.pk)
    assert "findes allerede" in form.errors["cvr"][0]
    form = CompanyForm({"cvr": "13585628", "p_number": "1234", "name": "x"}, unit_id=unit.pk)
    assert "10 cifre" in form.errors["p_number"][0]
