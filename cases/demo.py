"""Demo data for cases: citizens and their history, then placements and hours.

Each part lives in its own module; ``seed_demo`` calls this ``seed`` after the organisation
and companies are seeded.
"""

from __future__ import annotations

from importlib import import_module

from substitution.demo import DemoContext, analyse

# (module, function) in order: citizens, placements, then job goals for placed citizens.
PARTS = [
    ("cases.citizens.demo", "seed"),
    ("cases.placements.demo", "seed"),
    ("cases.placements.demo", "after_placements"),
    # Last: the maintained facts follow every conversation and follow-up seeded above.
    ("cases.citizens.demo", "refresh_facts"),
    # The facts per citizen and month the measures read, built from all of the above.
    ("cases.citizens.month_facts", "seed_demo"),
]


def seed(ctx: DemoContext) -> None:
    for name, function in PARTS:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        getattr(module, function)(ctx)
        # Statistics for what this part inserted: the facts refresh and the month facts
        # read it, and without statistics PostgreSQL planned the refresh's per-citizen
        # subqueries over 1 M conversations as nested loops (> 20 min at --scale 33).
        analyse()
