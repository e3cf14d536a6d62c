"""Administrators edit fidelity models in the admin; a version a round uses is read-only
(reporting/fidelity/admin.py), and the shipped models come from the data migration."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting.fidelity.models import Element, FidelityModel, ModelVersion
from substitution.models import Team, User
from tests.conftest import client_for
from tests.reporting.fidelity.helpers import make_round, small_model

pytestmark = pytest.mark.django_db


def test_the_data_migration_ships_the_fsm_and_trin_for_trin_models() -> None:
    shipped = FidelityModel.objects.filter(unit__isnull=True).order_by("key")
    assert [m.key for m in shipped] == ["fsm", "trin-for-trin"]
    fsm = shipped[0].latest_version()
    assert fsm is not None and fsm.elements.count() == 6
    tft = shipped[1].latest_version()
    assert tft is not None and tft.elements.count() == 5
    assert all(e.weight == 1 for e in Element.objects.filter(version__in=[fsm, tft]))


def test_a_locked_version_is_read_only_and_a_new_version_is_made_by_the_action(
    team: Team, teamleder: User, administrator: User
) -> None:
    version = small_model(unit=team.unit)
    client = client_for(administrator)
    change = reverse("admin:reporting_modelversion_change", args=[version.pk])
    assert 'name="note"' in client.get(change).content.decode()  # editable before a round
    make_round(version, [team], teamleder)
    page = client.get(change).content.decode()
    assert 'name="note"' not in page  # read-only now
    element = Element.objects.filter(version=version).first()
    assert element is not None
    post = client.post(
        reverse("admin:reporting_element_change", args=[element.pk]),
        {"position": 1, "name": "Ændret", "weight": "5"},
    )
    assert post.status_code == 403
    element.refresh_from_db()
    assert element.name == "A"

    client.post(
        reverse("admin:reporting_fidelitymodel_changelist"),
        {"action": "make_version", "_selected_action": [version.model_id]},
    )
    latest = ModelVersion.objects.filter(model_id=version.model_id).order_by("-number").first()
    assert latest is not None and latest.number == 2
    assert (
        'name="note"'
        in client.get(
            reverse("admin:reporting_modelversion_change", args=[latest.pk])
        ).content.decode()
    )


def test_a_shipped_model_is_read_only_for_a_jobcentre_administrator(administrator: User) -> None:
    fsm = FidelityModel.objects.get(unit__isnull=True, key="fsm")
    client = client_for(administrator)
    page = client.get(reverse("admin:reporting_fidelitymodel_change", args=[fsm.pk]))
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()
