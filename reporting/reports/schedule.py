"""The monthly status on the first working day of each month (docs/reports.md).

A Danish working day is a weekday that is not a public holiday. The project has no holiday
helper and no holiday library, so the public holidays are computed here from Easter (the
Gregorian computus): nytårsdag, skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi
himmelfartsdag, pinsedag, 2. pinsedag, juledag and 2. juledag; store bededag until 2023 (it
was abolished from 2024); and 5 June (grundlovsdag), 24 and 31 December, which jobcentres
close on although they are not public holidays. Only the first working day of a month is
asked for, so only 1 January (nytårsdag) and an Easter or Whitsun Monday early in a month ever
move it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from reporting.measures import Period
from reporting.reports import services
from reporting.reports.models import ReportRun, ReportType, RunStatus
from reporting.reports.params import Params
from substitution import days
from substitution.audit import SYSTEM
from substitution.models import Membership, Role, Unit, User

logger = logging.getLogger(__name__)


def easter(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def closed_days(year: int) -> set[dt.date]:
    sunday = easter(year)
    offsets = [-3, -2, 0, 1, 39, 49, 50]  # skærtorsdag … 2. pinsedag
    if year < 2024:
        offsets.append(26)  # store bededag
    fixed = [(1, 1), (6, 5), (12, 24), (12, 25), (12, 26), (12, 31)]
    return {sunday + dt.timedelta(days=n) for n in offsets} | {
        dt.date(year, m, d) for m, d in fixed
    }


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in closed_days(day.year)


def first_working_day(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def previous_month(day: dt.date) -> Period:
    first = days.add_months(days.month_start(day), -1)
    return Period(first, days.month_end(first))


def monthly_status_if_due(enqueue: services.Enqueue, today: dt.date | None = None) -> list[int]:
    """On the first working day of a month, queue the monthly status of the previous month for
    every jobcentre (once: a scheduled run of that month that exists, in any state but failed,
    is not made again). Returns the runs queued."""
    today = today or days.today()
    if today != first_working_day(today.year, today.month):
        return []
    period = previous_month(today)
    queued = []
    for unit in Unit.objects.order_by("pk"):
        params = Params(ReportType.MAANEDLIG_STATUS, unit.pk, None, period)
        made = (
            ReportRun.objects.filter(
                unit=unit,
                report_type=ReportType.MAANEDLIG_STATUS,
                scheduled=True,
                parameters=params.as_json(),
            )
            .exclude(status=RunStatus.FEJLET)
            .exists()
        )
        if made:
            continue
        requested = services.request_run(None, SYSTEM, params, enqueue=enqueue, scheduled=True)
        if requested.created:
            queued.append(requested.run.pk)
    return queued


def leaders(unit_id: int) -> list[str]:
    ids = Membership.objects.filter(team__unit_id=unit_id, role=Role.LEDER).values("user_id")
    users = User.objects.filter(pk__in=ids, is_active=True).exclude(email="")
    return sorted({u.email for u in users})


def mail_leaders(run: ReportRun) -> int:
    """Mail the jobcentre's leaders a link to a finished scheduled run (Django's mailer)."""
    recipients = leaders(run.unit_id)
    if not recipients:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("reporting:report_run", args=[run.pk])
    period = services.params_of(run).period
    subject = f"Månedlig status for {period.first:%m.%Y} er klar"
    body = (
        f"Månedlig status for {run.unit} for {period.first:%m.%Y} er dannet.\n\n"
        f"Hent rapporten her (log ind først): {link}\n\n"
        "Venlig hilsen\nSubstitution"
    )
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
