"""Two people save the same company or task: the second save, based on the version both
loaded, is refused with a Danish message; the first change stays and the second person's
input is shown again (docs/architecture.md, "Concurrent edits")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cases.placements import services as placements
from companies import services
from companies.forms import CompanyForm, TaskForm
from companies.models import Company, Task, TaskStatus
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.edit_forms import assert_refused, form_data, race
from tests.factories.cases import CitizenFactory
from tests.factories.companies import CompanyFactory
from tests.factories.org import make_staff
from tests.factories.placements import PlacementFactory, make_task


@pytest.fixture
def company(konsulent: User) -> Company:
    company = CompanyFactory.create(unit=konsulent.unit, name="Kantinen ApS", notes="")
    services.start_history(company, actor=konsulent)
    return company


@pytest.fixture
def first(team: Team) -> User:
    return make_staff(
        Role.VIRKSOMHEDSKONSULENT, team, username="bo", first_name="Bo", last_name="Berg"
    )


@pytest.fixture
def second(konsulent: User) -> Client:
    return client_for(konsulent)


def test_company(company: Company, first: User, second: Client) -> None:
    url = reverse("companies:company_edit", args=[company.pk])
    result = race(
        client_for(first),
        second,
        page=url,
        post=url,
        first_changes={"name": "Kantinen og Co ApS"},
        second_changes={"notes": "Ring efter kl. 10"},
    )
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    label = str(CompanyForm.base_fields["name"].label)
    assert_refused(result.second_html, "Virksomheden", first, label)
    assert "Ring efter kl. 10" in result.second_html
    company.refresh_from_db()
    assert company.name == "Kantinen og Co ApS" and company.notes == ""


def test_task(company: Company, first: User, second: Client) -> None:
    task = make_task(company, title="Opvask", description="")
    url = reverse("companies:task_edit", args=[task.pk])
    result = race(
        client_for(first),
        second,
        page=url,
        post=url,
        first_changes={"title": "Opvask og rengøring"},
        second_changes={"description": "Maskinopvask"},
    )
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    label = str(TaskForm.base_fields["title"].label)
    assert_refused(result.second_html, "Opgaven", first, label)
    assert "Maskinopvask" in result.second_html
    task.refresh_from_db()
    assert task.title == "Opvask og rengøring" and task.description == ""


def test_a_task_filled_meanwhile_makes_an_open_edit_stale(
    company: Company, team: Team, second: Client
) -> None:
    """*besat* is set by the placements (``sync_task_statuses``), and status is a field of the
    task form: the edit loaded before is refused instead of setting the task åben again."""
    task = make_task(company, title="Opvask")
    url = reverse("companies:task_edit", args=[task.pk])
    loaded = form_data(second.get(url).content.decode())
    citizen = CitizenFactory.create(team=team)
    PlacementFactory.create(citizen=citizen, company=company, task=task)
    placements.sync_task_status(task, dt.date(2026, 3, 2))
    assert task.status == TaskStatus.BESAT
    response = second.post(url, {**loaded, "title": "Opvask og kasse"})
    assert response.status_code == 409
    status = str(TaskForm.base_fields["status"].label)
    assert (
        "Opgaven er ændret automatisk, mens du redigerede. Dine ændringer er ikke gemt; "
        f"felterne nedenfor viser hvad du skrev. Ændret siden: {status}"
    ) in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.BESAT and task.title == "Opvask"
    assert Task.objects.get(pk=task.pk).version == 2


def test_writers_outside_the_form(company: Company, konsulent: User, first: User) -> None:
    """A new fixed contact (a field of the form) takes a version; a pipeline status (not in the
    form, read fresh when the form is saved) does not."""
    services.change_status(company, "kontaktet", actor=konsulent)
    company.refresh_from_db()
    assert company.version == 1
    services.assign_fixed_contact(company, first, actor=konsulent)
    company.refresh_from_db()
    assert company.fixed_contact == first and company.version == 2
