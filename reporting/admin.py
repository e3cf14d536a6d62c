"""The Django admin of reporting: each feature package registers its own models."""

from reporting.fidelity import admin as fidelity_admin

__all__ = ["fidelity_admin"]
