"""Celery autodiscovers ``<app>.tasks``: the reporting app's tasks live in its feature
packages and are imported here so the workers register them."""

from reporting.reports import tasks as reports_tasks  # noqa: F401
