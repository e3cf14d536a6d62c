"""Reporting's demo data (``seed_demo``): each feature package seeds its own."""

from __future__ import annotations

from substitution.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    from reporting.fidelity import demo as fidelity_demo

    fidelity_demo.seed(ctx)
