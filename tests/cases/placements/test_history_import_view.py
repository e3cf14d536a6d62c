"""The administrator's upload page for the import of history."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.citizens.models import CitizenStatus, VisitationPeriod
from cases.citizens.services import sync_periods
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory, make_cpr

URL = reverse("cases:history_import")

pytestmark = pytest.mark.django_db


def post(client: Any, kind: str, *lines: str, dry_run: bool = False) -> Any:
    content = ("\r\n".join(lines) + "\r\n").encode()
    data: dict[str, Any] = {
        "kind": kind,
        "fil": SimpleUploadedFile("historik.csv", content, "text/csv"),
    }
    if dry_run:
        data["kun_kontrol"] = "on"
    return client.post(URL, data)


def test_page_lists_every_kind_and_its_columns(administrator: User) -> None:
    html = client_for(administrator).get(URL).content.decode()
    for text in ("Forløb", "Ydelsesperioder", "Visitationsperioder", "Afslutninger"):
        assert text in html
    assert "timer pr. uge" in html and "afslutningsårsag" in html and "visitationsgruppe" in html


def test_only_administrators(jf_client: Any, teamleder: User) -> None:
    assert jf_client.get(URL).status_code == 403
    assert client_for(teamleder).post(URL, {}).status_code == 403


def test_upload_dry_run_then_import(administrator: User, team: Team) -> None:
    citizen = CitizenFactory.create(team=team, cpr=make_cpr(3))
    sync_periods(citizen)
    client = client_for(administrator)
    lines = ("cpr;visitationsgruppe;fra", f"{citizen.cpr};gruppe-3;01-01-2025",
             f"{citizen.cpr};gruppe-1;01-06-2025")  # fmt: skip
    response = post(client, "visitation", *lines, dry_run=True)
    assert "Filen er gyldig" in response.content.decode()
    assert VisitationPeriod.objects.filter(citizen=citizen).count() <= 1
    response = post(client, "visitation", *lines)
    html = response.content.decode()
    assert "Importen er gennemført" in html
    assert VisitationPeriod.objects.filter(citizen=citizen).count() == 2
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.user == administrator


def test_errors_are_shown_row_by_row(administrator: User, team: Team) -> None:
    citizen = CitizenFactory.create(team=team, cpr=make_cpr(4))
    response = post(
        client_for(administrator),
        "afslutninger",
        "cpr;afslutningsdato;afslutningsårsag",
        f"{citizen.cpr};01-01-2026;ukendt",
    )
    html = response.content.decode()
    assert "Intet er importeret" in html and "afslutningsårsag" in html and "ukendt" in html
    citizen.refresh_from_db()
    assert citizen.status != CitizenStatus.AFSLUTTET
