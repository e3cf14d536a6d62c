"""Two people save the same citizen record, profile or plan: the second save, based on the
version both loaded, is refused with a Danish message; the first change stays and the second
person's input is shown again (docs/architecture.md, "Concurrent edits")."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.citizens.forms import CitizenForm, PlanForm, ProfileForm
from cases.citizens.models import Citizen, Plan
from cases.citizens.services import assign, import_citizens
from substitution.models import Role, Team, User
from tests.conftest import client_for
from tests.edit_forms import assert_refused, race
from tests.factories.cases import CitizenFactory, make_cpr
from tests.factories.org import make_staff


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    return CitizenFactory.create(team=team, assigned_to=jobformidler, phone="11111111")


@pytest.fixture
def first(team: Team) -> User:
    return make_staff(Role.JOBFORMIDLER, team, username="bo", first_name="Bo", last_name="Berg")


@pytest.fixture
def second(team: Team) -> Client:
    return client_for(make_staff(Role.JOBFORMIDLER, team, username="ea"))


def test_citizen_record(citizen: Citizen, first: User, second: Client) -> None:
    url = reverse("cases:citizen_edit", args=[citizen.pk])
    result = race(
        client_for(first),
        second,
        page=url,
        post=url,
        first_changes={"phone": "22222222"},
        second_changes={"address": "Nørregade 7"},
    )
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    assert_refused(
        result.second_html, "Borgeren", first, str(CitizenForm.base_fields["phone"].label)
    )
    assert 'value="Nørregade 7"' in result.second_html  # what the second person typed
    citizen.refresh_from_db()
    assert citizen.phone == "22222222" and citizen.address != "Nørregade 7"
    assert citizen.version == 2
    # The form shown again carries the current version: saving it again is a deliberate choice.
    assert f'name="version" value="{citizen.version}"' in result.second_html


def test_profile(citizen: Citizen, first: User, second: Client) -> None:
    page = citizen.get_absolute_url() + "?vis=profil"
    post = reverse("cases:profile_edit", args=[citizen.pk])
    result = race(
        client_for(first),
        second,
        page=page,
        post=post,
        action=post,
        first_changes={"resources": "Stabil og mødevillig"},
        second_changes={"cv_present": "on", "cv_updated_on": "02.02.2026"},
    )
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    label = str(ProfileForm.base_fields["resources"].label)
    assert_refused(result.second_html, "Borgeren", first, label)
    assert 'value="02.02.2026"' in result.second_html
    citizen.refresh_from_db()
    assert citizen.resources == "Stabil og mødevillig"
    assert citizen.cv_updated_on is None or citizen.cv_updated_on.isoformat() != "2026-02-02"


def test_plan(citizen: Citizen, first: User, second: Client) -> None:
    Plan.objects.create(citizen=citizen, end_goal="Job i detail")
    page = citizen.get_absolute_url() + "?vis=plan"
    post = reverse("cases:plan_edit", args=[citizen.pk])
    result = race(
        client_for(first),
        second,
        page=page,
        post=post,
        action=post,
        first_changes={"end_goal": "Job på lager"},
        second_changes={"end_goal": "Job i kantine"},
    )
    assert result.first.status_code == 302
    assert result.second.status_code == 409
    label = str(PlanForm.base_fields["end_goal"].label)
    assert_refused(result.second_html, "Planen", first, label)
    assert "Job i kantine" in result.second_html
    assert Plan.objects.get(citizen=citizen).end_goal == "Job på lager"


def test_a_post_without_a_version_is_checked_against_the_stored_one(
    citizen: Citizen, first: User
) -> None:
    """An old client that does not send the version is not refused (and takes a version)."""
    Plan.objects.create(citizen=citizen, end_goal="Job i detail")
    client_for(first).post(
        reverse("cases:plan_edit", args=[citizen.pk]), {"end_goal": "Job på lager"}
    )
    plan = Plan.objects.get(citizen=citizen)
    assert plan.end_goal == "Job på lager" and plan.version == 2


def test_an_import_that_changes_the_record_takes_a_version(team: Team, jobformidler: User) -> None:
    """The import writes fields of the citizen form: an edit loaded before it is stale. A
    reassignment does not (the jobformidler is not saved by the form)."""
    header = (
        "cpr;fornavn;efternavn;postnummer;ydelse;parathed;visitationsgruppe;visitationsdato;"
        "jobformidler"
    )
    cpr = make_cpr(1)
    values = "8000;kontanthjaelp;Aktivitetsparat;gruppe-1;01-02-2025"
    line = f"{cpr};Anna;Jensen;{values};{jobformidler.username}"
    data = f"{header}\r\n{line}\r\n".encode()
    plan = import_citizens(data, team.unit, actor=None)
    assert plan.errors == []
    citizen = Citizen.objects.get(cpr=cpr)
    assert citizen.version == 1
    import_citizens(data.replace(b"Jensen", b"Berg"), team.unit, actor=None)
    citizen.refresh_from_db()
    assert citizen.last_name == "Berg" and citizen.version == 2
    other = make_staff(Role.JOBFORMIDLER, team, username="jf3")
    assign(citizen, other, actor=None)
    citizen.refresh_from_db()
    assert citizen.jobformidler == other and citizen.version == 2
