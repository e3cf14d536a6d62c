"""Import citizens from a CSV file (format: docs/import.md).

    manage.py import_citizens borgere.csv [--unit "Jobcenter X"] [--dry-run] [--user admin]

The whole file is validated first; nothing is imported unless every row is valid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.citizens.services import import_citizens
from substitution.models import Unit, User


class Command(BaseCommand):
    help = "Importerer borgere fra en CSV-fil (se docs/import.md). Intet importeres ved fejl."

    def add_arguments(self, parser: CommandParser) -> None:
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
        unit = self._unit(options["unit"])
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"Ukendt bruger: {options['user']}")
        plan = import_citizens(
            path.read_bytes(), unit, actor=by, dry_run=options["dry_run"], source=path.name
        )
        if not plan.is_valid:
            for error in plan.errors:
                where = f"linje {error.line}" if error.line else "filen"
                column = f", kolonne {error.column}" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(
                f"{len(plan.errors)} fejl i filen. Intet er importeret. Ret fejlene og prøv igen."
            )
        counts = plan.counts()
        verb = "Ville importere" if options["dry_run"] else "Importeret"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {counts['created']} oprettet, {counts['updated']} opdateret, "
                f"{counts['unchanged']} uændret."
            )
        )

    def _unit(self, value: str | None) -> Unit:
        if value:
            unit = (
                Unit.objects.filter(pk=int(value)).first()
                if value.isdigit()
                else Unit.objects.filter(name__iexact=value).first()
            )
            if unit is None:
                raise CommandError(f"Ukendt jobcenter: {value}")
            return unit
        units = list(Unit.objects.all()[:2])
        if len(units) != 1:
            raise CommandError("Angiv jobcentret med --unit (der er ikke præcis ét).")
        return units[0]
