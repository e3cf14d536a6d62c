"""The reporting app's demo data (``seed_demo``): each feature package seeds its own."""

from __future__ import annotations

from reporting.dashboards import demo as dashboards
from substitution.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    dashboards.seed(ctx)
    from reporting.fidelity import demo as fidelity_demo

    fidelity_demo.seed(ctx)
