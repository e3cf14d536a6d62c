"""Targets (måltal): the colour of a figure against its target, and which target applies.

The rule (docs/dashboards.md, "Måltal"):

- **green**: the target is met — at or above it when higher is better, at or below it when
  lower is better;
- **amber**: not met, but within the tolerance band — at most ``tolerance`` from the target
  on the wrong side (the band's edge itself is amber);
- **red**: further from the target than the tolerance;
- no colour when the figure has no value (a share of nobody) or there is no target.

Values are compared in the measure's shown unit (``comparable``: percent for a share), exact,
not as rounded for display: 39.6 % is not 40 %, and the tile says how far it is.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reporting.dashboards.models import Direction, Target
from reporting.measures import BY_SLUG, HUNDRED, Figure, Kind, danish_number


class Status(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


STATUS_LABELS = {
    Status.GREEN: _("Mål nået"),
    Status.AMBER: _("Tæt på mål"),
    Status.RED: _("Langt fra mål"),
}


def status(
    value: Decimal | None,
    target: Decimal,
    direction: str = Direction.HOEJERE,
    tolerance: Decimal = Decimal(0),
) -> Status | None:
    """The colour of ``value`` against ``target`` (both in the same unit)."""
    if value is None:
        return None
    shortfall = target - value if direction == Direction.HOEJERE else value - target
    if shortfall <= 0:
        return Status.GREEN
    if shortfall <= tolerance:
        return Status.AMBER
    return Status.RED


def comparable(figure: Figure) -> Decimal | None:
    """The figure's value in the unit targets are written in: percent for a share (exact, not
    rounded), the value itself otherwise."""
    if figure.value is None:
        return None
    if BY_SLUG[figure.slug].kind == Kind.SHARE:
        return figure.value * HUNDRED
    return figure.value


def display(slug: str, value: Decimal) -> str:
    """A target (or a deviation) printed as the measure prints its figures."""
    kind = BY_SLUG[slug].kind
    places = 0 if value == value.to_integral_value() else 1
    text = danish_number(value, places)
    if kind == Kind.SHARE:
        return f"{text} %"
    unit_label = BY_SLUG[slug].unit_label
    return f"{text} {unit_label}".strip()


def deviation_text(slug: str, value: Decimal | None, target: Decimal) -> str:
    """How far the figure is from the target, signed ("−0,4 pct.-point", "+3")."""
    if value is None:
        return ""
    diff = value - target
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    places = 0 if diff == diff.to_integral_value() else 1
    text = sign + danish_number(abs(diff), places)
    if BY_SLUG[slug].kind == Kind.SHARE:
        return f"{text} {_('pct.-point')}"
    return text


def applicable(
    targets: Iterable[Target], slug: str, team_id: int | None, day: dt.date
) -> Target | None:
    """The target for ``slug`` on ``day``: the team's own when it has one, else the
    jobcentre's (``team_id`` None: only the jobcentre's). ``targets`` are the unit's (one
    query for a page; ``queries.targets_for``); among several valid ones the latest start
    wins."""
    own: Target | None = None
    unit_wide: Target | None = None
    for target in targets:
        if target.measure != slug or target.valid_from > day:
            continue
        if target.valid_to is not None and target.valid_to < day:
            continue
        if target.team_id is not None and target.team_id == team_id:
            if own is None or target.valid_from > own.valid_from:
                own = target
        elif target.team_id is None and (
            unit_wide is None or target.valid_from > unit_wide.valid_from
        ):
            unit_wide = target
    return own or unit_wide


def status_of(figure: Figure, target: Target | None) -> Status | None:
    if target is None:
        return None
    return status(comparable(figure), target.value, target.direction, target.tolerance)
