"""Target colours at the edges of the tolerance band, both directions; which target applies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reporting.dashboards.models import Direction, Target
from reporting.dashboards.targets import Status, applicable, comparable, deviation_text, status
from reporting.measures import Figure
from substitution.models import AuditEvent, Team, User
from tests.conftest import client_for
from tests.factories.org import TeamFactory, UnitFactory

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


# --- the targets page (/styring/maaltal/) ---------------------------------------------------


def target_post(team_id: int | None = None, **extra: str) -> dict[str, str]:
    return {
        "measure": "ordinary_hours",
        "team": str(team_id or ""),
        "value": "22",
        "direction": "hoejere",
        "tolerance": "2,5",
        "valid_from": "2026-01",
        "valid_to": "",
        "note": "FSM: 22 %",
        **extra,
    }


@pytest.mark.django_db
def test_leder_and_administrator_edit_targets_team_lead_reads(
    team: Team, leder: User, administrator: User, teamleder: User
) -> None:
    client = client_for(leder)
    response = client.post("/styring/maaltal/ny/", target_post(team.pk, valid_to="2026-06"))
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.team, target.value, target.tolerance) == (team, D(22), D("2.5"))
    assert (target.valid_from, target.valid_to) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert target.updated_by == leder
    assert AuditEvent.objects.filter(object_id=str(target.pk), action="create").exists()
    edited = client_for(administrator).post(
        f"/styring/maaltal/{target.pk}/", target_post(team.pk, value="25", valid_to="2026-06")
    )
    assert edited.status_code == 302
    target.refresh_from_db()
    assert target.value == 25
    lead = client_for(teamleder)
    page = lead.get("/styring/maaltal/").content.decode()
    assert "Med ordinære timer" in page and "25 %" in page
    assert "Nyt måltal" not in page
    assert lead.get("/styring/maaltal/ny/").status_code == 403
    assert lead.post(f"/styring/maaltal/{target.pk}/slet/").status_code == 403
    assert client.post(f"/styring/maaltal/{target.pk}/slet/").status_code == 302
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_target_form_refuses_in_danish(team: Team, leder: User) -> None:
    client = client_for(leder)
    Target.objects.create(
        unit=team.unit,
        team=team,
        measure="ordinary_hours",
        value=D(20),
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 31),
    )
    cases = [
        ({"value": "140"}, "En andel kan højst være 100 %."),
        ({"valid_from": "januar"}, "Skriv en måned som åååå-mm"),
        ({"valid_from": "2026-07", "valid_to": "2026-03"}, "Slutmåneden ligger før startmåneden."),
        ({"valid_from": "2026-06"}, "Der findes allerede et mål for dette tal og team"),
        ({"tolerance": "-1"}, "Tallet skal mindst være 0."),
    ]
    for extra, message in cases:
        response = client.post("/styring/maaltal/ny/", target_post(team.pk, **extra))
        assert response.status_code == 400, extra
        body = response.content.decode()
        assert message in body, (extra, message)
        assert "FSM: 22 %" in body  # what was typed is kept
    # Another team, or the jobcentre, may have its own target for the same months.
    assert client.post("/styring/maaltal/ny/", target_post(None)).status_code == 302
    assert Target.objects.count() == 2


@pytest.mark.django_db
def test_another_jobcentres_target_is_a_404(team: Team, leder: User) -> None:
    elsewhere = UnitFactory.create(name="Jobcenter B")
    target = Target.objects.create(
        unit=elsewhere, measure="cv", value=D(50), valid_from=dt.date(2026, 1, 1)
    )
    client = client_for(leder)
    assert client.get(f"/styring/maaltal/{target.pk}/").status_code == 404
    assert client.post(f"/styring/maaltal/{target.pk}/slet/").status_code == 404
    assert "Jobcenter B" not in client.get("/styring/maaltal/").content.decode()
    # A team of another jobcentre is not a choice.
    other_team = TeamFactory.create(unit=elsewhere)
    assert client.post("/styring/maaltal/ny/", target_post(other_team.pk)).status_code == 400
