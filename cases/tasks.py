"""Periodic work for cases (autodiscovered by the Celery app; scheduled in settings)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from cases.citizens import facts, month_facts
from cases.placements import services
from cases.privacy import anonymise
from cases.privacy import services as privacy_services
from substitution.audit import SYSTEM

logger = logging.getLogger(__name__)


@shared_task
def refresh_placement_statuses() -> int:
    """Move placements whose start or end date has passed to their date-derived status and
    reopen tasks whose positions were freed (idempotent; pages never rely on it). The system
    acts: the audit rows have no user and no request. Then the date pass of the citizens'
    maintained step (``facts.refresh_dated_steps``: a start date arrived, an end date passed,
    on Copenhagen's today), so the caseload's trin follows a new day within the hour.
    Returns the number of placements moved."""
    moved = services.refresh_statuses(actor=None, context=SYSTEM)
    facts.refresh_dated_steps()
    return moved


@shared_task
def extend_month_facts() -> int:
    """The facts per citizen and month (``cases.citizens.month_facts``): take the live month
    to the new day, build the month that began, or every month after a flag or threshold they
    read changed. Until then the measures of those days are computed live (correct, only
    slower). One query when the facts are taken on today already."""
    return month_facts.extend()


@shared_task
def anonymise_closed_cases() -> dict[str, int]:
    """Citizens whose case closed longer ago than the jobcentre's limit (cases.privacy): the
    dry-run report always goes to the log; the data is removed only with ANONYMISE_ENABLED."""
    due = anonymise.due()
    logger.info("%s", anonymise.report(due))
    if not settings.ANONYMISE_ENABLED:
        return {"due": len(due), "anonymised": 0}
    done = privacy_services.anonymise([item.citizen_id for item in due], actor=None)
    return {"due": len(due), "anonymised": done}
