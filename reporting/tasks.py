"""Celery finds an app's tasks in ``<app>/tasks.py``: the feature packages' tasks are imported
here so the worker registers them."""

from reporting.fidelity.tasks import fidelity_rounds

__all__ = ["fidelity_rounds"]
