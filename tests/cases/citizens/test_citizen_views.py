"""The citizen record: create/edit with Danish validation, CPR masking and audited reveal,
job goals, consent, CV; access through visible_to (404 for another team)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cases.citizens.assignments import assign
from cases.citizens.models import Assignment, Citizen, CitizenStatus, ExitReason, JobGoal
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory, ConversationFactory, JobGoalFactory
from tests.factories.org import make_staff


@pytest.fixture
def citizen(team: Team, jobformidler: User) -> Citizen:
    return CitizenFactory.create(
        team=team, cpr="2110625629", first_name="Anna", last_name="Jensen", assigned_to=jobformidler
    )


def create_data(team: Team, **extra: Any) -> dict[str, Any]:
    return {
        "cpr": "150312-4002",
        "first_name": "Bo",
        "last_name": "Hansen",
        "postal_code": "8000",
        "team": team.pk,
        "status": "aktiv",
        **extra,
    }


def test_create_citizen_assigns_jobformidler_and_audits(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    response = jf_client.post(
        reverse("cases:citizen_create"), create_data(team, jobformidler=jobformidler.pk)
    )
    citizen = Citizen.objects.get(cpr="1503124002")
    assert response.status_code == 302
    assert response["Location"] == citizen.get_absolute_url()
    assert citizen.unit == team.unit and citizen.jobformidler == jobformidler
    assert Assignment.objects.filter(citizen=citizen, ended_on__isnull=True).count() == 1
    event = AuditEvent.objects.get(action=AuditAction.CREATE, citizen_id=citizen.pk)
    assert "first_name" in event.changes and "cpr" not in event.changes


def test_create_rejects_invalid_cpr_in_danish_and_keeps_input(
    jf_client: Client, team: Team
) -> None:
    response = jf_client.post(reverse("cases:citizen_create"), create_data(team, cpr="310205-1234"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "gyldig fødselsdato" in html
    assert 'value="310205-1234"' in html and 'value="Hansen"' in html
    assert not Citizen.objects.exists()


def test_cpr_unique_within_jobcentre(jf_client: Client, team: Team, citizen: Citizen) -> None:
    response = jf_client.post(reverse("cases:citizen_create"), create_data(team, cpr="211062-5629"))
    assert "findes allerede en borger med dette CPR-nummer" in response.content.decode()
    assert Citizen.objects.count() == 1


def test_team_must_be_one_of_the_users_teams(jf_client: Client, other_team: Team) -> None:
    response = jf_client.post(reverse("cases:citizen_create"), create_data(other_team))
    assert response.status_code == 200
    assert not Citizen.objects.exists()


def test_afsluttet_requires_exit_reason_and_date(jf_client: Client, citizen: Citizen) -> None:
    url = reverse("cases:citizen_edit", args=[citizen.pk])
    data = {
        "first_name": "Anna",
        "last_name": "Jensen",
        "postal_code": citizen.postal_code,
        "benefit_type": citizen.benefit_type_id,
        "team": citizen.team_id,
        "status": "afsluttet",
    }
    html = jf_client.post(url, data).content.decode()
    assert "Angiv en afslutningsårsag." in html and "Angiv en afslutningsdato." in html
    reason = ExitReason.objects.get(code="ordinaert-job")
    response = jf_client.post(url, {**data, "exit_reason": reason.pk, "exit_date": "01.03.2025"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.status == CitizenStatus.AFSLUTTET and citizen.exit_reason == reason
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, citizen_id=citizen.pk)
    assert set(event.changes) == {"status", "exit_reason", "exit_date"}


def test_exit_reason_only_when_afsluttet(jf_client: Client, citizen: Citizen) -> None:
    reason = ExitReason.objects.get(code="ordinaert-job")
    html = jf_client.post(
        reverse("cases:citizen_edit", args=[citizen.pk]),
        {
            "first_name": "Anna",
            "last_name": "Jensen",
            "team": citizen.team_id,
            "status": "aktiv",
            "exit_reason": reason.pk,
        },
    ).content.decode()
    assert "kun når status er afsluttet" in html


def test_detail_shows_masked_cpr_step_and_history_and_is_audited(
    jf_client: Client, citizen: Citizen
) -> None:
    JobGoalFactory.create(citizen=citizen, title="Lager")
    response = jf_client.get(citizen.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "211062-XXXX" in html and "2110625629" not in html and "211062-5629" not in html
    assert "Trin 2" in html and "Hvem har haft sagen" in html and "Lager" in html
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, citizen_id=citizen.pk).count() == 1


def test_reveal_cpr_is_post_only_audited_and_role_limited(
    jf_client: Client, team: Team, citizen: Citizen
) -> None:
    url = reverse("cases:reveal_cpr", args=[citizen.pk])
    assert jf_client.get(url).status_code == 405
    response = jf_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "211062-5629" in response.content.decode()
    assert (
        AuditEvent.objects.filter(action=AuditAction.REVEAL_CPR, citizen_id=citizen.pk).count() == 1
    )
    for role in (Role.MENTOR, Role.VIRKSOMHEDSKONSULENT):
        user = make_staff(role, team, username=f"u-{role}")
        client = client_for(user)
        assert client.post(url).status_code == 403
        assert "Vis CPR" not in client.get(citizen.get_absolute_url()).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.REVEAL_CPR).count() == 1


def test_job_goal_add_and_end_keep_history(jf_client: Client, citizen: Citizen) -> None:
    response = jf_client.post(
        reverse("cases:job_goal_add", args=[citizen.pk]),
        {"title": "Kantine", "hours_per_week": "7,5", "own_wish": "on"},
    )
    assert response.status_code == 302
    goal = JobGoal.objects.get(citizen=citizen)
    assert str(goal.hours_per_week) == "7.5" and goal.own_wish
    jf_client.post(reverse("cases:job_goal_end", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.ended_on is not None
    assert JobGoal.objects.filter(citizen=citizen).count() == 1


def test_consent_given_and_withdrawn(jf_client: Client, citizen: Citizen) -> None:
    jf_client.post(
        reverse("cases:consent_add", args=[citizen.pk]),
        {"given_on": "01.02.2025", "scope": "CV og jobmål til Lager ApS"},
    )
    consent = citizen.consents.get()
    assert consent.scope.startswith("CV") and consent.withdrawn_on is None
    jf_client.post(reverse("cases:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_invalid_consent_date_shows_danish_error_on_page(
    jf_client: Client, citizen: Citizen
) -> None:
    response = jf_client.post(
        reverse("cases:consent_add", args=[citizen.pk]), {"given_on": "31.02.2025", "scope": "x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Skriv en gyldig dato" in html and 'value="31.02.2025"' in html


def test_profile_cv_and_barriers(jf_client: Client, citizen: Citizen) -> None:
    from cases.citizens.models import Barrier

    barrier = Barrier.objects.get(code="transport")
    response = jf_client.post(
        reverse("cases:profile_edit", args=[citizen.pk]),
        {
            "cv_present": "on",
            "cv_updated_on": "01.02.2025",
            "resources": "Mødestabil",
            "barriers": [barrier.pk],
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.cv_present and list(citizen.barriers.all()) == [barrier]


def test_another_teams_jobformidler_gets_404_on_every_citizen_url(
    citizen: Citizen, other_jobformidler: User
) -> None:
    client = client_for(other_jobformidler)
    goal = JobGoalFactory.create(citizen=citizen)
    consent = citizen.consents.create(given_on="2025-01-01", scope="x")
    pk = citizen.pk
    gets = [
        reverse("cases:citizen_detail", args=[pk]),
        reverse("cases:citizen_edit", args=[pk]),
        reverse("cases:plan_revisions", args=[pk]),
        reverse("cases:review_create", args=[pk]),
    ]
    posts = [
        reverse("cases:reveal_cpr", args=[pk]),
        reverse("cases:profile_edit", args=[pk]),
        reverse("cases:job_goal_add", args=[pk]),
        reverse("cases:job_goal_end", args=[goal.pk]),
        reverse("cases:consent_add", args=[pk]),
        reverse("cases:consent_withdraw", args=[consent.pk]),
        reverse("cases:plan_edit", args=[pk]),
        reverse("cases:sub_goal_add", args=[pk]),
        reverse("cases:conversation_create", args=[pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"title": "x"}).status_code == 404, url
    assert not AuditEvent.objects.filter(citizen_id=pk, user=other_jobformidler).exists()


def test_timeline_shows_recent_entries_and_links_to_the_whole(
    jf_client: Client, jobformidler: User
) -> None:
    from cases.citizens import timeline

    citizen = CitizenFactory.create(team=jobformidler.memberships.get().team)
    assign(citizen, jobformidler)
    ConversationFactory.create_batch(timeline.RECENT + 5, citizen=citizen, author=jobformidler)
    page = jf_client.get(citizen.get_absolute_url() + "?vis=tidslinje").content.decode()
    assert page.count('class="conversation"') == timeline.RECENT
    assert "Vis hele tidslinjen" in page
    whole = jf_client.get(citizen.get_absolute_url() + "?tidslinje=alle").content.decode()
    assert whole.count('class="conversation"') == timeline.RECENT + 5
    assert "Vis hele tidslinjen" not in whole


def _rich(citizen: Citizen, author: User, n: int) -> None:
    """n of everything the citizen page lists: conversations with follow-ups, job goals,
    sub-goals with reviews, consents and barriers."""
    from cases.citizens.models import Barrier, ProgressReview, ReviewOutcome
    from tests.factories.cases import FollowUpFactory, SubGoalFactory

    for i in range(n):
        ConversationFactory.create(citizen=citizen, author=author, next_step=f"Skridt {i}")
        FollowUpFactory.create(subject=citizen, owner=author)
        JobGoalFactory.create(citizen=citizen)
        goal = SubGoalFactory.create(citizen=citizen, title=f"Delmål {i}")
        ProgressReview.objects.create(
            sub_goal=goal, reviewed_on="2026-11-01", by=author, outcome=ReviewOutcome.BEVAEGER
        )
    citizen.barriers.set(Barrier.objects.all()[:n])


def test_citizen_page_queries_do_not_grow_with_the_record(
    team: Team, jobformidler: User, django_assert_max_num_queries: Any
) -> None:
    """Issue 13: the page's query count is constant (a few rows vs. many of each kind), at
    most 15 (33 before the plan, the timeline, the profile and the consents became sections
    that load on demand; 17 before the user's roles and teams became one query and the
    quick-log's channels one read), 8 of them the framework's (session read and save, user,
    memberships, savepoints)."""
    client = client_for(jobformidler)
    few = CitizenFactory.create(team=team, assigned_to=jobformidler)
    many = CitizenFactory.create(team=team, assigned_to=jobformidler)
    _rich(few, jobformidler, 1)
    _rich(many, jobformidler, 12)
    client.get(reverse("cases:citizen_detail", args=[few.pk]))  # warm caches
    with django_assert_max_num_queries(15) as small:
        assert client.get(reverse("cases:citizen_detail", args=[few.pk])).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("cases:citizen_detail", args=[many.pk])).status_code == 200


@pytest.mark.parametrize("name", ["plan", "tidslinje", "profil", "samtykke"])
def test_each_section_loads_on_its_own_in_constant_queries_and_is_audited(
    team: Team, jobformidler: User, name: str, django_assert_max_num_queries: Any
) -> None:
    """Issue 14: the sections load on demand (htmx), each at its own address, a read of
    personal data like the page; the first answer holds a placeholder with a link that
    shows the section in place without JavaScript."""
    client = client_for(jobformidler)
    few = CitizenFactory.create(team=team, assigned_to=jobformidler)
    many = CitizenFactory.create(team=team, assigned_to=jobformidler)
    _rich(few, jobformidler, 1)
    _rich(many, jobformidler, 12)
    page = client.get(reverse("cases:citizen_detail", args=[few.pk])).content.decode()
    url = reverse("cases:citizen_section", args=[few.pk, name])
    assert f'hx-get="{url}"' in page and f'href="?vis={name}#{name}"' in page
    with django_assert_max_num_queries(20) as small:
        response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and f'id="{name}"' in html
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, citizen_id=few.pk, object_repr__endswith=f": {name}"
    ).exists()
    many_url = reverse("cases:citizen_section", args=[many.pk, name])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(many_url, HTTP_HX_REQUEST="true").status_code == 200
    # ?vis= renders it in place, and no placeholder is left for it.
    shown = client.get(reverse("cases:citizen_detail", args=[few.pk]) + f"?vis={name}")
    assert f'class="card lazy-section" id="{name}"' not in shown.content.decode()
    assert f'class="card lazy-section" id="{name}"' in page


def test_sections_answer_404_to_another_team_and_for_unknown_names(
    team: Team, jobformidler: User, other_jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler)
    other = client_for(other_jobformidler)
    assert other.get(reverse("cases:citizen_section", args=[citizen.pk, "plan"])).status_code == 404
    own = client_for(jobformidler)
    assert own.get(reverse("cases:citizen_section", args=[citizen.pk, "cpr"])).status_code == 404


def test_the_timeline_filters_by_kind(team: Team, jobformidler: User) -> None:
    """Issue 14: a filter on the timeline (conversations, plan, follow-ups, placements …), as
    an htmx swap of the section and as a plain link."""
    from substitution.models import FollowUp

    citizen = CitizenFactory.create(team=team, assigned_to=jobformidler)
    ConversationFactory.create(citizen=citizen, author=jobformidler, note="Talte om lager")
    FollowUp.objects.create(
        owner=jobformidler, due_on="2026-12-09", title="Ring til Lager ApS", subject=citizen
    )
    client = client_for(jobformidler)
    url = reverse("cases:citizen_section", args=[citizen.pk, "tidslinje"])
    everything = client.get(url).content.decode()
    assert "Talte om lager" in everything and "Ring til Lager ApS" in everything
    talks = client.get(url + "?type=samtaler", HTTP_HX_REQUEST="true").content.decode()
    assert "Talte om lager" in talks and "Ring til Lager ApS" not in talks
    assert 'aria-current="true">Samtaler<' in talks
    follow_ups = client.get(url + "?type=opfoelgninger").content.decode()
    assert "Talte om lager" not in follow_ups and "Ring til Lager ApS" in follow_ups
    page = client.get(citizen.get_absolute_url() + "?vis=tidslinje&type=opfoelgninger")
    assert "Talte om lager" not in page.content.decode()
    # An unknown choice shows everything.
    assert "Talte om lager" in client.get(url + "?type=alt").content.decode()
