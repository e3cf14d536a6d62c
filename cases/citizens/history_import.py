"""CSV import of a citizen's history: benefit periods, visitation periods and exits
(``manage.py import_history`` and the administrator's upload page; the placements import,
``cases.placements.placement_import``, shares the plan and the helpers here).

Formats (docs/import.md, "Import of history"):

- ``ydelser``: ``cpr, ydelse, fra, til`` — the citizen's benefit periods; ``til`` empty is the
  open (current) period. Gaps are allowed (no benefit), overlaps are not.
- ``visitation``: ``cpr, visitationsgruppe, fra`` — the periods chain: each ends the day before
  the next one starts, the latest stays open.
- ``afslutninger``: ``cpr, afslutningsdato, afslutningsårsag`` — the case is closed (afsluttet).

The periods in a file are the citizens' **whole** history of that kind: a citizen named in the
file gets exactly the file's periods (periods not in the file are removed, equal ones kept),
citizens not named are left alone. So importing the same file twice changes nothing the second
time. The citizen's own fields (``benefit_type``; ``visitation_group``/``visitation_date``)
are set to the open period's, the invariant ``check_data`` holds and
``services.sync_periods`` relies on.

``plan_*`` validate the whole file without side effects (the dry run); the writers are
``cases.citizens.services.apply_history`` (and the placements service).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.citizens.cpr import validate_cpr
from cases.citizens.models import (
    BenefitPeriod,
    BenefitType,
    Citizen,
    CitizenStatus,
    ExitReason,
    VisitationGroup,
    VisitationPeriod,
)
from substitution import days
from substitution.csv_reader import CsvReadError, CsvRow, RowError, parse_date, read_csv
from substitution.models import CodeList, Unit

BENEFIT = "ydelser"
VISITATION = "visitation"
EXITS = "afslutninger"
PLACEMENTS = "placements"

# kind -> (required columns, optional columns); the placements' live in placement_import.
COLUMNS: dict[str, tuple[list[str], list[str]]] = {
    BENEFIT: (["cpr", "ydelse", "fra", "til"], []),
    VISITATION: (["cpr", "visitationsgruppe", "fra"], []),
    EXITS: (["cpr", "afslutningsdato", "afslutningsårsag"], []),
}
KIND_LABELS = {
    PLACEMENTS: gettext_lazy("Forløb"),
    BENEFIT: gettext_lazy("Ydelsesperioder"),
    VISITATION: gettext_lazy("Visitationsperioder"),
    EXITS: gettext_lazy("Afslutninger"),
}

# (value id, first day, last day or None: open)
Period = tuple[int, dt.date, dt.date | None]


@dataclass
class HistoryPlan:
    """What importing a file would do (or did): the errors, or the writes and their counts."""

    kind: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)  # kind-specific planned writes
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


@dataclass
class PeriodChange:
    """One citizen's periods of one kind: what the file says and what is stored."""

    citizen: Citizen
    periods: list[Period]
    existing: dict[Period, int]  # period -> pk

    @property
    def to_create(self) -> list[Period]:
        return [p for p in self.periods if p not in self.existing]

    @property
    def to_delete(self) -> list[int]:
        wanted = set(self.periods)
        return [pk for period, pk in self.existing.items() if period not in wanted]

    @property
    def open_period(self) -> Period | None:
        return next((p for p in self.periods if p[2] is None), None)


@dataclass
class ExitChange:
    citizen: Citizen
    exit_date: dt.date
    reason: ExitReason

    @property
    def changed(self) -> bool:
        return not (
            self.citizen.status == CitizenStatus.AFSLUTTET
            and self.citizen.exit_date == self.exit_date
            and self.citizen.exit_reason_id == self.reason.pk
        )


# --- shared helpers (the placements import uses them too) -----------------------------------


def read_table(
    data: bytes, plan: HistoryPlan, required: Sequence[str], optional: Sequence[str] = ()
) -> list[CsvRow]:
    """The file's rows, or [] with the file-level errors added to ``plan``."""
    try:
        table = read_csv(data)
    except CsvReadError as exc:
        plan.errors.append(exc.error)
        return []
    header = table.check_header(required, optional)
    if not header.ok:
        plan.errors.extend(header.errors())
        return []
    if not table.rows:
        plan.errors.append(table.no_rows_error())
        return []
    plan.rows = len(table.rows)
    return table.rows


def code_table(model: type[CodeList]) -> dict[str, CodeList]:
    """Code and label (lower case) -> value; retired values too: history may use them."""
    table: dict[str, CodeList] = {}
    for value in model._default_manager.all():
        table[value.code.lower()] = value
        table.setdefault(value.label.lower(), value)
    return table


def unknown_code(raw: str) -> str:
    return _("Ukendt værdi “%(value)s”. Brug koden eller betegnelsen fra kodelisten.") % {
        "value": raw
    }


def clean_cpr(raw: str) -> str | None:
    try:
        return validate_cpr(raw)
    except ValidationError:
        return None


def citizens_by_cpr(
    unit: Unit, rows: Iterable[CsvRow], citizens: QuerySet[Citizen] | None = None
) -> dict[str, Citizen]:
    """The jobcentre's citizens named in the file (``citizens``: what the importer may touch)."""
    cprs = sorted({c for row in rows if (c := clean_cpr(row.values.get("cpr", "")))})
    qs = (Citizen.objects.all() if citizens is None else citizens).filter(unit=unit)
    found: dict[str, Citizen] = {}
    for i in range(0, len(cprs), 1000):
        for citizen in qs.filter(cpr__in=cprs[i : i + 1000]):
            found[citizen.cpr] = citizen
    return found


class RowChecker:
    """Collects one row's errors (line, column, Danish message)."""

    def __init__(self, line: int, errors: list[RowError]) -> None:
        self.line = line
        self.errors = errors
        self.count = 0

    def __call__(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))
        self.count += 1

    def citizen(self, values: dict[str, str], known: dict[str, Citizen]) -> Citizen | None:
        raw = values.get("cpr", "")
        try:
            cpr = validate_cpr(raw)
        except ValidationError as exc:
            self("cpr", exc.messages[0] if raw else _("CPR-nummer skal udfyldes."))
            return None
        citizen = known.get(cpr)
        if citizen is None:
            self("cpr", _("Ingen borger med CPR-nummer %s i jobcentret.") % f"{cpr[:6]}-XXXX")
        return citizen

    def date(
        self, values: dict[str, str], column: str, today: dt.date, *, required: bool = True
    ) -> dt.date | None:
        raw = values.get(column, "")
        if not raw:
            if required:
                self(column, _("Skal udfyldes."))
            return None
        try:
            day = parse_date(raw)
        except ValueError as exc:
            self(column, str(exc))
            return None
        if day > today:
            self(column, _("Datoen må ikke ligge i fremtiden."))
            return None
        return day

    def code(
        self, values: dict[str, str], column: str, table: dict[str, CodeList]
    ) -> CodeList | None:
        raw = values.get(column, "")
        if not raw:
            self(column, _("Skal udfyldes."))
            return None
        value = table.get(raw.lower())
        if value is None:
            self(column, unknown_code(raw))
        return value


def fmt(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else ""


# --- benefit and visitation periods ------------------------------------------------------------


def plan_history(
    kind: str,
    data: bytes,
    unit: Unit,
    *,
    today: dt.date | None = None,
    citizens: QuerySet[Citizen] | None = None,
) -> HistoryPlan:
    """Validate a file of ``kind`` (ydelser, visitation, afslutninger) and work out the writes.
    No side effects."""
    today = today or days.today()
    plan = HistoryPlan(kind)
    required, optional = COLUMNS[kind]
    rows = read_table(data, plan, required, optional)
    if not rows:
        return plan
    known = citizens_by_cpr(unit, rows, citizens)
    if kind == EXITS:
        _plan_exits(plan, rows, known, today)
    else:
        _plan_periods(plan, rows, known, today)
    return plan


def _plan_periods(
    plan: HistoryPlan, rows: list[CsvRow], known: dict[str, Citizen], today: dt.date
) -> None:
    benefit = plan.kind == BENEFIT
    column = "ydelse" if benefit else "visitationsgruppe"
    table = code_table(BenefitType if benefit else VisitationGroup)
    # citizen pk -> [(line, value id, first, last)]
    by_citizen: dict[int, list[tuple[int, int, dt.date, dt.date | None]]] = defaultdict(list)
    citizen_of: dict[int, Citizen] = {}
    for row in rows:
        check = RowChecker(row.line, plan.errors)
        citizen = check.citizen(row.values, known)
        value = check.code(row.values, column, table)
        first = check.date(row.values, "fra", today)
        last = None
        if benefit and row.values.get("til"):
            try:
                last = parse_date(row.values["til"])
            except ValueError as exc:
                check("til", str(exc))
            else:
                if first is not None and last < first:
                    check("til", _("Til-datoen ligger før fra-datoen."))
        if check.count or citizen is None or value is None or first is None:
            continue
        citizen_of[citizen.pk] = citizen
        by_citizen[citizen.pk].append((row.line, value.pk, first, last))

    # Within one citizen: in order, no overlap (benefit) / no two on one day (visitation).
    planned: dict[int, list[Period]] = {}
    for citizen_id, entries in by_citizen.items():
        entries.sort(key=lambda e: (e[2], e[0]))
        periods: list[Period] = []
        bad = False
        for i, (line, value_id, first, last) in enumerate(entries):
            if i:
                prev_line, _v, prev_first, prev_last = entries[i - 1]
                if benefit and (prev_last is None or prev_last >= first):
                    plan.errors.append(
                        RowError(
                            line,
                            "fra",
                            _("Perioden overlapper perioden i linje %(line)d for samme borger.")
                            % {"line": prev_line},
                        )
                    )
                    bad = True
                elif not benefit and prev_first == first:
                    plan.errors.append(
                        RowError(
                            line,
                            "fra",
                            _("Linje %(line)d har samme fra-dato for samme borger.")
                            % {"line": prev_line},
                        )
                    )
                    bad = True
            if not benefit:
                following = entries[i + 1][2] if i + 1 < len(entries) else None
                last = following - dt.timedelta(days=1) if following else None
            periods.append((value_id, first, last))
        if not bad:
            planned[citizen_id] = periods
    if plan.errors:
        return

    model: type[BenefitPeriod] | type[VisitationPeriod] = (
        BenefitPeriod if benefit else VisitationPeriod
    )
    value_field = "benefit_type_id" if benefit else "group_id"
    existing: dict[int, dict[Period, int]] = defaultdict(dict)
    ids = list(planned)
    for i in range(0, len(ids), 1000):
        for pk, citizen_id, value_id, first, last in model._default_manager.filter(
            citizen_id__in=ids[i : i + 1000]
        ).values_list("pk", "citizen_id", value_field, "starts_on", "ends_on"):
            existing[citizen_id][(value_id, first, last)] = pk
    for citizen_id, periods in planned.items():
        change = PeriodChange(citizen_of[citizen_id], periods, existing[citizen_id])
        plan.created += len(change.to_create)
        plan.unchanged += len(periods) - len(change.to_create)
        plan.removed += len(change.to_delete)
        if change.to_create or change.to_delete or copy_differs(plan.kind, change):
            plan.items.append(change)


def copy_differs(kind: str, change: PeriodChange) -> bool:
    """Whether the citizen's own fields differ from the open period's (the invariant)."""
    open_period = change.open_period
    citizen = change.citizen
    if kind == BENEFIT:
        return citizen.benefit_type_id != (open_period[0] if open_period else None)
    if open_period is None:
        return False
    return (citizen.visitation_group_id, citizen.visitation_date) != (
        open_period[0],
        open_period[1],
    )


# --- exits -----------------------------------------------------------------------------------


def _plan_exits(
    plan: HistoryPlan, rows: list[CsvRow], known: dict[str, Citizen], today: dt.date
) -> None:
    table = code_table(ExitReason)
    seen: dict[int, int] = {}
    for row in rows:
        check = RowChecker(row.line, plan.errors)
        citizen = check.citizen(row.values, known)
        exit_date = check.date(row.values, "afslutningsdato", today)
        reason = check.code(row.values, "afslutningsårsag", table)
        if citizen is not None:
            if citizen.pk in seen:
                check(
                    "cpr",
                    _("Borgeren står også i linje %(line)d. Hver borger må kun stå én gang.")
                    % {"line": seen[citizen.pk]},
                )
            else:
                seen[citizen.pk] = row.line
        if check.count or citizen is None or exit_date is None or reason is None:
            continue
        assert isinstance(reason, ExitReason)
        change = ExitChange(citizen, exit_date, reason)
        if change.changed:
            plan.updated += 1
            plan.items.append(change)
        else:
            plan.unchanged += 1
    if plan.errors:
        plan.items.clear()
