"""A placement's status follows its dates (cases/placements/models.py): ``status_on`` in
Python and ``PlacementQuerySet.with_status_on`` in SQL say the same."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.citizens.models import Citizen
from cases.citizens.steps import derive_step
from cases.placements.models import Placement, PlacementStatus, status_on
from companies.models import Company
from tests.factories.placements import PlacementFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)


def test_status_follows_the_dates() -> None:
    start = dt.date(2026, 3, 1)
    assert status_on(start, None, dt.date(2026, 2, 28)) == PlacementStatus.PLANLAGT
    assert status_on(start, None, start) == PlacementStatus.AKTIV
    assert status_on(start, dt.date(2026, 3, 10), dt.date(2026, 3, 10)) == PlacementStatus.AKTIV
    assert status_on(start, dt.date(2026, 3, 10), dt.date(2026, 3, 11)) == PlacementStatus.AFSLUTTET


def test_loentilskud_counts_as_company_placement_for_the_step(citizen, company) -> None:
    PlacementFactory.create(
        citizen=citizen, company=company, type_code="loentilskud", starts_on=TODAY
    )
    assert derive_step(citizen, TODAY) == 3


def test_sql_and_python_status_agree(citizen: Citizen, company: Company) -> None:
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 10)
    PlacementFactory.create(citizen=citizen, company=company, starts_on=start, ends_on=end)
    PlacementFactory.create(citizen=citizen, company=company, starts_on=start)
    for day in (dt.date(2026, 2, 28), start, end, dt.date(2026, 3, 11)):
        for placement in Placement.objects.all():
            for status in PlacementStatus:
                in_sql = Placement.objects.with_status_on(status, day).filter(pk=placement.pk)
                expected = status_on(placement.starts_on, placement.ends_on, day) == status
                assert in_sql.exists() == expected, (day, placement.ends_on, status)
    assert Placement.objects.overlapping(end, end).count() == 2
    assert Placement.objects.overlapping(TODAY, TODAY).count() == 1
