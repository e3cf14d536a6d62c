"""CSV import of ordinary hours (the upload page and ``manage.py import_hours``).

Columns (header row, any order, case-insensitive): ``cpr``, ``cvr``, the pay period — ``uge``
(ISO week such as ``2026-W14``) or ``dato`` (any day of the week, e.g. ``2026-04-02`` or
``02-04-2026``), or ``måned`` (``2026-03``: the calendar month as one period, a monthly
payslip), or ``fra`` and ``til`` (any period up to 31 days; seven days must be Monday-Sunday) —
``timer`` (at most 80 a week, pro rata by day for a longer period: ``hours.max_hours``),
``løn`` (optional), ``kilde`` (lønseddel, eIndkomst, virksomhed, borger; optional, default
lønseddel). Reading the file (encoding, separator, line numbers, size limit, date formats) is
``substitution.csv_reader``'s job.

Everything is validated first (``validate``, here, writes nothing); any error rejects the whole
file with a Danish report per row (all-or-nothing). ``cases.placements.services.import_hours``
then writes it: idempotent on (placement, period), a period already registered with the same
values is left alone, a different value is a correction (earlier value kept as a revision); a
period that overlaps another registered period of the placement (or another row of the file)
is an error.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cases.citizens.cpr import normalise, validate_cpr
from cases.citizens.models import Citizen
from cases.placements.hours import (
    check_placement_week,
    parse_hours,
    parse_iso_week,
    period_label,
    period_overlaps,
    week_start,
)
from cases.placements.models import HoursSource, Placement, WeeklyHours
from companies.models import Company
from substitution.csv_reader import CsvReadError, RowError, parse_date, read_csv

REQUIRED: tuple[str | tuple[str, ...], ...] = (
    "cpr",
    "cvr",
    "timer",
    ("uge", "dato", "fra", "måned"),
)
OPTIONAL = ("loen", "kilde", "til")
# The longest pay period a row may cover (a calendar month).
MAX_PERIOD_DAYS = 31
_MONTH = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
# Other header names accepted for a column (the column's own name is always accepted).
ALIASES = {
    "cpr-nummer": "cpr",
    "cprnr": "cpr",
    "cvr-nummer": "cvr",
    "løn": "loen",
    "lon": "loen",
    "maaned": "måned",
    "fra-dato": "fra",
    "til-dato": "til",
}
SOURCES = {
    **{value: value for value in HoursSource.values},
    **{str(label).lower(): value for value, label in HoursSource.choices},
    "lønseddel": HoursSource.LOENSEDDEL,
    "e-indkomst": HoursSource.EINDKOMST,
}


@dataclass
class ParsedRow:
    line: int
    placement: Placement
    week: dt.date  # first day of the pay period (the Monday of a week)
    hours: Decimal
    wage: Decimal | None
    source: str
    last: dt.date  # last day of the pay period (the Sunday of a week)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    corrected: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_wage(value: str) -> Decimal | None:
    """``1.234,50`` / ``1234,50`` / ``1234.50`` -> Decimal; empty -> None."""
    text = value.strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.split(".")[1]) <= 2:
        pass  # a decimal point
    else:
        text = text.replace(".", "")
    try:
        wage = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("Løn skal være et beløb, fx 1234,50.")) from exc
    if not wage.is_finite() or wage < 0:
        raise ValueError(_("Løn skal være et beløb på 0 kr. eller mere."))
    return wage


def _period(row: dict[str, str]) -> tuple[dt.date, dt.date]:
    """The row's pay period (first, last): ``måned`` (a calendar month), ``fra``/``til`` (any
    period up to ``MAX_PERIOD_DAYS``; seven days must be an ISO week, Monday to Sunday), else
    the ISO week of ``uge`` or ``dato``. Danish ``ValueError`` for a wrong value."""
    if row.get("måned"):
        match = _MONTH.match(row["måned"])
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(_("Måneden skal skrives som ÅÅÅÅ-MM, fx 2026-03."))
        year, month = int(match.group(1)), int(match.group(2))
        first = dt.date(year, month, 1)
        return first, first.replace(day=calendar.monthrange(year, month)[1])
    if row.get("fra") or row.get("til"):
        if not (row.get("fra") and row.get("til")):
            raise ValueError(_("Angiv både fra og til for perioden."))
        first, last = parse_date(row["fra"]), parse_date(row["til"])
        if last < first:
            raise ValueError(_("Til-datoen ligger før fra-datoen."))
        if (last - first).days + 1 > MAX_PERIOD_DAYS:
            raise ValueError(
                _("En periode må højst være %(days)s dage (en måned).") % {"days": MAX_PERIOD_DAYS}
            )
        if (last - first).days == 6 and first != week_start(first):
            raise ValueError(_("En periode på 7 dage skal være en uge fra mandag til søndag."))
        return first, last
    if row.get("uge"):
        monday = parse_iso_week(row["uge"])
    elif row.get("dato"):
        monday = week_start(parse_date(row["dato"]))
    else:
        raise ValueError(_("Angiv uge, dato, måned eller fra og til."))
    return monday, monday + dt.timedelta(days=6)


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def validate(
    data: bytes, unit_id: int | None, citizens: QuerySet[Citizen] | None = None
) -> tuple[list[ParsedRow], ImportResult]:
    """Parse and check every row without writing. ``citizens``: the queryset the importer may
    touch (default: the unit's citizens; the upload page passes ``visible_to(user)``)."""
    result = ImportResult()
    try:
        table = read_csv(data, aliases=ALIASES)
    except CsvReadError as exc:
        result.errors.append(exc.error)
        return [], result
    header = table.check_header(REQUIRED, OPTIONAL)
    if not header.ok:
        result.errors.append(header.summary())
        return [], result
    raw_rows = [(row.line, row.values) for row in table.rows]
    result.rows = len(raw_rows)
    if not raw_rows:
        result.errors.append(table.no_rows_error())
        return [], result

    # Look up every citizen and placement in the file in two queries. A user outside any
    # jobcentre (no unit) finds neither citizens nor companies.
    citizens = Citizen.objects.all() if citizens is None else citizens
    companies = Company.objects.all()
    if unit_id is None:
        citizens, companies = citizens.none(), companies.none()
    else:
        citizens, companies = citizens.filter(unit_id=unit_id), companies.filter(unit_id=unit_id)
    cprs = {normalise(row.get("cpr", "")) for _, row in raw_rows}
    citizen_by_cpr = {c.cpr: c for c in citizens.filter(cpr__in=cprs).only("pk", "cpr")}
    cvrs = {row.get("cvr", "").replace(" ", "") for _, row in raw_rows}
    known_cvrs = set(companies.filter(cvr__in=cvrs).values_list("cvr", flat=True))
    placements: dict[tuple[int, str], list[Placement]] = defaultdict(list)
    for known in Placement.objects.filter(
        citizen__in=list(citizen_by_cpr.values()), company__cvr__in=known_cvrs
    ).select_related("type", "company"):
        placements[(known.citizen_id, known.company.cvr)].append(known)

    parsed: list[ParsedRow] = []
    # Periods already stored (one query), and the file's own, per placement.
    stored_periods: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for placement_id, first, end in WeeklyHours.objects.filter(
        placement__in=[p for ps in placements.values() for p in ps]
    ).values_list("placement_id", "week_start", "ends_on"):
        stored_periods[placement_id].append((first, end))
    seen: dict[int, list[tuple[dt.date, dt.date, int]]] = {}
    for line, row in raw_rows:
        errors: list[str] = []
        citizen = None
        try:
            cpr = validate_cpr(row.get("cpr", ""))
            citizen = citizen_by_cpr.get(cpr)
            if citizen is None:
                errors.append(_("Ingen borger med CPR-nummer %s.") % f"{cpr[:6]}-XXXX")
        except ValidationError as exc:
            errors.append(_messages(exc))
        cvr = row.get("cvr", "").replace(" ", "")
        if not (cvr.isdigit() and len(cvr) == 8):
            errors.append(_("CVR-nummeret skal have 8 cifre."))
            cvr = ""
        elif cvr not in known_cvrs:
            errors.append(_("Ukendt CVR-nummer %s.") % cvr)
            cvr = ""
        week: dt.date | None = None
        last: dt.date | None = None
        try:
            week, last = _period(row)
        except ValueError as exc:
            errors.append(str(exc))
        hours = None
        try:
            hours = parse_hours(row.get("timer", ""), (week, last) if week and last else None)
        except ValidationError as exc:
            errors.append(_messages(exc))
        wage = None
        try:
            wage = _parse_wage(row.get("loen", ""))
        except ValueError as exc:
            errors.append(str(exc))
        source_text = row.get("kilde", "").strip().lower()
        source = SOURCES.get(source_text) if source_text else HoursSource.LOENSEDDEL
        if source is None:
            errors.append(
                _("Ukendt kilde %(value)s (brug lønseddel, eIndkomst, virksomhed eller borger).")
                % {"value": row.get("kilde")}
            )
        placement = None
        if citizen is not None and cvr and week is not None and last is not None:
            candidates = placements.get((citizen.pk, cvr), [])
            covering = [p for p in candidates if period_overlaps(p, week, last)]
            ordinary = [p for p in covering if p.type.counts_as_ordinary_hours]
            if not candidates:
                errors.append(_("Borgeren har intet forløb i virksomheden med CVR %s.") % cvr)
            elif not covering:
                errors.append(
                    _("%(period)s ligger uden for borgerens forløb i virksomheden.")
                    % {"period": capfirst(period_label(week, last))}
                )
            elif not ordinary:
                try:
                    check_placement_week(covering[0], week_start(max(week, covering[0].starts_on)))
                except ValidationError as exc:
                    errors.append(_messages(exc))
            elif len(ordinary) > 1:
                errors.append(
                    _("Borgeren har flere forløb med ordinære timer i virksomheden i %s.")
                    % period_label(week, last)
                )
            else:
                placement = ordinary[0]
        if placement is not None and week is not None and last is not None:
            clash = next(
                (
                    (first, end, other)
                    for first, end, other in seen.get(placement.pk, [])
                    if first <= last and end >= week
                ),
                None,
            )
            stored = next(
                (
                    (first, end)
                    for first, end in stored_periods.get(placement.pk, [])
                    if first <= last and end >= week and (first, end) != (week, last)
                ),
                None,
            )
            if clash is not None and clash[:2] == (week, last):
                errors.append(
                    _("%(period)s for samme forløb står også i linje %(line)s.")
                    % {"period": capfirst(period_label(week, last)), "line": clash[2]}
                )
            elif clash is not None:
                errors.append(
                    _("%(period)s for samme forløb overlapper linje %(line)s.")
                    % {"period": capfirst(period_label(week, last)), "line": clash[2]}
                )
            elif stored is not None:
                errors.append(
                    _(
                        "%(period)s overlapper timer der allerede er registreret for "
                        "%(other)s på samme forløb."
                    )
                    % {
                        "period": capfirst(period_label(week, last)),
                        "other": period_label(*stored),
                    }
                )
            else:
                seen.setdefault(placement.pk, []).append((week, last, line))
        if errors:
            result.errors.append(RowError(line, "", " ".join(errors)))
        elif placement is not None and week is not None and hours is not None and source:
            assert last is not None
            parsed.append(ParsedRow(line, placement, week, hours, wage, source, last))
    return parsed, result
