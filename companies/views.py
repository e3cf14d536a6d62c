"""Company pages: pipeline and list, company page with contact log and history, create/edit,
contact people, status, agreements, task mapping and tasks.

Every view reads through ``Company.objects.visible_to`` (other jobcentre -> 404); changes
need ``Cap.COMPANIES_CHANGE`` (-> 403) and are audit-logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import coordination, history, panels, pipeline
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
    Agreement,
    Company,
    CompanyContact,
    ContactPerson,
    PipelineStatus,
    Task,
    TaskStatus,
)
from companies.search import refresh_task_vectors
from substitution import days
from substitution.audit import form_changes, record
from substitution.models import AuditAction, FollowUp
from substitution.roles import Cap, can, require

PAGE_SIZE = 50


def _company(request: HttpRequest, pk: int) -> Company:
    return get_object_or_404(
        Company.objects.visible_to(request.user).select_related("industry", "fixed_contact"),
        pk=pk,
    )


def _editable_company(request: HttpRequest, pk: int) -> Company:
    company = _company(request, pk)
    require(request.user, Cap.COMPANIES_CHANGE)
    return company


def _editable_child(request: HttpRequest, model: Any, pk: int) -> Any:
    """A contact person or agreement of a visible company (other jobcentre -> 404), for an
    editor (-> 403)."""
    obj = get_object_or_404(
        model.objects.filter(company__in=Company.objects.visible_to(request.user)).select_related(
            "company"
        ),
        pk=pk,
    )
    require(request.user, Cap.COMPANIES_CHANGE)
    return obj


def pipeline_queryset(user: Any) -> Any:
    """Companies with last contact, open tasks and next open follow-up, all as subqueries
    (evaluated for the shown page only)."""
    company_ct = ContentType.objects.get_for_model(Company)
    last_contact = (
        CompanyContact.objects.filter(company=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    open_tasks = (
        Task.objects.filter(company=OuterRef("pk"), status=TaskStatus.AABEN)
        .order_by()
        .values("company")
        .annotate(n=Count("pk"))
        .values("n")
    )
    next_follow_up = (
        FollowUp.objects.open()
        .filter(subject_type=company_ct, subject_id=OuterRef("pk"))
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return (
        Company.objects.visible_to(user)
        .select_related("fixed_contact", "industry")
        .annotate(
            last_contact=Subquery(last_contact),
            open_tasks=Subquery(open_tasks),
            next_follow_up=Subquery(next_follow_up),
        )
    )


def pipeline_view(request: HttpRequest) -> HttpResponse:
    """The virksomhedskonsulent's landing page: companies by status, filtered with htmx."""
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    mine = request.GET.get("mine", "") == "1"
    companies = pipeline_queryset(request.user)
    if status in PipelineStatus.values:
        companies = companies.filter(status=status)
    if query:
        q = Q(name__icontains=query) | Q(city__icontains=query)
        if query.isdigit():
            q |= Q(cvr__startswith=query) | Q(postal_code__startswith=query)
        companies = companies.filter(q)
    if mine:
        companies = companies.filter(fixed_contact=request.user)
    page = Paginator(companies.order_by("name", "pk"), PAGE_SIZE).get_page(request.GET.get("side"))
    counts = dict(
        Company.objects.visible_to(request.user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    context = {
        "page": page,
        "status": status,
        "query": query,
        "mine": mine,
        "statuses": [
            (value, label, counts.get(value, 0)) for value, label in PipelineStatus.choices
        ],
        "total": sum(counts.values()),
        "can_edit": can(request.user, Cap.COMPANIES_CHANGE),
    }
    if request.htmx:
        return render(request, "companies/pipeline.html#results", context)
    context["warnings"] = coordination.warnings_for_fixed_contact(request.user)
    return render(request, "companies/pipeline.html", context)


def company_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Cap.COMPANIES_CHANGE)
    form = CompanyForm(request.POST or None, unit_id=request.user.unit_id)
    if request.method == "POST" and form.is_valid():
        company = form.save(commit=False)
        company.unit_id = request.user.unit_id
        company.fixed_contact = form.cleaned_data["fixed_contact_choice"]
        company.save()
        form.save_m2m()
        pipeline.start_history(company, request.user)
        record(request, AuditAction.CREATE, company, changes=form_changes(form))
        messages.success(request, _("Virksomheden er oprettet."))
        return redirect(company)
    return render(request, "companies/company_form.html", {"form": form, "company": None})


def company_edit(request: HttpRequest, pk: int) -> HttpResponse:
    company = _editable_company(request, pk)
    old_industry = company.industry_id
    form = CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        company = form.save()
        pipeline.assign_fixed_contact(company, form.cleaned_data["fixed_contact_choice"])
        if company.industry_id != old_industry:
            refresh_task_vectors(company.tasks.all())
        record(request, AuditAction.CHANGE, company, changes=form_changes(form))
        messages.success(request, _("Virksomheden er gemt."))
        return redirect(company)
    return render(request, "companies/company_form.html", {"form": form, "company": company})


def _detail_context(request: HttpRequest, company: Company, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "company": company,
        "warning": coordination.warning_for(company),
        "timeline": history.build(company),
        "can_edit": can(request.user, Cap.COMPANIES_CHANGE),
    }
    context.update(extra)
    return context


def _with_active_flag(agreements: list[Any]) -> list[Any]:
    today = days.today()
    for agreement in agreements:
        agreement.active_now = agreement.is_active(today)
    return agreements


def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = _company(request, pk)
    tasks = company.tasks.prefetch_related("requirements").order_by("status", "title", "pk")
    people = list(company.contact_people.order_by("name", "pk"))
    context = _detail_context(
        request,
        company,
        contact_form=CompanyContactForm(company=company, initial={"occurred_on": days.today()}),
        status_form=StatusForm(initial={"status": company.status}),
        tasks=tasks,
        contact_people=[p for p in people if p.active],
        former_contact_people=[p for p in people if not p.active],
        target_groups=company.target_groups.all(),
        agreements=_with_active_flag(list(company.agreements.all())),
        panels=panels.resolved(panels.COMPANY_PANELS, company.pk),
        today=days.today(),
    )
    return render(request, "companies/company_detail.html", context)


@require_POST
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Log a contact (htmx: one short form, no page reload). Every staff member who contacts
    a company logs it, so the coordination warning sees them all."""
    company = _company(request, pk)
    form = CompanyContactForm(request.POST, company=company)
    if form.is_valid():
        contact = form.save(commit=False)
        contact.company = company
        contact.staff = request.user
        follow_up = pipeline.log_contact(contact, request.user)
        record(request, AuditAction.CREATE, contact, changes=form_changes(form))
        company.refresh_from_db(fields=["status"])
        form = CompanyContactForm(company=company, initial={"occurred_on": days.today()})
        saved = _("Kontakten er registreret.")
        if follow_up is not None:
            saved += " " + _("Opfølgning oprettet til %(due)s.") % {
                "due": f"{follow_up.due_on:%d.%m.%Y}"
            }
        extra = {"contact_form": form, "saved": saved}
    else:
        extra = {"contact_form": form}
    context = _detail_context(request, company, **extra)
    if request.htmx:
        return render(request, "companies/company_detail.html#activity", context)
    if "saved" in extra:
        messages.success(request, extra["saved"])
        return redirect(company)
    return render(request, "companies/contact_form.html", context)


@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    company = _editable_company(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        old = company.status
        if pipeline.change_status(company, form.cleaned_data["status"], request.user):
            record(
                request,
                AuditAction.CHANGE,
                company,
                changes={"status": [old, company.status]},
            )
            messages.success(request, _("Status er ændret."))
    return redirect(company)


def contact_person_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = _editable_company(request, pk)
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.company = company
        person.save()
        record(request, AuditAction.CREATE, person, changes=form_changes(form))
        messages.success(request, _("Kontaktpersonen er tilføjet."))
        return redirect(company)
    return render(
        request,
        "companies/simple_form.html",
        {"form": form, "company": company, "title": _("Ny kontaktperson")},
    )


def contact_person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit or deactivate a contact person (an inactive one keeps its history)."""
    person = _editable_child(request, ContactPerson, pk)
    form = ContactPersonEditForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        changes = form_changes(form)
        if changes:
            record(request, AuditAction.CHANGE, person, changes=changes)
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


def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = _editable_company(request, pk)
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        agreement.company = company
        agreement.save()
        record(request, AuditAction.CREATE, agreement, changes=form_changes(form))
        pipeline.advance_to(company, PipelineStatus.SAMARBEJDE, request.user, agreement.signed_on)
        messages.success(request, _("Aftalen er registreret."))
        return redirect(company)
    return render(
        request,
        "companies/simple_form.html",
        {"form": form, "company": company, "title": _("Ny partnerskabsaftale")},
    )


def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an agreement's end date, scope and targets."""
    agreement = _editable_child(request, Agreement, pk)
    form = AgreementEditForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        agreement = form.save()
        changes = form_changes(form)
        if changes:
            record(
                request,
                AuditAction.CHANGE,
                agreement,
                changes=changes,
                object_repr=_("Partnerskabsaftale med %(company)s, indgået %(signed)s")
                % {
                    "company": agreement.company.name,
                    "signed": f"{agreement.signed_on:%d.%m.%Y}",
                },
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


def mapping_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A task-mapping session; then the tasks are added one by one."""
    company = _editable_company(request, pk)
    form = MappingSessionForm(
        request.POST or None,
        unit_id=company.unit_id,
        initial={"held_on": days.today(), "participants": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.company = company
        session.created_by = request.user
        pipeline.record_mapping(session, request.user)
        form.save_m2m()
        record(request, AuditAction.CREATE, session, changes=form_changes(form))
        messages.success(request, _("Kortlægningen er gemt. Tilføj nu opgaverne."))
        return redirect(
            f"{reverse('companies:task_create', args=[company.pk])}?kortlaegning={session.pk}"
        )
    return render(
        request,
        "companies/simple_form.html",
        {"form": form, "company": company, "title": _("Ny opgavekortlægning")},
    )


def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = _editable_company(request, pk)
    session_id = request.GET.get("kortlaegning", "")
    initial: dict[str, Any] = {"status": TaskStatus.AABEN}
    if session_id.isdigit():
        initial["session"] = int(session_id)
    form = TaskForm(request.POST or None, company=company, initial=initial)
    if request.method == "POST" and form.is_valid():
        task = form.save(commit=False)
        task.company = company
        task.save()
        form.save_m2m()
        refresh_task_vectors([task.pk])
        record(request, AuditAction.CREATE, task, changes=form_changes(form))
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


def _task(request: HttpRequest, pk: int) -> Task:
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related("company", "session"), pk=pk
    )


def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    require(request.user, Cap.COMPANIES_CHANGE)
    old_status = task.status
    form = TaskForm(request.POST or None, instance=task, company=task.company)
    if request.method == "POST" and form.is_valid():
        task = form.save(commit=False)
        if task.status != old_status:
            task.status_changed_on = days.today()
        task.save()
        form.save_m2m()
        refresh_task_vectors([task.pk])
        record(request, AuditAction.CHANGE, task, changes=form_changes(form))
        messages.success(request, _("Opgaven er gemt."))
        return redirect("companies:task_detail", pk=task.pk)
    return render(
        request,
        "companies/task_form.html",
        {"form": form, "company": task.company, "task": task},
    )


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    return render(
        request,
        "companies/task_detail.html",
        {
            "task": task,
            "company": task.company,
            "requirements": task.requirements.all(),
            "placement_types": task.placement_types.all(),
            "panels": panels.resolved(panels.TASK_PANELS, task.pk),
            "can_edit": can(request.user, Cap.COMPANIES_CHANGE),
        },
    )
