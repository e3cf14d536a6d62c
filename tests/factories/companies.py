"""Factories for companies, contacts and tasks. CVR numbers are valid (modulus 11)."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from companies.models import Company, CompanyContact, MappingSession, Task, TaskStatus
from companies.search import refresh_task_vectors
from tests.factories.org import UnitFactory

CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def make_cvr(n: int) -> str:
    """The n-th valid CVR number from 20000000 upwards (deterministic)."""
    found = -1
    base = 2000000
    while True:
        digits = [int(d) for d in str(base)]
        check = (-sum(w * d for w, d in zip(CVR_WEIGHTS[:7], digits, strict=True))) % 11
        if check < 10:
            found += 1
            if found == n:
                return f"{base}{check}"
        base += 1


class CompanyFactory(DjangoModelFactory[Company]):
    class Meta:
        model = Company

    unit = factory.SubFactory(UnitFactory)
    cvr = factory.Sequence(make_cvr)
    name = factory.Sequence(lambda n: f"Virksomhed {n} ApS")
    address = "Industrivej 1"
    postal_code = "8000"
    city = "Aarhus C"


class TaskFactory(DjangoModelFactory[Task]):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Opgave {n}")
    description = ""
    hours_per_week = 15
    status = TaskStatus.AABEN

    @factory.post_generation
    def requirements(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.requirements.set(extracted)

    @factory.post_generation
    def vector(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            refresh_task_vectors([self.pk])


class ContactFactory(DjangoModelFactory[CompanyContact]):
    """Pass ``staff=`` (a user)."""

    class Meta:
        model = CompanyContact

    company = factory.SubFactory(CompanyFactory)
    channel = "telefon"
    purpose = "opsoegende"


class MappingSessionFactory(DjangoModelFactory[MappingSession]):
    class Meta:
        model = MappingSession

    company = factory.SubFactory(CompanyFactory)
