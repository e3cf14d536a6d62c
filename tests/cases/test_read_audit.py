"""Reads of personal data outside the citizen page are audit-logged (issue 15, finding 7): the
work agreement form, the citizen's placement/hours panel, and the lists (caseload and its CSV
export, Min dag, the hours grid) in a compact form: one row per page view with the ids of the
citizens shown and the list's filters, found by the audit log's citizen filter."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from cases.citizens.models import Citizen
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory, FollowUpFactory
from tests.factories.placements import PlacementFactory, WorkAgreementFactory


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 4, 15, 10, 0), tick=False):
        yield


def list_rows(repr_: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(action=AuditAction.VIEW, object_repr=repr_)


def mine(team: Team, jobformidler: User, n: int) -> list[Citizen]:
    return [CitizenFactory.create(team=team, jobformidler=jobformidler) for _ in range(n)]


def test_caseload_page_is_one_compact_row(jf_client: Client, team: Team, jobformidler: User):
    citizens = mine(team, jobformidler, 3)
    response = jf_client.get(reverse("cases:caseload"), {"status": "aktiv"})
    assert response.status_code == 200
    row = list_rows("Borgerliste").get()
    assert row.user == jobformidler and row.citizen_id is None
    assert row.changes["viste"] == sorted(c.pk for c in citizens)
    assert row.changes["filtre"]["status"] == "aktiv"
    assert not AuditEvent.objects.filter(citizen_id__in=[c.pk for c in citizens]).exists()


def test_caseload_export_names_the_exported_citizens(
    jf_client: Client, team: Team, jobformidler: User
):
    citizens = mine(team, jobformidler, 2)
    response = jf_client.get(reverse("cases:caseload_export"))
    assert response.status_code == 200
    row = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert sorted(row.changes["viste"]) == sorted(c.pk for c in citizens)
    assert row.changes["antal"] == 2


def test_min_dag_is_one_compact_row(jf_client: Client, team: Team, jobformidler: User):
    silent = mine(team, jobformidler, 2)  # no conversation: listed under "ingen kontakt"
    followed = CitizenFactory.create(team=team, jobformidler=jobformidler)
    FollowUpFactory.create(subject=followed, owner=jobformidler, due_on=dt.date(2026, 4, 14))
    assert jf_client.get(reverse("cases:my_day")).status_code == 200
    row = list_rows("Min dag").get()
    assert row.citizen_id is None
    assert {c.pk for c in silent} | {followed.pk} <= set(row.changes["viste"])
    assert row.changes["filtre"] == {"dato": "2026-04-15"}


def test_hours_grid_is_one_compact_row(jf_client: Client, team: Team, jobformidler: User):
    placements = [
        PlacementFactory.create(citizen=c, starts_on=dt.date(2026, 1, 5))
        for c in mine(team, jobformidler, 2)
    ]
    assert jf_client.get(reverse("cases:hours_grid")).status_code == 200
    row = list_rows("Timeoversigt").get()
    assert row.changes["viste"] == sorted(p.citizen_id for p in placements)
    assert row.changes["filtre"] == {"uge": "2026-W16", "alle": False, "side": 1}


def test_agreement_form_and_placement_panel_are_recorded(
    jf_client: Client, team: Team, jobformidler: User
):
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    placement = PlacementFactory.create(citizen=citizen, starts_on=dt.date(2026, 1, 5))
    agreement = WorkAgreementFactory.create(placement=placement)
    assert jf_client.get(reverse("cases:agreement_edit", args=[placement.pk])).status_code == 200
    form_read = AuditEvent.objects.get(citizen_id=citizen.pk, action=AuditAction.VIEW)
    assert form_read.object_id == str(agreement.pk) and form_read.user == jobformidler

    assert jf_client.get(reverse("cases:citizen_placements", args=[citizen.pk])).status_code == 200
    panel = AuditEvent.objects.filter(citizen_id=citizen.pk, action=AuditAction.VIEW).latest("pk")
    assert panel.object_id == str(citizen.pk)
    assert panel.object_repr.startswith("Forløb og timer for")


def test_audit_log_filter_finds_list_rows_by_citizen(
    jf_client: Client, team: Team, jobformidler: User, leder: User
):
    a = CitizenFactory.create(team=team, jobformidler=jobformidler, pk=7)
    CitizenFactory.create(team=team, jobformidler=jobformidler, pk=17)
    jf_client.get(reverse("cases:caseload"))
    jf_client.get(a.get_absolute_url())
    listed = list_rows("Borgerliste").get()
    client = client_for(leder)

    def shown_for(pk: int) -> list[AuditEvent]:
        response = client.get("/revisionslog/", {"borger": str(pk)})
        return list(response.context["page"].object_list)

    rows = shown_for(7)
    assert listed in rows and any(r.citizen_id == 7 for r in rows)
    assert listed in shown_for(17)
    assert shown_for(1) == [] and shown_for(71) == []  # whole ids only, not digits of one
