"""Factories for placements, work agreements and weekly hours.

``PlacementFactory.create(citizen=c, type_code="ordinaere-loentimer")`` picks the placement
type from the code list (loaded by companies/migrations/0003_code_lists.py). Companies and
tasks come from the companies factories (``make_company`` and ``make_task`` are short forms of
them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from cases.citizens import facts
from cases.placements.models import (
    HoursSource,
    OrdinaryHoursTerms,
    Placement,
    WeeklyHours,
    WorkAgreement,
    status_on,
)
from companies.models import Company, PlacementType, Task
from substitution import days
from substitution.models import Unit
from tests.factories.cases import CitizenFactory
from tests.factories.companies import CompanyFactory, TaskFactory


def make_company(unit: Unit, name: str = "Bageriet A/S", cvr: str | None = None) -> Company:
    """A company of ``unit`` (``CompanyFactory``; a valid CVR unless one is given)."""
    if cvr is not None:
        return CompanyFactory.create(unit=unit, name=name, cvr=cvr)
    return CompanyFactory.create(unit=unit, name=name)


def make_task(company: Company, title: str = "Opvask", positions: int = 1, **kwargs: Any) -> Task:
    """An open task of 10 hours a week at ``company`` (``TaskFactory``)."""
    kwargs.setdefault("hours_per_week", Decimal(10))
    return TaskFactory.create(company=company, title=title, positions=positions, **kwargs)


def placement_type(code: str) -> PlacementType:
    return PlacementType.objects.get(code=code)


class PlacementFactory(DjangoModelFactory[Placement]):
    class Meta:
        model = Placement
        exclude = ("type_code",)

    citizen = factory.SubFactory(CitizenFactory)
    company = factory.LazyAttribute(lambda o: make_company(o.citizen.unit))
    type_code = "ordinaere-loentimer"
    type = factory.LazyAttribute(lambda o: placement_type(o.type_code))
    starts_on = dt.date(2026, 1, 5)
    # Started placements are confirmed (the start happened); future ones are not yet.
    start_confirmed_on = factory.LazyAttribute(
        lambda o: o.starts_on if o.starts_on <= days.today() else None
    )
    planned_hours_per_week = Decimal(10)
    status = factory.LazyAttribute(
        lambda o: status_on(o.starts_on, o.ends_on, days.today(), o.start_confirmed_on is not None)
    )
    ends_on = None

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:  # as the placement writers do: the citizen's maintained step
            facts.refresh([instance.citizen_id])


class WorkAgreementFactory(DjangoModelFactory[WorkAgreement]):
    class Meta:
        model = WorkAgreement

    placement = factory.SubFactory(PlacementFactory)
    tasks = "Opvask og klargøring af køkken"
    working_hours = "Mandag og onsdag 8-12"
    ordinary_hours_terms = OrdinaryHoursTerms.FRA_START
    follow_up_days = 14


class WeeklyHoursFactory(DjangoModelFactory[WeeklyHours]):
    class Meta:
        model = WeeklyHours

    placement = factory.SubFactory(PlacementFactory)
    week_start = dt.date(2026, 1, 5)
    ends_on = factory.LazyAttribute(lambda o: o.week_start + dt.timedelta(days=6))
    hours = Decimal(8)
    source = HoursSource.LOENSEDDEL
