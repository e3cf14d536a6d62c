"""The frozen clock of the test suite (docs/days.md).

Every test runs at a fixed instant, never the wall clock: ``DEFAULT`` unless pytest is given
``--clock NAME`` (one instant of ``HARD_INSTANTS``, for the whole run) or ``--clock sweep``
(tests marked ``clock_sweep`` run once at each hard instant). A test that must see real time
(none today) says so with ``@pytest.mark.wall_clock``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CPH = ZoneInfo("Europe/Copenhagen")

# Wednesday 2 December 2026, 10:00 in Copenhagen: an ordinary working morning.
DEFAULT = dt.datetime(2026, 12, 2, 10, 0, tzinfo=CPH)

# The instants where a day count done in 24-hour steps, in UTC, or from the wall clock goes
# wrong. Copenhagen changed to summer time on Sunday 29 March 2026 (02:00 -> 03:00) and back
# on Sunday 25 October 2026 (03:00 -> 02:00; 02:30 happens twice, ``fold`` picks which).
HARD_INSTANTS: dict[str, dt.datetime] = {
    "evening-2330": dt.datetime(2026, 12, 1, 23, 30, tzinfo=CPH),
    "night-0030": dt.datetime(2026, 12, 2, 0, 30, tzinfo=CPH),
    "spring-eve-2300": dt.datetime(2026, 3, 28, 23, 0, tzinfo=CPH),
    "spring-0130": dt.datetime(2026, 3, 29, 1, 30, tzinfo=CPH),
    "spring-0300": dt.datetime(2026, 3, 29, 3, 0, tzinfo=CPH),
    "autumn-eve-2300": dt.datetime(2026, 10, 24, 23, 0, tzinfo=CPH),
    "autumn-0230-summer": dt.datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=CPH),
    "autumn-0230-winter": dt.datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=CPH),
    "autumn-0300": dt.datetime(2026, 10, 25, 3, 0, tzinfo=CPH),
    "new-years-eve-2359": dt.datetime(2026, 12, 31, 23, 59, tzinfo=CPH),
    "new-year-0001": dt.datetime(2027, 1, 1, 0, 1, tzinfo=CPH),
    "leap-day": dt.datetime(2028, 2, 29, 12, 0, tzinfo=CPH),
    "leap-day-2330": dt.datetime(2028, 2, 29, 23, 30, tzinfo=CPH),
    "iso-week-53-monday": dt.datetime(2026, 12, 28, 9, 0, tzinfo=CPH),
}


def resolve(name: str) -> dt.datetime:
    """``default``, a name of ``HARD_INSTANTS``, or an ISO 8601 instant with an offset."""
    if name in ("", "default"):
        return DEFAULT
    if name in HARD_INSTANTS:
        return HARD_INSTANTS[name]
    moment = dt.datetime.fromisoformat(name)
    return moment if moment.tzinfo else moment.replace(tzinfo=CPH)
