"""CSV import of hours: every edge case, all-or-nothing, idempotent; command and upload page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.placements.models import WeeklyHours, WeeklyHoursRevision
from cases.placements.services import import_hours
from tests.factories.cases import CitizenFactory
from tests.factories.placements import PlacementFactory, make_company

CPR = "0101901234"
CVR = "12345678"


@pytest.fixture
def placement(team):
    citizen = CitizenFactory.create(team=team, cpr=CPR)
    company = make_company(team.unit, "Kantinen ApS", cvr=CVR)
    return PlacementFactory.create(citizen=citizen, company=company, starts_on=dt.date(2026, 1, 5))


def run(text: str, unit, encoding: str = "utf-8"):
    return import_hours(text.encode(encoding), unit_id=unit.pk, actor=None)


def test_valid_file_with_semicolons_and_danish_decimals(placement, unit) -> None:
    text = (
        "cpr;cvr;uge;timer;løn;kilde\n"
        f"010190-1234;{CVR};2026-W02;7,5;1.234,50;lønseddel\n"
        f"{CPR};{CVR};2026-W03;10;;eIndkomst\n"
    )
    result = run(text, unit)
    assert result.ok, result.errors
    assert (result.created, result.corrected, result.unchanged) == (2, 0, 0)
    rows = {r.week_start: r for r in WeeklyHours.objects.all()}
    assert rows[dt.date(2026, 1, 5)].hours == D("7.5")
    assert rows[dt.date(2026, 1, 5)].wage == D("1234.50")
    assert rows[dt.date(2026, 1, 5)].source == "loenseddel"
    assert rows[dt.date(2026, 1, 12)].source == "eindkomst"


def test_commas_windows_1252_and_dato_column(placement, unit) -> None:
    text = f"CPR,CVR,Dato,Timer,Kilde\n{CPR},{CVR},08-01-2026,5,Lønseddel\n"
    result = run(text, unit, encoding="cp1252")
    assert result.ok, result.errors
    assert WeeklyHours.objects.get().week_start == dt.date(2026, 1, 5)


def test_idempotent_and_corrections_keep_history(placement, unit) -> None:
    text = f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;7,5\n"
    assert run(text, unit).created == 1
    again = run(text, unit)
    assert (again.created, again.corrected, again.unchanged) == (0, 0, 1)
    assert WeeklyHours.objects.count() == 1 and not WeeklyHoursRevision.objects.exists()
    changed = run(text.replace("7,5", "8"), unit)
    assert changed.corrected == 1
    assert WeeklyHours.objects.get().hours == D(8)
    assert WeeklyHoursRevision.objects.get().hours == D("7.5")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"0113901234;{CVR};2026-W02;5", "gyldig fødselsdato"),
        (f"12345;{CVR};2026-W02;5", "10 cifre"),
        (f"0202901234;{CVR};2026-W02;5", "Ingen borger"),
        (f"{CPR};87654321;2026-W02;5", "Ukendt CVR-nummer 87654321"),
        (f"{CPR};1234;2026-W02;5", "8 cifre"),
        (f"{CPR};{CVR};2026-W02;-1", "negative"),
        (f"{CPR};{CVR};2026-W02;80,5", "Højst 80"),
        (f"{CPR};{CVR};2025-W53;5", "2025 har ikke en uge 53"),
        (f"{CPR};{CVR};2026-W01;5", "uden for borgerens forløb"),
        (f"{CPR};{CVR};uge 2;5", "2026-W14"),
        (f"{CPR};{CVR};2026-W02;fem", "fx 7,5"),
        (f"{CPR};{CVR};2026-W02;5;xx;lønsedel", "Ukendt kilde"),
    ],
)
def test_row_errors_in_danish_and_nothing_written(placement, unit, row: str, message: str) -> None:
    text = f"cpr;cvr;uge;timer;løn;kilde\n{CPR};{CVR};2026-W03;5;;\n{row}\n"
    result = run(text, unit)
    assert not result.ok
    assert [e.line for e in result.errors] == [3]
    assert message in result.errors[0].message
    assert not WeeklyHours.objects.exists()  # the valid line 2 is not written either


def test_duplicate_rows_for_the_same_week(placement, unit) -> None:
    text = (
        "cpr;cvr;uge;dato;timer\n"
        f"{CPR};{CVR};2026-W02;;5\n"
        f"{CPR};{CVR};;2026-01-09;6\n"  # a Friday in the same week
    )
    result = run(text, unit)
    assert [(e.line, e.message) for e in result.errors] == [
        (3, "Uge 2026-W02 for samme forløb står også i linje 2.")
    ]


def test_loentilskud_and_fleksjob_rows_are_refused(team, unit) -> None:
    citizen = CitizenFactory.create(team=team, cpr=CPR)
    company = make_company(unit, cvr=CVR)
    PlacementFactory.create(citizen=citizen, company=company, type_code="loentilskud")
    other = CitizenFactory.create(team=team, cpr="0202902345")
    PlacementFactory.create(citizen=other, company=company, type_code="fleksjob")
    text = f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;5\n0202902345;{CVR};2026-W02;5\n"
    result = run(text, unit)
    assert len(result.errors) == 2
    assert all("tæller ikke som ordinære timer" in e.message for e in result.errors)


def test_missing_columns_and_empty_file(unit) -> None:
    assert "Mangler kolonne: timer, uge/dato" in run("cpr;cvr\n1;2\n", unit).errors[0].message
    assert "Ukendt kolonne: timer2" in run("cpr;cvr;uge;timer;timer2\n", unit).errors[0].message
    assert run("", unit).errors[0].message == "Filen er tom."


def test_citizen_of_another_unit_is_unknown(placement) -> None:
    from tests.factories.org import UnitFactory

    other = UnitFactory.create(name="Andet Jobcenter")
    result = import_hours(
        f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;5\n".encode(), unit_id=other.pk, actor=None
    )
    assert not result.ok


def test_command(placement, unit, tmp_path) -> None:
    good = tmp_path / "timer.csv"
    good.write_text(f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;7,5\n", encoding="utf-8")
    out = StringIO()
    call_command("import_hours", str(good), "--unit", unit.name, stdout=out)
    assert "1 nye" in out.getvalue()
    bad = tmp_path / "fejl.csv"
    bad.write_text(f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;99\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="intet er importeret"):
        call_command("import_hours", str(bad), "--unit", unit.name, stderr=err)
    assert "Linje 2: Højst 80 timer" in err.getvalue()


def test_upload_page(jf_client, placement) -> None:
    url = reverse("cases:hours_import")
    assert jf_client.get(url).status_code == 200
    bad = SimpleUploadedFile("t.csv", f"cpr;cvr;uge;timer\n{CPR};{CVR};2025-W53;5\n".encode())
    page = jf_client.post(url, {"file": bad}).content.decode()
    assert "intet er importeret" in page and "2025 har ikke en uge 53" in page
    good = SimpleUploadedFile("t.csv", f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;5\n".encode())
    page = jf_client.post(url, {"file": good}).content.decode()
    assert "1 rækker importeret: 1 nye" in page
    assert WeeklyHours.objects.count() == 1


def test_upload_page_only_reaches_visible_citizens(placement, other_jobformidler) -> None:
    from tests.conftest import client_for

    good = SimpleUploadedFile("t.csv", f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;5\n".encode())
    page = client_for(other_jobformidler).post(reverse("cases:hours_import"), {"file": good})
    assert "Ingen borger" in page.content.decode()
    assert not WeeklyHours.objects.exists()


@pytest.mark.parametrize("day", ["2026-01-08", "08-01-2026", "08.01.2026", "08/01/2026"])
def test_dato_accepts_every_import_date_format(placement, unit, day: str) -> None:
    result = run(f"cpr;cvr;dato;timer\n{CPR};{CVR};{day};5\n", unit)
    assert result.ok, result.errors
    assert WeeklyHours.objects.get().week_start == dt.date(2026, 1, 5)


def test_bad_dato_names_the_accepted_formats(placement, unit) -> None:
    result = run(f"cpr;cvr;dato;timer\n{CPR};{CVR};2026/01/08;5\n", unit)
    assert [e.line for e in result.errors] == [2]
    assert "dd-mm-åååå, dd.mm.åååå, dd/mm/åååå eller åååå-mm-dd" in result.errors[0].message


def test_error_lines_count_line_breaks_inside_quoted_values(placement, unit) -> None:
    # The blank-named last column is ignored; its quoted value spans lines 2-3.
    text = f'cpr;cvr;uge;timer;\n{CPR};{CVR};2026-W02;5;"note\nmere"\n{CPR};{CVR};2026-W03;99;\n'
    result = run(text, unit)
    assert [e.line for e in result.errors] == [4]


def test_unreadable_file_is_reported_not_raised(unit, tmp_path) -> None:
    result = import_hours(b"cpr;cvr;uge;timer\n\x81\n", unit_id=unit.pk, actor=None)
    assert [e.line for e in result.errors] == [0]
    assert "kan ikke læses som tekst" in result.errors[0].message
    path = tmp_path / "timer.csv"
    path.write_bytes(b"")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_hours", str(path), "--unit", unit.name, stderr=err)
    assert "Filen: Filen er tom." in err.getvalue()


def test_upload_page_refuses_a_file_over_the_size_limit(jf_client) -> None:
    from substitution.csv_reader import MAX_BYTES

    big = SimpleUploadedFile("t.csv", b"cpr;cvr;uge;timer\n" + b"x" * MAX_BYTES)
    page = jf_client.post(reverse("cases:hours_import"), {"file": big}).content.decode()
    assert "Filen er for stor (højst 10 MB)." in page


HOSTILE_FILES = {
    "lang-vaerdi": b"cpr;cvr;uge;timer\n" + b"x" * 131_073 + b"\n",
    "aabent-anfoerselstegn": f'cpr;cvr;uge;timer\n{CPR};{CVR};2026-W02;"5\n'.encode(),
    "binaer": bytes(range(256)) * 40,
    "binaer-uden-nul": bytes(b for b in range(1, 256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    * 40,
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_a_hostile_file_gives_a_danish_error_not_a_500(jf_client, placement, name: str) -> None:
    upload = SimpleUploadedFile("t.csv", HOSTILE_FILES[name])
    response = jf_client.post(reverse("cases:hours_import"), {"file": upload})
    assert response.status_code == 200
    assert "intet er importeret" in response.content.decode()
    assert not WeeklyHours.objects.exists()


# --- hours per pay period (måned, fra/til) ----------------------------------------------------


def test_month_column_is_one_row_from_the_first_to_the_last_day(placement, unit) -> None:
    text = f"cpr;cvr;måned;timer\n{CPR};{CVR};2026-03;30\n{CPR};{CVR};2026-02;150\n"
    result = run(text, unit)
    assert result.ok, result.errors
    rows = sorted(WeeklyHours.objects.values_list("week_start", "ends_on", "hours"))
    assert rows == [
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28), D(150)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31), D(30)),
    ]
    again = run(text, unit)
    assert (again.created, again.corrected, again.unchanged) == (0, 0, 2)


def test_fra_til_period_and_the_pro_rata_limit(placement, unit) -> None:
    text = f"cpr;cvr;fra;til;timer\n{CPR};{CVR};01-04-2026;30-04-2026;342,86\n"
    result = run(text, unit)
    assert result.ok, result.errors
    row = WeeklyHours.objects.get()
    assert (row.week_start, row.ends_on) == (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    too_many = f"cpr;cvr;fra;til;timer\n{CPR};{CVR};01-05-2026;31-05-2026;354,3\n"
    result = run(too_many, unit)
    assert [e.line for e in result.errors] == [2]
    assert "Højst 354,29 timer på 31 dage" in result.errors[0].message


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"{CPR};{CVR};;;2026-13;5", "ÅÅÅÅ-MM"),
        (f"{CPR};{CVR};01-04-2026;;;5", "både fra og til"),
        (f"{CPR};{CVR};10-04-2026;01-04-2026;;5", "før fra-datoen"),
        (f"{CPR};{CVR};01-04-2026;02-05-2026;;5", "højst være 31 dage"),
        (f"{CPR};{CVR};01-04-2026;07-04-2026;;5", "mandag til søndag"),
        (f"{CPR};{CVR};;;2025-11;5", "uden for borgerens forløb"),
    ],
)
def test_period_errors(placement, unit, row: str, message: str) -> None:
    result = run(f"cpr;cvr;fra;til;måned;timer\n{row}\n", unit)
    assert len(result.errors) == 1 and message in result.errors[0].message, result.errors
    assert not WeeklyHours.objects.exists()


def test_overlapping_periods_are_refused(placement, unit) -> None:
    # Within the file: a month and a week inside it.
    text = f"cpr;cvr;måned;uge;timer\n{CPR};{CVR};2026-03;;30\n{CPR};{CVR};;2026-W11;5\n"
    result = run(text, unit)
    assert [(e.line, "overlapper linje 2" in e.message) for e in result.errors] == [(3, True)]
    # Against stored rows: weeks of March registered, then the month.
    assert run(f"cpr;cvr;uge;timer\n{CPR};{CVR};2026-W11;5\n", unit).ok
    result = run(f"cpr;cvr;måned;timer\n{CPR};{CVR};2026-03;30\n", unit)
    assert len(result.errors) == 1
    assert "allerede er registreret for uge 2026-W11" in result.errors[0].message
    assert WeeklyHours.objects.count() == 1
