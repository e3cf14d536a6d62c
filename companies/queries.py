"""Reads for the company pages: who may see and change what, and the pipeline list.

Access, stated once: every staff member reads the companies of their own jobcentre
(``Company.objects.visible_to``; another jobcentre's company is a 404, so its existence is
not revealed), and only holders of ``Cap.COMPANIES_CHANGE`` change them (403). Logging a
contact is ``Cap.COMPANY_CONTACTS_LOG``, which every role holds: the coordination warning
needs every contact. Contact people, agreements and tasks are visible with their company.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from companies.models import (
    Agreement,
    Company,
    CompanyContact,
    ContactPerson,
    PipelineStatus,
    Task,
    TaskStatus,
)
from substitution.models import FollowUp, User
from substitution.roles import Cap, can, require
from substitution.widgets import SEARCH_LIMIT

# --- access ---------------------------------------------------------------------------------------


def may_edit(user: User) -> bool:
    """May ``user`` change companies, their contact people, agreements, task maps and tasks?"""
    return can(user, Cap.COMPANIES_CHANGE)


def require_editor(user: User) -> None:
    """PermissionDenied (403) unless ``user`` may change companies."""
    require(user, Cap.COMPANIES_CHANGE)


def may_log_contact(user: User) -> bool:
    """May ``user`` log a contact with a company?"""
    return can(user, Cap.COMPANY_CONTACTS_LOG)


def visible_company(user: User, pk: int) -> Company:
    """The company ``pk`` if ``user`` may see it, else 404."""
    return get_object_or_404(
        Company.objects.visible_to(user).select_related("industry", "fixed_contact"), pk=pk
    )


def editable_company(user: User, pk: int) -> Company:
    """The company ``pk`` for an editor: 404 if not visible, then 403 if not an editor."""
    company = visible_company(user, pk)
    require_editor(user)
    return company


def contact_loggable_company(user: User, pk: int) -> Company:
    """The company ``pk`` for logging a contact: 404 if not visible, then 403 without
    ``Cap.COMPANY_CONTACTS_LOG``."""
    company = visible_company(user, pk)
    require(user, Cap.COMPANY_CONTACTS_LOG)
    return company


def editable_contact_person(user: User, pk: int) -> ContactPerson:
    """A contact person of a visible company (else 404), for an editor (else 403)."""
    person = get_object_or_404(
        ContactPerson.objects.filter(company__in=Company.objects.visible_to(user)).select_related(
            "company"
        ),
        pk=pk,
    )
    require_editor(user)
    return person


def editable_agreement(user: User, pk: int) -> Agreement:
    """An agreement of a visible company (else 404), for an editor (else 403)."""
    agreement = get_object_or_404(
        Agreement.objects.filter(company__in=Company.objects.visible_to(user)).select_related(
            "company"
        ),
        pk=pk,
    )
    require_editor(user)
    return agreement


def visible_task(user: User, pk: int) -> Task:
    """The task ``pk`` if ``user`` may see its company, else 404."""
    return get_object_or_404(
        Task.objects.visible_to(user).select_related("company", "session"), pk=pk
    )


def editable_task(user: User, pk: int) -> Task:
    """The task ``pk`` for an editor: 404 if not visible, then 403 if not an editor."""
    task = visible_task(user, pk)
    require_editor(user)
    return task


# --- the pipeline ---------------------------------------------------------------------------------


def pipeline_companies(
    user: User, *, status: str = "", text: str = "", mine: bool = False
) -> QuerySet[Company]:
    """The companies ``user`` sees, by name, with ``last_contact``, ``open_tasks`` and
    ``next_follow_up`` as subqueries (evaluated for the shown page only).

    ``status``: one pipeline status (anything else: all). ``text``: part of the name or city,
    or the start of the CVR number or postal code. ``mine``: only where ``user`` is the fixed
    contact."""
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
    companies = (
        Company.objects.visible_to(user)
        .select_related("fixed_contact", "industry")
        .annotate(
            last_contact=Subquery(last_contact),
            open_tasks=Subquery(open_tasks),
            next_follow_up=Subquery(next_follow_up),
        )
    )
    if status in PipelineStatus.values:
        companies = companies.filter(status=status)
    if text:
        match = Q(name__icontains=text) | Q(city__icontains=text)
        if text.isdigit():
            match |= Q(cvr__startswith=text) | Q(postal_code__startswith=text)
        companies = companies.filter(match)
    if mine:
        companies = companies.filter(fixed_contact=user)
    return companies.order_by("name", "pk")


def status_counts(user: User) -> dict[str, int]:
    """How many of the companies ``user`` sees have each pipeline status (one query)."""
    return dict(
        Company.objects.visible_to(user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


def task_search(user: User, text: str, limit: int) -> list[Task]:
    """Tasks the user may see whose title or company name contains every word of ``text``
    (the search from every page), by title, with their company."""
    qs = Task.objects.visible_to(user).select_related("company")
    for word in text.split():
        # Title or company name: a union of two lookups that each read a trigram index
        # (companies/migrations/0008), where one OR across the join read every task.
        by_title = Task.objects.filter(title__icontains=word).values("pk")
        by_company = Task.objects.filter(
            company__in=Company.objects.filter(name__icontains=word)
        ).values("pk")
        qs = qs.filter(pk__in=by_title.union(by_company))
    return list(qs.order_by("title", "pk")[:limit])


def company_choices(user: User, text: str) -> list[Company]:
    """Companies for the searchable company field: name contains ``text`` or the CVR
    starts with it, by name (at most ``substitution.widgets.SEARCH_LIMIT``)."""
    qs = Company.objects.visible_to(user)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(cvr__startswith=text.replace(" ", "")))
    return list(qs.order_by("name", "pk")[:SEARCH_LIMIT])
