"""Import of placements (cases/placements/placement_import.py, services.import_history)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cases.citizens.history_import import PLACEMENTS
from cases.citizens.models import Citizen
from cases.placements.models import Placement, PlacementStatus
from cases.placements.services import import_history
from companies.models import Company
from substitution.models import AuditAction, AuditEvent, Team, Unit, User
from tests.factories.cases import CitizenFactory, make_cpr
from tests.factories.placements import PlacementFactory, make_company

D = dt.date
HEADER = "cpr;cvr;type;start;start bekræftet;slut;timer pr. uge;slutårsag"


def csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode()


@pytest.fixture
def citizen(team: Team) -> Citizen:
    return CitizenFactory.create(team=team, cpr=make_cpr(1))


@pytest.fixture
def company(unit: Unit) -> Company:
    return make_company(unit, cvr="12345678")


def test_creates_placements_with_confirmed_starts_ends_and_statuses(
    unit: Unit, citizen: Citizen, company: Company, administrator: User
) -> None:
    data = csv(
        f"{citizen.cpr};12345678;virksomhedspraktik;01-02-2026;ja;30-04-2026;;planmaessigt",
        f"{citizen.cpr};12345678;Ordinære løntimer / småjob;2026-05-04;2026-05-06;;10;",
        f"{citizen.cpr};12345678;loentilskud;01-11-2026;nej;;37;",
        f"{citizen.cpr};12345678;loentilskud;01-10-2026;nej;05-10-2026;;",
    )
    plan = import_history(PLACEMENTS, data, unit, actor=administrator, source="forloeb.csv")
    assert plan.errors == []
    assert plan.counts()["created"] == 4
    rows = {
        p.type.code + str(p.starts_on): p
        for p in Placement.objects.filter(citizen=citizen).select_related("type", "end_reason")
    }
    praktik = rows["virksomhedspraktik2026-02-01"]
    assert praktik.start_confirmed_on == D(2026, 2, 1)
    assert praktik.status == PlacementStatus.AFSLUTTET
    assert praktik.end_reason is not None and praktik.end_reason.code == "planmaessigt"
    smajob = rows["ordinaere-loentimer2026-05-04"]
    assert smajob.start_confirmed_on == D(2026, 5, 6)
    assert smajob.status == PlacementStatus.AKTIV
    assert smajob.planned_hours_per_week == Decimal(10)
    assert rows["loentilskud2026-11-01"].status == PlacementStatus.PLANLAGT
    cancelled = rows["loentilskud2026-10-01"]
    assert cancelled.status == PlacementStatus.AFLYST
    assert cancelled.end_reason is not None and cancelled.end_reason.code == "aflyst"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, citizen_id=citizen.pk).count() == 4

    again = import_history(PLACEMENTS, data, unit, actor=administrator)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 4, "removed": 0}
    assert Placement.objects.filter(citizen=citizen).count() == 4


def test_a_matching_placement_is_updated(
    unit: Unit, citizen: Citizen, company: Company, administrator: User
) -> None:
    placement = PlacementFactory.create(
        citizen=citizen, company=company, type_code="virksomhedspraktik", starts_on=D(2026, 3, 2)
    )
    data = csv(
        f"{citizen.cpr};12345678;virksomhedspraktik;02-03-2026;ja;31-08-2026;12;afbrudt-borger"
    )
    plan = import_history(PLACEMENTS, data, unit, actor=administrator)
    assert plan.errors == []
    assert plan.counts()["updated"] == 1
    placement.refresh_from_db()
    assert placement.ends_on == D(2026, 8, 31)
    assert placement.status == PlacementStatus.AFSLUTTET
    assert placement.planned_hours_per_week == Decimal(12)
    assert placement.version == 2
    assert Placement.objects.count() == 1


def test_errors_per_row_and_nothing_written(
    unit: Unit, citizen: Citizen, company: Company, administrator: User
) -> None:
    other_unit_company = make_company(
        Team.objects.create(name="X", unit=Unit.objects.create(name="Andet")).unit, cvr="87654321"
    )
    assert other_unit_company.unit_id != unit.pk
    data = csv(
        f"{citizen.cpr};87654321;virksomhedspraktik;01-02-2026;ja;;;",  # 2 other jobcentre
        f"{citizen.cpr};12345678;ukendt;01-02-2026;ja;;;",  # 3 type
        f"{citizen.cpr};12345678;loentilskud;01-02-2026;måske;;;",  # 4 start bekræftet
        f"{citizen.cpr};12345678;loentilskud;01-02-2026;ja;01-01-2026;;andet",  # 5 slut
        f"{citizen.cpr};12345678;loentilskud;01-02-2026;ja;01-03-2026;;",  # 6 slutårsag
        f"{citizen.cpr};12345678;loentilskud;01-02-2027;ja;;;",  # 7 future confirmed
        f"{citizen.cpr};12345678;loentilskud;01-02-2026;ja;;90;",  # 8 hours
        f"{citizen.cpr};12345678;fleksjob;01-02-2026;ja;;;",  # 9 ok
        f"{citizen.cpr};12345678;fleksjob;01-02-2026;ja;;;",  # 10 duplicate of 9
    )
    plan = import_history(PLACEMENTS, data, unit, actor=administrator)
    assert [(e.line, e.column) for e in plan.errors] == [
        (2, "cvr"),
        (3, "type"),
        (4, "start bekræftet"),
        (5, "slut"),
        (6, "slutårsag"),
        (7, "start bekræftet"),
        (8, "timer pr. uge"),
        (10, "start"),
    ]
    assert not Placement.objects.exists()


def test_minimal_columns(
    unit: Unit, citizen: Citizen, company: Company, administrator: User
) -> None:
    data = csv(f"{citizen.cpr};12345678;virksomhedspraktik;01-02-2026", header="cpr;cvr;type;start")
    plan = import_history(PLACEMENTS, data, unit, actor=administrator, dry_run=True)
    assert plan.errors == []
    assert plan.counts()["created"] == 1
    assert not Placement.objects.exists()
