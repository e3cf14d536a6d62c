"""The only writers of companies/ (docs/architecture.md, "One rule for writes").

Every writer takes the acting user (``actor``) and an audit context (``context``: built in a
view with ``AuditContext.of(request)``, ``SYSTEM`` from Celery, a command or the shell), runs
in its own ``transaction.atomic()`` and writes its audit row with ``substitution.audit.write``.

The writers behind a page take the bound, valid form: it carries the parsed input and the
many-to-many values, and ``form_changes(form)`` is what the audit row records. Each writer
keeps the derived state of the company:

* a new company gets its first status row and fixed-contact period (``start_history``);
* ``change_status`` writes ``Company.status`` with a dated ``CompanyStatusChange``;
* ``assign_fixed_contact`` writes ``Company.fixed_contact`` with its ``FixedContactPeriod``;
* a logged contact, a mapping session and an agreement move the company forward in the
  pipeline (``companies.pipeline.is_forward``), dated by the event; a contact's next step
  becomes a ``FollowUp`` owned by the staff member who made the contact;
* a task's search vector and postal code (matching) are refreshed when its text or its
  company's industry or postal code changes, and a
  task's ``status_changed_on`` follows a change of its status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.forms import (
    AgreementEditForm,
    AgreementForm,
    CompanyContactForm,
    CompanyForm,
    ContactPersonEditForm,
    ContactPersonForm,
    MappingSessionForm,
    TaskForm,
)
from companies.models import (
    Agreement,
    Company,
    CompanyContact,
    CompanyStatusChange,
    ContactPerson,
    FixedContactPeriod,
    MappingSession,
    PipelineStatus,
    Task,
)
from companies.pipeline import is_forward
from companies.search import refresh_task_vectors
from substitution import audit, days, versioning
from substitution.audit import SYSTEM, AuditContext, form_changes
from substitution.models import AuditAction, FollowUp, User

# --- the company and its pipeline ---------------------------------------------------------------


def start_history(company: Company, *, actor: User | None, on: dt.date | None = None) -> None:
    """The first status row (and fixed-contact period) of a new company. Part of
    ``create_company``, whose audit row covers it; no audit row of its own."""
    on = on or days.today()
    with transaction.atomic():
        CompanyStatusChange.objects.create(
            company=company, status=company.status, changed_on=on, changed_by=actor
        )
        if company.fixed_contact_id:
            FixedContactPeriod.objects.create(
                company=company, consultant_id=company.fixed_contact_id, started_on=on
            )


def create_company(form: CompanyForm, *, actor: User, context: AuditContext = SYSTEM) -> Company:
    """A new company in the actor's jobcentre, with its first history rows."""
    with transaction.atomic():
        company = form.save(commit=False)
        company.unit_id = actor.unit_id
        company.fixed_contact = form.cleaned_data["fixed_contact_choice"]
        company.save()
        form.save_m2m()
        start_history(company, actor=actor)
        audit.write(actor, AuditAction.CREATE, company, context=context, changes=form_changes(form))
    return company


def update_company(form: CompanyForm, *, actor: User, context: AuditContext = SYSTEM) -> Company:
    """Save the company form; a new fixed contact starts a new period, a new industry or postal
    code changes the derived columns of the company's tasks (search vector, postal code).
    Raises ``StaleEdit`` (nothing saved) when the company was saved by someone else since the
    form was loaded."""
    with transaction.atomic():
        versioning.claim(form.instance, form.loaded(), noun=_("Virksomheden"))
        company = form.save()
        _set_fixed_contact(company, form.cleaned_data["fixed_contact_choice"])
        if {"industry", "postal_code"} & set(form.changed_data):
            refresh_task_vectors(company.tasks.all())
        audit.write(actor, AuditAction.CHANGE, company, context=context, changes=form_changes(form))
    return company


def change_status(
    company: Company,
    status: str,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    on: dt.date | None = None,
) -> CompanyStatusChange | None:
    """Set the company's status by hand (any status), dated ``on`` (default today), and audit
    it. None, and nothing written, if the status is unchanged."""
    with transaction.atomic():
        old = company.status
        change = _set_status(company, status, actor, on)
        if change is not None:
            audit.write(
                actor,
                AuditAction.CHANGE,
                company,
                context=context,
                changes={"status": [old, company.status]},
            )
    return change


def assign_fixed_contact(
    company: Company,
    consultant: User | None,
    *,
    actor: User | None,
    context: AuditContext = SYSTEM,
    on: dt.date | None = None,
) -> FixedContactPeriod | None:
    """Make ``consultant`` (or nobody) the company's one fixed contact from ``on``, and audit
    it. None if unchanged or if nobody is assigned."""
    with transaction.atomic():
        old = company.fixed_contact_id
        period = _set_fixed_contact(company, consultant, on)
        if company.fixed_contact_id != old:
            # The fixed contact is a field of the company form: an edit loaded before is stale.
            Company.objects.filter(pk=company.pk).update(**versioning.bumped())
            audit.write(
                actor,
                AuditAction.CHANGE,
                company,
                context=context,
                changes={"fixed_contact": [old, company.fixed_contact_id]},
            )
    return period


def _set_status(
    company: Company, status: str, actor: User | None, on: dt.date | None = None
) -> CompanyStatusChange | None:
    """The one write of ``Company.status``: the column and its dated history row."""
    if company.status == status:
        return None
    company.status = status
    Company.objects.filter(pk=company.pk).update(status=status, updated_at=timezone.now())
    return CompanyStatusChange.objects.create(
        company=company, status=status, changed_on=on or days.today(), changed_by=actor
    )


def _advance(
    company: Company, status: str, actor: User | None, on: dt.date
) -> CompanyStatusChange | None:
    """Move the company forward to ``status`` if it comes before it in the pipeline. Audited
    by the event that moves it (a contact, a mapping session, an agreement)."""
    if is_forward(company.status, status):
        return _set_status(company, status, actor, on)
    return None


def _set_fixed_contact(
    company: Company, consultant: User | None, on: dt.date | None = None
) -> FixedContactPeriod | None:
    """The one write of ``Company.fixed_contact``: the column and its periods."""
    if company.fixed_contact_id == (consultant.pk if consultant else None):
        return None
    on = on or days.today()
    FixedContactPeriod.objects.filter(company=company, ended_on__isnull=True).update(ended_on=on)
    company.fixed_contact = consultant
    Company.objects.filter(pk=company.pk).update(fixed_contact=consultant)
    if consultant is None:
        return None
    return FixedContactPeriod.objects.create(company=company, consultant=consultant, started_on=on)


# --- the contact log -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoggedContact:
    contact: CompanyContact
    follow_up: FollowUp | None


def log_contact(
    form: CompanyContactForm,
    *,
    company: Company,
    actor: User,
    context: AuditContext = SYSTEM,
) -> LoggedContact:
    """A contact the actor had with the company. An emne becomes kontaktet (dated by the
    contact); the next step becomes a follow-up owned by the actor."""
    with transaction.atomic():
        contact = form.save(commit=False)
        contact.company = company
        contact.staff = actor
        contact.save()
        _advance(company, PipelineStatus.KONTAKTET, actor, contact.occurred_on)
        follow_up = None
        if contact.next_step and contact.next_step_due:
            follow_up = FollowUp.objects.create(
                owner=actor,
                due_on=contact.next_step_due,
                title=contact.next_step,
                subject_type=ContentType.objects.get_for_model(Company),
                subject_id=company.pk,
                created_by=actor,
            )
        audit.write(actor, AuditAction.CREATE, contact, context=context, changes=form_changes(form))
    return LoggedContact(contact, follow_up)


# --- contact people and agreements ---------------------------------------------------------------


def add_contact_person(
    form: ContactPersonForm,
    *,
    company: Company,
    actor: User,
    context: AuditContext = SYSTEM,
) -> ContactPerson:
    with transaction.atomic():
        person = form.save(commit=False)
        person.company = company
        person.save()
        audit.write(actor, AuditAction.CREATE, person, context=context, changes=form_changes(form))
    return person


def update_contact_person(
    form: ContactPersonEditForm, *, actor: User, context: AuditContext = SYSTEM
) -> ContactPerson:
    """Edit or (de)activate a contact person (an inactive one keeps its history). Audited
    only if something changed."""
    with transaction.atomic():
        person = form.save()
        changes = form_changes(form)
        if changes:
            audit.write(actor, AuditAction.CHANGE, person, context=context, changes=changes)
    return person


def add_agreement(
    form: AgreementForm,
    *,
    company: Company,
    actor: User,
    context: AuditContext = SYSTEM,
) -> Agreement:
    """A partnership agreement; the company moves forward to samarbejde from the signing
    date."""
    with transaction.atomic():
        agreement = form.save(commit=False)
        agreement.company = company
        agreement.save()
        audit.write(
            actor, AuditAction.CREATE, agreement, context=context, changes=form_changes(form)
        )
        _advance(company, PipelineStatus.SAMARBEJDE, actor, agreement.signed_on)
    return agreement


def update_agreement(
    form: AgreementEditForm, *, actor: User, context: AuditContext = SYSTEM
) -> Agreement:
    """Change an agreement's end date, scope and targets. Audited only if something changed."""
    with transaction.atomic():
        agreement = form.save()
        changes = form_changes(form)
        if changes:
            audit.write(
                actor,
                AuditAction.CHANGE,
                agreement,
                context=context,
                changes=changes,
                object_repr=_("Partnerskabsaftale med %(company)s, indgået %(signed)s")
                % {
                    "company": agreement.company.name,
                    "signed": f"{agreement.signed_on:%d.%m.%Y}",
                },
            )
    return agreement


# --- task maps and tasks -------------------------------------------------------------------------


def record_mapping(
    form: MappingSessionForm,
    *,
    company: Company,
    actor: User,
    context: AuditContext = SYSTEM,
) -> MappingSession:
    """A task-mapping session held with the company; a company not yet mapped becomes
    kortlagt (dated by the session)."""
    with transaction.atomic():
        session = form.save(commit=False)
        session.company = company
        session.created_by = actor
        session.save()
        form.save_m2m()
        _advance(company, PipelineStatus.KORTLAGT, actor, session.held_on)
        audit.write(actor, AuditAction.CREATE, session, context=context, changes=form_changes(form))
    return session


def add_task(
    form: TaskForm, *, company: Company, actor: User, context: AuditContext = SYSTEM
) -> Task:
    with transaction.atomic():
        task = form.save(commit=False)
        task.company = company
        task.save()
        form.save_m2m()
        refresh_task_vectors([task.pk])
        audit.write(actor, AuditAction.CREATE, task, context=context, changes=form_changes(form))
    return task


def update_task(form: TaskForm, *, actor: User, context: AuditContext = SYSTEM) -> Task:
    """Save the task form; a changed status is dated today. Raises ``StaleEdit`` (nothing
    saved) when the task was saved by someone else since the form was loaded."""
    with transaction.atomic():
        versioning.claim(form.instance, form.loaded(), noun=_("Opgaven"), derived=["status"])
        task = form.save(commit=False)
        if "status" in form.changed_data:
            task.status_changed_on = days.today()
        task.save()
        form.save_m2m()
        refresh_task_vectors([task.pk])
        audit.write(actor, AuditAction.CHANGE, task, context=context, changes=form_changes(form))
    return task
