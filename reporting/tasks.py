"""Celery autodiscovers ``<app>.tasks``: the reporting app's tasks live in its feature
packages and are imported here so the workers register them."""

from reporting.fidelity.tasks import fidelity_rounds
from reporting.reports import tasks as reports_tasks

__all__ = ["fidelity_rounds", "reports_tasks"]
