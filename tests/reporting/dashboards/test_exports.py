"""Exports of a dashboard's table (reporting/dashboards/exports.py): CSV with semicolons and a
BOM, XLSX that openpyxl opens with the same numbers, Danish headers, formula-neutralised
cells."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.dashboards import exports, manager
from reporting.measures import Period, Population
from substitution.models import AuditEvent, Team, Unit, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))

TABLE = exports.Table(
    "Test",
    ["Måling", "Team", "Værdi"],
    [
        ['=HYPERLINK("x")', "+45 12", Decimal("0.225")],
        ["@sum", "-1", 3],
        ["\tfane", "Øst", None],
    ],
)


def test_csv_has_a_bom_semicolons_and_neutral_cells() -> None:
    data = exports.csv_bytes(TABLE)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Måling;Team;Værdi"
    assert lines[1] == '"\'=HYPERLINK(""x"")";\'+45 12;0,225'
    assert lines[2] == "'@sum;'-1;3"
    assert lines[3] == "'\tfane;Øst;"


def test_xlsx_opens_with_openpyxl_with_numbers_as_numbers_and_neutral_text() -> None:
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(TABLE)))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Måling", "Team", "Værdi")
    assert rows[1] == ('\'=HYPERLINK("x")', "'+45 12", 0.225)
    assert rows[2] == ("'@sum", "'-1", 3)
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, not a formula


@pytest.mark.django_db
def test_the_manager_xlsx_holds_the_dashboards_numbers(unit: Unit, team: Team, leder: User) -> None:
    for n in range(5):
        CitizenFactory.create(team=team, opened_on=dt.date(2026, 1, 1), cv_present=n < 2)
    client = client_for(leder)
    response = client.get(reverse("reporting:manager_xlsx"), {"periode": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ledelsesoverblik-2026-11.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("Måling", "Nøgle", "Team", "Tæller", "Nævner", "Værdi", "Vist som")
    board = manager.board(Population(unit_id=unit.pk), [team], NOV)
    by_key = {(r[1], r[2]): r for r in rows[1:]}
    for row in board.rows:
        for cell, name in ((row.cells[0], team.name), (row.total, "Jobcentret i alt")):
            exported = by_key[(row.slug, name)]
            assert exported[6] == cell.figure.display
            assert exported[3] == float(cell.figure.numerator)
    cv = by_key[("cv", team.name)]
    assert (cv[3], cv[4], cv[5], cv[6]) == (2, 5, 0.4, "40 %")
    assert by_key[("cv", "Median")][6] == "40 %"
    assert AuditEvent.objects.filter(user=leder, action="export").exists()


@pytest.mark.django_db
def test_the_manager_csv_has_the_same_rows(unit: Unit, team: Team, leder: User) -> None:
    CitizenFactory.create(team=team, opened_on=dt.date(2026, 1, 1), cv_present=True)
    response = client_for(leder).get(reverse("reporting:manager_csv"), {"periode": "2026-11"})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Måling;Nøgle;Team;Tæller;Nævner;Værdi;Vist som")
    assert "CV oprettet;cv;Team A;1;1;1;100 %" in text


@pytest.mark.django_db
def test_a_team_leads_export_holds_no_other_team(unit: Unit, team: Team, other_team: Team) -> None:
    from substitution.models import Role
    from tests.factories.org import make_staff

    CitizenFactory.create(team=team, opened_on=dt.date(2026, 1, 1), cv_present=True)
    for _ in range(3):
        CitizenFactory.create(team=other_team, opened_on=dt.date(2026, 1, 1), cv_present=False)
    lead = make_staff(Role.TEAMLEDER, team, username="tl_x")
    response = client_for(lead).get(reverse("reporting:manager_xlsx"), {"periode": "2026-11"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert {r[2] for r in rows[1:]} == {"Team A", "Dine teams i alt", "1. kvartil", "Median",
                                        "3. kvartil"}  # fmt: skip
    cv_total = next(r for r in rows if r[1] == "cv" and r[2] == "Dine teams i alt")
    assert (cv_total[3], cv_total[4]) == (1, 1)  # Team B's three citizens are in no total
