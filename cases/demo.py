"""Demo data for cases: citizens and their history, then placements and hours.

Each part lives in its own module; ``seed_demo`` calls this ``seed`` after the organisation
and companies are seeded.
"""

from __future__ import annotations

from importlib import import_module

from substitution.demo import DemoContext

PARTS = ["cases.demo_citizens", "cases.demo_placements"]


def seed(ctx: DemoContext) -> None:
    for name in PARTS:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.seed(ctx)
