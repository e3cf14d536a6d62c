"""Hours per calendar month (split by day) and milestone detection, hand-computed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from cases.placements.hours import DEFAULT_TARGETS, Targets, milestones, monthly_totals

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

MON = dt.date  # readability: every key below is a Monday


def test_week_spanning_two_months_splits_by_day() -> None:
    # Mon 29 June - Sun 5 July 2026: 2 days in June, 5 in July; 14 h = 2 h per day.
    assert monthly_totals({MON(2026, 6, 29): D(14)}) == {
        (2026, 6): D("4.00"),
        (2026, 7): D("10.00"),
    }


def test_week_spanning_the_year_end() -> None:
    # 2026-W01: Mon 29 Dec 2025 - Sun 4 Jan 2026: 3 days in 2025, 4 in 2026; 7 h.
    assert monthly_totals({MON(2025, 12, 29): D(7)}) == {
        (2025, 12): D("3.00"),
        (2026, 1): D("4.00"),
    }


def test_month_totals_sum_several_weeks_exactly() -> None:
    weekly = {MON(2026, 3, 2): D(10), MON(2026, 3, 30): D(10)}
    # 30 Mar - 5 Apr: 2 days March, 5 days April. March = 10 + 10*2/7; April = 10*5/7.
    assert monthly_totals(weekly) == {(2026, 3): D("12.86"), (2026, 4): D("7.14")}


def test_a_monthly_payslip_counts_whole_in_its_month() -> None:
    """Six hours on each of the five Mondays of March 2026 reported on the March payslip are 30
    hours in March: the småjob month is reached (on the month's last day, when the payslip's
    total is complete). The same hours as five weekly rows split by day give 25.71 in March
    (the last week runs into April) and miss it."""
    payslip = [(dt.date(2026, 3, 1), dt.date(2026, 3, 31), D(30))]
    assert monthly_totals(payslip) == {(2026, 3): D("30.00")}
    smalljob = {m.key: m for m in milestones(payslip)}["smalljob"]
    assert (smalljob.reached_on, smalljob.period) == (dt.date(2026, 3, 31), "marts 2026")
    mondays = {MON(2026, 3, d): D(6) for d in (2, 9, 16, 23, 30)}
    assert monthly_totals(mondays)[(2026, 3)] == D("25.71")
    assert {m.key: m for m in milestones(mondays)}["smalljob"].reached_on is None


def test_a_period_of_any_length_is_spread_by_day() -> None:
    # 15 March - 14 April, 31 days, 62 hours: 17 days in March (34 h), 14 in April (28 h).
    assert monthly_totals([(dt.date(2026, 3, 15), dt.date(2026, 4, 14), D(62))]) == {
        (2026, 3): D("34.00"),
        (2026, 4): D("28.00"),
    }


def _by_key(weekly: dict[dt.date, D], targets: Targets = DEFAULT_TARGETS) -> dict[str, object]:
    return {m.key: m.reached_on for m in milestones(weekly, targets)}


def test_no_hours_no_milestones() -> None:
    assert _by_key({MON(2026, 1, 5): D(0)}) == {
        "first_hour": None,
        "smalljob": None,
        "weekly_target": None,
        "full_time": None,
    }


def test_growing_hours_reach_each_milestone_on_the_right_day() -> None:
    weekly = {
        MON(2026, 1, 5): D(0),
        MON(2026, 1, 12): D("2.5"),  # first paid hour in week 3
        MON(2026, 1, 19): D(7),
        MON(2026, 1, 26): D(14),  # 26 Jan - 1 Feb
        MON(2026, 2, 2): D(30),
        MON(2026, 2, 9): D(37),
    }
    result = _by_key(weekly)
    assert result["first_hour"] == MON(2026, 1, 12)
    # January running total (split by day): wk3 2.5, wk4 7 -> 9.5 by 25 Jan; then 2 h/day:
    # 26 Jan 11.5, 27 13.5, 28 15.5, 29 17.5, 30 19.5, 31 21.5 -> never 30 in January.
    # February: 1 Feb 2, then 30/7 per day from 2 Feb: 2 + 30*n/7 >= 30 -> n = 7 -> 8 Feb.
    assert result["smalljob"] == MON(2026, 2, 8)
    assert result["weekly_target"] == MON(2026, 2, 2)
    assert result["full_time"] == MON(2026, 2, 9)


def test_targets_are_configurable() -> None:
    weekly = {MON(2026, 1, 5): D(20)}
    targets = Targets(weekly_target=D(20), monthly_smalljob=D(10), full_time=D(37))
    result = _by_key(weekly, targets)
    assert result["weekly_target"] == MON(2026, 1, 5)
    # 20/7 per day: 10 h reached on day 4 (80/7 = 11.4 >= 10; 60/7 = 8.6 < 10) -> 8 Jan.
    assert result["smalljob"] == MON(2026, 1, 8)
    assert result["full_time"] is None


def test_milestone_labels_and_periods() -> None:
    ms = milestones({MON(2026, 3, 30): D(37)})
    labels = {m.key: (m.label, m.period) for m in ms}
    assert labels["first_hour"] == ("Første lønnede time", "2026-W14")
    assert labels["full_time"][1] == "2026-W14"
    # 37 h split: 2 days in March (10.57 h), 5 in April (26.43 h): no month reaches 30.
    assert labels["smalljob"][1] == ""
    assert ms[1].reached_on is None
    # One more week: April 26.43 + 37/7 on Monday 6 April = 31.71 >= 30.
    ms = milestones({MON(2026, 3, 30): D(37), MON(2026, 4, 6): D(37)})
    assert ms[1].reached_on == MON(2026, 4, 6)
    assert ms[1].period == "april 2026"
