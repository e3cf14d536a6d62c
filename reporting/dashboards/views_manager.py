"""The manager dashboard (the leder's landing page), its exports and the cohort view.

Views read top to bottom: parse the filters, ask ``manager``/``cohort`` for the figures (which
ask ``reporting.measures``), render. Numbers only for the teams the user may see
(``manager.visible_teams``); the total is over those teams unless the user sees the whole
jobcentre (docs/manager-dashboard.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cases.citizens.models import BenefitType, ReadinessCategory, VisitationGroup
from reporting.charts import line
from reporting.charts.bars import bars
from reporting.charts.base import Chart
from reporting.charts.base import html as chart_html
from reporting.charts.quartiles import quartiles
from reporting.charts.svg import Point
from reporting.dashboards import cohort, exports, manager, queries
from reporting.measures import BY_SLUG, Figure, Kind, Period
from substitution import days
from substitution.audit import record
from substitution.http import AuthenticatedHttpRequest
from substitution.models import AuditAction, Team
from substitution.roles import Cap, require

MONTHS_OFFERED = 24


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    start = days.month_start(today)
    result = []
    for back in range(MONTHS_OFFERED):
        first = days.add_months(start, -back)
        label = days.month_label(first)
        if back == 0:
            label = _("%(month)s (til i dag)") % {"month": label}
        result.append((f"{first:%Y-%m}", label))
    return result


def _code_choices(model: Any, everyone: str) -> list[tuple[str, str]]:
    return [
        ("", everyone),
        *model.objects.order_by("sort_order", "label").values_list("code", "label"),
    ]


class ManagerFilterForm(forms.Form):
    """The manager dashboard's filters; an unknown value is ignored (the default applies)."""

    periode = forms.ChoiceField(label=gettext_lazy("Måned"), required=False)
    ydelse = forms.ChoiceField(label=gettext_lazy("Ydelse"), required=False)
    parathed = forms.ChoiceField(label=gettext_lazy("Parathedskategori"), required=False)
    gruppe = forms.ChoiceField(label=gettext_lazy("Visitationsgruppe"), required=False)
    udvikling = forms.ChoiceField(label=gettext_lazy("Udvikling i"), required=False)

    def __init__(self, data: Any, today: dt.date) -> None:
        super().__init__(data)
        self.today = today
        choices = {
            "periode": month_choices(today),
            "ydelse": _code_choices(BenefitType, _("Alle ydelser")),
            "parathed": _code_choices(ReadinessCategory, _("Alle kategorier")),
            "gruppe": _code_choices(VisitationGroup, _("Alle grupper")),
            "udvikling": [(slug, BY_SLUG[slug].label) for slug in manager.MANAGER_MEASURES],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options

    def value(self, name: str) -> str:
        """The cleaned value, or '' when the field (or the whole form) is invalid."""
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get(name) or "")

    @property
    def period(self) -> Period:
        """The chosen month; the current month runs to today (a live month to date)."""
        text = self.value("periode")
        first = days.month_start(self.today)
        if text:
            year, month = text.split("-")
            first = dt.date(int(year), int(month), 1)
        return Period(first, min(days.month_end(first), self.today))

    @property
    def filters(self) -> dict[str, str | None]:
        return {
            "benefit_type": self.value("ydelse") or None,
            "readiness": self.value("parathed") or None,
            "visitation_group": self.value("gruppe") or None,
        }

    @property
    def trend_slug(self) -> str:
        return self.value("udvikling") or manager.DEFAULT_TREND

    def query(self) -> str:
        """The filters as a query string (export links keep them)."""
        data = {name: self.value(name) for name in self.fields}
        return urlencode({k: v for k, v in data.items() if v})


# --- links to the list behind a figure ------------------------------------------------------


def drill_hrefs(
    slug: str, period: Period, team_ids: list[int | None], filters: dict[str, str | None]
) -> list[str]:
    """The drill-down (``views.drill_down``) of one measure for each of ``team_ids``: the list
    behind one figure, produced by the same measure (``measures.drill_down``), so its count is
    the figure. Its query names the period, the team (None: the total, which the drill-down
    scopes to what the user sees) and the filters, in the drill-down's own parameters
    (``queries.select``). One ``reverse()`` for the row."""
    path = reverse("reporting:drill_down", args=[slug])
    names = {"benefit_type": "ydelse", "readiness": "parathed", "visitation_group": "gruppe"}
    rest = [(names[key], value) for key, value in filters.items() if value]
    result = []
    for team_id in team_ids:
        params: list[tuple[str, str]] = [("periode", queries.period_param(period))]
        if team_id is not None:
            params.append(("team", str(team_id)))
        result.append(f"{path}?{urlencode(params + rest)}")
    return result


def drill_href(
    slug: str, period: Period, team_id: int | None, filters: dict[str, str | None]
) -> str:
    """The drill-down of one figure (``drill_hrefs``)."""
    return drill_hrefs(slug, period, [team_id], filters)[0]


# --- the page -------------------------------------------------------------------------------


def _board(request: AuthenticatedHttpRequest) -> tuple[ManagerFilterForm, list[Team], Any]:
    require(request.user, Cap.DASHBOARD_VIEW)
    teams = manager.visible_teams(request.user)
    if request.user.unit_id is None:
        raise Http404
    form = ManagerFilterForm(request.GET or None, days.today())
    base = manager.base_population(request.user, teams, **form.filters)
    targets = queries.targets_for(request.user.unit_id)
    return form, teams, manager.board(base, teams, form.period, targets=targets)


def _strip(row: manager.Row, board: manager.Board) -> Chart:
    share = BY_SLUG[row.slug].kind == Kind.SHARE
    points = [
        (board.team_name(c.team_id), c.figure.value, c.figure.display)
        for c in row.cells
        if c.figure.value is not None
    ]
    spread = row.spread
    numbers = [spread.minimum, spread.q1, spread.median, spread.q3, spread.maximum]
    return quartiles(
        _("%(measure)s: teams og kvartiler") % {"measure": row.label},
        _("Hvert punkt er et team; boksen går fra 1. til 3. kvartil, stregen er medianen."),
        points,
        numbers,
        [manager.display_value(row.slug, n) for n in numbers],
        scale_max=Decimal(1) if share else None,
        total=(_("I alt"), row.total.figure.value, row.total.figure.display)
        if row.total.figure.value is not None
        else None,
    )


def _trend_chart(trend: manager.Trend, teams: list[Team], total_label: str) -> Chart:
    """The 13 months as lines: every team and the total (``reporting.charts.line``)."""
    measure = BY_SLUG[trend.slug]
    labels = [f"{m.first:%m.%y}" for m in trend.months]

    def series(name: str, figures: list[Figure]) -> line.Series:
        return line.Series(
            name,
            [Point(label, f.value, f.display) for label, f in zip(labels, figures, strict=True)],
        )

    all_series = [series(t.name, trend.per_team[t.pk]) for t in teams]
    all_series.append(series(total_label, trend.total))
    share = measure.kind == Kind.SHARE
    return line.line(
        all_series,
        title=_("%(measure)s, 13 måneder") % {"measure": measure.label},
        y_format=line.percent_axis if share else line.plain_axis,
    )


def _month_bars(
    board: manager.Board, slug: str, total_label: str, labels: tuple[str, str]
) -> Chart | None:
    """The chosen measure in the two months the fall alert compares (the chosen month and the
    one before; for the month so far the last two whole months), team by team and the total: the
    fall alert's comparison as grouped bars (``reporting.charts.bars``). None for a measure
    where fewer is better (no previous month is asked for)."""
    row = next((r for r in board.comparison_rows if r.slug == slug), None)
    if row is None or row.total.previous is None:
        return None
    share = BY_SLUG[slug].kind == Kind.SHARE
    cells = [*row.cells, row.total]

    def number(figure: Figure | None) -> Decimal | None:
        if figure is None or figure.value is None:
            return None
        return figure.value * 100 if share else figure.value

    names = [board.team_name(c.team_id) if c.team_id else total_label for c in cells]
    return bars(
        _("%(measure)s: %(now)s og %(before)s")
        % {
            "measure": row.label,
            "now": labels[0],
            "before": labels[1],
        },
        _("Søjlerne viser tallet i %(now)s og i %(before)s for hvert team og i alt%(unit)s.")
        % {"now": labels[0], "before": labels[1], "unit": _(" (procent)") if share else ""},
        names,
        [
            (labels[0], [number(c.figure) for c in cells]),
            (labels[1], [number(c.previous) for c in cells]),
        ],
        display=[
            [c.figure.display for c in cells],
            [c.previous.display if c.previous else "–" for c in cells],
        ],
    )


@require_GET
def manager_dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, teams, board = _board(request)
    total_label = _("Jobcentret i alt") if request.user.is_unit_wide else _("Dine teams i alt")
    filters = form.filters
    rows = []
    for row in board.rows:
        *hrefs, total_href = drill_hrefs(
            row.slug, board.period, [*(c.team_id for c in row.cells), None], filters
        )
        rows.append(
            {
                "row": row,
                "cells": list(zip(row.cells, hrefs, strict=True)),
                "total_href": total_href,
                # The strip as HTML built in Python (the include's, byte for byte).
                "strip": chart_html(_strip(row, board)),
            }
        )
    falls = [
        {
            "measure": row.label,
            "population": board.team_name(cell.team_id) if cell.team_id else total_label,
            "before": cell.previous.display if cell.previous else "",
            "now": cell.figure.display,
            "percent": cell.fall,
        }
        for row, cell in board.falls
    ]
    context = {
        "form": form,
        "board": board,
        "rows": rows,
        "falls": falls,
        "teams": teams,
        "total_label": total_label,
        "period_label": _period_label(board.period),
        "previous_label": _period_label(board.previous),
        "compared_label": _period_label(board.compared or board.period),
        "month_bars": _month_bars(
            board,
            form.trend_slug,
            total_label,
            (_period_label(board.compared or board.period), _period_label(board.previous)),
        ),
        "trend_measure": BY_SLUG[form.trend_slug].label,
        "fall_percent": int(board.fall_share * 100),
        "query": form.query(),
        "unit_wide": request.user.is_unit_wide,
    }
    template = (
        "reporting/dashboards/manager_results.html"
        if request.headers.get("HX-Request")
        else "reporting/dashboards/manager.html"
    )
    return render(request, template, context)


@require_GET
def manager_trend(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The 13-month trend of the chosen measure, every team and the total: loaded by the
    dashboard after the table (htmx, ``hx-trigger="load"``), so the table does not wait for
    13 months × teams of figures; a page of its own without JavaScript."""
    require(request.user, Cap.DASHBOARD_VIEW)
    if request.user.unit_id is None:
        raise Http404
    teams = manager.visible_teams(request.user)
    form = ManagerFilterForm(request.GET or None, days.today())
    base = manager.base_population(request.user, teams, **form.filters)
    trend = manager.trend(base, teams, form.period.last, form.trend_slug)
    total_label = _("Jobcentret i alt") if request.user.is_unit_wide else _("Dine teams i alt")
    context = {
        "trend": trend,
        "trend_chart": _trend_chart(trend, teams, total_label),
        "trend_rows": [(t.name, [f.display for f in trend.per_team[t.pk]]) for t in teams],
        "trend_months": [days.month_label(m.first) for m in trend.months],
        "total_label": total_label,
        "query": form.query(),
    }
    template = (
        "reporting/dashboards/manager_trend.html"
        if request.headers.get("HX-Request")
        else "reporting/dashboards/manager_trend_page.html"
    )
    return render(request, template, context)


def _period_label(period: Period) -> str:
    if period.first.day == 1 and period.last == days.month_end(period.first):
        return days.month_label(period.first)
    return f"{period.first:%d.%m.%Y}–{period.last:%d.%m.%Y}"


# --- exports --------------------------------------------------------------------------------

EXPORT_HEADERS = [
    gettext_lazy("Måling"),
    gettext_lazy("Nøgle"),
    gettext_lazy("Team"),
    gettext_lazy("Tæller"),
    gettext_lazy("Nævner"),
    gettext_lazy("Værdi"),
    gettext_lazy("Vist som"),
    gettext_lazy("Tredjedel blandt teams"),
    gettext_lazy("Forrige måned"),
    gettext_lazy("Fald i procent"),
]


def export_table(board: manager.Board, total_label: str) -> exports.Table:
    """The table behind the manager dashboard: one row per measure and team, the total, and
    the median and quartiles across teams (their value and display only)."""
    table = exports.Table(_("Ledelsesoverblik"), [str(h) for h in EXPORT_HEADERS])
    for row in board.rows:
        for cell in [*row.cells, row.total]:
            f = cell.figure
            name = board.team_name(cell.team_id) if cell.team_id is not None else total_label
            table.rows.append(
                [
                    row.label,
                    row.slug,
                    name,
                    f.numerator,
                    f.denominator,
                    f.value,
                    f.display,
                    cell.third_label,
                    cell.previous.display if cell.previous else "",
                    cell.fall,
                ]
            )
        spread = row.spread
        for name, value in (
            (_("1. kvartil"), spread.q1),
            (_("Median"), spread.median),
            (_("3. kvartil"), spread.q3),
        ):
            table.rows.append(
                [row.label, row.slug, name, None, None, value,
                 manager.display_value(row.slug, value), "", "", None]
            )  # fmt: skip
    return table


@require_GET
def manager_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    form, _teams, board = _board(request)
    total_label = _("Jobcentret i alt") if request.user.is_unit_wide else _("Dine teams i alt")
    table = export_table(board, total_label)
    filename = f"ledelsesoverblik-{board.period.first:%Y-%m}.{fmt}"
    record(
        request,
        AuditAction.EXPORT,
        None,
        object_repr=_("Eksport af ledelsesoverblik (%(period)s)") % {"period": board.period},
        changes={"periode": str(board.period), "filtre": form.filters, "format": fmt},
    )
    if fmt == "xlsx":
        return exports.xlsx_response(table, filename)
    return exports.csv_response(table, filename)


# --- the cohort view ------------------------------------------------------------------------


@require_GET
def cohort_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.DASHBOARD_VIEW)
    if request.user.unit_id is None:
        raise Http404
    teams = manager.visible_teams(request.user)
    mode = cohort.IN_MONTH if request.GET.get("visning") == cohort.IN_MONTH else cohort.EVER
    today = days.today()
    base = manager.base_population(request.user, teams)
    result = cohort.curves(base, teams, today, mode=mode)
    total_label = _("Jobcentret i alt") if request.user.is_unit_wide else _("Dine teams i alt")
    charts = cohort.charts(result, teams, total_label)
    return render(
        request,
        "reporting/dashboards/cohort.html",
        {"result": result, "charts": charts, "mode": mode, "teams": teams,
         "total_label": total_label, "cohort": cohort},
    )  # fmt: skip
