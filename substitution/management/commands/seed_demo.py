"""Create a realistic demo jobcentre. Deterministic (--seed), idempotent, scalable (--scale)."""

from __future__ import annotations

import random
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from faker import Faker

from substitution.demo import DemoContext, analyse


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
