"""The caseload list (sagsstamme), its CSV export and a team lead's bulk reassignment."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.citizens import queries, services
from cases.citizens.caseload import EXPORT_HEADER, export_rows, may_reassign, reassignment_errors
from cases.citizens.filters import (
    CaseloadFilter,
    is_cpr_query,
    jobformidlere_seen_by,
    with_defaults,
)
from cases.citizens.forms import CprLookupForm
from cases.citizens.models import Citizen, CitizenStatus
from cases.citizens.steps import STEP_LABELS, step_label
from substitution import days, thresholds, widgets
from substitution.audit import LIST_KEY, AuditContext, record, record_list
from substitution.http import AuthenticatedHttpRequest
from substitution.models import AuditAction
from substitution.roles import Cap, require

PAGE_SIZE = 50


def _filter_summary(filterset: CaseloadFilter) -> dict[str, str]:
    """The filters in use, for the audit log; a searched CPR number is never written."""
    summary = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, ""):
            continue
        if name == "q" and is_cpr_query(str(value)):
            value = _("CPR-nummer")
        summary[name] = str(value)
    return summary


def _list_context(
    request: AuthenticatedHttpRequest, lookup_form: CprLookupForm | None = None
) -> dict[str, Any]:
    today = days.today()
    filterset = CaseloadFilter(
        with_defaults(request.user, request.GET),
        queryset=queries.caseload_list(request.user),
        request=request,
    )
    citizens = filterset.qs
    page = Paginator(citizens, PAGE_SIZE).get_page(request.GET.get("side"))
    page.object_list = list(page.object_list)
    queries.add_steps(page.object_list, today)  # today's: the maintained column
    no_contact_days = thresholds.get_int("no_contact_days", request.user.unit_id)
    step_texts = {step: step_label(step) for step in STEP_LABELS}
    for citizen in page.object_list:
        citizen.days_since_contact = days.days_since(citizen.last_held_conversation_at, today)
        citizen.step_text = step_texts[citizen.step]
    can_reassign = may_reassign(request.user)
    return {
        "filter": filterset,
        "page": page,
        "rows": _rows_html(page.object_list, today, no_contact_days, can_reassign),
        "today": today,
        "no_contact_days": no_contact_days,
        "can_reassign": can_reassign,
        "query": request.GET.urlencode(),
        # Digits in the name search: CPR numbers are looked up by POST (lookup_form) only.
        "cpr_in_search": any(c.isdigit() for c in request.GET.get("q", "")),
        "lookup_form": lookup_form or CprLookupForm(),
    }


def _rows_html(
    citizens: list[Citizen], today: dt.date, no_contact_days: int, can_reassign: bool
) -> SafeString:
    """The table's rows, built in Python: 50 rows of ten cells each through the template
    engine cost about half of the page's CPU (docs/performance.md); one ``reverse`` for all
    the links. Each citizen has ``step_text`` and ``days_since_contact`` set."""
    marker = 2_147_483_647  # a pk no citizen has: replaced by each row's own
    detail = reverse("cases:citizen_detail", args=[marker])
    none_badge = format_html('<span class="badge warn">{}</span>', _("Ingen"))
    overdue = _("overskredet")
    statuses = {value: str(label) for value, label in CitizenStatus.choices}
    rows = []
    for c in citizens:
        select = (
            format_html(
                '<td><input type="checkbox" name="borgere" value="{}" form="reassign-form" '
                'aria-label="{}"></td>',
                c.pk,
                _("Vælg %(name)s") % {"name": c.full_name},
            )
            if can_reassign
            else ""
        )
        since = c.days_since_contact  # type: ignore[attr-defined]
        if since is None:
            contact = none_badge
        elif since > no_contact_days:
            contact = format_html('<span class="badge warn">{}</span>', since)
        else:
            contact = format_html("{}", since)
        due = c.next_follow_up_on
        if due is None:
            follow_up = "–"
        elif due < today:
            follow_up = format_html(
                '<span class="badge danger">{} · {}</span>', f"{due:%d.%m.%Y}", overdue
            )
        else:
            follow_up = format_html("{}", f"{due:%d.%m.%Y}")
        rows.append(
            format_html(
                "<tr>{}"
                '<td class="name"><a hx-boost="false" href="{}">{}</a></td>'
                '<td class="cpr">{}</td>'
                '<td><span class="step">{}</span></td>'
                "<td>{}</td><td>{}</td><td>{}</td>"
                '<td class="num">{}</td><td>{}</td><td>{}</td></tr>',
                select,
                detail.replace(str(marker), str(c.pk)),
                c.full_name,
                c.masked_cpr,
                c.step_text,  # type: ignore[attr-defined]
                (c.benefit_type.label if c.benefit_type else "") or "–",
                (c.visitation_group.label if c.visitation_group else "") or "–",
                c.jobformidler or "–",
                contact,
                follow_up,
                statuses.get(c.status, c.status),
            )
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every part went through format_html


@require_http_methods(["GET", "POST"])
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The caseload list (GET: filters, search by name, sort, pages); POST: look a citizen up
    by the full CPR number and go to their page."""
    if request.method == "POST":
        return cpr_lookup(request)
    template = (
        "cases/citizens/caseload.html#results" if request.htmx else "cases/citizens/caseload.html"
    )
    context = _list_context(request)
    _record_shown(request, context)
    return render(request, template, context)


def _record_shown(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> None:
    """One audit row for the page of the list shown: its citizens and its filters."""
    filterset: CaseloadFilter = context["filter"]
    filterset.is_valid()
    filters = _filter_summary(filterset)
    filters["side"] = str(context["page"].number)
    record_list(
        request,
        _("Borgerliste"),
        (citizen.pk for citizen in context["page"].object_list),
        filters,
    )


def cpr_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Exact CPR lookup among the citizens the user may see. Every lookup is audit-logged
    (with the citizen found, never with the number); a miss does not tell whether the
    number exists elsewhere."""
    require(request.user, Cap.CITIZENS_VIEW)
    form = CprLookupForm(request.POST)
    if form.is_valid():
        found = queries.cpr_matches(request.user, form.cleaned_data["cpr"])
        record(
            request,
            AuditAction.SEARCH,
            None,
            citizen_id=found[0] if len(found) == 1 else None,
            object_repr=_("CPR-opslag i borgerlisten"),
            changes={"resultater": len(found)},
        )
        if len(found) == 1:
            return redirect("cases:citizen_detail", pk=found[0])
        form.add_error(
            "cpr", _("Ingen borger med dette CPR-nummer blandt de borgere, du har adgang til.")
        )
    context = _list_context(request, form)
    _record_shown(request, context)
    return render(request, "cases/citizens/caseload.html", context)


@require_GET
def caseload_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The current filtered list as CSV (semicolons and a BOM for Danish Excel), masked CPR."""
    today = days.today()
    filterset = CaseloadFilter(
        with_defaults(request.user, request.GET),
        queryset=queries.caseload_queryset(request.user),
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="borgere-{today:%Y-%m-%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(EXPORT_HEADER)
    exported: list[int] = []

    def noted(citizens: Iterable[Citizen]) -> Iterator[Citizen]:
        for citizen in citizens:
            exported.append(citizen.pk)
            yield citizen

    count = 0
    for row in export_rows(noted(filterset.qs.iterator(chunk_size=2000)), today):
        writer.writerow(row)
        count += 1
    filterset.is_valid()
    record(
        request,
        AuditAction.EXPORT,
        None,
        object_repr=_("Eksport af borgerliste (%(count)d borgere)") % {"count": count},
        changes={"antal": count, LIST_KEY: exported, "filtre": _filter_summary(filterset)},
    )
    return response


@require_POST
def reassign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Give the selected citizens to another jobformidler of their team (team lead)."""
    if not may_reassign(request.user):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("cases:caseload")
    ids = {int(v) for v in request.POST.getlist("borgere") if v.isdigit()}
    citizens = queries.citizens_to_reassign(request.user, ids)
    target_id = request.POST.get("jobformidler", "")
    target = queries.reassign_target(request.user, int(target_id)) if target_id.isdigit() else None
    errors = reassignment_errors(request.user, citizens, target)
    if len(citizens) != len(ids):
        errors.insert(0, _("En eller flere af de valgte borgere findes ikke eller er ikke dine."))
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect(back)
    assert target is not None
    changed = services.reassign_many(
        citizens, target, actor=request.user, context=AuditContext.of(request)
    )
    messages.success(
        request,
        ngettext(
            "%(count)d borger er overdraget til %(name)s.",
            "%(count)d borgere er overdraget til %(name)s.",
            changed,
        )
        % {"count": changed, "name": target},
    )
    return redirect(back)


@require_GET
def citizen_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Options of the searchable citizen field (substitution.widgets.Combobox); ``?mine=1``
    limits them to my caseload. The names shown are one audit row, like the caseload list."""
    text = widgets.search_text(request)
    found = queries.citizen_choices(
        request.user, text, request.GET.get("mine") == "1", widgets.SEARCH_LIMIT
    )
    record_list(request, _("Borgersøgning"), [c.pk for c in found], {"q": text})
    return widgets.render_options(request, ((c.pk, c.full_name, c.masked_cpr) for c in found))


@require_GET
def jobformidler_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Options of the caseload's searchable jobformidler filter: the jobformidlere of the
    teams whose citizens I may see (``filters.jobformidler_choices``) whose name contains
    what was typed."""
    found = jobformidlere_seen_by(request.user, widgets.search_text(request))
    return widgets.render_options(
        request,
        ((u.pk, str(u), u.username) for u in found[: widgets.SEARCH_LIMIT]),
    )


@require_GET
def reassign_target_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Options of the searchable "reassign to" field of a team lead's caseload: the
    jobformidlere I may reassign citizens to (``queries.reassign_targets``) whose name
    contains what was typed (hundreds in a jobcentre: never rendered as options)."""
    if not may_reassign(request.user):
        raise PermissionDenied
    found = queries.reassign_targets(request.user, widgets.search_text(request))
    return widgets.render_options(
        request, ((u.pk, str(u), u.username) for u in found[: widgets.SEARCH_LIMIT])
    )
