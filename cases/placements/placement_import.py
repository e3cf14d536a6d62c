"""CSV import of placements (history from the system a jobcentre leaves; docs/import.md).

Columns: ``cpr, cvr, type, start`` (required) and ``start bekræftet, slut, timer pr. uge,
slutårsag`` (optional). A placement is identified by (citizen, company, type, start): a row
that matches a stored placement updates it (end, end reason, planned hours, confirmed start),
any other row creates one. Importing the same file twice changes nothing the second time.

``start bekræftet``: ``ja`` (confirmed on the start day), ``nej`` (not confirmed: without an end
it is planlagt, with one aflyst), or the date it was confirmed (not before the start). Empty:
``ja`` for a start today or earlier, ``nej`` for a later one (as ``services.start_placement``).

``plan_placements`` validates without side effects; ``services.apply_placements`` writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.citizens.history_import import (
    PLACEMENTS,
    HistoryPlan,
    RowChecker,
    citizens_by_cpr,
    code_table,
    read_table,
)
from cases.citizens.models import Citizen
from cases.placements.hours import parse_hours
from cases.placements.models import (
    CANCELLED_REASON,
    Placement,
    PlacementEndReason,
    status_on,
)
from cases.placements.rules import placement_errors
from companies.models import Company, PlacementType
from substitution import days
from substitution.csv_reader import CsvRow, parse_date
from substitution.models import CodeList, Unit

REQUIRED = ["cpr", "cvr", "type", "start"]
OPTIONAL = ["start bekræftet", "slut", "timer pr. uge", "slutårsag"]
YES = {"ja", "j", "yes", "1", "x"}
NO = {"nej", "n", "no", "0"}


@dataclass
class PlacementRow:
    line: int
    citizen: Citizen
    company: Company
    type: PlacementType
    starts_on: dt.date
    ends_on: dt.date | None
    start_confirmed_on: dt.date | None
    planned_hours_per_week: Decimal
    end_reason: PlacementEndReason | None
    existing: Placement | None = None

    def values(self, today: dt.date) -> dict[str, object]:
        return {
            "ends_on": self.ends_on,
            "start_confirmed_on": self.start_confirmed_on,
            "planned_hours_per_week": self.planned_hours_per_week,
            "end_reason_id": self.end_reason.pk if self.end_reason else None,
            "status": status_on(
                self.starts_on, self.ends_on, today, self.start_confirmed_on is not None
            ),
        }

    def changed_fields(self, today: dt.date) -> list[str]:
        if self.existing is None:
            return []
        return [
            name
            for name, value in self.values(today).items()
            if getattr(self.existing, name) != value
        ]


def plan_placements(
    data: bytes,
    unit: Unit,
    *,
    today: dt.date | None = None,
    citizens: QuerySet[Citizen] | None = None,
) -> HistoryPlan:
    """Validate the whole file and work out what importing it would do. No side effects."""
    today = today or days.today()
    plan = HistoryPlan(PLACEMENTS)
    rows = read_table(data, plan, REQUIRED, OPTIONAL)
    if not rows:
        return plan
    known = citizens_by_cpr(unit, rows, citizens)
    cvrs = {row.values.get("cvr", "").replace(" ", "") for row in rows}
    companies = {c.cvr: c for c in Company.objects.filter(unit=unit, cvr__in=cvrs)}
    types = code_table(PlacementType)
    reasons = code_table(PlacementEndReason)
    cancelled = PlacementEndReason.objects.filter(code=CANCELLED_REASON).first()
    parsed: list[PlacementRow] = []
    seen: dict[tuple[int, int, int, dt.date], int] = {}
    for row in rows:
        parsed_row = _plan_row(row, plan, known, companies, types, reasons, cancelled, today)
        if parsed_row is None:
            continue
        key = (
            parsed_row.citizen.pk,
            parsed_row.company.pk,
            parsed_row.type.pk,
            parsed_row.starts_on,
        )
        if key in seen:
            RowChecker(row.line, plan.errors)(
                "start",
                _("Samme borger, virksomhed, type og start står også i linje %(line)d.")
                % {"line": seen[key]},
            )
            continue
        seen[key] = row.line
        parsed.append(parsed_row)
    if plan.errors:
        return plan

    stored: dict[tuple[int, int, int, dt.date], Placement] = {}
    citizen_ids = sorted({r.citizen.pk for r in parsed})
    for i in range(0, len(citizen_ids), 1000):
        for placement in Placement.objects.filter(
            citizen_id__in=citizen_ids[i : i + 1000]
        ).order_by("pk"):
            key = (
                placement.citizen_id,
                placement.company_id,
                placement.type_id,
                placement.starts_on,
            )
            stored.setdefault(key, placement)
    for parsed_row in parsed:
        parsed_row.existing = stored.get(
            (
                parsed_row.citizen.pk,
                parsed_row.company.pk,
                parsed_row.type.pk,
                parsed_row.starts_on,
            )
        )
        if parsed_row.existing is None:
            plan.created += 1
            plan.items.append(parsed_row)
        elif parsed_row.changed_fields(today):
            plan.updated += 1
            plan.items.append(parsed_row)
        else:
            plan.unchanged += 1
    return plan


def _plan_row(
    row: CsvRow,
    plan: HistoryPlan,
    known: dict[str, Citizen],
    companies: dict[str, Company],
    types: dict[str, CodeList],
    reasons: dict[str, CodeList],
    cancelled: PlacementEndReason | None,
    today: dt.date,
) -> PlacementRow | None:
    values = row.values
    check = RowChecker(row.line, plan.errors)
    citizen = check.citizen(values, known)
    cvr = values.get("cvr", "").replace(" ", "")
    company = None
    if not (cvr.isdigit() and len(cvr) == 8):
        check("cvr", _("CVR-nummeret skal have 8 cifre."))
    else:
        company = companies.get(cvr)
        if company is None:
            check("cvr", _("Ingen virksomhed med CVR-nummer %s i jobcentret.") % cvr)
    placement_type = check.code(values, "type", types)
    starts_on = None
    raw_start = values.get("start", "")
    if not raw_start:
        check("start", _("Skal udfyldes."))
    else:
        try:
            starts_on = parse_date(raw_start)
        except ValueError as exc:
            check("start", str(exc))
    ends_on = None
    if values.get("slut"):
        try:
            ends_on = parse_date(values["slut"])
        except ValueError as exc:
            check("slut", str(exc))
        else:
            if starts_on is not None and placement_errors(starts_on=starts_on, ends_on=ends_on):
                check("slut", _("Slutdatoen ligger før startdatoen."))
                ends_on = None
    confirmed_on = None
    raw_confirmed = values.get("start bekræftet", "").strip().lower()
    if starts_on is not None:
        if not raw_confirmed:
            confirmed_on = starts_on if starts_on <= today else None
        elif raw_confirmed in YES:
            if starts_on > today:
                check("start bekræftet", _("En start i fremtiden kan ikke bekræftes endnu."))
            confirmed_on = starts_on
        elif raw_confirmed in NO:
            confirmed_on = None
        else:
            try:
                confirmed_on = parse_date(raw_confirmed)
            except ValueError:
                check(
                    "start bekræftet",
                    _("Skriv ja, nej eller datoen starten blev bekræftet, fx 03-02-2025."),
                )
            else:
                if confirmed_on < starts_on or confirmed_on > today:
                    check(
                        "start bekræftet",
                        _("Bekræftelsen skal ligge mellem starten og i dag."),
                    )
    hours = Decimal(0)
    if values.get("timer pr. uge"):
        try:
            hours = parse_hours(values["timer pr. uge"])
        except ValidationError as exc:
            check("timer pr. uge", " ".join(exc.messages))
    end_reason = None
    raw_reason = values.get("slutårsag", "")
    if raw_reason:
        found = reasons.get(raw_reason.lower())
        if found is None:
            check("slutårsag", _("Ukendt slutårsag “%(value)s”.") % {"value": raw_reason})
        elif not values.get("slut"):
            check("slutårsag", _("En slutårsag kræver en slutdato."))
        else:
            assert isinstance(found, PlacementEndReason)
            end_reason = found
    elif ends_on is not None:
        if confirmed_on is None and cancelled is not None:
            end_reason = cancelled
        else:
            check("slutårsag", _("Angiv slutårsagen for et forløb med slutdato."))
    if check.count:
        return None
    assert citizen and company and starts_on
    assert isinstance(placement_type, PlacementType)
    return PlacementRow(
        row.line,
        citizen,
        company,
        placement_type,
        starts_on,
        ends_on,
        confirmed_on,
        hours,
        end_reason,
    )
