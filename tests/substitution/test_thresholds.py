"""Thresholds: a unit's own latest value wins over the global one; within a request every
threshold comes from one query per jobcentre and day (substitution/thresholds.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from substitution import thresholds
from substitution.models import Threshold, Unit

DAY = dt.date(2026, 12, 2)


def test_unit_value_wins_then_global_then_default(db: None) -> None:
    unit = Unit.objects.create(name="Aarhus")
    assert thresholds.get_int("no_contact_days", unit, DAY) == 42
    Threshold.objects.create(key="no_contact_days", value=30, valid_from=DAY)
    Threshold.objects.create(key="no_contact_days", value=20, valid_from=DAY, unit=unit)
    Threshold.objects.create(key="no_contact_days", value=10, valid_from=DAY + dt.timedelta(1))
    assert thresholds.get("no_contact_days", unit, DAY) == Decimal(20)
    assert thresholds.get("no_contact_days", None, DAY) == Decimal(30)
    assert thresholds.get("no_contact_days", None, DAY + dt.timedelta(1)) == Decimal(10)


def test_one_query_per_request_and_a_write_is_seen(
    db: None, django_assert_num_queries: Any
) -> None:
    unit = Unit.objects.create(name="Aarhus")
    thresholds._request_started()  # the request_started receiver (sending the signal closes
    # the test's connection)
    try:
        with django_assert_num_queries(1):
            thresholds.get("no_contact_days", unit, DAY)
            thresholds.get("review_interval_weeks", unit, DAY)
            thresholds.get("hours_lag_weeks", unit, DAY)
        Threshold.objects.create(key="no_contact_days", value=7, valid_from=DAY, unit=unit)
        assert thresholds.get_int("no_contact_days", unit, DAY) == 7
    finally:
        thresholds._request_finished()
    with django_assert_num_queries(2):  # outside a request: read afresh each time
        thresholds.get("no_contact_days", unit, DAY)
        thresholds.get("no_contact_days", unit, DAY)
