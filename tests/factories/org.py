from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from substitution.models import Membership, Role, Team, Unit, User

PASSWORD = "korrekt-hest-batteri-42"


class UnitFactory(DjangoModelFactory[Unit]):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Jobcenter {n}")


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory[User]):
    """A staff member without a role; use ``make_staff`` for one with a team role."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.dk")
    password = factory.django.Password(PASSWORD)
    unit = factory.SubFactory(UnitFactory)


def make_staff(role: str, team: Team, username: str | None = None, **kwargs: Any) -> User:
    """A user with ``role`` in ``team`` (the usual way tests create staff)."""
    if username is not None:
        kwargs["username"] = username
    user = UserFactory.create(unit=team.unit, **kwargs)
    Membership.objects.get_or_create(user=user, team=team, role=role)
    if role == Role.ADMINISTRATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user
