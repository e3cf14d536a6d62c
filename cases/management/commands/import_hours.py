"""``manage.py import_hours FILE --unit "Jobcenter Demo" [--user brugernavn]``.

All-or-nothing: prints a Danish error per row and writes nothing if any row is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.placements.services import import_hours
from substitution.models import Unit, User


class Command(BaseCommand):
    help = "Importerer ordinære timer fra en CSV-fil (cpr, cvr, uge/dato, timer, løn, kilde)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV-fil (UTF-8 eller Windows-1252; ; eller ,)")
        parser.add_argument("--unit", required=True, help="Jobcentrets navn eller id")
        parser.add_argument("--user", help="Brugernavn der registreres som indberetter")

    def handle(self, *args: Any, **options: Any) -> None:
        unit_arg: str = options["unit"]
        unit = Unit.objects.filter(pk=int(unit_arg)).first() if unit_arg.isdigit() else None
        if unit is None:
            unit = Unit.objects.filter(name=unit_arg).first()
        if unit is None:
            raise CommandError(f"Ukendt jobcenter: {unit_arg}")
        user = None
        if options.get("user"):
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Ukendt bruger: {options['user']}")
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Filen findes ikke: {path}")
        result = import_hours(path.read_bytes(), unit_id=unit.pk, actor=user)
        if not result.ok:
            for error in result.errors:
                where = f"Linje {error.line}" if error.line else "Filen"
                self.stderr.write(f"{where}: {error.message}")
            raise CommandError(
                f"{len(result.errors)} fejl i {result.rows} rækker – intet er importeret."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} rækker: {result.created} nye, {result.corrected} rettet, "
                f"{result.unchanged} uændrede."
            )
        )
