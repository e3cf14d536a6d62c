"""``manage.py check_data [--check CODE ...]``: the stored data against the domain invariants.

Prints one line per check (and one per kind of violation, with counts and example ids) and
exits with status 1 on any violation. The checks are ``cases.invariants.CHECKS``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases import invariants
from substitution import days


class Command(BaseCommand):
    help = "Tjekker de gemte data mod domænets invarianter (afslutter med fejl ved brud)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="append",
            default=[],
            choices=[check.code for check in invariants.CHECKS],
            help="Kør kun dette tjek (kan gentages)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = days.today()
        self.stdout.write(f"Tjekker data mod domænets invarianter pr. {day:%d.%m.%Y}")
        broken = 0
        total = 0
        checks = [
            c for c in invariants.CHECKS if not options["check"] or c.code in options["check"]
        ]
        for check in checks:
            started = time.perf_counter()
            violations = check.run(day)
            elapsed = f"{time.perf_counter() - started:5.1f} s"
            if not violations:
                self.stdout.write(f"  ok    {check.code:<20} {check.rule}  ({elapsed})")
                continue
            broken += 1
            total += sum(v.count for v in violations)
            self.stdout.write(
                self.style.ERROR(f"  FEJL  {check.code:<20} {check.rule}  ({elapsed})")
            )
            for violation in violations:
                self.stdout.write(f"          {violation}")
        summary = f"{len(checks)} tjek, {broken} med brud, {total} rækker i alt."
        if broken:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
