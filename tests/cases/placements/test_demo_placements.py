"""Demo placements: placed at companies in contact (never before the first contact), on their
tasks, tasks dated besat from the filling placement; deterministic, idempotent, consistent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Min

from cases.placements.models import Placement, WeeklyHours, current_status
from companies.models import (
    Company,
    CompanyContact,
    CompanyStatusChange,
    PipelineStatus,
    Task,
    TaskStatus,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)
SCALE = "0.2"  # 30 companies, about 27 placements


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        yield


def seed(seed: int = 2026) -> str:
    out = StringIO()
    call_command("seed_demo", "--scale", SCALE, "--seed", str(seed), stdout=out)
    return out.getvalue()


def first_contacts() -> dict[int, dt.date]:
    first: dict[int, dt.date] = {}
    changes = CompanyStatusChange.objects.exclude(status=PipelineStatus.EMNE)
    for rows, day in ((changes, "changed_on"), (CompanyContact.objects.all(), "occurred_on")):
        for company_id, value in (
            rows.values("company_id").annotate(day=Min(day)).values_list("company_id", "day")
        ):
            first[company_id] = min(value, first.get(company_id, value))
    return first


def snapshot() -> list[tuple[Any, ...]]:
    """Placements by natural keys (pks differ between runs on PostgreSQL)."""
    return list(
        Placement.objects.order_by("citizen__cpr", "starts_on", "company__cvr", "type__code")
        .values_list(
            "citizen__cpr",
            "company__cvr",
            "task__title",
            "type__code",
            "starts_on",
            "ends_on",
            "status",
            "planned_hours_per_week",
        )
        .distinct()
    )


def test_placements_only_at_contacted_companies_and_never_before_the_first_contact() -> None:
    seed()
    placements = list(
        Placement.objects.values_list("company_id", "company__status", "starts_on", "task_id")
    )
    assert len(placements) >= 20
    first = first_contacts()
    for company_id, status, starts_on, _task in placements:
        assert status in {
            PipelineStatus.KONTAKTET,
            PipelineStatus.KORTLAGT,
            PipelineStatus.SAMARBEJDE,
        }
        assert starts_on >= first[company_id]
    # Mostly at companies the jobcentre works closely with.
    close = sum(1 for p in placements if p[1] != PipelineStatus.KONTAKTET)
    assert close > len(placements) / 2
    # On the company's own tasks, mapped (created) by the start and not closed.
    on_task = Placement.objects.exclude(task=None).select_related("task__session")
    assert on_task.exists()
    for placement in on_task:
        assert placement.task is not None
        assert placement.task.company_id == placement.company_id
        assert placement.task.session is not None
        assert placement.task.session.held_on <= placement.starts_on
        assert placement.task.status != TaskStatus.LUKKET


def test_filled_tasks_are_besat_from_the_start_of_the_filling_placement() -> None:
    seed()
    filled = 0
    for task in Task.objects.filter(status=TaskStatus.BESAT, placements__isnull=False).distinct():
        holding = sorted(
            task.placements.exclude(ends_on__lt=TODAY).values_list("starts_on", flat=True)
        )
        if len(holding) < task.positions:
            continue  # besat from the companies seeder, not by these placements
        filled += 1
        # The placement that took the last position; a planned one reserves it today.
        assert task.status_changed_on == min(TODAY, holding[task.positions - 1])
    assert filled >= 1


def test_seed_is_deterministic_idempotent_and_consistent() -> None:
    # Seed, remember, roll back; seed again from nothing: the same placements.
    with transaction.atomic():
        seed()
        first = snapshot()
        tasks = list(
            Task.objects.order_by("company__cvr", "title").values_list(
                "status", "status_changed_on"
            )
        )
        transaction.set_rollback(True)
    assert not Placement.objects.exists() and not Company.objects.exists()
    seed()
    assert first and snapshot() == first
    assert (
        list(
            Task.objects.order_by("company__cvr", "title").values_list(
                "status", "status_changed_on"
            )
        )
        == tasks
    )
    counts = (Placement.objects.count(), WeeklyHours.objects.count())
    assert "Forløb: findes allerede" in seed()  # idempotent: a second run adds nothing
    assert (Placement.objects.count(), WeeklyHours.objects.count()) == counts
    assert WeeklyHours.objects.exists()
    # Hours only on ordinary-hours types and inside the placement's dates.
    for row in WeeklyHours.objects.select_related("placement__type"):
        assert row.placement.type.counts_as_ordinary_hours
        assert row.week_start + dt.timedelta(days=6) >= row.placement.starts_on
        assert row.placement.ends_on is None or row.week_start <= row.placement.ends_on
    for placement in Placement.objects.all():
        assert placement.status == current_status(placement)


def test_the_demo_mentor_has_a_caseload() -> None:
    """Issue 14, defect 5: the demo mentor had 0 citizens and an empty Min dag."""
    from cases.citizens.queries import my_caseload
    from substitution.models import User

    seed()
    mentor = User.objects.get(username="mentor")
    assert my_caseload(mentor).exists()
