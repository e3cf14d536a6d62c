"""CSV import of citizens (cases/citizens/citizen_import.py, services.import_citizens and the
import_citizens command)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.citizens.citizen_import import ImportPlan, plan_import
from cases.citizens.models import Assignment, BenefitType, Citizen
from cases.citizens.services import import_citizens
from substitution.csv_reader import read_csv
from substitution.models import AuditAction, AuditEvent, Role, Team, Unit, User
from tests.factories.cases import CitizenFactory, make_cpr
from tests.factories.org import make_staff

HEADER = (
    "cpr;fornavn;efternavn;postnummer;ydelse;parathed;visitationsgruppe;visitationsdato;"
    "jobformidler"
)
CPR_A = make_cpr(1)
CPR_B = make_cpr(2)


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8", sep: str = ";") -> bytes:
    text = "\r\n".join([header.replace(";", sep), *(line.replace(";", sep) for line in lines)])
    return (text + "\r\n").encode(encoding)


def row(cpr: str = CPR_A, first: str = "Anna", last: str = "Jensen", **kw: str) -> str:
    values = {
        "postnummer": "8000",
        "ydelse": "kontanthjaelp",
        "parathed": "Aktivitetsparat",
        "visitationsgruppe": "gruppe-1",
        "visitationsdato": "01-02-2025",
        "jobformidler": "jf",
    } | kw
    return ";".join([cpr, first, last, *values.values()])


@pytest.fixture
def staff(jobformidler: User, other_jobformidler: User) -> tuple[User, User]:
    return jobformidler, other_jobformidler


def errors_of(plan: ImportPlan) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in plan.errors]


def test_valid_file_creates_citizens_with_assignment_and_audit(
    unit: Unit, team: Team, staff: tuple[User, User], administrator: User
) -> None:
    data = csv_bytes(row(CPR_A), row(CPR_B, "Bo", "Hansen", visitationsdato="2025-03-04"))
    plan = import_citizens(data, unit, actor=administrator, source="borgere.csv")
    assert plan.errors == []
    assert plan.counts() == {"created": 2, "updated": 0, "unchanged": 0}
    anna = Citizen.objects.get(cpr=CPR_A)
    assert (anna.first_name, anna.team, anna.jobformidler) == ("Anna", team, staff[0])
    assert anna.benefit_type is not None and anna.readiness is not None
    assert anna.benefit_type.code == "kontanthjaelp"
    assert anna.readiness.code == "aktivitetsparat"  # matched by label
    assert anna.visitation_date == dt.date(2025, 2, 1)
    assert Citizen.objects.get(cpr=CPR_B).visitation_date == dt.date(2025, 3, 4)
    assert Assignment.objects.filter(citizen=anna, jobformidler=staff[0]).count() == 1
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.user == administrator
    assert event.changes == {"oprettet": 2, "opdateret": 0, "uændret": 0}
    assert CPR_A not in event.object_repr
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 2


def test_dot_date_format_and_labels_case_insensitive(unit: Unit, staff: object) -> None:
    data = csv_bytes(row(visitationsdato="05.06.2024", ydelse="KONTANTHJÆLP"))
    plan = import_citizens(data, unit, actor=None)
    assert plan.errors == []
    citizen = Citizen.objects.get()
    assert citizen.visitation_date == dt.date(2024, 6, 5)
    assert citizen.benefit_type is not None
    assert citizen.benefit_type.code == "kontanthjaelp"


def test_bad_cpr_reports_line_and_column_and_imports_nothing(unit: Unit, staff: object) -> None:
    data = csv_bytes(row(CPR_A), row("3102851234"), row("12345"), row("01x2031234"))
    plan = import_citizens(data, unit, actor=None)
    assert errors_of(plan) == [(3, "cpr"), (4, "cpr"), (5, "cpr")]
    assert "fødselsdato" in plan.errors[0].message
    assert all("CPR-nummeret" in e.message for e in plan.errors)
    assert Citizen.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_unknown_jobformidler(unit: Unit, staff: object) -> None:
    plan = import_citizens(csv_bytes(row(jobformidler="ukendt")), unit, actor=None)
    assert errors_of(plan) == [(2, "jobformidler")]
    assert "Ukendt brugernavn" in plan.errors[0].message
    assert Citizen.objects.count() == 0


def test_jobformidler_must_be_jobformidler_in_the_team(
    unit: Unit, team: Team, other_team: Team, staff: object
) -> None:
    header = HEADER + ";team"
    data = csv_bytes(row(jobformidler="jf_other") + ";Team A", header=header)
    plan = import_citizens(data, unit, actor=None)
    assert errors_of(plan) == [(2, "jobformidler")]
    assert "ikke jobformidler i Team A" in plan.errors[0].message
    make_staff(Role.VIRKSOMHEDSKONSULENT, team, username="vk1")
    plan = import_citizens(csv_bytes(row(jobformidler="vk1")), unit, actor=None)
    assert "er ikke jobformidler" in plan.errors[0].message


def test_team_column_places_citizen(unit: Unit, other_team: Team, staff: object) -> None:
    data = csv_bytes(row(jobformidler="") + ";team b", header=HEADER + ";team")
    plan = import_citizens(data, unit, actor=None)
    assert plan.errors == []
    citizen = Citizen.objects.get()
    assert citizen.team == other_team and citizen.jobformidler is None


def test_new_citizen_needs_team_or_jobformidler(unit: Unit, staff: object) -> None:
    plan = import_citizens(csv_bytes(row(jobformidler="")), unit, actor=None)
    assert errors_of(plan) == [(2, "jobformidler")]


def test_unknown_code_values(unit: Unit, staff: object) -> None:
    data = csv_bytes(row(ydelse="løn", parathed="klar", visitationsgruppe="gruppe-9"))
    plan = import_citizens(data, unit, actor=None)
    assert errors_of(plan) == [(2, "ydelse"), (2, "parathed"), (2, "visitationsgruppe")]
    assert "Ukendt værdi “løn”" in plan.errors[0].message


def test_retired_code_value_cannot_be_chosen(unit: Unit, staff: object) -> None:
    BenefitType.objects.filter(code="kontanthjaelp").update(valid_to=dt.date(2020, 1, 1))
    plan = import_citizens(csv_bytes(row()), unit, actor=None)
    assert errors_of(plan) == [(2, "ydelse")]
    assert "udgået" in plan.errors[0].message


def test_bad_dates_and_postal_code_and_missing_names(unit: Unit, staff: object) -> None:
    data = csv_bytes(
        row(visitationsdato="31-02-2025"),
        row(CPR_B, first="", postnummer="80000", visitationsdato="2999-01-01"),
    )
    plan = import_citizens(data, unit, actor=None)
    assert errors_of(plan) == [
        (2, "visitationsdato"),
        (3, "fornavn"),
        (3, "postnummer"),
        (3, "visitationsdato"),
    ]
    assert "dd-mm-åååå" in plan.errors[0].message


def test_duplicate_cpr_rows_are_an_error(unit: Unit, staff: object) -> None:
    dashed = f"{CPR_A[:6]}-{CPR_A[6:]}"
    plan = import_citizens(csv_bytes(row(CPR_A), row(CPR_B), row(dashed)), unit, actor=None)
    assert errors_of(plan) == [(4, "cpr")]
    assert "linje 2" in plan.errors[0].message
    assert Citizen.objects.count() == 0


def test_windows_1252_file_with_danish_letters(unit: Unit, staff: object) -> None:
    data = csv_bytes(row(first="Søren Åge", last="Æbelø"), encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    plan = import_citizens(data, unit, actor=None)
    assert plan.errors == []
    assert Citizen.objects.get().full_name == "Søren Åge Æbelø"


def test_utf8_with_bom_and_comma_separator(unit: Unit, staff: object) -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(row(first="Øjvind"), sep=",")
    assert read_csv(data).columns[0] == "cpr"
    plan = import_citizens(data, unit, actor=None)
    assert plan.errors == []
    assert Citizen.objects.get().first_name == "Øjvind"


def test_quoted_field_with_separator_and_blank_lines(unit: Unit, staff: object) -> None:
    data = csv_bytes(row(first='"Anna; Marie"'), ";;;;;;;;", row(CPR_B, first="Bo"))
    plan = import_citizens(data, unit, actor=None)
    assert plan.errors == []
    assert [r.line for r in plan.rows] == [2, 4]
    assert Citizen.objects.get(cpr=CPR_A).first_name == "Anna; Marie"


def test_header_errors(unit: Unit, staff: object) -> None:
    plan = plan_import(csv_bytes(row(), header=HEADER.replace("fornavn", "fornvan")), unit)
    assert ("fornavn", "Kolonnen mangler i overskriftslinjen.") in [
        (e.column, e.message) for e in plan.errors
    ]
    assert ("fornvan", "Ukendt kolonne.") in [(e.column, e.message) for e in plan.errors]
    assert plan_import(b"", unit).errors[0].message == "Filen er tom."


def test_reimport_updates_by_cpr_instead_of_duplicating(
    unit: Unit, team: Team, staff: tuple[User, User]
) -> None:
    second_jf = make_staff(Role.JOBFORMIDLER, team, username="jf2")
    import_citizens(csv_bytes(row(CPR_A), row(CPR_B, "Bo", "Hansen")), unit, actor=None)
    plan = import_citizens(
        csv_bytes(
            row(CPR_A, last="Jensen-Berg", jobformidler="jf2"),
            row(CPR_B, "Bo", "Hansen"),
            row(make_cpr(3), "Cai", "Larsen"),
        ),
        unit,
        actor=None,
    )
    assert plan.errors == []
    assert plan.counts() == {"created": 1, "updated": 1, "unchanged": 1}
    assert Citizen.objects.count() == 3
    anna = Citizen.objects.get(cpr=CPR_A)
    assert (anna.last_name, anna.jobformidler) == ("Jensen-Berg", second_jf)
    history = list(anna.assignments.order_by("pk").values_list("jobformidler__username", flat=True))
    assert history == ["jf", "jf2"]
    change = AuditEvent.objects.get(action=AuditAction.CHANGE)
    assert change.citizen_id == anna.pk
    assert set(change.changes) == {"last_name", "jobformidler"}


def test_existing_citizen_keeps_values_for_empty_cells(
    unit: Unit, team: Team, staff: object
) -> None:
    CitizenFactory.create(
        team=team, cpr=CPR_A, first_name="Anna", last_name="Jensen", postal_code="8000"
    )
    plan = import_citizens(
        csv_bytes(
            row(
                CPR_A,
                "",
                "",
                postnummer="",
                ydelse="",
                parathed="",
                visitationsgruppe="",
                visitationsdato="",
                jobformidler="",
            )
        ),
        unit,
        actor=None,
    )
    assert plan.errors == []
    assert plan.counts()["unchanged"] == 1


def test_dry_run_writes_nothing(unit: Unit, staff: object) -> None:
    plan = import_citizens(csv_bytes(row()), unit, actor=None, dry_run=True)
    assert plan.counts()["created"] == 1
    assert Citizen.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_command_imports_and_reports(
    unit: Unit, staff: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "borgere.csv"
    path.write_bytes(csv_bytes(row(CPR_A), row(CPR_B, "Bo")))
    call_command("import_citizens", str(path), "--dry-run")
    assert "Ville importere: 2 oprettet" in capsys.readouterr().out
    assert Citizen.objects.count() == 0
    call_command("import_citizens", str(path), "--unit", unit.name)
    assert "Importeret: 2 oprettet, 0 opdateret, 0 uændret" in capsys.readouterr().out
    assert Citizen.objects.count() == 2
    call_command("import_citizens", str(path))
    assert "0 oprettet, 0 opdateret, 2 uændret" in capsys.readouterr().out


def test_command_fails_with_row_report(
    unit: Unit, staff: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "borgere.csv"
    path.write_bytes(csv_bytes(row(CPR_A), row("9999999999")))
    with pytest.raises(CommandError, match="Intet er importeret"):
        call_command("import_citizens", str(path))
    assert "linje 3, kolonne cpr" in capsys.readouterr().err
    assert Citizen.objects.count() == 0


def test_slash_date_format_from_the_shared_reader(unit: Unit, staff: object) -> None:
    plan = import_citizens(csv_bytes(row(visitationsdato="05/06/2024")), unit, actor=None)
    assert plan.errors == []
    assert Citizen.objects.get().visitation_date == dt.date(2024, 6, 5)


def test_error_lines_count_line_breaks_inside_quoted_values(unit: Unit, staff: object) -> None:
    data = csv_bytes(row(first='"Anna\r\nMarie"'), row("12345"))
    plan = plan_import(data, unit)
    assert errors_of(plan) == [(4, "cpr")]  # the first row spans lines 2-3


def test_file_level_errors_have_no_line(unit: Unit, staff: object) -> None:
    plan = plan_import("cpr;fornavn\r\nØ;Å\r\n".encode("utf-16"), unit)
    assert [(e.line, e.column) for e in plan.errors] == [(0, "")]
    assert "Filen kan ikke læses som tekst" in plan.errors[0].message
    header_only = plan_import(csv_bytes(), unit)
    assert [(e.line, e.message) for e in header_only.errors] == [
        (0, "Filen indeholder ingen rækker.")
    ]
    duplicated = plan_import(csv_bytes(row() + ";jf", header=HEADER + ";jobformidler"), unit)
    assert errors_of(duplicated) == [(1, "jobformidler")]


def test_optional_sag_aabnet_column_sets_opened_on(
    unit: Unit, team: Team, staff: tuple[User, User]
) -> None:
    header = HEADER + ";team;sag åbnet"
    data = csv_bytes(
        row(CPR_A) + f";{team.name};15-03-2024",
        row(CPR_B, "Bo") + f";{team.name};",
        header=header,
    )
    plan = import_citizens(data, unit, actor=None)
    assert plan.errors == []
    assert Citizen.objects.get(cpr=CPR_A).opened_on == dt.date(2024, 3, 15)
    assert Citizen.objects.get(cpr=CPR_B).opened_on == dt.date(2026, 12, 2)
    bad = import_citizens(csv_bytes(row(CPR_A) + ";;01-01-2030", header=header), unit, actor=None)
    assert [(e.line, e.column) for e in bad.errors] == [(2, "sag åbnet")]
