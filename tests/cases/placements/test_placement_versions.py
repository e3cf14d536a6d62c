"""Two people save the same placement or work agreement: the second save, based on the
version both loaded, is refused with a Danish message; the first change stays and the second
person's input is shown again (docs/architecture.md, "Concurrent edits")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from cases.citizens.models import Citizen
from cases.placements import services
from cases.placements.forms import PlacementForm, WorkAgreementForm
from cases.placements.models import Placement, PlacementEndReason
from companies.models import Company
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.edit_forms import assert_refused, form_data, race
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, WorkAgreementFactory


@pytest.fixture
def placement(citizen: Citizen, company: Company) -> Placement:
    return PlacementFactory.create(citizen=citizen, company=company)


@pytest.fixture
def first(team: Team) -> User:
    return make_staff(Role.JOBFORMIDLER, team, username="bo", first_name="Bo", last_name="Berg")


@pytest.fixture
def second(team: Team) -> Client:
    return client_for(make_staff(Role.JOBFORMIDLER, team, username="ea"))


def test_placement(placement: Placement, first: User, second: Client) -> None:
    url = reverse("cases:placement_edit", args=[placement.pk])
    result = race(
        client_for(first),
        second,
        page=url,
        post=url,
        first_changes={"planned_hours_per_week": "12,5"},
        second_changes={"ends_on": "30.06.2026"},
    )
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    label = str(PlacementForm.base_fields["planned_hours_per_week"].label)
    assert_refused(result.second_html, "Forløbet", first, label)
    assert 'value="30.06.2026"' in result.second_html
    placement.refresh_from_db()
    assert placement.planned_hours_per_week == Decimal("12.5") and placement.ends_on is None


def test_work_agreement(placement: Placement, first: User, second: Client) -> None:
    WorkAgreementFactory.create(placement=placement)
    url = reverse("cases:agreement_edit", args=[placement.pk])
    result = race(
        client_for(first),
        second,
        page=url,
        post=url,
        first_changes={"tasks": "Opvask og kasse"},
        second_changes={"working_hours": "Tirsdag 9-13"},
    )
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    label = str(WorkAgreementForm.base_fields["tasks"].label)
    assert_refused(result.second_html, "Arbejdsaftalen", first, label)
    assert "Tirsdag 9-13" in result.second_html
    placement.agreement.refresh_from_db()
    assert placement.agreement.tasks == "Opvask og kasse"
    assert placement.agreement.working_hours != "Tirsdag 9-13"


def test_ending_a_placement_makes_an_open_edit_stale(
    placement: Placement, first: User, second: Client
) -> None:
    """Ending changes the end date, a field of the edit form: the edit loaded before it is
    refused instead of clearing the end date again."""
    url = reverse("cases:placement_edit", args=[placement.pk])
    page = second.get(url)
    assert page.status_code == 200
    reason = PlacementEndReason.objects.first()
    assert reason is not None
    services.end_placement(placement, ends_on=dt.date(2026, 2, 27), end_reason=reason, actor=first)
    data = {**form_data(page.content.decode()), "planned_hours_per_week": ["9"]}
    assert second.post(url, data).status_code == 409
    placement.refresh_from_db()
    assert placement.ends_on == dt.date(2026, 2, 27) and placement.version == 2


def test_the_status_refresh_leaves_the_version(placement: Placement) -> None:
    """The nightly status refresh writes only the derived status, which the form does not
    edit: an open edit form stays valid."""
    Placement.objects.filter(pk=placement.pk).update(status="planlagt")
    assert services.refresh_statuses(dt.date(2026, 3, 2)) == 1
    placement.refresh_from_db()
    assert placement.status == "aktiv" and placement.version == 1
