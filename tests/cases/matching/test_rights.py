"""Who may save a match proposal (``Cap.MATCHES_PROPOSE``) and share candidates with a company
(``Cap.CANDIDATES_SHARE``): jobformidler, virksomhedskonsulent and teamleder; leder, mentor and
administrator see the rankings but are refused (403), and the buttons are not shown to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.matching.models import CandidateShare, MatchProposal
from substitution.models import Role, Team
from substitution.roles import MATRIX, Cap
from tests.cases.matching.test_matching import citizen_with, task_with
from tests.conftest import client_for
from tests.factories.org import make_staff

pytestmark = pytest.mark.django_db

ALLOWED = [Role.JOBFORMIDLER, Role.VIRKSOMHEDSKONSULENT, Role.TEAMLEDER]
REFUSED = [Role.MENTOR, Role.LEDER, Role.ADMINISTRATOR]


def test_the_matrix_says_who_proposes_and_shares() -> None:
    assert MATRIX[Cap.MATCHES_PROPOSE] == frozenset(ALLOWED)
    assert MATRIX[Cap.CANDIDATES_SHARE] == frozenset(ALLOWED)


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_saving_a_proposal(team: Team, role: Role) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit)
    client = client_for(make_staff(role, team, username=f"u-{role}"))
    response = client.post(reverse("cases:save_proposal"), {"citizen": citizen.pk, "task": task.pk})
    if role in ALLOWED:
        assert response.status_code == 200
        assert MatchProposal.objects.filter(citizen=citizen, task=task).exists()
    else:
        assert response.status_code == 403
        assert not MatchProposal.objects.exists()


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_sharing_candidates_with_a_company(team: Team, role: Role) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit)
    client = client_for(make_staff(role, team, username=f"u-{role}"))
    url = reverse("cases:candidate_overview", args=[task.pk])
    page = client.get(url)
    shared = client.post(url, {"citizen": [citizen.pk]})
    if role in ALLOWED:
        assert page.status_code == 200 and citizen.first_name in page.content.decode()
        assert shared.status_code == 200 and shared["Content-Type"] == "application/pdf"
        assert CandidateShare.objects.filter(citizen=citizen).count() == 1
    else:
        assert (page.status_code, shared.status_code) == (403, 403)
        assert citizen.first_name not in page.content.decode()
        assert not CandidateShare.objects.exists()


@pytest.mark.parametrize("role", ALLOWED + REFUSED)
def test_rankings_show_the_buttons_only_to_those_who_may_use_them(team: Team, role: Role) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit)
    client = client_for(make_staff(role, team, username=f"u-{role}"))
    matches = client.get(
        reverse("cases:citizen_matches", args=[citizen.pk]), HTTP_HX_REQUEST="true"
    )
    candidates = client.get(reverse("cases:task_candidates", args=[task.pk]))
    assert matches.status_code == candidates.status_code == 200
    save = reverse("cases:save_proposal")
    overview = reverse("cases:candidate_overview", args=[task.pk])
    allowed = role in ALLOWED
    assert (save in matches.content.decode()) is allowed
    assert (save in candidates.content.decode()) is allowed
    assert (overview in candidates.content.decode()) is allowed


def test_a_refused_role_from_another_jobcentre_still_gets_404(team: Team) -> None:
    """404 before 403: a task or citizen out of scope is not revealed by a permission error."""
    from tests.factories.org import TeamFactory, UnitFactory

    citizen = citizen_with(team)
    task = task_with(team.unit)
    stranger = make_staff(
        Role.LEDER, TeamFactory.create(unit=UnitFactory.create(name="Fremmed")), username="x"
    )
    client = client_for(stranger)
    assert client.get(reverse("cases:candidate_overview", args=[task.pk])).status_code == 404
    response = client.post(reverse("cases:save_proposal"), {"citizen": citizen.pk, "task": task.pk})
    assert response.status_code == 404
