"""Factories for companies, contact people, contacts, agreements, task maps, tasks and a
company's follow-ups. CVR numbers are valid (modulus 11).

``log_contact`` logs a contact through ``companies.services`` (the company moves forward and
the next step becomes a follow-up), as the contact form does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.contenttypes.models import ContentType
from factory.django import DjangoModelFactory

from companies import services
from companies.forms import CompanyContactForm
from companies.models import (
    Agreement,
    Company,
    CompanyContact,
    ContactPerson,
    MappingSession,
    Task,
    TaskStatus,
)
from companies.search import refresh_task_vectors
from substitution.models import FollowUp, User
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
    def vector(self: Task, create: bool, extracted: Any, **kwargs: Any) -> None:
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


class ContactPersonFactory(DjangoModelFactory[ContactPerson]):
    class Meta:
        model = ContactPerson

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")


class AgreementFactory(DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement

    company = factory.SubFactory(CompanyFactory)
    signed_on = dt.date(2026, 1, 15)


class CompanyFollowUpFactory(DjangoModelFactory[FollowUp]):
    """A follow-up on a company: pass ``company=`` and ``owner=`` (a user)."""

    class Meta:
        model = FollowUp
        exclude = ("company",)

    company = factory.SubFactory(CompanyFactory)
    subject_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Company))
    subject_id = factory.SelfAttribute("company.pk")
    title = factory.Sequence(lambda n: f"Opfølgning {n}")


def log_contact(
    company: Company,
    staff: User,
    *,
    occurred_on: dt.date,
    next_step: str = "",
    next_step_due: dt.date | None = None,
    channel: str = "telefon",
    purpose: str = "opsoegende",
) -> services.LoggedContact:
    """A contact ``staff`` had with ``company``, logged as the contact form logs it."""
    form = CompanyContactForm(
        {
            "occurred_on": f"{occurred_on:%d.%m.%Y}",
            "channel": channel,
            "purpose": purpose,
            "next_step": next_step,
            "next_step_due": f"{next_step_due:%d.%m.%Y}" if next_step_due else "",
        },
        company=company,
    )
    assert form.is_valid(), form.errors
    return services.log_contact(form, company=company, actor=staff)
