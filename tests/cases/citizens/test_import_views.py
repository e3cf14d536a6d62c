"""The CSV upload page for administrators."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.citizens.models import Citizen
from substitution.models import AuditAction, AuditEvent, User
from tests.conftest import client_for
from tests.factories.cases import make_cpr

URL = reverse("cases:import_citizens")
HEADER = "cpr;fornavn;efternavn;postnummer;ydelse;parathed;visitationsgruppe;visitationsdato;"
HEADER += "jobformidler"

pytestmark = pytest.mark.django_db


def upload(client: Any, *lines: str, dry_run: bool = False, encoding: str = "utf-8") -> Any:
    content = "\r\n".join([HEADER, *lines]).encode(encoding)
    data: dict[str, Any] = {"fil": SimpleUploadedFile("borgere.csv", content, "text/csv")}
    if dry_run:
        data["kun_kontrol"] = "on"
    return client.post(URL, data)


def line(n: int, first: str = "Anna", jf: str = "jf") -> str:
    return (
        f"{make_cpr(n)};{first};Jensen;8000;kontanthjaelp;aktivitetsparat;gruppe-1;01-02-2025;{jf}"
    )


@pytest.fixture
def admin_client(administrator: User, jobformidler: User) -> Any:
    return client_for(administrator)


def test_page_shows_form_and_columns(admin_client: Any) -> None:
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "visitationsdato" in html and "jobformidler" in html


def test_only_administrators(
    jf_client: Any, teamleder: User, leder: User, administrator: User
) -> None:
    assert jf_client.get(URL).status_code == 403
    assert client_for(teamleder).get(URL).status_code == 403
    assert client_for(leder).post(URL, {}).status_code == 403


def test_valid_upload_imports_and_reports_counts(admin_client: Any, administrator: User) -> None:
    response = upload(admin_client, line(1), line(2, "Bø"), encoding="cp1252")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Importen er gennemført." in html
    assert response.context["counts"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert Citizen.objects.count() == 2
    assert Citizen.objects.filter(first_name="Bø").exists()
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.user == administrator and event.changes["oprettet"] == 2

    response = upload(admin_client, line(1), line(2, "Bo"))
    assert response.context["counts"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert Citizen.objects.count() == 2


def test_dry_run_shows_counts_without_importing(admin_client: Any) -> None:
    response = upload(admin_client, line(1), dry_run=True)
    assert "Filen er gyldig. Intet er importeret endnu." in response.content.decode()
    assert response.context["counts"]["created"] == 1
    assert Citizen.objects.count() == 0


def test_errors_are_listed_row_by_row_and_nothing_is_imported(admin_client: Any) -> None:
    response = upload(admin_client, line(1), line(2, jf="nobody"), "0000000000;X;Y;;;;;;jf")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Intet er importeret" in html
    errors = [(e.line, e.column) for e in response.context["errors"]]
    assert errors == [(3, "jobformidler"), (4, "cpr")]
    assert "Ukendt brugernavn “nobody” i jobcentret." in html
    assert Citizen.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_missing_file_shows_danish_field_error(admin_client: Any) -> None:
    response = admin_client.post(URL, {})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()


def test_too_large_file_is_refused_before_it_is_read(admin_client: Any) -> None:
    from substitution.csv_reader import MAX_BYTES

    big = SimpleUploadedFile("borgere.csv", HEADER.encode() + b"\r\n" + b"x" * MAX_BYTES)
    response = admin_client.post(URL, {"fil": big})
    assert "Filen er for stor (højst 10 MB)." in response.content.decode()
    assert response.context["plan"] is None


HOSTILE_FILES = {
    "lang-vaerdi": (HEADER + "\r\n" + "x" * 131_073 + "\r\n").encode(),
    "aabent-anfoerselstegn": (HEADER + '\r\n"ikke lukket;x\r\n').encode(),
    "binaer": bytes(range(256)) * 40,
    "binaer-uden-nul": bytes(b for b in range(1, 256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    * 40,
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_a_hostile_file_gives_a_danish_error_not_a_500(admin_client: Any, name: str) -> None:
    upload = SimpleUploadedFile("borgere.csv", HOSTILE_FILES[name], "text/csv")
    response = admin_client.post(URL, {"fil": upload})
    assert response.status_code == 200
    assert "Intet er importeret." in response.content.decode()
    assert not Citizen.objects.exists()
