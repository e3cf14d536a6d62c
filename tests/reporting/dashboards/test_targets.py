"""Target colours at the edges of the tolerance band, both directions; which target applies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reporting.dashboards.models import Direction, Target
from reporting.dashboards.targets import Status, applicable, comparable, deviation_text, status
from reporting.measures import Figure

D = Decimal
UP, DOWN = Direction.HOEJERE, Direction.LAVERE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("40", Status.GREEN),  # on the target: met
        ("40.01", Status.GREEN),
        ("39.99", Status.AMBER),  # just short
        ("35", Status.AMBER),  # on the band's edge: still amber
        ("34.99", Status.RED),  # just past the edge
        ("0", Status.RED),
    ],
)
def test_higher_is_better(value: str, expected: Status) -> None:
    assert status(D(value), D(40), UP, D(5)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("40", Status.GREEN),
        ("39", Status.GREEN),
        ("40.5", Status.AMBER),
        ("45", Status.AMBER),  # the edge
        ("45.01", Status.RED),
    ],
)
def test_lower_is_better(value: str, expected: Status) -> None:
    assert status(D(value), D(40), DOWN, D(5)) == expected


def test_no_tolerance_means_met_or_red() -> None:
    assert status(D(40), D(40), UP) == Status.GREEN
    assert status(D("39.9"), D(40), UP) == Status.RED
    assert status(None, D(40), UP) is None


def test_share_compares_exact_percent_not_the_rounded_display() -> None:
    figure = Figure("ordinary_hours", D(99), D(250), D("0.396"), "40 %")
    assert comparable(figure) == D("39.6")
    assert status(comparable(figure), D(40), UP, D(0)) == Status.RED
    assert deviation_text("ordinary_hours", comparable(figure), D(40)) == "−0,4 pct.-point"
    count = Figure("caseload", D(44), None, D(44), "44")
    assert comparable(count) == 44
    assert deviation_text("caseload", D(44), D(40)) == "+4"


def target(team_id: int | None, start: str, end: str | None = None, value: int = 40) -> Target:
    return Target(
        team_id=team_id,
        measure="ordinary_hours",
        value=D(value),
        valid_from=dt.date.fromisoformat(start),
        valid_to=dt.date.fromisoformat(end) if end else None,
    )


def test_team_target_before_the_jobcentre_target_and_validity_months() -> None:
    unit_wide = target(None, "2026-01-01", value=20)
    own_2026 = target(7, "2026-01-01", "2026-06-30", value=30)
    own_later = target(7, "2026-07-01", value=35)
    targets = [unit_wide, own_2026, own_later]
    assert applicable(targets, "ordinary_hours", 7, dt.date(2026, 6, 30)) is own_2026
    assert applicable(targets, "ordinary_hours", 7, dt.date(2026, 7, 31)) is own_later
    assert applicable(targets, "ordinary_hours", 8, dt.date(2026, 7, 31)) is unit_wide
    assert applicable(targets, "ordinary_hours", None, dt.date(2026, 7, 31)) is unit_wide
    assert applicable(targets, "ordinary_hours", 7, dt.date(2025, 12, 31)) is None
    assert applicable(targets, "cv", 7, dt.date(2026, 7, 31)) is None
