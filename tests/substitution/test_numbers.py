"""Hours print one Danish way everywhere (issue 14, defect 10: "6,50" here, "6,5" there)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.template import Context, Template

from substitution.numbers import format_hours


@pytest.mark.parametrize(
    ("value", "shown"),
    [(D("6.50"), "6,5"), (D("30.00"), "30"), (D("7.25"), "7,25"), (6.5, "6,5"), (0, "0")],
)
def test_hours_filter(value: object, shown: str) -> None:
    html = Template("{% load numbers %}{{ value|hours }}").render(Context({"value": value}))
    assert html == shown


def test_format_hours_drops_trailing_zeros() -> None:
    assert format_hours(D("6.50")) == "6,5"
    assert format_hours(None) == ""
