"""The reporting app's admin: each feature package registers its own models."""

from reporting.dashboards import admin as dashboards_admin  # noqa: F401
