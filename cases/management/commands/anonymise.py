"""Anonymise citizens whose case closed longer ago than their jobcentre's limit
(``anonymise_after_years``, default 5). ``--dry-run`` only prints who would be anonymised.
The nightly beat job ``cases.tasks.anonymise_closed_cases`` does the same."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cases.privacy import anonymise
from cases.privacy.services import anonymise as anonymise_citizens


class Command(BaseCommand):
    help = (
        "Anonymiserer borgere hvis sag blev afsluttet for mere end grænsen "
        "(tærskel anonymise_after_years, standard 5 år) siden."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vis kun hvilke borgere der ville blive anonymiseret; intet ændres.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        due = anonymise.due()
        self.stdout.write(anonymise.report(due))
        if options["dry_run"]:
            self.stdout.write("Prøvekørsel: intet er ændret.")
            return
        done = anonymise_citizens([item.citizen_id for item in due], actor=None)
        self.stdout.write(self.style.SUCCESS(f"{done} borger(e) anonymiseret."))
