"""The monthly status on the first working day of a month (Danish public holidays), once, and
the leaders' mail with a link when it is done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from reporting.reports import schedule, tasks
from reporting.reports.models import ReportRun, ReportType, RunStatus
from tests.reporting.reports.conftest import Office

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.mark.parametrize(
    ("year", "month", "first"),
    [
        (2027, 1, dt.date(2027, 1, 4)),  # 1 Jan Friday (nytårsdag), then the weekend
        (2026, 2, dt.date(2026, 2, 2)),  # 1 Feb is a Sunday
        (2024, 4, dt.date(2024, 4, 2)),  # 1 April 2024 was 2. påskedag
        (2029, 4, dt.date(2029, 4, 3)),  # Easter 1 April 2029: 2. påskedag on Monday 2 April
        (2026, 6, dt.date(2026, 6, 1)),  # an ordinary Monday
        (2027, 5, dt.date(2027, 5, 3)),  # 1 May is a Saturday (not a holiday in itself)
    ],
)
def test_first_working_day(year: int, month: int, first: dt.date) -> None:
    assert schedule.first_working_day(year, month) == first


def test_easter_dates() -> None:
    assert schedule.easter(2026) == dt.date(2026, 4, 5)
    assert schedule.easter(2027) == dt.date(2027, 3, 28)
    assert schedule.easter(2024) == dt.date(2024, 3, 31)
    # Store bededag (4th Friday after Easter) until 2023 only.
    assert dt.date(2023, 5, 5) in schedule.closed_days(2023)
    assert dt.date(2024, 4, 26) not in schedule.closed_days(2024)


@pytest.mark.django_db
@override_settings(MAILERS=LOCMEM, SITE_URL="https://substitution.example.dk")
def test_the_monthly_status_is_made_on_the_first_working_day_and_mailed(
    office: Office, django_capture_on_commit_callbacks: Any
) -> None:
    queued: list[int] = []
    # Not the first working day of December 2026 (Tuesday 1 December): nothing.
    assert schedule.monthly_status_if_due(queued.append, dt.date(2026, 12, 2)) == []
    with django_capture_on_commit_callbacks(execute=True):
        made = schedule.monthly_status_if_due(queued.append, dt.date(2026, 12, 1))
    (run,) = ReportRun.objects.filter(pk__in=made)
    assert queued == made
    assert run.report_type == ReportType.MAANEDLIG_STATUS and run.scheduled
    assert run.team is None and run.requested_by is None
    assert run.parameters == {"period": "2026-11-01:2026-11-30"}
    # The hourly beat asks again the same day: not made twice, not while queued nor after.
    assert schedule.monthly_status_if_due(queued.append, dt.date(2026, 12, 1)) == []
    mail.outbox.clear()
    assert tasks.generate_report.run(run.pk) == "done"
    run.refresh_from_db()
    assert run.status == RunStatus.FAERDIG
    assert schedule.monthly_status_if_due(queued.append, dt.date(2026, 12, 1)) == []
    (message,) = mail.outbox
    assert message.to == ["lis@jobcenter.dk"]  # the leder, not the teamledere
    assert message.subject == "Månedlig status for 11.2026 er klar"
    assert f"https://substitution.example.dk/styring/rapporter/{run.pk}/" in message.body


def test_the_beat_schedule_has_the_report_tasks() -> None:
    from django.conf import settings

    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "reporting.reports.tasks.requeue_stale_reports",
        "reporting.reports.tasks.purge_report_files",
        "reporting.reports.tasks.schedule_monthly_status",
    } <= tasks_scheduled
