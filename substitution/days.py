"""One rule for days: every day count is a Copenhagen calendar day (docs/days.md).

"Days since", "due today", "overdue", "this week", "this month", period edges and cadences are
counted in Europe/Copenhagen calendar days, never in 24-hour steps from an instant: a
conversation held at 00:30 on 3 March and one held at 23:30 the same day were both held "on 3
March", and on 14 April both were held 42 days ago, whatever the daylight-saving changes in
between. Thresholds such as 42 days mean 42 calendar days.

Python code takes its dates from ``today()`` and ``local_date()``; SQL annotations convert a
timestamp with ``local_date_sql()`` (``AT TIME ZONE 'Europe/Copenhagen'`` on PostgreSQL, the
same conversion on SQLite) before taking its date, never with the connection's time zone (UTC
under ``USE_TZ``). A window over timestamps is bounded by ``start_of_day()``: local midnight.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Expression, F
from django.db.models.functions import TruncDate
from django.utils import timezone

TZ = ZoneInfo("Europe/Copenhagen")


# --- Python --------------------------------------------------------------------------------


def now() -> dt.datetime:
    """The current instant (aware); for timestamps only, never for counting days."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in Copenhagen."""
    return timezone.now().astimezone(TZ).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The Copenhagen calendar date of an instant (a naive datetime is taken as local)."""
    if timezone.is_naive(moment):
        return moment.date()
    return moment.astimezone(TZ).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """Local midnight at the start of ``day``, as an aware instant (midnight always exists in
    Copenhagen: the clocks change at 02:00 and 03:00)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=TZ)


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """The instant a date and a clock time typed in Copenhagen stand for.

    The hour skipped when summer time starts (02:00-02:59 on the last Sunday of March) never
    happened: ``ValueError``. The hour repeated when it ends (02:00-02:59 on the last Sunday
    of October) is taken at its first occurrence, still on summer time."""
    naive = dt.datetime.combine(day, time)
    moment = naive.replace(tzinfo=TZ)  # fold=0: the first of a repeated hour
    if moment.astimezone(dt.UTC).astimezone(TZ).replace(tzinfo=None) != naive:
        raise ValueError(f"{naive:%Y-%m-%d %H:%M} does not exist in Copenhagen")
    return moment


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day``: local midnight starting the next day (exclusive)."""
    return start_of_day(day + dt.timedelta(days=1))


def days_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar days from ``earlier`` to ``later`` (negative if later is earlier)."""
    return (later - earlier).days


def days_since(moment: dt.datetime | dt.date | None, day: dt.date | None = None) -> int | None:
    """Calendar days from ``moment`` (its local date) to ``day`` (default today); None if never.

    Held at 23:30 yesterday or at 00:30 yesterday: 1 day ago either way."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        moment = local_date(moment)
    return days_between(moment, day or today())


def days_ago(n: int, day: dt.date | None = None) -> dt.date:
    """The date ``n`` calendar days before ``day`` (default today)."""
    return (day or today()) - dt.timedelta(days=n)


def more_than_days_ago(n: int, day: dt.date | None = None) -> dt.datetime:
    """The cut-off instant for "more than ``n`` days ago": a moment lies more than ``n``
    calendar days before ``day`` exactly when it is earlier than this instant (local midnight
    starting day − n). ``days_since(m, day) > n`` ⇔ ``m < more_than_days_ago(n, day)``."""
    return start_of_day(days_ago(n, day))


def is_more_than_days_ago(moment: dt.datetime | None, n: int, day: dt.date | None = None) -> bool:
    """Whether ``moment`` lies more than ``n`` calendar days before ``day``; never (None) is."""
    since = days_since(moment, day)
    return since is None or since > n


# --- weeks and months -----------------------------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week that contains ``day``."""
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s calendar month."""
    return day.replace(day=1)


def next_month_start(day: dt.date) -> dt.date:
    """The first day of the calendar month after ``day``'s."""
    if day.month == 12:
        return dt.date(day.year + 1, 1, 1)
    return dt.date(day.year, day.month + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s calendar month."""
    return next_month_start(day) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (or earlier), clipped to the month's end:
    31 January + 1 month is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    first = dt.date(year, month0 + 1, 1)
    return first.replace(day=min(day.day, month_end(first).day))


# --- SQL -----------------------------------------------------------------------------------


def local_date_sql(field: str | Expression) -> TruncDate:
    """A timestamp column's Copenhagen date, computed in the database (``AT TIME ZONE
    'Europe/Copenhagen'`` on PostgreSQL), for filters, groupings and annotations."""
    expression = F(field) if isinstance(field, str) else field
    return TruncDate(expression, tzinfo=TZ)


# The months in Danish, lower case as in running text ("november 2026").
MONTH_NAMES = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def month_label(day: dt.date) -> str:
    """``november 2026``: the calendar month of ``day`` in Danish."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"
