"""What the matching pages read (cases/matching/queries.py): open proposals, and proposals and
tasks only through ``visible_to``."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpRequest
from django.test import RequestFactory

from cases.matching.models import MatchProposal
from cases.matching.queries import open_proposals, visible_proposal, visible_task
from substitution import days
from substitution.models import Role, Team, User
from tests.factories.cases import CitizenFactory
from tests.factories.companies import TaskFactory
from tests.factories.org import TeamFactory, UnitFactory, make_staff

pytestmark = pytest.mark.django_db


def _request(user: User) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_open_proposals_leave_out_closed_ones(team: Team, konsulent: User) -> None:
    citizen = CitizenFactory.create(team=team)
    task = TaskFactory.create(company__unit=team.unit)
    kept = MatchProposal.objects.create(citizen=citizen, task=task, created_by=konsulent)
    MatchProposal.objects.create(
        citizen=citizen, task=task, created_by=konsulent, closed_at=days.now()
    )
    assert open_proposals(citizen) == [kept]


def test_another_jobcentre_gets_404(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team)
    task = TaskFactory.create(company__unit=team.unit)
    proposal = MatchProposal.objects.create(citizen=citizen, task=task, created_by=jobformidler)
    assert visible_proposal(_request(jobformidler), proposal.pk) == proposal
    assert visible_task(_request(jobformidler), task.pk) == task
    other = TeamFactory.create(unit=UnitFactory.create(name="Andet jobcenter"))
    stranger = make_staff(Role.JOBFORMIDLER, other, username="fremmed_q")
    with pytest.raises(Http404):
        visible_proposal(_request(stranger), proposal.pk)
    with pytest.raises(Http404):
        visible_task(_request(stranger), task.pk)
