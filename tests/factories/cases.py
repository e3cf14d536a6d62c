"""Factories for the citizens package: citizens, job goals, conversations, sub-goals and
follow-ups on citizens.

``CitizenFactory.create(team=team)`` takes unit and team from the team; CPR numbers are valid
(a real date of birth; no modulus-11, like many numbers issued after 2007).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.citizens import facts
from cases.citizens.models import (
    BenefitType,
    Channel,
    Citizen,
    CitizenStatus,
    Conversation,
    ConversationKind,
    ConversationOutcome,
    JobGoal,
    Plan,
    SubGoal,
)
from cases.citizens.services import assign
from substitution import days
from substitution.models import CodeList, FollowUp, User
from tests.factories.org import TeamFactory


def make_cpr(n: int) -> str:
    """A valid CPR number, unique for n < 58400: a real date (1960-1999) + a sequence."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 14600)
    return f"{born:%d%m%y}{n % 4000:04d}"  # 0-3: born 1900-1999


def code[C: CodeList](model: type[C], value: str) -> C:
    """A code-list value by code (loaded by the code-lists data migration)."""
    value_ = model._default_manager.get(code=value)
    assert isinstance(value_, model)
    return value_


class CitizenFactory(DjangoModelFactory[Citizen]):
    """``assigned_to=jf`` (and ``assigned_to__on=date``) makes ``jf`` the personal jobformidler
    through ``services.assign``, with its assignment history."""

    class Meta:
        model = Citizen
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    unit = factory.LazyAttribute(lambda o: o.team.unit)
    cpr = factory.Sequence(make_cpr)
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    postal_code = "8000"
    benefit_type = factory.LazyFunction(lambda: BenefitType.objects.get(code="kontanthjaelp"))

    @factory.post_generation
    def assigned_to(self, create: bool, extracted: User | None, **kwargs: Any) -> None:
        if create and extracted is not None:
            assert isinstance(self, Citizen)
            assign(self, extracted, on=kwargs.get("on"))

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create and instance.status != CitizenStatus.AKTIV:  # as the services do: the step
            facts.refresh([instance.pk])
            instance.refresh_from_db(fields=["current_step"])


class JobGoalFactory(DjangoModelFactory[JobGoal]):
    class Meta:
        model = JobGoal

    citizen = factory.SubFactory(CitizenFactory)
    title = factory.Sequence(lambda n: f"Lagermedarbejder {n}")
    hours_per_week = 15
    own_wish = True
    created_on = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:  # as the job-goal writers do: the citizen's maintained step
            facts.refresh([instance.citizen_id])


class ConversationFactory(DjangoModelFactory[Conversation]):
    """A held individual conversation; pass ``author=`` (a staff user)."""

    class Meta:
        model = Conversation

    citizen = factory.SubFactory(CitizenFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = factory.LazyFunction(lambda: ConversationKind.objects.get(code="individuel"))
    channel = factory.LazyFunction(lambda: Channel.objects.get(code="fremmoede"))
    job_focused = True
    outcome = ConversationOutcome.AFHOLDT
    note = "Samtale om jobmål."

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create:  # as the conversation writers do (cases.citizens.services)
            facts.refresh([instance.citizen_id])


class SubGoalFactory(DjangoModelFactory[SubGoal]):
    """A sub-goal in the plan of ``citizen`` (the plan is created when it has none)."""

    class Meta:
        model = SubGoal
        exclude = ("citizen",)

    citizen = factory.SubFactory(CitizenFactory)
    plan = factory.LazyAttribute(lambda o: Plan.objects.get_or_create(citizen=o.citizen)[0])
    title = "Delmål"


class FollowUpFactory(DjangoModelFactory[FollowUp]):
    """A follow-up on a citizen; pass ``owner=`` (a staff user), ``done=True`` for one done."""

    class Meta:
        model = FollowUp
        exclude = ("done",)

    subject = factory.SubFactory(CitizenFactory)
    due_on = factory.LazyFunction(days.today)
    title = factory.LazyAttribute(lambda o: f"Opfølgning {o.due_on:%d.%m}")
    done = False
    done_at = factory.LazyAttribute(lambda o: timezone.now() if o.done else None)

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        super()._after_postgeneration(instance, create, results)
        if create and isinstance(instance.subject, Citizen):  # as the services do
            facts.refresh([instance.subject_id])
