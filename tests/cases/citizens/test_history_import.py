"""Import of a citizen's history (cases/citizens/history_import.py, services.import_history,
``manage.py import_history``): benefit periods, visitation periods, exits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.citizens.history_import import BENEFIT, EXITS, VISITATION
from cases.citizens.models import (
    BenefitPeriod,
    BenefitType,
    Citizen,
    CitizenStatus,
    ExitReason,
    VisitationGroup,
    VisitationPeriod,
)
from cases.citizens.services import import_history, sync_periods
from substitution.models import AuditAction, AuditEvent, Team, Unit, User
from tests.factories.cases import CitizenFactory, code, make_cpr

D = dt.date


def csv(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def citizen(team: Team) -> Citizen:
    citizen = CitizenFactory.create(team=team, cpr=make_cpr(1))
    sync_periods(citizen)
    return citizen


def periods(citizen: Citizen, model: type[BenefitPeriod] | type[VisitationPeriod]) -> list:
    field = "benefit_type__code" if model is BenefitPeriod else "group__code"
    return list(
        model.objects.filter(citizen=citizen)
        .order_by("starts_on")
        .values_list(field, "starts_on", "ends_on")
    )


def test_benefit_periods_replace_history_and_set_the_citizens_copy(
    unit: Unit, citizen: Citizen, administrator: User
) -> None:
    data = csv(
        "cpr;ydelse;fra;til",
        f"{citizen.cpr};kontanthjaelp;01-01-2024;31-05-2025",
        f"{citizen.cpr};Uddannelseshjælp;2025-08-01;",
    )
    plan = import_history(BENEFIT, data, unit, actor=administrator, source="ydelser.csv")
    assert plan.errors == []
    assert periods(citizen, BenefitPeriod) == [
        ("kontanthjaelp", D(2024, 1, 1), D(2025, 5, 31)),
        ("uddannelseshjaelp", D(2025, 8, 1), None),
    ]
    citizen.refresh_from_db()
    assert citizen.benefit_type == code(BenefitType, "uddannelseshjaelp")
    # The invariant: sync_periods finds nothing to change.
    sync_periods(citizen)
    assert len(periods(citizen, BenefitPeriod)) == 2
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, citizen_id=citizen.pk).exists()

    # Idempotent: the same file again changes nothing.
    events = AuditEvent.objects.count()
    again = import_history(BENEFIT, data, unit, actor=administrator)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 2, "removed": 0}
    assert again.items == []
    assert AuditEvent.objects.count() == events + 1  # only the file's own row


def test_benefit_history_ended_leaves_no_benefit(
    unit: Unit, citizen: Citizen, administrator: User
) -> None:
    data = csv("cpr;ydelse;fra;til", f"{citizen.cpr};kontanthjaelp;01-01-2024;31-05-2025")
    assert import_history(BENEFIT, data, unit, actor=administrator).errors == []
    citizen.refresh_from_db()
    assert citizen.benefit_type is None
    sync_periods(citizen)
    assert periods(citizen, BenefitPeriod) == [("kontanthjaelp", D(2024, 1, 1), D(2025, 5, 31))]


def test_benefit_errors_are_reported_per_row_and_nothing_is_written(
    unit: Unit, citizen: Citizen, administrator: User
) -> None:
    before = periods(citizen, BenefitPeriod)
    data = csv(
        "cpr;ydelse;fra;til",
        f"{citizen.cpr};kontanthjaelp;01-01-2024;",
        f"{citizen.cpr};uddannelseshjaelp;01-03-2024;",
        f"{make_cpr(99)};kontanthjaelp;01-01-2024;",
        f"{citizen.cpr};løn;01-01-2024;",
        f"{citizen.cpr};kontanthjaelp;01-01-2030;",
        f"{citizen.cpr};kontanthjaelp;05-01-2024;01-01-2024",
    )
    plan = import_history(BENEFIT, data, unit, actor=administrator)
    assert [(e.line, e.column) for e in plan.errors] == [
        (4, "cpr"),
        (5, "ydelse"),
        (6, "fra"),
        (7, "til"),
        (3, "fra"),
    ]
    assert "overlapper perioden i linje 2" in plan.errors[-1].message
    assert periods(citizen, BenefitPeriod) == before


def test_visitation_periods_chain_and_the_latest_is_the_citizens_group(
    unit: Unit, citizen: Citizen, administrator: User
) -> None:
    data = csv(
        "cpr;visitationsgruppe;fra",
        f"{citizen.cpr};gruppe-1;01-06-2025",
        f"{citizen.cpr};Gruppe 3 – ukontaktbar;15-01-2025",
    )
    plan = import_history(VISITATION, data, unit, actor=administrator)
    assert plan.errors == []
    assert periods(citizen, VisitationPeriod) == [
        ("gruppe-3", D(2025, 1, 15), D(2025, 5, 31)),
        ("gruppe-1", D(2025, 6, 1), None),
    ]
    citizen.refresh_from_db()
    assert citizen.visitation_group == code(VisitationGroup, "gruppe-1")
    assert citizen.visitation_date == D(2025, 6, 1)
    sync_periods(citizen)
    assert len(periods(citizen, VisitationPeriod)) == 2
    again = import_history(VISITATION, data, unit, actor=administrator)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 2, "removed": 0}


def test_visitation_same_day_twice_is_an_error(
    unit: Unit, citizen: Citizen, administrator: User
) -> None:
    data = csv(
        "cpr;visitationsgruppe;fra",
        f"{citizen.cpr};gruppe-1;01-06-2025",
        f"{citizen.cpr};gruppe-2;01-06-2025",
    )
    plan = import_history(VISITATION, data, unit, actor=administrator)
    assert [(e.line, e.column) for e in plan.errors] == [(3, "fra")]


def test_exits_close_the_case_and_are_idempotent(
    unit: Unit, citizen: Citizen, administrator: User
) -> None:
    data = csv(
        "cpr;afslutningsdato;afslutningsårsag",
        f"{citizen.cpr};01-10-2026;Ordinært job",
    )
    plan = import_history(EXITS, data, unit, actor=administrator)
    assert plan.errors == []
    assert plan.counts()["updated"] == 1
    citizen.refresh_from_db()
    assert citizen.status == CitizenStatus.AFSLUTTET
    assert citizen.exit_date == D(2026, 10, 1)
    assert citizen.status_changed_on == D(2026, 10, 1)
    assert citizen.exit_reason == code(ExitReason, "ordinaert-job")
    version = citizen.version
    again = import_history(EXITS, data, unit, actor=administrator)
    assert again.counts() == {"created": 0, "updated": 0, "unchanged": 1, "removed": 0}
    citizen.refresh_from_db()
    assert citizen.version == version


def test_exit_errors(unit: Unit, citizen: Citizen, administrator: User) -> None:
    data = csv(
        "cpr;afslutningsdato;afslutningsårsag",
        f"{citizen.cpr};01-10-2030;flyttet",
        f"{citizen.cpr};01-10-2026;ukendt",
        "123;01-10-2026;flyttet",
    )
    plan = import_history(EXITS, data, unit, actor=administrator)
    assert [(e.line, e.column) for e in plan.errors] == [
        (2, "afslutningsdato"),
        (3, "afslutningsårsag"),
        (3, "cpr"),
        (4, "cpr"),
    ]
    citizen.refresh_from_db()
    assert citizen.status != CitizenStatus.AFSLUTTET


def test_header_errors(unit: Unit, administrator: User) -> None:
    plan = import_history(EXITS, csv("cpr;dato"), unit, actor=administrator)
    assert {e.column for e in plan.errors} == {"afslutningsdato", "afslutningsårsag", "dato"}


def test_command_dry_run_and_import(
    unit: Unit, citizen: Citizen, administrator: User, tmp_path: Path
) -> None:
    path = tmp_path / "visitation.csv"
    path.write_bytes(csv("cpr;visitationsgruppe;fra", f"{citizen.cpr};gruppe-2;01-02-2025"))
    call_command("import_history", "visitation", str(path), "--dry-run")
    assert periods(citizen, VisitationPeriod) != [("gruppe-2", D(2025, 2, 1), None)]
    call_command("import_history", "visitation", str(path), "--user", administrator.username)
    assert periods(citizen, VisitationPeriod) == [("gruppe-2", D(2025, 2, 1), None)]
    path.write_bytes(csv("cpr;visitationsgruppe;fra", f"{citizen.cpr};nope;01-02-2025"))
    with pytest.raises(CommandError, match="1 fejl"):
        call_command("import_history", "visitation", str(path))


def test_a_new_benefit_after_imported_history_starts_after_it(
    unit: Unit, citizen: Citizen, administrator: User
) -> None:
    """sync_periods (a later edit of the record) never overlaps the imported history."""
    data = csv("cpr;ydelse;fra;til", f"{citizen.cpr};kontanthjaelp;01-01-2024;30-11-2026")
    assert import_history(BENEFIT, data, unit, actor=administrator).errors == []
    citizen.refresh_from_db()
    citizen.benefit_spell_start = D(2023, 6, 1)
    citizen.benefit_type = code(BenefitType, "sygedagpenge")
    sync_periods(citizen)
    assert periods(citizen, BenefitPeriod) == [
        ("kontanthjaelp", D(2024, 1, 1), D(2026, 11, 30)),
        ("sygedagpenge", D(2026, 12, 1), None),
    ]
