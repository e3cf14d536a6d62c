"""The weekly hours grid (one row per paid placement that counts as ordinary hours, one cell per
ISO week, each cell saved on change by htmx) and the CSV import page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens.models import Citizen
from cases.placements import hours, queries, services
from cases.placements.forms import HoursImportForm
from cases.placements.models import HoursSource, Placement
from substitution import days, links, thresholds
from substitution.audit import AuditContext, record_list
from substitution.http import AuthenticatedHttpRequest
from substitution.roles import Cap, require

GRID_WEEKS = 8
PER_PAGE = 50


def _last_week(request: AuthenticatedHttpRequest, today: dt.date) -> dt.date:
    """The newest week shown (``?uge=2026-W14``), default the current week."""
    try:
        return hours.parse_iso_week(request.GET.get("uge", ""))
    except ValueError:
        return hours.week_start(today)


def hours_grid(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.HOURS_CHANGE)
    today = days.today()
    last = _last_week(request, today)
    weeks = hours.weeks_ending(last, GRID_WEEKS)
    first = weeks[0]
    has_caseload = queries.has_caseload(request.user)
    everyone = request.GET.get("alle") == "1" or not has_caseload
    page = Paginator(
        queries.grid_placements(request.user, first, last, everyone), PER_PAGE
    ).get_page(request.GET.get("side"))
    rows = list(page.object_list)
    values = queries.grid_values(rows, first, last)
    months = hours.months_of(weeks)
    smalljob = thresholds.get("monthly_smalljob_hours", request.user.unit_id, today)
    periods = queries.citizens_hours_periods(
        {placement.citizen_id for placement in rows},
        hours.month_range(*months[0])[0],
        hours.month_range(*months[-1])[1],
    )
    texts = CellTexts.now()
    placement_url = links.pk_url("cases:placement_detail")
    week_labels = [hours.iso_week_label(monday) for monday in weeks]
    month_labels = {month: hours.month_label(*month) for month in months}
    month_totals = {citizen: hours.month_totals(found) for citizen, found in periods.items()}
    rows_html = mark_safe(  # noqa: S308 - grid_row_html escapes every value
        "".join(
            grid_row_html(
                placement,
                placement_url(placement.pk),
                weeks,
                week_labels,
                values,
                texts,
                month_cells(
                    placement,
                    months,
                    [],
                    smalljob,
                    totals=month_totals.get(placement.citizen_id, {}),
                    labels=month_labels,
                ),
            )
            for placement in rows
        )
    )
    week_totals = [
        hours.format_hours(sum((values.get((p.pk, monday), hours.ZERO) for p in rows), hours.ZERO))
        for monday in weeks
    ]
    record_list(
        request,
        _("Timeoversigt"),
        (placement.citizen_id for placement in rows),
        {"uge": hours.iso_week_label(last), "alle": everyone, "side": page.number},
    )
    return render(
        request,
        "cases/placements/hours/grid.html",
        {
            "grid": rows,
            "rows_html": rows_html,
            "weeks": [
                {
                    "monday": monday,
                    "iso": hours.iso_week_label(monday),
                    "label": hours.week_label(monday),
                    "sunday": monday + dt.timedelta(days=6),
                    "current": monday == hours.week_start(today),
                    "total": total,
                }
                for monday, total in zip(weeks, week_totals, strict=True)
            ],
            "months": [hours.month_label(*month) for month in months],
            "smalljob_hours": hours.format_hours(smalljob),
            "page": page,
            "everyone": everyone,
            "has_caseload": has_caseload,
            "previous": hours.iso_week_label(last - dt.timedelta(weeks=GRID_WEEKS)),
            # Forward as well as back; "Denne uge" returns to the weeks ending with this one.
            "next": hours.iso_week_label(last + dt.timedelta(weeks=GRID_WEEKS)),
            "this_week": None
            if last == hours.week_start(today)
            else hours.iso_week_label(hours.week_start(today)),
            "sources": HoursSource.choices,
        },
    )


def month_cells(
    placement: Placement,
    months: list[tuple[int, int]],
    periods: list[hours.HoursPeriod],
    smalljob: Decimal,
    *,
    totals: dict[tuple[int, int], Decimal] | None = None,
    labels: dict[tuple[int, int], str] | None = None,
) -> list[dict[str, object]]:
    """The citizen's ordinary hours in each month shown (``hours.month_totals`` of
    ``periods``), with the småjob month marked. The grid passes each citizen's ``totals``
    (computed once per citizen, not per placement) and the month ``labels`` (once per grid)."""
    if totals is None:
        totals = hours.month_totals(periods)
    badge = escape(_("Småjob"))
    cells = []
    for year, month in months:
        total = totals.get((year, month), hours.ZERO)
        cell: dict[str, object] = {
            "id": f"m{placement.pk}-{year}{month:02d}",
            "label": labels[(year, month)] if labels else hours.month_label(year, month),
            "total": hours.format_hours(total),
            "smalljob": hours.is_smalljob_month(total, smalljob),
        }
        # The <td>, built in Python like the week cells; ``oob_html`` swaps it in beside a
        # saved cell (htmx out of band).
        head = f'<td id="{escape(str(cell["id"]))}" class="num month-total' + (
            ' smalljob"' if cell["smalljob"] else '"'
        )
        body = escape(str(cell["total"])) + (
            f' <span class="badge ok">{badge}</span>' if cell["smalljob"] else ""
        )
        cell["html"] = mark_safe(f"{head}>{body}</td>")  # noqa: S308 - escaped
        cell["oob_html"] = mark_safe(f'{head} hx-swap-oob="true">{body}</td>')  # noqa: S308
        cells.append(cell)
    return cells


def cell_context(
    placement: Placement,
    monday: dt.date,
    saved: Decimal | None,
    *,
    typed: str | None = None,
    error: str = "",
    just_saved: bool = False,
    texts: CellTexts | None = None,
) -> dict[str, object]:
    """One cell of the grid, with its ``html`` (``cell_html``). ``texts``: the save URL and
    the translated texts, when the caller has them for the whole grid."""
    shown = hours.format_hours(saved)
    cell: dict[str, object] = {
        "placement": placement,
        "monday": monday,
        "week": hours.iso_week_label(monday),
        "in_range": hours.week_overlaps(placement, monday),
        "value": typed if typed is not None else shown,
        "previous": shown,
        "error": error,
        "saved": just_saved,
        "id": f"c{placement.pk}-{monday:%Y%m%d}",
    }
    cell["html"] = cell_html(cell, placement, texts or CellTexts.now())
    return cell


@dataclass(frozen=True)
class CellTexts:
    """What every cell of a grid shares: the save URL and the translated texts (the same
    gettext messages the template partial used), resolved once per grid."""

    url: str
    outside: str
    label: str
    saved: str
    saved_mark: str

    @classmethod
    def now(cls) -> CellTexts:
        return cls(
            url=reverse("cases:hours_cell"),
            outside=_("Uden for forløbets datoer"),
            label=_("Timer for %(name)s i uge %(week)s"),
            saved=_("Timer for %(name)s i uge %(week)s er gemt."),
            saved_mark=_("Gemt"),
        )


def cell_html(cell: dict[str, object], placement: Placement, texts: CellTexts) -> SafeString:
    """The cell's ``<td>``, built in Python: a grid of 50 placements has 400 of them, and the
    same markup as a template partial cost about 1.5 ms of CPU per row (docs/performance.md).
    Every value is escaped (``html.escape``, as Django's ``escape``)."""
    cell_id = escape(str(cell["id"]))
    classes = (
        "hours-cell" + (" has-error" if cell["error"] else "") + (" saved" if cell["saved"] else "")
    )
    if not (cell["in_range"] or cell["error"]):
        return mark_safe(  # noqa: S308 - escaped above
            f'<td id="{cell_id}" class="{classes}">'
            f'<span class="muted" title="{escape(texts.outside)}">–</span></td>'
        )
    names = {"name": placement.citizen.full_name, "week": cell["week"]}
    invalid = error = saved = ""
    if cell["error"]:
        invalid = f' aria-invalid="true" aria-describedby="{cell_id}-err"'
        error = f'<p class="error" id="{cell_id}-err">{escape(str(cell["error"]))}</p>'
    if cell["saved"]:
        saved = (
            f'<span class="saved-mark small" data-a11y-announce="{escape(texts.saved % names)}">'
            f"{escape(texts.saved_mark)}</span>"
        )
    return mark_safe(  # noqa: S308 - every value escaped
        f'<td id="{cell_id}" class="{classes}"><form hx-post="{escape(texts.url)}"'
        ' hx-trigger="change, submit" hx-target="closest td" hx-swap="outerHTML"'
        ' hx-include="#grid-source">'
        f'<input type="hidden" name="placement" value="{placement.pk}">'
        f'<input type="hidden" name="week" value="{escape(str(cell["week"]))}">'
        f'<input type="hidden" name="previous" value="{escape(str(cell["previous"]))}">'
        f'<input type="text" id="{cell_id}-timer" inputmode="decimal" name="hours"'
        f' value="{escape(str(cell["value"]))}" size="4" autocomplete="off"'
        f' aria-label="{escape(texts.label % names)}"{invalid}>{error}{saved}</form></td>'
    )


def grid_row_html(
    placement: Placement,
    url: str,
    weeks: list[dt.date],
    week_labels: list[str],
    values: dict[tuple[int, dt.date], Decimal],
    texts: CellTexts,
    months: list[dict[str, object]],
) -> str:
    """One row of the grid: the placement's header cell, its week cells (the same ``<td>`` as
    ``cell_html`` prints for a cell without an error or a saved mark; a test compares them)
    and its month cells. Built here for the 400 cells of a full page: the name, the week
    labels and the texts are escaped once, not per cell."""
    citizen = placement.citizen
    name = citizen.full_name
    pk = placement.pk
    outside = f'<span class="muted" title="{escape(texts.outside)}">–</span></td>'
    form = (
        f'<form hx-post="{escape(texts.url)}" hx-trigger="change, submit"'
        ' hx-target="closest td" hx-swap="outerHTML" hx-include="#grid-source">'
        f'<input type="hidden" name="placement" value="{pk}">'
    )
    cells = []
    for monday, week in zip(weeks, week_labels, strict=True):
        cell_id = f"c{pk}-{monday:%Y%m%d}"
        if not hours.week_overlaps(placement, monday):
            cells.append(f'<td id="{cell_id}" class="hours-cell">{outside}')
            continue
        shown = escape(hours.format_hours(values.get((pk, monday))))
        label = escape(texts.label % {"name": name, "week": week})
        cells.append(
            f'<td id="{cell_id}" class="hours-cell">{form}'
            f'<input type="hidden" name="week" value="{week}">'
            f'<input type="hidden" name="previous" value="{shown}">'
            f'<input type="text" id="{cell_id}-timer" inputmode="decimal" name="hours"'
            f' value="{shown}" size="4" autocomplete="off" aria-label="{label}"></form></td>'
        )
    return (
        f'\n    <tr>\n      <th scope="row"><a href="{escape(url)}">{escape(name)}</a><br>'
        f'<span class="muted small">{escape(placement.type.label)} · '
        f"{escape(placement.company.name)}</span></th>\n      "
        + "".join(cells)
        + "\n      "
        + "".join(str(month["html"]) for month in months)
        + "\n    </tr>"
    )


@require_POST
def hours_cell(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save one cell. An existing value is replaced only if the form shows that value
    (``previous``): editing a shown number is the explicit correction; anything else is a
    second entry and is refused (``services.register_hours`` with ``shown``)."""
    require(request.user, Cap.HOURS_CHANGE)
    placement = get_object_or_404(
        Placement.objects.visible_to(request.user).select_related("citizen", "type"),
        pk=request.POST.get("placement") or 0,
    )
    try:
        monday = hours.parse_iso_week(request.POST.get("week", ""))
    except ValueError:
        monday = hours.week_start(days.today())
    typed = request.POST.get("hours", "")
    try:
        registration = services.register_hours(
            placement,
            monday,
            typed,
            actor=request.user,
            context=AuditContext.of(request),
            source=request.POST.get("source") or HoursSource.VIRKSOMHED,
            correction=True,
            reason=_("Rettet i timeoversigten"),
            shown=request.POST.get("previous", ""),
        )
    except ValidationError as exc:
        existing = queries.week_row(placement, monday)
        context = cell_context(
            placement,
            monday,
            existing.hours if existing else None,
            typed=typed,
            error=" ".join(exc.messages),
        )
        return render(request, "cases/placements/hours/grid.html#cell", {"cell": context})
    context = cell_context(placement, monday, registration.row.hours, just_saved=True)
    # The citizen's month totals of the months this week touches, swapped in beside the cell.
    months = hours.months_of([monday])
    periods = queries.citizens_hours_periods(
        {placement.citizen_id},
        hours.month_range(*months[0])[0],
        hours.month_range(*months[-1])[1],
    ).get(placement.citizen_id, [])
    smalljob = thresholds.get("monthly_smalljob_hours", placement.citizen.unit_id, days.today())
    return render(
        request,
        "cases/placements/hours/_cell_saved.html",
        {"cell": context, "months": month_cells(placement, months, periods, smalljob)},
    )


def hours_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.HOURS_CHANGE)
    form = HoursImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.import_hours(
            form.cleaned_data["file"].read(),
            unit_id=request.user.unit_id,
            actor=request.user,
            context=AuditContext.of(request),
            citizens=Citizen.objects.visible_to(request.user),
        )
    return render(request, "cases/placements/hours/import.html", {"form": form, "result": result})
