"""The reporting app's admin: each feature package registers its own models."""

from reporting.dashboards import admin as dashboards_admin
from reporting.fidelity import admin as fidelity_admin

__all__ = ["dashboards_admin", "fidelity_admin"]
