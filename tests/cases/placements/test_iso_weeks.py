"""ISO weeks across month and year ends (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.placements.hours import (
    iso_week_label,
    last_finished_week,
    parse_iso_week,
    week_start,
    weeks_ending,
    weeks_in_year,
)

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep


def test_2026_w01_begins_on_29_december_2025() -> None:
    assert parse_iso_week("2026-W01") == dt.date(2025, 12, 29)
    assert iso_week_label(dt.date(2025, 12, 29)) == "2026-W01"
    assert iso_week_label(dt.date(2025, 12, 31)) == "2026-W01"
    assert iso_week_label(dt.date(2026, 1, 4)) == "2026-W01"


@pytest.mark.parametrize(
    ("year", "weeks"),
    [(2020, 53), (2021, 52), (2024, 52), (2025, 52), (2026, 53), (2027, 52), (2032, 53)],
)
def test_weeks_in_year(year: int, weeks: int) -> None:
    assert weeks_in_year(year) == weeks


def test_week_53_exists_only_in_long_years() -> None:
    assert parse_iso_week("2026-W53") == dt.date(2026, 12, 28)
    # 2026-W53 runs into 2027: 3 January 2027 is still in it.
    assert iso_week_label(dt.date(2027, 1, 3)) == "2026-W53"
    assert parse_iso_week("2027-W01") == dt.date(2027, 1, 4)
    with pytest.raises(ValueError, match="2025 har ikke en uge 53"):
        parse_iso_week("2025-W53")


@pytest.mark.parametrize("value", ["2026W14", "2026-w14", " 2026-W14 ", "2026-W14"])
def test_parse_accepts_common_spellings(value: str) -> None:
    assert parse_iso_week(value) == dt.date(2026, 3, 30)


@pytest.mark.parametrize("value", ["", "2026-14", "W14", "2026-W00", "2026-W54", "14/2026"])
def test_parse_rejects_bad_weeks(value: str) -> None:
    with pytest.raises(ValueError):
        parse_iso_week(value)


def test_week_start_across_month_and_year_end() -> None:
    assert week_start(dt.date(2026, 7, 2)) == dt.date(2026, 6, 29)  # Thursday in July
    assert week_start(dt.date(2026, 1, 1)) == dt.date(2025, 12, 29)
    assert week_start(dt.date(2026, 3, 30)) == dt.date(2026, 3, 30)  # a Monday is its own


def test_weeks_ending_and_last_finished_week() -> None:
    weeks = weeks_ending(dt.date(2026, 1, 7), 3)
    assert weeks == [dt.date(2025, 12, 22), dt.date(2025, 12, 29), dt.date(2026, 1, 5)]
    assert last_finished_week(dt.date(2026, 1, 7)) == dt.date(2025, 12, 29)
    assert last_finished_week(dt.date(2026, 1, 5)) == dt.date(2025, 12, 29)
