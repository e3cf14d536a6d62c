"""Case reviews (sagssparring): started from a list's chosen citizens with a jobformidler of
the team; a decision per citizen goes on the citizen's timeline and becomes a follow-up."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.citizens import timeline
from cases.citizens.models import Citizen
from reporting.dashboards.models import CaseReview, CaseReviewItem
from substitution.models import AuditEvent, FollowUp, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.org import make_staff

pytestmark = pytest.mark.django_db


def citizens(team: Team, jf: User, n: int) -> list[Citizen]:
    return [CitizenFactory.create(team=team, assigned_to=jf) for _ in range(n)]


def test_start_a_review_and_record_a_decision(
    team: Team, jobformidler: User, teamleder: User
) -> None:
    chosen = citizens(team, jobformidler, 2)
    client = client_for(teamleder)
    ids = [str(c.pk) for c in chosen]
    form = client.get(
        "/styring/sagssparring/ny/",
        {"team": str(team.pk), "borger": ids, "maal": "contact_cadence", "periode": "2026-12"},
    )
    assert form.status_code == 200
    body = form.content.decode()
    assert chosen[0].full_name in body and chosen[1].full_name in body
    assert f'<option value="{jobformidler.pk}" selected>' in body  # their jobformidler
    response = client.post(
        "/styring/sagssparring/ny/",
        {
            "team": team.pk,
            "borger": ids,
            "maal": "contact_cadence",
            "periode": "2026-12",
            "med": jobformidler.pk,
            "held_on": "02.12.2026",
            "start": "1",
        },
    )
    review = CaseReview.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/styring/sagssparring/{review.pk}/"
    )
    assert (review.jobformidler, review.led_by, review.measure) == (
        jobformidler,
        teamleder,
        "contact_cadence",
    )
    assert sorted(review.items.values_list("citizen_id", flat=True)) == sorted(c.pk for c in chosen)
    item = review.items.get(citizen=chosen[0])
    decided = client.post(
        f"/styring/sagssparring/punkt/{item.pk}/",
        {f"p{item.pk}-decision": "Book samtale.", f"p{item.pk}-follow_up_on": "09.12.2026"},
    )
    assert decided.status_code == 302
    item.refresh_from_db()
    assert item.decision == "Book samtale." and item.decided_by == teamleder
    follow_up = item.follow_up
    assert follow_up is not None
    assert (follow_up.owner, follow_up.due_on, follow_up.title) == (
        jobformidler,
        dt.date(2026, 12, 9),
        "Opfølgning på sagssparring",
    )
    chosen[0].refresh_from_db()
    assert chosen[0].next_follow_up_on == dt.date(2026, 12, 9)  # the maintained fact
    entries = [e for e in timeline.build(chosen[0]) if e.kind == "case_review"]
    assert [e.obj for e in entries] == [item]
    assert AuditEvent.objects.filter(citizen_id=chosen[0].pk, action="change").exists()
    page = client_for(jobformidler).get(chosen[0].get_absolute_url()).content.decode()
    assert "Book samtale." in page and "Sagssparring med" in page
    # The other citizen has no decision yet, and nothing on the timeline.
    assert not [e for e in timeline.build(chosen[1]) if e.kind == "case_review"]


def test_decision_form_refuses_in_danish(team: Team, jobformidler: User, teamleder: User) -> None:
    (citizen,) = citizens(team, jobformidler, 1)
    review = CaseReview.objects.create(
        unit=team.unit,
        team=team,
        jobformidler=jobformidler,
        led_by=teamleder,
        held_on=dt.date(2026, 12, 2),
    )
    item = CaseReviewItem.objects.create(review=review, citizen=citizen)
    response = client_for(teamleder).post(
        f"/styring/sagssparring/punkt/{item.pk}/",
        {f"p{item.pk}-decision": "Noget", f"p{item.pk}-follow_up_on": "32.12.2026"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "Skriv en gyldig dato" in body and "Noget" in body
    item.refresh_from_db()
    assert item.decided_at is None and not FollowUp.objects.exists()


def test_another_teams_citizens_and_reviews_are_404(
    team: Team,
    other_team: Team,
    jobformidler: User,
    other_jobformidler: User,
    teamleder: User,
) -> None:
    own = citizens(team, jobformidler, 1)
    foreign = citizens(other_team, other_jobformidler, 1)
    client = client_for(teamleder)
    mixed = {"team": str(team.pk), "borger": [str(own[0].pk), str(foreign[0].pk)]}
    assert client.get("/styring/sagssparring/ny/", mixed).status_code == 404
    assert (
        client.get(
            "/styring/sagssparring/ny/",
            {"team": str(other_team.pk), "borger": [str(foreign[0].pk)]},
        ).status_code
        == 404
    )
    review = CaseReview.objects.create(
        unit=other_team.unit,
        team=other_team,
        jobformidler=other_jobformidler,
        led_by=other_jobformidler,
        held_on=dt.date(2026, 12, 2),
    )
    item = CaseReviewItem.objects.create(review=review, citizen=foreign[0])
    assert client.get(f"/styring/sagssparring/{review.pk}/").status_code == 404
    response = client.post(
        f"/styring/sagssparring/punkt/{item.pk}/",
        {f"p{item.pk}-decision": "x", f"p{item.pk}-follow_up_on": "09.12.2026"},
    )
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_a_review_partner_is_a_jobformidler_of_the_team(
    team: Team, jobformidler: User, other_jobformidler: User, teamleder: User
) -> None:
    (citizen,) = citizens(team, jobformidler, 1)
    make_staff(Role.MENTOR, team, username="mentor1")
    response = client_for(teamleder).post(
        "/styring/sagssparring/ny/",
        {
            "team": team.pk,
            "borger": [citizen.pk],
            "med": other_jobformidler.pk,
            "held_on": "02.12.2026",
            "start": "1",
        },
    )
    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    assert not CaseReview.objects.exists()


def test_a_leder_reads_but_starts_no_review(team: Team, jobformidler: User, leder: User) -> None:
    (citizen,) = citizens(team, jobformidler, 1)
    client = client_for(leder)
    listing = client.get(f"/styring/tal/caseload/?team={team.pk}").content.decode()
    assert citizen.full_name in listing and "Start sagssparring" not in listing
    response = client.get(
        "/styring/sagssparring/ny/", {"team": str(team.pk), "borger": [str(citizen.pk)]}
    )
    assert response.status_code == 403
