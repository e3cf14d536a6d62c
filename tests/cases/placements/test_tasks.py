"""The Celery beat task (cases/tasks.py): scheduled, and refreshes as the system."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cases.citizens.models import Citizen
from cases.placements.models import PlacementStatus
from companies.models import Company
from substitution.models import AuditAction, AuditEvent
from tests.factories.placements import PlacementFactory

pytestmark = pytest.mark.clock_sweep


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 3, 11, 10, 0), tick=False):
        yield


def test_refresh_task_is_scheduled_and_runs(citizen, company) -> None:
    from django.conf import settings

    from cases.tasks import refresh_placement_statuses

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cases.tasks.refresh_placement_statuses" in tasks
    placement = PlacementFactory.create(
        citizen=citizen, company=company, starts_on=dt.date(2026, 3, 1), status="planlagt"
    )
    assert refresh_placement_statuses.apply().get() == 1
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AKTIV


def test_the_beat_task_audits_as_the_system(citizen: Citizen, company: Company) -> None:
    from cases.tasks import refresh_placement_statuses

    placement = PlacementFactory.create(
        citizen=citizen,
        company=company,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 5),
        status="aktiv",  # stored before the end date passed
    )
    assert refresh_placement_statuses.apply().get() == 1
    event = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert (event.user, event.ip_address) == (None, None)
    assert (event.object_id, event.citizen_id) == (str(placement.pk), citizen.pk)
    assert event.changes == {"status": ["aktiv", "afsluttet"]}
