"""Company pages: pipeline and list, company page with contact log and history, create/edit,
contact people, status, agreements, task mapping and tasks.

Each view parses its form, fetches through ``companies.queries`` (another jobcentre -> 404,
a change without ``Cap.COMPANIES_CHANGE`` -> 403) and writes through ``companies.services``,
which audit-log every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import coordination, history, panels, queries, services
from companies.forms import (
    AgreementEditForm,
    AgreementForm,
    CompanyContactForm,
    CompanyForm,
    ContactPersonEditForm,
    ContactPersonForm,
    MappingSessionForm,
    StatusForm,
    TaskForm,
)
from companies.models import (
    Company,
    ContactChannel,
    ContactPurpose,
    PipelineStatus,
    TaskStatus,
)
from substitution import days, links, widgets
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest
from substitution.versioning import StaleEdit

PAGE_SIZE = 50


def pipeline_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The virksomhedskonsulent's landing page: companies by status, filtered with htmx."""
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    mine = request.GET.get("mine", "") == "1"
    companies = queries.pipeline_companies(request.user, status=status, text=query, mine=mine)
    counts = queries.status_counts(request.user)
    paginator = Paginator(companies, PAGE_SIZE)
    if not query and not mine:
        # The status counts hold the list's length: no second count of the companies.
        paginator.count = (
            counts.get(status, 0) if status in PipelineStatus.values else sum(counts.values())
        )
    page = paginator.get_page(request.GET.get("side"))
    page.object_list = list(page.object_list)
    context: dict[str, Any] = {
        "page": page,
        "rows": _pipeline_rows(page.object_list),
        "status": status,
        "query": query,
        "mine": mine,
        "statuses": [
            (value, label, counts.get(value, 0)) for value, label in PipelineStatus.choices
        ],
        "total": sum(counts.values()),
        "can_edit": queries.may_edit(request.user),
    }
    if request.htmx:
        return render(request, "companies/pipeline.html#results", context)
    context["warnings"] = coordination.warnings_for_fixed_contact(request.user)
    return render(request, "companies/pipeline.html", context)


def _pipeline_rows(companies: Iterable[Company]) -> SafeString:
    """The pipeline's rows, built in Python like the caseload's (50 rows through the template
    engine were half of the page's Python; docs/performance.md): one ``reverse()`` for the
    links, the status labels translated once. The same markup as the template had."""
    url = links.pk_url("companies:company_detail")
    labels = links.choice_labels(PipelineStatus.choices)
    rows = []
    for c in companies:
        label = labels.get(c.status, c.status)
        badge = format_html('<span class="badge status-{}">{}</span>', c.status, label)
        last_contact = c.last_contact  # type: ignore[attr-defined]
        next_follow_up = c.next_follow_up  # type: ignore[attr-defined]
        rows.append(
            format_html(
                "      <tr>\n"
                '        <td><a href="{}">{}</a><br><span class="muted small">{} {}{}</span>\n'
                '          <span class="status-inline"><br>{}</span></td>\n'
                '        <td class="col-secondary">{}</td>\n'
                '        <td class="col-secondary">{}</td>\n'
                '        <td class="col-secondary date">{}</td>\n'
                '        <td class="num">{}</td>\n'
                '        <td class="date">{}</td>\n'
                "      </tr>\n",
                url(c.pk),
                c.name,
                c.postal_code,
                c.city,
                format_html(" · {}", c.industry.label) if c.industry else "",
                badge,
                badge,
                c.fixed_contact or "–",
                f"{last_contact:%d.%m.%Y}" if last_contact else "–",
                c.open_tasks or 0,  # type: ignore[attr-defined]
                f"{next_follow_up:%d.%m.%Y}" if next_follow_up else "–",
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row went through format_html


def company_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    queries.require_editor(request.user)
    form = CompanyForm(request.POST or None, unit_id=request.user.unit_id)
    if request.method == "POST" and form.is_valid():
        company = services.create_company(
            form, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Virksomheden er oprettet."))
        return redirect(company)
    return render(request, "companies/company_form.html", {"form": form, "company": None})


def company_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = queries.editable_company(request.user, pk)
    form = CompanyForm(request.POST or None, instance=company)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            company = services.update_company(
                form, actor=request.user, context=AuditContext.of(request)
            )
        except StaleEdit as stale:  # saved by someone else meanwhile: show the form again
            form.show_stale(stale)
            status = 409
        else:
            messages.success(request, _("Virksomheden er gemt."))
            return redirect(company)
    return render(
        request, "companies/company_form.html", {"form": form, "company": company}, status=status
    )


def _detail_context(
    request: AuthenticatedHttpRequest, company: Company, **extra: Any
) -> dict[str, Any]:
    timeline = history.build(company, tasks=extra.get("tasks"), agreements=extra.get("agreements"))
    _label_timeline(timeline)
    context: dict[str, Any] = {
        "company": company,
        "warning": coordination.warning_for(company),
        "timeline": timeline,
        "can_edit": queries.may_edit(request.user),
        "can_log_contact": queries.may_log_contact(request.user),
    }
    context.update(extra)
    return context


def _label_timeline(entries: list[history.Entry]) -> None:
    """Each entry's choice labels (``channel_label``, ``purpose_label``, ``status_label``) from
    dictionaries translated once per page: ``get_FOO_display()`` builds and hashes every lazy
    label of the field on each call (``substitution.links.choice_labels``)."""
    channels = links.choice_labels(ContactChannel.choices)
    purposes = links.choice_labels(ContactPurpose.choices)
    statuses = {
        "task": links.choice_labels(TaskStatus.choices),
        "status": links.choice_labels(PipelineStatus.choices),
    }
    for entry in entries:
        obj = entry.obj
        if entry.kind == "contact":
            obj.channel_label = channels.get(obj.channel, obj.channel)
            obj.purpose_label = purposes.get(obj.purpose, obj.purpose)
        elif entry.kind in statuses:
            obj.status_label = statuses[entry.kind].get(obj.status, obj.status)


def _new_contact_form(company: Company) -> CompanyContactForm:
    return CompanyContactForm(company=company, initial={"occurred_on": days.today()})


def company_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = queries.visible_company(request.user, pk)
    today = days.today()
    tasks = list(company.tasks.prefetch_related("requirements").order_by("status", "title", "pk"))
    people = list(company.contact_people.order_by("name", "pk"))
    agreements = list(company.agreements.all())
    context = _detail_context(
        request,
        company,
        contact_form=_new_contact_form(company),
        status_form=StatusForm(initial={"status": company.status}),
        tasks=tasks,
        contact_people=[p for p in people if p.active],
        former_contact_people=[p for p in people if not p.active],
        target_groups=company.target_groups.all(),
        agreements=agreements,
        active_agreements={a.pk for a in agreements if a.is_active(today)},
        panels=panels.resolved(panels.COMPANY_PANELS, company.pk),
        today=today,
    )
    return render(request, "companies/company_detail.html", context)


@require_POST
def contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Log a contact (htmx: one short form, no page reload). Every staff member who contacts
    a company logs it, so the coordination warning sees them all (``Cap.COMPANY_CONTACTS_LOG``)."""
    company = queries.contact_loggable_company(request.user, pk)
    form = CompanyContactForm(request.POST, company=company)
    if not form.is_valid():
        context = _detail_context(request, company, contact_form=form)
        if request.htmx:
            return render(request, "companies/company_detail.html#activity", context)
        return render(request, "companies/contact_form.html", context)
    logged = services.log_contact(
        form, company=company, actor=request.user, context=AuditContext.of(request)
    )
    saved = _("Kontakten er registreret.")
    if logged.follow_up is not None:
        saved += " " + _("Opfølgning oprettet til %(due)s.") % {
            "due": f"{logged.follow_up.due_on:%d.%m.%Y}"
        }
    if not request.htmx:
        messages.success(request, saved)
        return redirect(company)
    context = _detail_context(
        request, company, contact_form=_new_contact_form(company), saved=saved
    )
    return render(request, "companies/company_detail.html#activity", context)


@require_POST
def status_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = queries.editable_company(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid() and services.change_status(
        company,
        form.cleaned_data["status"],
        actor=request.user,
        context=AuditContext.of(request),
    ):
        messages.success(request, _("Status er ændret."))
    return redirect(company)


def contact_person_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = queries.editable_company(request.user, pk)
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_contact_person(
            form, company=company, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Kontaktpersonen er tilføjet."))
        return redirect(company)
    return render(
        request,
        "companies/simple_form.html",
        {"form": form, "company": company, "title": _("Ny kontaktperson")},
    )


def contact_person_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edit or deactivate a contact person (an inactive one keeps its history)."""
    person = queries.editable_contact_person(request.user, pk)
    form = ContactPersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = services.update_contact_person(
            form, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Kontaktpersonen er gemt."))
        return redirect(person.company)
    return render(
        request,
        "companies/simple_form.html",
        {
            "form": form,
            "company": person.company,
            "title": _("Rediger kontaktperson"),
        },
    )


def agreement_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = queries.editable_company(request.user, pk)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_agreement(
            form, company=company, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Aftalen er registreret."))
        return redirect(company)
    return render(
        request,
        "companies/simple_form.html",
        {"form": form, "company": company, "title": _("Ny partnerskabsaftale")},
    )


def agreement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change an agreement's end date, scope and targets."""
    agreement = queries.editable_agreement(request.user, pk)
    form = AgreementEditForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        agreement = services.update_agreement(
            form, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Aftalen er gemt."))
        return redirect(agreement.company)
    return render(
        request,
        "companies/simple_form.html",
        {
            "form": form,
            "company": agreement.company,
            "title": _("Rediger partnerskabsaftale"),
            "intro": _("Indgået %(signed)s.") % {"signed": f"{agreement.signed_on:%d.%m.%Y}"},
        },
    )


def mapping_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A task-mapping session; then the tasks are added one by one."""
    company = queries.editable_company(request.user, pk)
    form = MappingSessionForm(
        request.POST or None,
        unit_id=company.unit_id,
        initial={"held_on": days.today(), "participants": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        session = services.record_mapping(
            form, company=company, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Kortlægningen er gemt. Tilføj nu opgaverne."))
        return redirect(
            f"{reverse('companies:task_create', args=[company.pk])}?kortlaegning={session.pk}"
        )
    return render(
        request,
        "companies/simple_form.html",
        {"form": form, "company": company, "title": _("Ny opgavekortlægning")},
    )


def task_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company = queries.editable_company(request.user, pk)
    session_id = request.GET.get("kortlaegning", "")
    initial: dict[str, Any] = {"status": TaskStatus.AABEN}
    if session_id.isdigit():
        initial["session"] = int(session_id)
    form = TaskForm(request.POST or None, company=company, initial=initial)
    if request.method == "POST" and form.is_valid():
        task = services.add_task(
            form, company=company, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Opgaven »%(title)s« er gemt.") % {"title": task.title})
        if "another" in request.POST:
            url = reverse("companies:task_create", args=[company.pk])
            if task.session_id:
                url += f"?kortlaegning={task.session_id}"
            return redirect(url)
        return redirect("companies:task_detail", pk=task.pk)
    return render(
        request,
        "companies/task_form.html",
        {"form": form, "company": company, "task": None},
    )


def task_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = queries.editable_task(request.user, pk)
    form = TaskForm(request.POST or None, instance=task, company=task.company)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            task = services.update_task(form, actor=request.user, context=AuditContext.of(request))
        except StaleEdit as stale:  # saved by someone else meanwhile: show the form again
            form.show_stale(stale)
            status = 409
        else:
            messages.success(request, _("Opgaven er gemt."))
            return redirect("companies:task_detail", pk=task.pk)
    return render(
        request,
        "companies/task_form.html",
        {"form": form, "company": task.company, "task": task},
        status=status,
    )


def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = queries.visible_task(request.user, pk)
    return render(
        request,
        "companies/task_detail.html",
        {
            "task": task,
            "company": task.company,
            "requirements": task.requirements.all(),
            "placement_types": task.placement_types.all(),
            "panels": panels.resolved(panels.TASK_PANELS, task.pk),
            "can_edit": queries.may_edit(request.user),
        },
    )


def company_choices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Options of the searchable company field (substitution.widgets.Combobox)."""
    companies = queries.company_choices(request.user, widgets.search_text(request))
    return widgets.render_options(
        request, ((c.pk, c.name, f"CVR {c.cvr} · {c.city}".rstrip(" ·")) for c in companies)
    )
