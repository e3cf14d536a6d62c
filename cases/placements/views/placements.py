"""Placements (virksomhedsforløb) and work agreements: create (also from a saved match), view,
edit, end, the agreement and its PDF, and the htmx panels for the citizen page and Min dag.
Every object comes through a ``visible_to(user)`` queryset (404 otherwise); every write is a
service of ``cases.placements.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.citizens.models import Citizen
from cases.citizens.queries import visible_citizen
from cases.matching.models import MatchProposal
from cases.matching.queries import open_proposals, visible_proposal
from cases.placements import alerts, hours, queries, services
from cases.placements.charts import clamp_weeks, hours_chart
from cases.placements.forms import (
    AgreementContactForm,
    EndPlacementForm,
    PlacementForm,
    WorkAgreementForm,
    draft_agreement,
)
from cases.placements.models import EDITABLE_FIELDS, Placement, WorkAgreement, status_label
from companies import services as company_services
from substitution import audit, days, links
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest, announce
from substitution.models import AuditAction
from substitution.numbers import format_hours
from substitution.pdf import render_pdf
from substitution.roles import Cap, can, require
from substitution.versioning import StaleEdit

CENTS = Decimal("0.01")


def _start(
    request: AuthenticatedHttpRequest,
    citizen: Citizen,
    form: PlacementForm,
    proposal: MatchProposal | None,
) -> Placement:
    data = form.cleaned_data
    return services.start_placement(
        actor=request.user,
        context=AuditContext.of(request),
        citizen=citizen,
        company=data["company"],
        task=data.get("task"),
        type=data["type"],
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
        planned_hours_per_week=data["planned_hours_per_week"],
        proposal=proposal,
    )


def placement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.PLACEMENTS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = PlacementForm(
        request.POST or None, user=request.user, initial={"starts_on": days.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = _start(request, citizen, form, None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Forløbet er oprettet. Udfyld arbejdsaftalen."))
            return redirect("cases:agreement_edit", placement.pk)
    return render(
        request, "cases/placements/form.html", {"form": form, "citizen": citizen, "proposal": None}
    )


@require_GET
def placement_task_field(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The task select for the chosen company (htmx, from the placement form)."""
    require(request.user, Cap.PLACEMENTS_CHANGE)
    company = request.GET.get("company", "")
    form = PlacementForm(user=request.user, initial={"company": company})
    return render(request, "cases/placements/form.html#task_field", {"form": form})


def placement_from_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a placement from a saved match: company and task come from the proposal."""
    require(request.user, Cap.PLACEMENTS_CHANGE)
    proposal = visible_proposal(request, pk)
    citizen = proposal.citizen
    if proposal.closed_at is not None:
        messages.info(request, _("Matchforslaget er allerede lukket."))
        return redirect(citizen)
    task = proposal.task
    first_type = task.placement_types.order_by("sort_order", "pk").first()
    initial = {
        "company": task.company_id,
        "task": task.pk,
        "type": first_type.pk if first_type else None,
        "starts_on": days.today(),
        "planned_hours_per_week": task.hours_per_week,
    }
    form = PlacementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement = _start(request, citizen, form, proposal)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Forløbet er oprettet fra matchet. Udfyld arbejdsaftalen."))
            return redirect("cases:agreement_edit", placement.pk)
    return render(
        request,
        "cases/placements/form.html",
        {"form": form, "citizen": citizen, "proposal": proposal},
    )


def placement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.PLACEMENTS_VIEW)
    placement = queries.visible_placement(request, pk)
    audit.record(request, AuditAction.VIEW, placement, citizen_id=placement.citizen_id)
    return render(
        request,
        "cases/placements/detail.html",
        {
            "placement": placement,
            "citizen": placement.citizen,
            "agreement": queries.agreement_of(placement),
            "rows": queries.recent_hours(placement),
            "total": queries.total_hours(placement),
            "status": status_label(placement),
            "awaiting_start": placement.start_confirmed_on is None and placement.ends_on is None,
            "may_confirm": placement.starts_on <= days.today(),
            "can_change": can(request.user, Cap.PLACEMENTS_CHANGE),
        },
    )


def placement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.PLACEMENTS_CHANGE)
    placement = queries.visible_placement(request, pk)
    form = PlacementForm(request.POST or None, instance=placement, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        # The form has already set the new values on ``placement``: the service gets a fresh
        # copy, so its audit row compares the stored values with the new ones.
        fresh = Placement.objects.select_related("citizen", "task").get(pk=placement.pk)
        try:
            services.update_placement(
                fresh,
                changes,
                actor=request.user,
                context=AuditContext.of(request),
                loaded=form.loaded(),
            )
        except StaleEdit as stale:  # saved by someone else meanwhile: show the form again
            form.show_stale(stale)
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Forløbet er gemt."))
            return redirect(placement)
    return render(
        request,
        "cases/placements/form.html",
        {"form": form, "citizen": placement.citizen, "placement": placement, "proposal": None},
        status=status,
    )


def placement_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.PLACEMENTS_CHANGE)
    placement = queries.visible_placement(request, pk)
    form = EndPlacementForm(
        request.POST or None,
        placement=placement,
        initial={"ends_on": placement.ends_on or days.today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.end_placement(
                placement,
                ends_on=form.cleaned_data["ends_on"],
                end_reason=form.cleaned_data["end_reason"],
                actor=request.user,
                context=AuditContext.of(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Forløbet er afsluttet."))
            return redirect(placement)
    return render(request, "cases/placements/end.html", {"form": form, "placement": placement})


@require_POST
def placement_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm that the citizen started (the placement counts from its start date)."""
    require(request.user, Cap.PLACEMENTS_CHANGE)
    placement = queries.visible_placement(request, pk)
    try:
        services.confirm_start(placement, actor=request.user, context=AuditContext.of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Starten er bekræftet."))
    return redirect(placement)


@require_POST
def placement_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel a placement that never started."""
    require(request.user, Cap.PLACEMENTS_CHANGE)
    placement = queries.visible_placement(request, pk)
    try:
        services.cancel_placement(placement, actor=request.user, context=AuditContext.of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Forløbet er aflyst."))
    return redirect(placement)


def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.PLACEMENTS_CHANGE)
    placement = queries.visible_placement(request, pk)
    agreement = WorkAgreement.objects.filter(placement=placement).first() or draft_agreement(
        placement
    )
    form = WorkAgreementForm(request.POST or None, instance=agreement, placement=placement)
    if request.method == "GET":  # the form shows the agreement and the citizen's placement
        audit.record(
            request,
            AuditAction.VIEW,
            agreement if agreement.pk else placement,
            citizen_id=placement.citizen_id,
        )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_agreement(
                form.save(commit=False),
                changes=audit.form_changes(form),
                actor=request.user,
                context=AuditContext.of(request),
                loaded=form.loaded(),
            )
        except StaleEdit as stale:  # saved by someone else meanwhile: show the form again
            form.show_stale(stale)
            status = 409
        else:
            messages.success(request, _("Arbejdsaftalen er gemt."))
            return redirect(placement)
    return render(
        request,
        "cases/placements/agreement_form.html",
        {"form": form, "placement": placement, "contact_form": AgreementContactForm()},
        status=status,
    )


@require_POST
def agreement_contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Create a contact person at the placement's company from inside the work agreement
    (htmx: the company mentor field comes back with the new person chosen; without
    JavaScript, back to the agreement form). Whoever may edit the agreement may add the
    company's mentor; the company package's writer audits it."""
    require(request.user, Cap.PLACEMENTS_CHANGE)
    placement = queries.visible_placement(request, pk)
    contact_form = AgreementContactForm(request.POST)
    agreement = WorkAgreement.objects.filter(placement=placement).first() or draft_agreement(
        placement
    )
    initial: dict[str, Any] = {}
    if contact_form.is_valid():
        person = company_services.add_contact_person(
            contact_form,
            company=placement.company,
            actor=request.user,
            context=AuditContext.of(request),
        )
        initial["company_mentor"] = person.pk
        if not request.htmx:
            messages.success(
                request, _("Kontaktpersonen er oprettet: %(name)s.") % {"name": person.name}
            )
            return redirect("cases:agreement_edit", pk=placement.pk)
        contact_form = AgreementContactForm()
    elif not request.htmx:
        messages.error(request, _("Kontaktpersonen er ikke oprettet: skriv mindst navnet."))
        return redirect("cases:agreement_edit", pk=placement.pk)
    form = WorkAgreementForm(instance=agreement, placement=placement, initial=initial)
    context = {"form": form, "placement": placement, "contact_form": contact_form}
    response = render(request, "cases/placements/agreement_form.html#company_mentor", context)
    if "company_mentor" in initial:
        return announce(
            response,
            _("Kontaktpersonen er oprettet og valgt som virksomhedens mentor."),
            focus="#id_company_mentor",
        )
    return response


def agreement_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The work agreement as a one-page PDF for signature (small: rendered in the request)."""
    require(request.user, Cap.PLACEMENTS_VIEW)
    placement = queries.visible_placement(request, pk)
    agreement = get_object_or_404(
        WorkAgreement.objects.select_related("company_mentor", "jobcentre_mentor"),
        placement=placement,
    )
    audit.record(
        request,
        AuditAction.EXPORT,
        agreement,
        citizen_id=placement.citizen_id,
        object_repr=f"Arbejdsaftale (PDF): {placement}",
    )
    pdf = render_pdf(
        "cases/placements/agreement_pdf.html",
        {
            "placement": placement,
            "citizen": placement.citizen,
            "agreement": agreement,
            "jobformidler": placement.citizen.jobformidler,
            "printed_on": days.today(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="arbejdsaftale-{placement.pk}.pdf"'
    return response


# --- htmx panels -----------------------------------------------------------------------------


@require_GET
def citizen_placements(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Panel on the citizen page: placements, open matches, alerts, hours chart, milestones."""
    citizen = visible_citizen(request, pk)
    today = days.today()
    weeks = clamp_weeks(request.GET.get("uger"))
    placements = queries.citizen_placements(citizen)
    # The alerts' placements are among the citizen's, loaded above with what the panel shows.
    found = [
        result
        for result in alerts.evaluate(
            Placement.objects.filter(citizen=citizen),
            today,
            citizen.unit_id,
            loaded={placement.pk: placement for placement in placements},
        )
        if result.placements
    ]
    periods, first_days = hours.period_totals_and_first_days(citizen)
    weekly = hours.weekly_from(periods)
    targets = hours.Targets.for_unit(citizen.unit_id, today)
    reached = hours.milestones(periods, targets, first_days)
    series = hours.series(weekly, hours.week_start(today), weeks)
    chart = hours_chart(series, targets, reached, chart_id=f"hours-chart-{citizen.pk}")
    audit.record(
        request,
        AuditAction.VIEW,
        citizen,
        citizen_id=citizen.pk,
        object_repr=_("Forløb og timer for %(citizen)s") % {"citizen": citizen},
    )
    return render(
        request,
        "cases/placements/_citizen_panel.html",
        {
            "citizen": citizen,
            "placements": placements,
            "placement_rows": _placement_rows_html(placements, today),
            "series_rows": _series_rows_html(series),
            "proposals": open_proposals(citizen),
            "alerts": found,
            "milestones": reached,
            "chart": chart,
            "series": series,
            "weeks": weeks,
            "week_choices": [12, 26, 52],
            "can_change": can(request.user, Cap.PLACEMENTS_CHANGE),
        },
    )


def _placement_rows_html(placements: list[Placement], today: dt.date) -> SafeString:
    """The panel's table rows, built in Python with the markup the template had (its
    ``get_absolute_url`` and ``{% url %}`` per row, ``|date`` and the status label were a
    quarter of the panel's template time; docs/performance.md, issue 13)."""
    detail = links.pk_url("cases:placement_detail")
    pdf = links.pk_url("cases:agreement_pdf")
    pdf_link, missing = _("PDF"), _("mangler")
    rows = []
    for placement in placements:
        task, end_reason = placement.task, placement.end_reason
        agreement = getattr(placement, "agreement", None)
        rows.append(
            format_html(
                "<tr>\n"
                '        <td><a href="{}">{} · {}</a>{}</td>\n'
                "        <td>{} – {}</td>\n"
                "        <td>{}{}</td>\n"
                "        <td>{}</td>\n"
                "      </tr>",
                detail(placement.pk),
                placement.type.label,
                placement.company.name,
                format_html('<br><span class="muted small">{}</span>', task.title) if task else "",
                _day(placement.starts_on),
                _day(placement.ends_on) if placement.ends_on else "",
                status_label(placement, today),
                format_html('<br><span class="muted small">{}</span>', end_reason.label)
                if end_reason
                else "",
                format_html('<a href="{}">{}</a>', pdf(placement.pk), pdf_link)
                if agreement
                else format_html('<span class="badge warn">{}</span>', missing),
            )
        )
    return mark_safe("\n    ".join(rows))  # noqa: S308 - every part went through format_html


def _day(value: dt.date) -> str:
    """``|date:"j.n.Y"``."""
    return f"{value.day}.{value.month}.{value.year}"


def _series_rows_html(series: list[tuple[dt.date, Decimal]]) -> SafeString:
    """The rows of the table behind the chart: ISO week (``|date:"o-\\WW"``) and hours."""
    rows = []
    for monday, value in series:
        iso = monday.isocalendar()
        rows.append(
            f'<tr><td>{iso.year}-W{iso.week}</td><td class="num">'
            f"{escape(format_hours(value.quantize(CENTS)))}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 - numbers and an escaped text


@require_GET
def my_alerts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Panel on Min dag: alerts on placements of the user's caseload (or as mentor)."""
    found = alerts.evaluate(
        queries.my_alert_placements(request.user), days.today(), request.user.unit_id, limit=25
    )
    url = links.pk_url("cases:placement_detail")  # one reverse() for up to 125 rows
    start = _("start")
    shown = [(result, _alert_rows_html(result.placements, url, start)) for result in found]
    return render(
        request,
        "cases/placements/_my_alerts.html",
        {
            "alerts": [(result, rows) for result, rows in shown if result.placements],
            "any": any(r.placements for r in found),
        },
    )


def _alert_rows_html(
    placements: list[Placement], url: Callable[[int], str], start: str
) -> SafeString:
    """An alert's list items on Min dag, built in Python with the template's markup (up to
    125 rows through the template were most of the panel's Python)."""
    return mark_safe(  # noqa: S308 - every part went through format_html
        "\n    ".join(
            format_html(
                '<li><a href="{}">{}</a> · {} · {} <span class="muted small">({} {})</span></li>',
                url(placement.pk),
                placement.citizen.full_name,
                placement.type.label,
                placement.company.name,
                start,
                _day(placement.starts_on),
            )
            for placement in placements
        )
    )
