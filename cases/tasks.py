"""Periodic work for cases (autodiscovered by the Celery app; scheduled in settings)."""

from __future__ import annotations

from celery import shared_task

from cases.placements import services
from substitution.audit import SYSTEM


@shared_task
def refresh_placement_statuses() -> int:
    """Move placements whose start or end date has passed to their date-derived status and
    reopen tasks whose positions were freed (idempotent; pages never rely on it). The system
    acts: the audit rows have no user and no request."""
    return services.refresh_statuses(actor=None, context=SYSTEM)
