"""Factories for cases: citizens, job goals, conversations.

``CitizenFactory.create(team=team)`` takes unit and team from the team; CPR numbers are valid
(a real date of birth; no modulus-11, like many numbers issued after 2007).
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.citizens.models import (
    BenefitType,
    Channel,
    Citizen,
    Conversation,
    ConversationKind,
    ConversationOutcome,
    JobGoal,
)
from tests.factories.org import TeamFactory


def make_cpr(n: int) -> str:
    """A valid CPR number, unique for n < 58400: a real date (1960-1999) + a sequence."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 14600)
    return f"{born:%d%m%y}{n % 4000:04d}"  # 0-3: born 1900-1999


def code(model: type, value: str):  # type: ignore[no-untyped-def]
    """A code-list value by code (loaded by migration 0003)."""
    return model.objects.get(code=value)


class CitizenFactory(DjangoModelFactory[Citizen]):
    class Meta:
        model = Citizen

    team = factory.SubFactory(TeamFactory)
    unit = factory.LazyAttribute(lambda o: o.team.unit)
    cpr = factory.Sequence(make_cpr)
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    postal_code = "8000"
    benefit_type = factory.LazyFunction(lambda: BenefitType.objects.get(code="kontanthjaelp"))


class JobGoalFactory(DjangoModelFactory[JobGoal]):
    class Meta:
        model = JobGoal

    citizen = factory.SubFactory(CitizenFactory)
    title = factory.Sequence(lambda n: f"Lagermedarbejder {n}")
    hours_per_week = 15
    own_wish = True
    created_on = factory.LazyFunction(timezone.localdate)


class ConversationFactory(DjangoModelFactory[Conversation]):
    """A held individual conversation; pass ``author=`` (a staff user)."""

    class Meta:
        model = Conversation

    citizen = factory.SubFactory(CitizenFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = factory.LazyFunction(lambda: ConversationKind.objects.get(code="individuel"))
    channel = factory.LazyFunction(lambda: Channel.objects.get(code="fremmoede"))
    job_focused = True
    outcome = ConversationOutcome.HELD
    note = "Samtale om jobmål."
