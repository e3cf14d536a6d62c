"""Ordinary hours (cases/placements/hours.py): parsing and showing Danish numbers, the type
flags, weekly and monthly totals. Registering and correcting: test_services.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from cases.placements.hours import format_hours, monthly_totals, parse_hours, weekly_totals
from cases.placements.models import WeeklyHours
from cases.placements.services import register_hours
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

W2 = dt.date(2026, 1, 5)  # 2026-W02
W3 = dt.date(2026, 1, 12)


@pytest.fixture
def placement(team):
    return PlacementFactory.create(citizen=CitizenFactory.create(team=team), starts_on=W2)


@pytest.mark.parametrize(
    ("typed", "expected"), [("7,5", D("7.5")), ("7.5", D("7.5")), (" 30 ", D(30)), ("0", D(0))]
)
def test_parse_hours_accepts_danish_decimal_comma(typed: str, expected: D) -> None:
    assert parse_hours(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "negative"),
        ("80,5", "80"),
        ("abc", "tal"),
        ("", "Skriv"),
        ("7,125", "decimaler"),
        ("NaN", "tal"),
    ],
)
def test_parse_hours_rejects_with_danish_message(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_hours(typed)


def test_format_hours_is_danish() -> None:
    assert format_hours(D("7.50")) == "7,5"
    assert format_hours(D("30.00")) == "30"
    assert format_hours(D("0.25")) == "0,25"


def test_loentilskud_and_fleksjob_hours_never_count(team) -> None:
    """Even rows that reached the table some other way (old data, admin) are not counted."""
    citizen = CitizenFactory.create(team=team)
    ordinary = PlacementFactory.create(citizen=citizen, starts_on=W2)
    WeeklyHoursFactory.create(placement=ordinary, week_start=W2, hours=D(10))
    for code in ("loentilskud", "fleksjob"):
        other = PlacementFactory.create(citizen=citizen, type_code=code, starts_on=W2)
        WeeklyHoursFactory.create(placement=other, week_start=W2, hours=D(20))
        WeeklyHoursFactory.create(placement=other, week_start=W3, hours=D(20))
    assert weekly_totals(citizen) == {W2: D(10)}


def test_hours_of_two_ordinary_placements_in_a_week_add_up(team) -> None:
    citizen = CitizenFactory.create(team=team)
    a = PlacementFactory.create(citizen=citizen, starts_on=W2)
    b = PlacementFactory.create(citizen=citizen, starts_on=W2, type_code="igu")
    register_hours(a, W2, "7,5", actor=None)
    register_hours(b, W2, "2,5", actor=None)
    assert weekly_totals(citizen) == {W2: D(10)}
    assert monthly_totals(weekly_totals(citizen)) == {(2026, 1): D("10.00")}


def test_database_refuses_more_than_80_hours(placement) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyHours.objects.create(placement=placement, week_start=W2, hours=D(81), source="borger")
