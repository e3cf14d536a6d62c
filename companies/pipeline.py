"""The only writers of a company's pipeline status, fixed contact and contact log.

* ``change_status`` writes ``Company.status`` and its ``CompanyStatusChange`` history row.
* ``assign_fixed_contact`` writes ``Company.fixed_contact`` and its ``FixedContactPeriod``.
* ``log_contact`` saves a contact-log entry and turns its next step into a ``FollowUp``.
* ``record_mapping`` saves a mapping session and moves the company to "kortlagt".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from companies.models import (
    Company,
    CompanyContact,
    CompanyStatusChange,
    FixedContactPeriod,
    MappingSession,
    PipelineStatus,
)
from substitution import days
from substitution.models import FollowUp

# Order of the active pipeline; "inaktiv" stands outside it.
ORDER = [
    PipelineStatus.EMNE,
    PipelineStatus.KONTAKTET,
    PipelineStatus.KORTLAGT,
    PipelineStatus.SAMARBEJDE,
]


def _before(status: str, target: str) -> bool:
    """True if ``status`` comes before ``target`` in the active pipeline."""
    return status in ORDER and ORDER.index(PipelineStatus(status)) < ORDER.index(
        PipelineStatus(target)
    )


@transaction.atomic
def change_status(
    company: Company, status: str, by: Any = None, on: dt.date | None = None
) -> CompanyStatusChange | None:
    """Set the company's status and record the change with its date. No-op if unchanged."""
    if company.status == status:
        return None
    on = on or days.today()
    company.status = status
    Company.objects.filter(pk=company.pk).update(status=status, updated_at=timezone.now())
    return CompanyStatusChange.objects.create(
        company=company, status=status, changed_on=on, changed_by=by
    )


def advance_to(
    company: Company, status: str, by: Any = None, on: dt.date | None = None
) -> CompanyStatusChange | None:
    """Move the company forward to ``status`` if it is before that in the pipeline."""
    if _before(company.status, status):
        return change_status(company, status, by, on)
    return None


@transaction.atomic
def assign_fixed_contact(
    company: Company, consultant: Any, on: dt.date | None = None
) -> FixedContactPeriod | None:
    """Make ``consultant`` (or nobody) the company's one fixed contact from ``on``."""
    if company.fixed_contact_id == (consultant.pk if consultant else None):
        return None
    on = on or days.today()
    FixedContactPeriod.objects.filter(company=company, ended_on__isnull=True).update(ended_on=on)
    company.fixed_contact = consultant
    Company.objects.filter(pk=company.pk).update(fixed_contact=consultant)
    if consultant is None:
        return None
    return FixedContactPeriod.objects.create(company=company, consultant=consultant, started_on=on)


@transaction.atomic
def start_history(company: Company, by: Any, on: dt.date | None = None) -> None:
    """First status row (and fixed-contact period) of a newly created company."""
    on = on or days.today()
    CompanyStatusChange.objects.create(
        company=company, status=company.status, changed_on=on, changed_by=by
    )
    if company.fixed_contact_id:
        FixedContactPeriod.objects.create(
            company=company, consultant_id=company.fixed_contact_id, started_on=on
        )


@transaction.atomic
def log_contact(contact: CompanyContact, by: Any) -> FollowUp | None:
    """Save a contact-log entry; an emne becomes kontaktet; the next step becomes a follow-up
    owned by the staff member who made the contact."""
    contact.save()
    company = contact.company
    advance_to(company, PipelineStatus.KONTAKTET, by, contact.occurred_on)
    if contact.next_step and contact.next_step_due:
        return FollowUp.objects.create(
            owner=contact.staff,
            due_on=contact.next_step_due,
            title=contact.next_step,
            subject_type=ContentType.objects.get_for_model(Company),
            subject_id=company.pk,
            created_by=by,
        )
    return None


@transaction.atomic
def record_mapping(session: MappingSession, by: Any) -> MappingSession:
    """Save a mapping session; a company not yet mapped becomes kortlagt."""
    session.save()
    advance_to(session.company, PipelineStatus.KORTLAGT, by, session.held_on)
    return session
