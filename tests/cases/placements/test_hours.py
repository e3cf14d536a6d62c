"""Registering and correcting ordinary hours: validation, corrections, the type flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from cases.placements.hours import (
    format_hours,
    monthly_totals,
    parse_hours,
    register_hours,
    weekly_totals,
)
from cases.placements.models import WeeklyHours, WeeklyHoursRevision
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

W2 = dt.date(2026, 1, 5)  # 2026-W02
W3 = dt.date(2026, 1, 12)


@pytest.fixture
def placement(team):  # type: ignore[no-untyped-def]
    return PlacementFactory(citizen=CitizenFactory(team=team), starts_on=W2)


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


def test_register_and_refuse_second_entry(placement, jobformidler) -> None:  # type: ignore[no-untyped-def]
    first = register_hours(placement, W2, "7,5", user=jobformidler)
    assert first.created and first.row.hours == D("7.5")
    with pytest.raises(ValidationError, match="allerede 7,5 timer"):
        register_hours(placement, W2, "9")
    assert WeeklyHours.objects.get().hours == D("7.5")


def test_correction_replaces_and_keeps_history(placement, jobformidler) -> None:  # type: ignore[no-untyped-def]
    register_hours(placement, W2, "7,5", source="borger")
    result = register_hours(
        placement, W2, "9", source="loenseddel", correction=True, user=jobformidler, reason="x"
    )
    assert result.corrected
    row = WeeklyHours.objects.get()
    assert (row.hours, row.source) == (D(9), "loenseddel")
    revision = WeeklyHoursRevision.objects.get()
    assert (revision.hours, revision.source, revision.replaced_by) == (
        D("7.5"),
        "borger",
        jobformidler,
    )


def test_unchanged_correction_writes_nothing(placement) -> None:  # type: ignore[no-untyped-def]
    register_hours(placement, W2, "7,5", source="loenseddel")
    result = register_hours(placement, W2, "7.50", source="loenseddel", correction=True)
    assert not result.created and not result.corrected
    assert not WeeklyHoursRevision.objects.exists()


def test_weeks_outside_the_placement_are_refused(team) -> None:  # type: ignore[no-untyped-def]
    # Starts Wednesday 7 Jan, ends Tuesday 20 Jan: weeks 2, 3 and 4 overlap; 1 and 5 do not.
    placement = PlacementFactory(
        citizen=CitizenFactory(team=team),
        starts_on=dt.date(2026, 1, 7),
        ends_on=dt.date(2026, 1, 20),
    )
    for monday in (W2, W3, dt.date(2026, 1, 19)):
        register_hours(placement, monday, 5)
    for monday in (dt.date(2025, 12, 29), dt.date(2026, 1, 26)):
        with pytest.raises(ValidationError, match="uden for forløbets datoer"):
            register_hours(placement, monday, 5)


def test_week_must_be_given_by_its_monday(placement) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="mandag"):
        register_hours(placement, dt.date(2026, 1, 7), 5)


@pytest.mark.parametrize("code", ["loentilskud", "fleksjob", "virksomhedspraktik"])
def test_types_that_are_not_ordinary_hours_are_refused(team, code: str) -> None:  # type: ignore[no-untyped-def]
    placement = PlacementFactory(citizen=CitizenFactory(team=team), type_code=code, starts_on=W2)
    with pytest.raises(ValidationError, match="tæller ikke som ordinære timer"):
        register_hours(placement, W2, 10)


def test_loentilskud_and_fleksjob_hours_never_count(team) -> None:  # type: ignore[no-untyped-def]
    """Even rows that reached the table some other way (old data, admin) are not counted."""
    citizen = CitizenFactory(team=team)
    ordinary = PlacementFactory(citizen=citizen, starts_on=W2)
    WeeklyHoursFactory(placement=ordinary, week_start=W2, hours=D(10))
    for code in ("loentilskud", "fleksjob"):
        other = PlacementFactory(citizen=citizen, type_code=code, starts_on=W2)
        WeeklyHoursFactory(placement=other, week_start=W2, hours=D(20))
        WeeklyHoursFactory(placement=other, week_start=W3, hours=D(20))
    assert weekly_totals(citizen) == {W2: D(10)}


def test_hours_of_two_ordinary_placements_in_a_week_add_up(team) -> None:  # type: ignore[no-untyped-def]
    citizen = CitizenFactory(team=team)
    a = PlacementFactory(citizen=citizen, starts_on=W2)
    b = PlacementFactory(citizen=citizen, starts_on=W2, type_code="igu")
    register_hours(a, W2, "7,5")
    register_hours(b, W2, "2,5")
    assert weekly_totals(citizen) == {W2: D(10)}
    assert monthly_totals(weekly_totals(citizen)) == {(2026, 1): D("10.00")}


def test_database_refuses_more_than_80_hours(placement) -> None:  # type: ignore[no-untyped-def]
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyHours.objects.create(placement=placement, week_start=W2, hours=D(81), source="borger")
