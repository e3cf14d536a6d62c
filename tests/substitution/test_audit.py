"""The audit log: who may search it, that its filters work, and that rows never change."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.test import Client, RequestFactory

from substitution.audit import record
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.conftest import client_for
from tests.factories.org import TeamFactory, UnitFactory, make_staff

URL = "/revisionslog/"


@pytest.fixture
def events(jobformidler: User, konsulent: User) -> list[AuditEvent]:
    factory = RequestFactory()

    def as_user(user: User) -> HttpRequest:
        request = factory.get("/")
        request.user = user
        return request

    return [
        record(as_user(jobformidler), AuditAction.VIEW, jobformidler, citizen_id=11,
               object_repr="Borger Anna Hansen"),
        record(as_user(jobformidler), AuditAction.REVEAL_CPR, jobformidler, citizen_id=11,
               object_repr="Borger Anna Hansen"),
        record(as_user(konsulent), AuditAction.CHANGE, konsulent, citizen_id=22,
               object_repr="Borger Bo Jensen", changes={"phone": ["1", "2"]}),
    ]  # fmt: skip


def _rows(client: Client, **query: str) -> list[AuditEvent]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("role", [Role.LEDER, Role.ADMINISTRATOR])
def test_leder_and_administrator_search(team: Team, events: list[AuditEvent], role: Role) -> None:
    client = client_for(make_staff(role, team, username=f"u_{role}"))
    view, reveal, change = events
    assert _rows(client) == [change, reveal, view]  # newest first
    assert _rows(client, bruger="vk") == [change]
    assert _rows(client, handling=AuditAction.REVEAL_CPR) == [reveal]
    assert _rows(client, borger="11") == [reveal, view]
    assert _rows(client, objekt="bo jensen") == [change]
    assert _rows(client, bruger="jf", handling=AuditAction.VIEW) == [view]
    assert _rows(client, borger="ikke-et-tal") == [change, reveal, view]


def test_search_form_keeps_the_query_and_is_danish(leder: User, events: list[AuditEvent]) -> None:
    response = client_for(leder).get(URL, {"bruger": "jf", "handling": "view"})
    html = response.content.decode()
    assert 'name="bruger" value="jf"' in html
    assert '<option value="view" selected>Visning</option>' in html
    assert "1 logpost" in html


@pytest.mark.parametrize(
    "role", [Role.JOBFORMIDLER, Role.VIRKSOMHEDSKONSULENT, Role.MENTOR, Role.TEAMLEDER]
)
def test_other_roles_are_denied(team: Team, role: Role) -> None:
    client = client_for(make_staff(role, team, username=f"u_{role}"))
    assert client.get(URL).status_code == 403


def test_leder_sees_only_own_jobcentre(leder: User, events: list[AuditEvent]) -> None:
    other_unit = UnitFactory.create(name="Jobcenter Andet")
    outsider = make_staff(Role.JOBFORMIDLER, TeamFactory.create(unit=other_unit), username="ude")
    request = RequestFactory().get("/")
    request.user = outsider
    foreign = record(request, AuditAction.VIEW, outsider, object_repr="Fremmed borger")
    rows = _rows(client_for(leder))
    assert foreign not in rows
    assert len(rows) == 3


def test_audit_rows_cannot_be_changed_through_the_orm(events: list[AuditEvent]) -> None:
    event = events[0]
    event.object_repr = "ændret"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="ændret")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "Borger Anna Hansen"
    assert AuditEvent.objects.count() == 3


@pytest.mark.postgres
def test_postgresql_trigger_rejects_update_and_delete(events: list[AuditEvent]) -> None:
    event = events[0]
    for sql in (
        "UPDATE substitution_auditevent SET object_repr = 'ændret' WHERE id = %s",
        "DELETE FROM substitution_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="insert-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).object_repr == "Borger Anna Hansen"
    # Inserting still works.
    AuditEvent.objects.create(action=AuditAction.SEARCH, object_repr="ny")
    assert AuditEvent.objects.count() == 4
