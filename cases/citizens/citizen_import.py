"""CSV import of citizens: parse, validate the whole file, then apply it in one transaction.

The format is documented in docs/import.md. In short: one header line with the columns
``cpr, fornavn, efternavn, postnummer, ydelse, parathed, visitationsgruppe, visitationsdato,
jobformidler`` (+ optional ``team``, ``sag åbnet``, ``cv`` ja/nej); UTF-8 (with or without
BOM) or Windows-1252; semicolon or comma as separator. Every row is checked before anything
is written; an existing citizen (same CPR in the jobcentre) is updated, never duplicated.

``plan_import`` has no side effects (it is the dry run); ``services.apply_import`` writes.
The management command and the upload page share them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.citizens.cpr import validate_cpr
from cases.citizens.models import BenefitType, Citizen, ReadinessCategory, VisitationGroup
from substitution import days
from substitution.csv_reader import CsvReadError, RowError, parse_date, read_csv
from substitution.models import CodeList, Membership, Role, Team, Unit, User

REQUIRED_COLUMNS = [
    "cpr",
    "fornavn",
    "efternavn",
    "postnummer",
    "ydelse",
    "parathed",
    "visitationsgruppe",
    "visitationsdato",
    "jobformidler",
]
OPTIONAL_COLUMNS = ["team", "sag åbnet", "cv"]
YES = {"ja", "j", "x", "1", "true"}
NO = {"nej", "n", "0", "false"}
# Citizen field <- (column, code-list model)
CODE_COLUMNS: list[tuple[str, str, type[CodeList]]] = [
    ("benefit_type", "ydelse", BenefitType),
    ("readiness", "parathed", ReadinessCategory),
    ("visitation_group", "visitationsgruppe", VisitationGroup),
]


@dataclass
class PlannedRow:
    line: int
    cpr: str
    values: dict[str, Any]  # Citizen field -> new value (only the fields the file sets)
    jobformidler: User | None
    existing: Citizen | None
    changes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "created"
        return "updated" if self.changes else "unchanged"


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        result = {"created": 0, "updated": 0, "unchanged": 0}
        for row in self.rows:
            result[row.action] += 1
        return result


def may_import(user: User) -> bool:
    """Administrators (and superusers) import citizens."""
    return user.is_superuser or user.has_role(Role.ADMINISTRATOR)


# --- validation ---------------------------------------------------------------------------


class _Lookups:
    """Everything validation needs, loaded once per file (not per row)."""

    def __init__(self, unit: Unit, cprs: list[str]) -> None:
        self.codes: dict[str, dict[str, CodeList]] = {}
        for _field, column, model in CODE_COLUMNS:
            table: dict[str, CodeList] = {}
            for value in model._default_manager.all():
                table[value.code.lower()] = value
                table.setdefault(value.label.lower(), value)
            self.codes[column] = table
        self.teams = {t.name.lower(): t for t in Team.objects.filter(unit=unit)}
        self.users = {u.username.lower(): u for u in User.objects.filter(unit=unit)}
        self.jf_teams: dict[int, set[int]] = {}
        for user_id, team_id in Membership.objects.filter(
            team__unit=unit, role=Role.JOBFORMIDLER
        ).values_list("user_id", "team_id"):
            self.jf_teams.setdefault(user_id, set()).add(team_id)
        self.existing: dict[str, Citizen] = {}
        for i in range(0, len(cprs), 1000):
            for citizen in Citizen.objects.filter(unit=unit, cpr__in=cprs[i : i + 1000]):
                self.existing[citizen.cpr] = citizen


def plan_import(data: bytes, unit: Unit, today: dt.date | None = None) -> ImportPlan:
    """Validate the whole file and work out what importing it would do. No side effects."""
    today = today or days.today()
    plan = ImportPlan()
    try:
        table = read_csv(data)
    except CsvReadError as exc:
        plan.errors.append(exc.error)
        return plan
    header = table.check_header(REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    if not header.ok:
        plan.errors.extend(header.errors())
        return plan
    if not table.rows:
        plan.errors.append(table.no_rows_error())
        return plan
    rows = [(row.line, row.values) for row in table.rows]

    def clean_cpr(raw: str) -> str | None:
        try:
            return validate_cpr(raw)
        except ValidationError:
            return None

    lookups = _Lookups(unit, sorted({c for _, v in rows if (c := clean_cpr(v["cpr"]))}))
    seen: dict[str, int] = {}
    for line, values in rows:
        errors: list[RowError] = []
        planned = _plan_row(line, values, lookups, seen, today, errors)
        plan.errors.extend(errors)
        if planned is not None and not errors:
            plan.rows.append(planned)
    return plan


def _plan_row(
    line: int,
    values: dict[str, str],
    lookups: _Lookups,
    seen: dict[str, int],
    today: dt.date,
    errors: list[RowError],
) -> PlannedRow | None:
    def error(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    cpr = ""
    try:
        cpr = validate_cpr(values["cpr"])
    except ValidationError as exc:
        message = exc.messages[0] if values["cpr"] else _("CPR-nummer skal udfyldes.")
        error("cpr", message)
    if cpr:
        if cpr in seen:
            error(
                "cpr",
                _("CPR-nummeret står også i linje %(line)d. Hver borger må kun stå én gang.")
                % {"line": seen[cpr]},
            )
        else:
            seen[cpr] = line
    existing = lookups.existing.get(cpr) if cpr else None

    new: dict[str, Any] = {}
    for column, name in (("fornavn", "first_name"), ("efternavn", "last_name")):
        if values[column]:
            if len(values[column]) > 100:
                error(column, _("Højst 100 tegn."))
            new[name] = values[column]
        elif existing is None:
            error(column, _("Skal udfyldes."))
    postal = values["postnummer"]
    if postal:
        if len(postal) == 4 and postal.isdigit():
            new["postal_code"] = postal
        else:
            error("postnummer", _("Postnummeret skal være fire cifre."))
    for name, column, _model in CODE_COLUMNS:
        raw = values[column]
        if not raw:
            continue
        value = lookups.codes[column].get(raw.lower())
        if value is None:
            error(
                column,
                _("Ukendt værdi “%(value)s”. Brug koden eller betegnelsen fra kodelisten.")
                % {"value": raw},
            )
            continue
        current_id = getattr(existing, f"{name}_id", None) if existing else None
        if not value.is_valid_on(today) and value.pk != current_id:
            error(
                column,
                _("Værdien “%(value)s” er udgået og kan ikke vælges.") % {"value": raw},
            )
            continue
        new[name] = value
    raw_date = values["visitationsdato"]
    if raw_date:
        try:
            visitation_date = parse_date(raw_date)
        except ValueError as exc:
            error("visitationsdato", str(exc))
        else:
            if visitation_date > today:
                error("visitationsdato", _("Visitationsdatoen må ikke ligge i fremtiden."))
            else:
                new["visitation_date"] = visitation_date

    raw_opened = values.get("sag åbnet", "")
    if raw_opened:
        try:
            opened_on = parse_date(raw_opened)
        except ValueError as exc:
            error("sag åbnet", str(exc))
        else:
            if opened_on > today:
                error("sag åbnet", _("Datoen for sagens åbning må ikke ligge i fremtiden."))
            else:
                new["opened_on"] = opened_on

    raw_cv = values.get("cv", "").strip().lower()
    if raw_cv:
        if raw_cv in YES:
            new["cv_present"] = True
        elif raw_cv in NO:
            new["cv_present"] = False
        else:
            error("cv", _("Skriv ja eller nej i kolonnen cv (borgeren har et CV)."))

    # Team and jobformidler: the team column, else the jobformidler's team, else unchanged.
    team: Team | None = None
    raw_team = values.get("team", "")
    if raw_team:
        team = lookups.teams.get(raw_team.lower())
        if team is None:
            error("team", _("Ukendt team “%(value)s” i jobcentret.") % {"value": raw_team})
    jobformidler: User | None = None
    raw_jf = values["jobformidler"]
    if raw_jf:
        jobformidler = lookups.users.get(raw_jf.lower())
        jf_teams = lookups.jf_teams.get(jobformidler.pk, set()) if jobformidler else set()
        if jobformidler is None:
            error(
                "jobformidler",
                _("Ukendt brugernavn “%(value)s” i jobcentret.") % {"value": raw_jf},
            )
        elif not jf_teams:
            error("jobformidler", _("%(value)s er ikke jobformidler.") % {"value": raw_jf})
        elif team is not None:
            if team.pk not in jf_teams:
                error(
                    "jobformidler",
                    _("%(user)s er ikke jobformidler i %(team)s.")
                    % {"user": raw_jf, "team": team.name},
                )
        elif existing is not None and existing.team_id in jf_teams:
            team = existing.team
        elif len(jf_teams) == 1:
            team = next(t for t in lookups.teams.values() if t.pk in jf_teams)
        else:
            error(
                "jobformidler",
                _("%(user)s er jobformidler i flere teams. Angiv teamet i kolonnen team.")
                % {"user": raw_jf},
            )
    if team is None and existing is None and not any(e.column in {"team", "jobformidler"}
                                                     for e in errors):  # fmt: skip
        error("jobformidler", _("Angiv en jobformidler eller et team for en ny borger."))
    if team is not None:
        new["team"] = team

    if errors:
        return None
    planned = PlannedRow(line, cpr, new, jobformidler, existing)
    if existing is not None:
        for name, value in new.items():
            old = getattr(existing, name)
            if old != value:
                planned.changes[name] = [_plain(old), _plain(value)]
        if jobformidler is not None and existing.jobformidler_id != jobformidler.pk:
            planned.changes["jobformidler"] = [
                _plain(existing.jobformidler),
                _plain(jobformidler),
            ]
    return planned


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --- the management command ---------------------------------------------------------------
