"""The placement form offers only the chosen company's tasks, reloaded with htmx."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.placements.models import Placement
from substitution.models import Team, User
from tests.factories.cases import CitizenFactory
from tests.factories.placements import make_company, make_task, placement_type


def test_create_form_lists_no_tasks_before_a_company_is_chosen(
    jf_client: Client, team: Team
) -> None:
    citizen = CitizenFactory.create(team=team)
    make_task(make_company(team.unit, "Bageriet A/S"), "Opvask i bageriet")
    page = jf_client.get(reverse("cases:placement_create", args=[citizen.pk])).content.decode()
    assert 'id="opgave-felt"' in page
    assert "Opvask i bageriet" not in page
    assert reverse("cases:placement_task_field") in page


def test_task_field_shows_only_the_chosen_companys_tasks(jf_client: Client, team: Team) -> None:
    bakery = make_company(team.unit, "Bageriet A/S", cvr="10000025")
    garden = make_company(team.unit, "Haven ApS", cvr="10000033")
    make_task(bakery, "Opvask i bageriet")
    make_task(garden, "Græsslåning")
    response = jf_client.get(reverse("cases:placement_task_field"), {"company": bakery.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="opgave-felt">')
    assert "Opvask i bageriet" in body
    assert "Græsslåning" not in body


def test_task_of_another_company_is_refused(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team)
    bakery = make_company(team.unit, "Bageriet A/S", cvr="10000025")
    garden = make_company(team.unit, "Haven ApS", cvr="10000033")
    mowing = make_task(garden, "Græsslåning")
    response = jf_client.post(
        reverse("cases:placement_create", args=[citizen.pk]),
        {
            "company": bakery.pk,
            "task": mowing.pk,
            "type": placement_type("virksomhedspraktik").pk,
            "starts_on": timezone.localdate().strftime("%d.%m.%Y"),
            "planned_hours_per_week": "10",
        },
    )
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in response.content.decode()
    assert not Placement.objects.exists()
