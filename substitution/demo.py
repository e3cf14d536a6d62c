"""Demo organisation: one jobcentre, four teams, about 25 staff over all roles.

``seed_demo`` calls ``seed(ctx)`` in every installed app's ``demo`` module, in
INSTALLED_APPS order (substitution, companies, cases, reporting), so each app seeds its own
data without the project package importing the apps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from faker import Faker

from substitution.models import Membership, Role, Team, Unit, User

DEMO_PASSWORD = "demo-Substitution-2026"
UNIT_NAME = "Jobcenter Demo"
TEAM_NAMES = ["Team Nord", "Team Syd", "Team Øst", "Team Vest"]


@dataclass
class DemoContext:
    seed: int
    scale: float
    rng: random.Random
    faker: Faker
    stdout: Any = None
    # Filled by each app's seeder for the ones after it.
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)


# (username, role, team index or None for unit-wide roles placed in team 0)
FIXED_LOGINS: list[tuple[str, str, int]] = [
    ("jobformidler", Role.JOBFORMIDLER, 0),
    ("konsulent", Role.VIRKSOMHEDSKONSULENT, 0),
    ("mentor", Role.MENTOR, 0),
    ("teamleder", Role.TEAMLEDER, 0),
    ("leder", Role.LEDER, 0),
    ("admin", Role.ADMINISTRATOR, 0),
]

# Per team at --scale 1: jobformidlere, virksomhedskonsulenter, mentors (plus one teamleder
# per team). Staff grow with --scale so caseloads stay realistic (about 50 citizens per
# jobformidler: the average caseload in Flere skal med fell from 52 to 47 (Rambøll, Evaluering
# af "Flere skal med": Hovedrapport); docs/domain.md, "The measures") in the large benchmark
# data set.
PER_TEAM = (3, 1, 1)


def staff_per_team(scale: float) -> tuple[int, int, int]:
    return tuple(max(base, round(base * scale)) for base in PER_TEAM)  # type: ignore[return-value]


def _user(ctx: DemoContext, unit: Unit, username: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": ctx.faker.first_name(),
            "last_name": ctx.faker.last_name(),
            "unit": unit,
        },
    )
    if created:
        # One Argon2 hash for every demo user: hashing per user would dominate large seeds.
        if "password_hash" not in ctx.data:
            ctx.data["password_hash"] = make_password(DEMO_PASSWORD)
        user.email = f"{username}@jobcenter-demo.dk"
        user.password = ctx.data["password_hash"]
        user.save()
    return user


def seed(ctx: DemoContext) -> None:
    unit, _ = Unit.objects.get_or_create(name=UNIT_NAME, defaults={"municipality_code": "999"})
    teams = [Team.objects.get_or_create(unit=unit, name=name)[0] for name in TEAM_NAMES]
    for username, role, team_index in FIXED_LOGINS:
        user = _user(ctx, unit, username)
        if role == Role.ADMINISTRATOR:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        Membership.objects.get_or_create(user=user, team=teams[team_index], role=role)
        ctx.logins.append((username, DEMO_PASSWORD, str(Role(role).label)))
    staff_by_team: dict[int, dict[str, list[User]]] = {}
    for index, team in enumerate(teams):
        per_team = staff_per_team(ctx.scale)
        roles = {
            Role.JOBFORMIDLER: per_team[0],
            Role.VIRKSOMHEDSKONSULENT: per_team[1],
            Role.MENTOR: per_team[2],
        }
        staff_by_team[team.pk] = {}
        for role, count in roles.items():
            for n in range(count):
                user = _user(ctx, unit, f"{role[:3]}{index + 1}{n + 1}")
                Membership.objects.get_or_create(user=user, team=team, role=role)
        if index > 0:
            lead = _user(ctx, unit, f"tl{index + 1}")
            Membership.objects.get_or_create(user=lead, team=team, role=Role.TEAMLEDER)
        for membership in (
            Membership.objects.filter(team=team).select_related("user").order_by("pk")
        ):
            staff_by_team[team.pk].setdefault(membership.role, []).append(membership.user)
    ctx.data.update(unit=unit, teams=teams, staff_by_team=staff_by_team)
    ctx.log(
        f"Organisation: {unit}, {len(teams)} teams, {User.objects.filter(unit=unit).count()} staff"
    )


def analyse() -> None:
    """Fresh statistics after an app's bulk inserts (PostgreSQL): without them the planner
    takes the new tables for empty, and the next app's seeding (the fidelity rounds' measures
    at ``--scale 33``) ran nested loops for many minutes per query. ``seed_demo`` calls it after
    each app, and an app whose later parts read what its earlier parts inserted (the cases
    app's facts refresh and month facts) calls it between them. Only tables that hold rows:
    an empty table analysed now would be planned as empty while a later app fills it (the
    month facts at the end of the cases app), which is worse than no statistics at all."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema()"
        )
        tables = [name for (name,) in cursor.fetchall()]
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")
            (filled,) = cursor.fetchone()
            if filled:
                cursor.execute(f"ANALYZE {quoted}")
