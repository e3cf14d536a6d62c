"""From parameters to a PDF: each report type's builder (a plain domain module), its template,
and the common frame (title, unit, period, generation time) every report's header shows.

``render(params, progress)`` returns the PDF bytes and the page count; it never touches a
``ReportRun`` (the task does), so a benchmark or a test can call it directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.charts import line
from reporting.charts.base import Chart
from reporting.charts.svg import Point
from reporting.measures import BY_SLUG, Figure, Kind
from reporting.reports import caseload, fidelity, monthly, results
from reporting.reports.models import ReportType
from reporting.reports.params import Params, Progress, no_progress
from substitution import days
from substitution.models import Team, Unit
from substitution.pdf import render_html_pages

PDF_VARIANT = "pdf/ua-1"


class ReportNotAvailable(Exception):
    """The report type cannot be made (yet): e.g. fidelity without the fidelity feature."""


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    html: str


def period_label(params: Params) -> str:
    first, last = params.period.first, params.period.last
    if first == days.month_start(first) and last == days.month_end(first):
        return days.month_label(first)
    return f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"


SHORT_MONTHS = [
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]


def title_for(params: Params, unit: Unit, team: Team | None) -> str:
    label = ReportType(params.report_type).label
    where = team.name if team is not None else unit.name
    return f"{label}: {where}, {period_label(params)}"


def _caseload(params: Params, unit: Unit, team: Team | None, progress: Progress) -> Any:
    if team is None:
        raise ReportNotAvailable(_("Sagsstammerapporten laves for et team."))
    return {"report": caseload.build(team, params.period, progress)}


def _results(params: Params, unit: Unit, team: Team | None, progress: Progress) -> Any:
    progress(10, "Forløb og timer")
    limit = getattr(settings, "REPORT_MAX_ROWS", 5000)
    try:
        made = results.statement(params.population, params.period, params.paid_only, limit)
    except results.TooLarge as exc:
        raise ReportNotAvailable(
            _(
                "Resultatopgørelsen har %(n)s forløb (højst %(limit)s i en PDF): vælg et team "
                "eller en kortere periode."
            )
            % {"n": exc.args[0], "limit": limit}
        ) from exc
    return {"statement": made}


def _monthly(params: Params, unit: Unit, team: Team | None, progress: Progress) -> Any:
    if team is not None:
        raise ReportNotAvailable(_("Månedlig status laves for hele jobcentret."))
    status = monthly.build(unit, params.period, progress)
    trend_rows = [
        {
            "label": f"{SHORT_MONTHS[month.first.month - 1]}\u00a0{month.first.year}",
            "figures": [figures[index] for _label, figures in status.trends],
        }
        for index, month in enumerate(status.trend_months)
    ]
    return {
        "status": status,
        "trend_charts": trend_charts(status),
        "key_rows": status.rows(monthly.KEY),
        "exit_rows": status.rows(["exits", *monthly.EXITS]),
        "fsm_rows": status.rows(monthly.FSM),
        "company_rows": status.rows(monthly.COMPANIES),
        "placement_rows": status.rows(monthly.PLACEMENTS),
        "side_rows": status.side_by_side(),
        "trend_rows": trend_rows,
    }


def trend_charts(status: monthly.MonthlyStatus) -> list[Chart]:
    """The 13-month trends as line charts (``reporting.charts.line``): the shares in one, each
    count in its own (their scales differ); the numbers are in the table beside them."""
    labels = [f"{SHORT_MONTHS[m.first.month - 1]} {m.first:%y}" for m in status.trend_months]

    def series(label: str, figures: list[Figure]) -> line.Series:
        points = [Point(x, f.value, f.display) for x, f in zip(labels, figures, strict=True)]
        return line.Series(label, points)

    kinds = {
        label: BY_SLUG[slug].kind
        for slug, label in zip(monthly.TREND, [t[0] for t in status.trends], strict=True)
    }
    shares = [series(label, figs) for label, figs in status.trends if kinds[label] == Kind.SHARE]
    charts = []
    if shares:
        charts.append(line.line(shares, title=_("Andele, 13 måneder"), y_format=line.percent_axis))
    for label, figures in status.trends:
        if kinds[label] != Kind.SHARE:
            charts.append(
                line.line(
                    [series(label, figures)],
                    title=_("%(measure)s, 13 måneder") % {"measure": label},
                    y_format=line.plain_axis,
                )
            )
    return charts


def _fidelity(params: Params, unit: Unit, team: Team | None, progress: Progress) -> Any:
    if params.round_id is None:
        raise ReportNotAvailable(_("Vælg en fidelitetsmåling."))
    progress(20, "Fidelitetsmålingen")
    return {"report": fidelity.build(unit, team, params.round_id)}


Builder = Callable[[Params, Unit, Team | None, Progress], dict[str, Any]]
BUILDERS: dict[str, tuple[Builder, str]] = {
    ReportType.SAGSSTAMME: (_caseload, "reporting/reports/pdf/sagsstamme.html"),
    ReportType.RESULTATOPGOERELSE: (_results, "reporting/reports/pdf/resultatopgoerelse.html"),
    ReportType.MAANEDLIG_STATUS: (_monthly, "reporting/reports/pdf/maanedlig_status.html"),
    ReportType.FIDELITET: (_fidelity, "reporting/reports/pdf/fidelitet.html"),
}
AVAILABLE = [
    ReportType.MAANEDLIG_STATUS,
    ReportType.SAGSSTAMME,
    ReportType.RESULTATOPGOERELSE,
    ReportType.FIDELITET,
]


def render(
    params: Params,
    progress: Progress = no_progress,
    *,
    fetcher: Any = None,
) -> Rendered:
    unit = Unit.objects.get(pk=params.unit_id)
    team = Team.objects.get(pk=params.team_id, unit=unit) if params.team_id else None
    builder, template = BUILDERS[params.report_type]
    context = builder(params, unit, team, progress)
    progress(85, "Opsætter PDF")
    context.update(
        {
            "title": title_for(params, unit, team),
            "unit": unit,
            "team": team,
            "params": params,
            "period_label": period_label(params),
            "generated_at": timezone.localtime(days.now(), days.TZ),
        }
    )
    html = render_to_string(template, context)
    pdf, pages = render_html_pages(html, pdf_variant=PDF_VARIANT, fetcher=fetcher)
    progress(98, "Gemmer")
    return Rendered(pdf, pages, html)
