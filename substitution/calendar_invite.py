"""A follow-up as a calendar invitation (.ics, RFC 5545), for the jobformidler's own calendar.

The quick-log's agreed next step with a date (and, for a meeting, a time) is a follow-up; the
page offers it as an .ics file that Outlook, Google Calendar and a phone's calendar open. With
a time it is a timed event of ``MEETING_MINUTES`` in Copenhagen time (the file carries the
Europe/Copenhagen time zone, so it stays right across summer time); without one an all-day
event on the due date. What the file says is kept short: the next step as written, the
citizen's first name and the initial of the surname, and a link to the case; never a CPR
number (docs/security.md). ``icalendar`` writes the file (escaping, folding, the time-zone
block) rather than hand-made text.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from substitution import days
from substitution.models import FollowUp

MEETING_MINUTES = 60
PRODID = "-//Substitution//Opfoelgning//DA"


def short_name(full_name: str) -> str:
    """'Karen Marie Jensen' -> 'Karen J.': enough for the caseworker, little for others."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return f"{parts[0]} {parts[-1][0]}."


def invitation(follow_up: FollowUp, *, summary: str, url: str) -> bytes:
    """The .ics file for ``follow_up``; ``summary`` is its title line, ``url`` the case."""
    event = Event()
    event.add("uid", f"opfoelgning-{follow_up.pk}@substitution")
    event.add("dtstamp", days.now().astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", f"{follow_up.title}\n{url}")
    event.add("url", url)
    if follow_up.due_time is not None:
        start = days.local_moment(follow_up.due_on, follow_up.due_time)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=MEETING_MINUTES))
    else:
        event.add("dtstart", follow_up.due_on)
        event.add("dtend", follow_up.due_on + dt.timedelta(days=1))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
