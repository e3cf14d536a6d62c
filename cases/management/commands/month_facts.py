"""``manage.py month_facts [--rebuild | --check]``: the facts per citizen and month.

Without options: ``extend`` (what the task does every 10 minutes: take the live month to
today, build the months begun since the horizon, or everything after a flag or threshold they
read changed). ``--rebuild``: every
month from scratch. ``--check``: compare the stored facts with a fresh computation (exit 1 on
any difference). docs/measures.md, "Facts per citizen and month".
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.citizens import month_facts


class Command(BaseCommand):
    help = "Bygger eller tjekker fakta pr. borger og måned (målingernes grundlag)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rebuild", action="store_true", help="Byg alle måneder forfra")
        group.add_argument("--check", action="store_true", help="Sammenlign med data")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["check"]:
            differences = month_facts.stale(limit=50)
            for citizen_id, month, column in differences:
                self.stdout.write(f"  borger {citizen_id} {month:%Y-%m}: {column}")
            if differences:
                raise CommandError(f"{len(differences)} afvigelser (højst 50 vist)", returncode=1)
            self.stdout.write(self.style.SUCCESS("Fakta pr. borger og måned passer."))
            return
        written = month_facts.rebuild() if options["rebuild"] else month_facts.extend()
        state = month_facts.built()
        self.stdout.write(
            f"{written} borgermåneder skrevet; bygget til {state[1]:%d.%m.%Y} "
            f"({time.perf_counter() - started:.1f} s)"
            if state
            else f"{written} borgermåneder skrevet"
        )
