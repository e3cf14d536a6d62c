"""The fall alert (KL, *Gør som de bedste*: alert on a fall, e.g. in the number of praktikker):
a measure where more is better that falls by more than ``fall_alert_percent`` (default 20) from
one month to the next is flagged on the manager dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.dashboards import manager
from reporting.measures import Period, Population
from substitution.models import Team, Threshold, Unit, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory

pytestmark = pytest.mark.django_db

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
D = Decimal


def start_placements(team: Team, month: int, count: int) -> None:
    for n in range(count):
        citizen = CitizenFactory.create(team=team, opened_on=dt.date(2026, 1, 1))
        PlacementFactory.create(
            citizen=citizen, type_code="virksomhedspraktik", starts_on=dt.date(2026, month, 2 + n)
        )


def test_fell_is_more_than_the_share_of_the_earlier_value() -> None:
    share = D("0.2")
    assert manager.fell(D(10), D(7), share)  # 30 %
    assert not manager.fell(D(10), D(8), share)  # exactly 20 %: not more than
    assert manager.fell(D(10), D("7.99"), share)
    assert not manager.fell(D(10), D(12), share)  # a rise
    assert not manager.fell(D(0), D(0), share)  # nothing to fall from
    assert not manager.fell(None, D(3), share)
    assert not manager.fell(D(10), None, share)  # no figure now (a share of nobody)
    assert not manager.fell(D(10), D(1), share, higher_is_better=False)  # a fall is good
    assert manager.fall_percent(D(10), D(7)) == 30


def test_the_alert_compares_two_whole_months() -> None:
    october = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert manager.fall_months(NOV) == (october, NOV)
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    february = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert manager.fall_months(march) == (february, march)
    # The month so far: the last two whole months, not 1-2 December against 1-2 November.
    to_date = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 2))
    assert manager.fall_months(to_date) == (october, NOV)
    january = Period(dt.date(2027, 1, 1), dt.date(2027, 1, 5))
    december = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert manager.fall_months(january) == (NOV, december)


def test_the_month_so_far_flags_the_fall_of_the_last_whole_month(unit: Unit, team: Team) -> None:
    start_placements(team, 10, 10)
    start_placements(team, 11, 7)
    start_placements(team, 12, 1)  # 1 so far in December: not compared with 1-2 November
    to_date = Period(dt.date(2026, 12, 1), dt.date(2026, 12, 2))
    board = manager.board(Population(unit_id=unit.pk), [team], to_date, ["placements_started"])
    cell = board.rows[0].cells[0]
    assert cell.figure.display == "1"
    assert cell.previous is None and cell.fall is None  # December's cells carry no fall
    assert board.compared == NOV
    assert [(r.slug, c.team_id, c.fall) for r, c in board.falls] == [
        ("placements_started", team.pk, 30), ("placements_started", None, 30)
    ]  # fmt: skip


def test_a_fall_in_placements_started_is_flagged(unit: Unit, team: Team) -> None:
    start_placements(team, 10, 10)
    start_placements(team, 11, 7)
    board = manager.board(Population(unit_id=unit.pk), [team], NOV, ["placements_started"])
    cell = board.rows[0].cells[0]
    assert (cell.previous.display if cell.previous else None, cell.figure.display) == ("10", "7")
    assert cell.fall == 30
    assert board.rows[0].total.fall == 30  # the jobcentre fell as well
    assert [(r.slug, c.team_id) for r, c in board.falls] == [
        ("placements_started", team.pk), ("placements_started", None)
    ]  # fmt: skip


def test_a_fall_within_the_threshold_is_not_flagged(unit: Unit, team: Team) -> None:
    start_placements(team, 10, 10)
    start_placements(team, 11, 8)  # 20 %: not more than 20 %
    board = manager.board(Population(unit_id=unit.pk), [team], NOV, ["placements_started"])
    assert board.falls == []


def test_the_threshold_is_data(unit: Unit, team: Team) -> None:
    start_placements(team, 10, 10)
    start_placements(team, 11, 7)
    Threshold.objects.create(
        key="fall_alert_percent", value=40, unit=unit, valid_from=dt.date(2026, 1, 1)
    )
    board = manager.board(Population(unit_id=unit.pk), [team], NOV, ["placements_started"])
    assert board.fall_share == D("0.4")
    assert board.falls == []


def test_the_dashboard_shows_the_fall(unit: Unit, team: Team, leder: User) -> None:
    start_placements(team, 10, 10)
    start_placements(team, 11, 7)
    html = client_for(leder).get(reverse("reporting:manager"), {"periode": "2026-11"}).content
    text = html.decode()
    assert "Fald på mere end 20 % fra oktober 2026 til november 2026" in text
    assert "Virksomhedsforløb startet, Team A: 10 → 7 (faldet 30 %)" in text
    # The trend's measure (placements started) this and last month as grouped bars.
    assert "Virksomhedsforløb startet: november 2026 og oktober 2026" in text
    assert "<title>Team A, november 2026: 7</title>" in text
    assert "<title>Team A, oktober 2026: 10</title>" in text
