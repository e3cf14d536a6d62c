"""Danish numbers in templates: ``{{ value|hours }}`` prints hours one way everywhere (``6,5``,
``30``, ``7,25``), never ``6,50`` in one place and ``6,5`` in another."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from substitution.numbers import format_hours

register = template.Library()


@register.filter
def hours(value: object) -> str:
    """Hours with at most two decimals and no trailing zeros, Danish comma; '' for nothing."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_hours(number.quantize(Decimal("0.01")))
