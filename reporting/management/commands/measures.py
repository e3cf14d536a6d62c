"""``manage.py measures``: the measures for scripts and analysts (docs/measures.md).

    manage.py measures --period 2026-11-01:2026-11-30 [--team "Team Nord" ...] [--unit ...]
        [--benefit kontanthjaelp] [--readiness aktivitetsparat] [--visitation-group gruppe-1]
        [--as-of 2026-11-30] [--measure cv ...] [--format json|csv]

Without ``--team``: every team of the jobcentre and the jobcentre in total (pooled over
citizens, never a mean of the teams). The JSON is stable: see docs/measures.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reporting import measures
from substitution import days
from substitution.models import Team, Unit

TOTAL_LABEL = measures.TOTAL_LABEL


class Command(BaseCommand):
    help = "Skriver målingerne for teams og jobcentret for en periode (JSON eller CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period",
            help="ÅÅÅÅ-MM-DD:ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM (standard: indeværende måned til i dag)",
        )
        parser.add_argument("--unit", help="Jobcentrets navn eller id (kan udelades med ét)")
        parser.add_argument(
            "--team", action="append", default=[], help="Teamets navn eller id (gentag)"
        )
        parser.add_argument("--benefit", help="Kun borgere på denne ydelse (kode)")
        parser.add_argument("--readiness", help="Kun borgere i denne parathedskategori (kode)")
        parser.add_argument("--visitation-group", help="Kun borgere i denne gruppe (kode)")
        parser.add_argument("--as-of", help="Filtrene gælder på denne dato (standard: slut)")
        parser.add_argument(
            "--measure", action="append", default=[], help="Kun denne måling (slug; gentag)"
        )
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        period = self._period(options.get("period"))
        unit = self._unit(options.get("unit"))
        slugs = options["measure"]
        unknown = [s for s in slugs if s not in measures.BY_SLUG]
        if unknown:
            raise CommandError(f"Ukendt måling: {', '.join(unknown)}")
        base = measures.Population(
            unit_id=unit.pk,
            benefit_type=options.get("benefit"),
            readiness=options.get("readiness"),
            visitation_group=options.get("visitation_group"),
            as_of=dt.date.fromisoformat(options["as_of"]) if options.get("as_of") else None,
        )
        teams = self._teams(unit, options["team"])
        rows: list[tuple[str, int | None, dict[str, measures.Figure]]]
        if options["team"]:
            rows = [
                (team.name, team.pk, measures.compute(base.with_teams([team.pk]), period, slugs))
                for team in teams
            ]
        else:  # every team and the jobcentre, pooled (measures.teams_and_total)
            per_team, total = measures.teams_and_total(
                base, [t.pk for t in teams], period, slugs or None
            )
            rows = [(team.name, team.pk, per_team[team.pk]) for team in teams]
            rows.append((TOTAL_LABEL, None, total))
        if options["format"] == "csv":
            self._csv(rows)
        else:
            self._json(unit, period, base, rows)

    def _json(
        self,
        unit: Unit,
        period: measures.Period,
        base: measures.Population,
        rows: list[tuple[str, int | None, dict[str, measures.Figure]]],
    ) -> None:
        document = measures.document(unit.name, period, base, rows)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _csv(self, rows: list[tuple[str, int | None, dict[str, measures.Figure]]]) -> None:
        writer = csv.writer(self.stdout, delimiter=";", lineterminator="\n")
        writer.writerow(["population", "measure", "numerator", "denominator", "value", "display"])
        for label, _team_id, figures in rows:
            for slug, figure in figures.items():
                data = figure.as_json()
                writer.writerow(
                    [label, slug, data["numerator"], data["denominator"], data["value"],
                     data["display"]]
                )  # fmt: skip

    def _period(self, text: str | None) -> measures.Period:
        if not text:
            return measures.Period.month_to_date(days.today())
        try:
            return measures.Period.parse(text)
        except ValueError as exc:
            raise CommandError(f"Ugyldig periode {text!r}: skriv ÅÅÅÅ-MM-DD:ÅÅÅÅ-MM-DD") from exc

    def _unit(self, arg: str | None) -> Unit:
        if arg is None:
            units = list(Unit.objects.all()[:2])
            if len(units) != 1:
                raise CommandError("Angiv --unit: databasen har flere (eller ingen) jobcentre.")
            return units[0]
        unit = Unit.objects.filter(pk=int(arg)).first() if arg.isdigit() else None
        unit = unit or Unit.objects.filter(name=arg).first()
        if unit is None:
            raise CommandError(f"Ukendt jobcenter: {arg}")
        return unit

    def _teams(self, unit: Unit, args: list[str]) -> list[Team]:
        if not args:
            return list(Team.objects.filter(unit=unit).order_by("name"))
        teams = []
        for arg in args:
            team = Team.objects.filter(unit=unit, pk=int(arg)).first() if arg.isdigit() else None
            team = team or Team.objects.filter(unit=unit, name=arg).first()
            if team is None:
                raise CommandError(f"Ukendt team i {unit.name}: {arg}")
            teams.append(team)
        return teams
