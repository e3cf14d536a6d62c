"""The day rule (substitution.days): Copenhagen calendar days at every hard instant, in Python
and in SQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import Value
from django.db.models.fields import DateTimeField

from substitution import days
from substitution.models import AuditEvent
from tests.clock import CPH, HARD_INSTANTS

UTC = dt.UTC

# Each hard instant with the Copenhagen date it falls on (worked out by hand: Copenhagen is
# UTC+1 in winter, UTC+2 in summer), its ISO week's Monday and its month's first and last day.
EXPECTED: dict[str, tuple[dt.date, dt.date, dt.date, dt.date]] = {
    "evening-2330": (
        dt.date(2026, 12, 1),
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    ),
    "night-0030": (
        dt.date(2026, 12, 2),
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    ),
    "spring-eve-2300": (
        dt.date(2026, 3, 28),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
    ),
    "spring-0130": (
        dt.date(2026, 3, 29),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
    ),
    "spring-0300": (
        dt.date(2026, 3, 29),
        dt.date(2026, 3, 23),
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 31),
    ),
    "autumn-eve-2300": (
        dt.date(2026, 10, 24),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
    ),
    "autumn-0230-summer": (
        dt.date(2026, 10, 25),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
    ),
    "autumn-0230-winter": (
        dt.date(2026, 10, 25),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
    ),
    "autumn-0300": (
        dt.date(2026, 10, 25),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
    ),
    "new-years-eve-2359": (
        dt.date(2026, 12, 31),
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    ),
    "new-year-0001": (
        dt.date(2027, 1, 1),
        dt.date(2026, 12, 28),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 31),
    ),
    "leap-day": (
        dt.date(2028, 2, 29),
        dt.date(2028, 2, 28),
        dt.date(2028, 2, 1),
        dt.date(2028, 2, 29),
    ),
    "leap-day-2330": (
        dt.date(2028, 2, 29),
        dt.date(2028, 2, 28),
        dt.date(2028, 2, 1),
        dt.date(2028, 2, 29),
    ),
    "iso-week-53-monday": (
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 28),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    ),
}

# The same instants in UTC, written out by hand, so the expectations do not lean on zoneinfo.
UTC_OF: dict[str, dt.datetime] = {
    "evening-2330": dt.datetime(2026, 12, 1, 22, 30, tzinfo=UTC),
    "night-0030": dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
    "spring-eve-2300": dt.datetime(2026, 3, 28, 22, 0, tzinfo=UTC),
    "spring-0130": dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
    "spring-0300": dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    "autumn-eve-2300": dt.datetime(2026, 10, 24, 21, 0, tzinfo=UTC),
    "autumn-0230-summer": dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    "autumn-0230-winter": dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    "autumn-0300": dt.datetime(2026, 10, 25, 2, 0, tzinfo=UTC),
    "new-years-eve-2359": dt.datetime(2026, 12, 31, 22, 59, tzinfo=UTC),
    "new-year-0001": dt.datetime(2026, 12, 31, 23, 1, tzinfo=UTC),
    "leap-day": dt.datetime(2028, 2, 29, 11, 0, tzinfo=UTC),
    "leap-day-2330": dt.datetime(2028, 2, 29, 22, 30, tzinfo=UTC),
    "iso-week-53-monday": dt.datetime(2026, 12, 28, 8, 0, tzinfo=UTC),
}


def test_every_hard_instant_is_checked() -> None:
    assert set(EXPECTED) == set(HARD_INSTANTS) == set(UTC_OF)
    for name, moment in HARD_INSTANTS.items():
        # Compared as timestamps: Python never calls an ambiguous (fold) local time equal to
        # an instant in another zone.
        assert moment.timestamp() == UTC_OF[name].timestamp(), name


@pytest.mark.parametrize("name", sorted(HARD_INSTANTS))
def test_python_day_helpers_at_each_hard_instant(name: str) -> None:
    local_day, monday, first, last = EXPECTED[name]
    with time_machine.travel(UTC_OF[name], tick=False):
        today = days.today()
        assert today == local_day
        assert days.local_date(days.now()) == local_day
        assert days.week_start(today) == monday
        assert days.month_start(today) == first
        assert days.month_end(today) == last
        assert days.next_month_start(today) == last + dt.timedelta(days=1)
        # Local midnight starts the day, whatever the offset that day.
        start = days.start_of_day(today)
        assert start <= days.now() < days.end_of_day(today)
        assert days.local_date(start) == today
        assert days.local_date(start - dt.timedelta(microseconds=1)) == today - dt.timedelta(1)
        # "Days since" is a count of calendar days: a minute before midnight was yesterday.
        assert days.days_since(start - dt.timedelta(minutes=1)) == 1
        assert days.days_since(start) == 0
        assert days.days_since(None) is None


def test_iso_week_53_and_leap_day() -> None:
    assert dt.date(2026, 12, 28).isocalendar()[:2] == (2026, 53)
    assert dt.date(2027, 1, 3).isocalendar()[:2] == (2026, 53)
    assert days.week_start(dt.date(2027, 1, 3)) == dt.date(2026, 12, 28)
    assert days.month_end(dt.date(2028, 2, 10)) == dt.date(2028, 2, 29)
    assert days.month_end(dt.date(2027, 2, 10)) == dt.date(2027, 2, 28)
    assert days.add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert days.add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert days.add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    assert days.add_months(dt.date(2027, 1, 15), -13) == dt.date(2025, 12, 15)
    assert days.add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)


@pytest.mark.parametrize(
    ("today", "held_local", "expected"),
    [
        # 42 calendar days across the change to winter time (25 October 2026).
        (dt.date(2026, 11, 30), dt.datetime(2026, 10, 19, 0, 30), 42),
        (dt.date(2026, 11, 30), dt.datetime(2026, 10, 19, 23, 30), 42),
        (dt.date(2026, 11, 30), dt.datetime(2026, 10, 18, 23, 30), 43),
        # ... and across the change to summer time (29 March 2026).
        (dt.date(2026, 5, 1), dt.datetime(2026, 3, 20, 0, 30), 42),
        (dt.date(2026, 5, 1), dt.datetime(2026, 3, 20, 23, 30), 42),
        (dt.date(2026, 5, 1), dt.datetime(2026, 3, 19, 0, 30), 43),
    ],
)
def test_days_since_and_the_cut_off_agree(
    today: dt.date, held_local: dt.datetime, expected: int
) -> None:
    held = held_local.replace(tzinfo=CPH)
    assert days.days_since(held, today) == expected
    # The cut-off for "more than 42 days ago" says the same as the count.
    assert (held < days.more_than_days_ago(42, today)) is (expected > 42)
    assert days.is_more_than_days_ago(held, 42, today) is (expected > 42)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HARD_INSTANTS))
def test_sql_local_date_matches_python(name: str) -> None:
    """The database takes a timestamp's date in Copenhagen, not in the connection's UTC."""
    moment = UTC_OF[name]
    AuditEvent.objects.create(action="test", at=moment)
    row = (
        AuditEvent.objects.filter(action="test")
        .annotate(
            local_day=days.local_date_sql("at"),
            literal_day=days.local_date_sql(Value(moment, output_field=DateTimeField())),
        )
        .get()
    )
    assert row.local_day == EXPECTED[name][0] == days.local_date(moment)
    assert row.literal_day == EXPECTED[name][0]
    # Filtering on the local date selects the same row.
    assert (
        AuditEvent.objects.alias(d=days.local_date_sql("at"))
        .filter(d=EXPECTED[name][0], action="test")
        .exists()
    )
