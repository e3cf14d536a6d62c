"""The right of access: everything stored about one citizen as JSON and PDF
(cases/privacy/access.py, views.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from cases.citizens.models import Citizen, Consent
from cases.privacy.access import collected_models
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    JobGoalFactory,
    SubGoalFactory,
)
from tests.factories.org import make_staff
from tests.factories.placements import WeeklyHoursFactory, WorkAgreementFactory

CPR = "0102031234"


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    citizen = CitizenFactory.create(
        team=team, cpr=CPR, first_name="Ida", last_name="Indsigt", assigned_to=jobformidler
    )
    JobGoalFactory.create(citizen=citizen, title="Gartner")
    ConversationFactory.create(
        citizen=citizen, author=jobformidler, note="Ringede fra 010203-1234 om jobbet"
    )
    SubGoalFactory.create(citizen=citizen, title="Tage kørekort")
    FollowUpFactory.create(subject=citizen, owner=jobformidler, title="Ring til Ida")
    agreement = WorkAgreementFactory.create(placement__citizen=citizen)
    WeeklyHoursFactory.create(placement=agreement.placement)
    Consent.objects.create(citizen=citizen, given_on=dt.date(2026, 1, 1), scope="Deling")
    Consent.objects.create(
        citizen=citizen,
        given_on=dt.date(2025, 1, 1),
        scope="Gammel deling",
        withdrawn_on=dt.date(2026, 6, 1),
    )
    return citizen


def _json(client: Client, citizen: Citizen) -> dict[str, Any]:
    response = client.get(reverse("cases:citizen_access_json", args=[citizen.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_json_has_every_section_and_the_full_cpr_for_a_jobformidler(
    citizen: Citizen, jf_client: Client
) -> None:
    data = _json(jf_client, citizen)
    assert data["borger"][0]["cpr"] == "010203-1234"
    assert data["borger"][0]["last_name"] == "Indsigt"
    assert data["udtraek"]["fuldt_cpr_nummer"] is True
    assert [g["title"] for g in data["jobmaal"]] == ["Gartner"]
    assert [g["title"] for g in data["delmaal"]] == ["Tage kørekort"]
    assert "010203-1234" in data["samtaler"][0]["note"]
    assert [f["title"] for f in data["opfoelgninger"]] == ["Ring til Ida"]
    assert len(data["forloeb"]) == 1 and len(data["arbejdsaftaler"]) == 1
    assert data["timer"][0]["hours"] == "8.00"
    assert len(data["tildelinger"]) == 1
    # The citizen page the fixture did not open: the audit rows are the assignment's.
    assert all(row["action"] for row in data["adgangslog"])


def test_consent_withdrawal_is_shown(citizen: Citizen, jf_client: Client) -> None:
    consents = {c["scope"]: c for c in _json(jf_client, citizen)["samtykker"]}
    assert consents["Deling"]["status"] == "aktivt"
    assert consents["Gammel deling"]["status"] == "tilbagekaldt 01.06.2026"
    assert consents["Gammel deling"]["withdrawn_on"] == "2026-06-01"


def test_a_role_without_cpr_reveal_gets_every_cpr_masked(citizen: Citizen, team: Team) -> None:
    mentor = make_staff(Role.MENTOR, team)
    data = _json(client_for(mentor), citizen)
    text = json.dumps(data, ensure_ascii=False)
    assert "1234" not in text.replace("XXXXXX-XXXX", "")
    assert data["borger"][0]["cpr"] == "010203-XXXX"
    assert data["udtraek"]["fuldt_cpr_nummer"] is False
    assert "Ringede fra XXXXXX-XXXX" in data["samtaler"][0]["note"]


def test_the_export_is_audit_logged(citizen: Citizen, jf_client: Client) -> None:
    _json(jf_client, citizen)
    row = AuditEvent.objects.get(action=AuditAction.EXPORT, citizen_id=citizen.pk)
    assert row.changes == {"indsigt": "json", "fuldt_cpr": True}
    # The next export lists the first one among the accesses.
    data = _json(jf_client, citizen)
    assert any(r["object_repr"].startswith("Indsigt (json)") for r in data["adgangslog"])


def test_pdf(citizen: Citizen, jf_client: Client) -> None:
    response = jf_client.get(reverse("cases:citizen_access_pdf", args=[citizen.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Ida Indsigt", "010203-1234", "Gartner", "tilbagekaldt 01.06.2026"):
        assert expected in text
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, citizen_id=citizen.pk, changes__indsigt="pdf"
    ).exists()


@pytest.mark.parametrize("name", ["cases:citizen_access_json", "cases:citizen_access_pdf"])
def test_another_team_gets_404_and_nothing_is_logged(
    citizen: Citizen, other_jobformidler: User, name: str
) -> None:
    response = client_for(other_jobformidler).get(reverse(name, args=[citizen.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_citizen_page_links_to_both(citizen: Citizen, jf_client: Client) -> None:
    html = jf_client.get(citizen.get_absolute_url()).content.decode()
    assert reverse("cases:citizen_access_pdf", args=[citizen.pk]) in html
    assert reverse("cases:citizen_access_json", args=[citizen.pk]) in html


def test_every_model_about_a_citizen_is_collected() -> None:
    """A new model that points at the citizen, or at a row collected about them, must be in
    the export (or be listed here with the reason it holds nothing about the citizen)."""
    collected = collected_models()
    labels = {m._meta.label_lower for m in collected}
    missing = sorted(
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        if model not in collected
        for f in model._meta.concrete_fields
        if f.is_relation
        and f.related_model is not None
        and f.related_model._meta.label_lower in labels
        and f.related_model._meta.label_lower not in NOT_ABOUT_THE_CITIZEN
    )
    assert missing == []


# Collected models that other rows point at without saying anything about the citizen.
NOT_ABOUT_THE_CITIZEN = {"substitution.auditevent", "substitution.followup"}
