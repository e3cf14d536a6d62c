"""Periodic work for cases (autodiscovered by the Celery app; scheduled in settings)."""

from __future__ import annotations

from celery import shared_task

from cases.placements.services import refresh_statuses


@shared_task
def refresh_placement_statuses() -> int:
    """Move placements whose start or end date has passed to their date-derived status and
    reopen tasks whose positions were freed (idempotent; pages never rely on it)."""
    return refresh_statuses()
