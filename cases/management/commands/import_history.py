"""Import history from a CSV file (formats: docs/import.md, "Import of history").

    manage.py import_history placements|ydelser|visitation|afslutninger FILE
        [--unit "Jobcenter X"] [--dry-run] [--user admin]

The whole file is validated first; nothing is imported unless every row is valid, and
importing the same file again changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.citizens.history_import import KIND_LABELS
from cases.management.commands.import_citizens import Command as CitizenCommand
from cases.placements.services import import_history
from substitution.models import User


class Command(BaseCommand):
    help = (
        "Importerer historik (forløb, ydelsesperioder, visitationsperioder, afslutninger) fra "
        "en CSV-fil (se docs/import.md). Intet importeres ved fejl."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KIND_LABELS), help="Hvad filen indeholder")
        parser.add_argument("file", help="CSV-fil (UTF-8 eller Windows-1252; ; eller ,)")
        parser.add_argument(
            "--unit", help="Jobcentrets navn eller id (kan udelades når der kun er ét)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Kontrollér kun filen; importér ikke"
        )
        parser.add_argument("--user", help="Brugernavn der står som ansvarlig i revisionsloggen")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Filen findes ikke: {path}")
        unit = CitizenCommand()._unit(options["unit"])
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"Ukendt bruger: {options['user']}")
        plan = import_history(
            options["kind"],
            path.read_bytes(),
            unit,
            actor=by,
            dry_run=options["dry_run"],
            source=path.name,
        )
        if not plan.is_valid:
            for error in plan.errors:
                where = f"linje {error.line}" if error.line else "filen"
                column = f", kolonne {error.column}" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(
                f"{len(plan.errors)} fejl i filen. Intet er importeret. Ret fejlene og prøv igen."
            )
        verb = "Ville importere" if options["dry_run"] else "Importeret"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {plan.created} oprettet, {plan.updated} opdateret, "
                f"{plan.unchanged} uændret, {plan.removed} fjernet."
            )
        )
