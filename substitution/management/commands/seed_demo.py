"""Create a realistic demo jobcentre. Deterministic (--seed), idempotent, scalable (--scale)."""

from __future__ import annotations

import random
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from faker import Faker

from substitution.demo import DemoContext


def analyse() -> None:
    """Fresh statistics after an app's bulk inserts (PostgreSQL): without them the planner
    takes the new tables for empty, and the next app's seeding (the fidelity rounds' measures
    at ``--scale 33``) ran nested loops for many minutes per query. Only tables that hold rows:
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


class Command(BaseCommand):
    help = "Opretter demodata: et jobcenter med teams, medarbejdere og (efterhånden) sager."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2026, help="Tilfældighedsfrø (default 2026)"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Størrelse: 1 = ca. 600 borgere; 33 = ca. 20.000 borgere til benchmarks",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = options["seed"]
        faker = Faker("da_DK")
        faker.seed_instance(seed)
        ctx = DemoContext(
            seed=seed,
            scale=options["scale"],
            rng=random.Random(seed),
            faker=faker,
            stdout=self.stdout,
        )
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(ctx)
            analyse()
        self.stdout.write(self.style.SUCCESS("Demodata er klar. Log ind med:"))
        for username, password, role in ctx.logins:
            self.stdout.write(f"  {role:<22} brugernavn: {username:<14} adgangskode: {password}")
