"""Matching's writers (cases/matching/services.py): a proposal and a candidate share, each
audited with the actor and the context, without a request."""

from __future__ import annotations

import pytest

from cases.matching import services
from cases.matching.models import CandidateShare, MatchProposal
from substitution.audit import SYSTEM, AuditContext
from substitution.models import AuditAction, AuditEvent, Team, User
from tests.factories.cases import CitizenFactory, JobGoalFactory
from tests.factories.companies import TaskFactory

pytestmark = pytest.mark.django_db


def test_save_proposal_without_a_request(team: Team, konsulent: User) -> None:
    citizen = CitizenFactory.create(team=team)
    JobGoalFactory.create(citizen=citizen, title="Opvasker")
    task = TaskFactory.create(company__unit=team.unit, title="Opvasker")
    proposal = services.save_proposal(citizen, task, actor=konsulent, context=SYSTEM)
    assert proposal is not None and proposal.created_by == konsulent
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert (event.user, event.ip_address, event.citizen_id) == (konsulent, None, citizen.pk)
    assert event.changes == {"score": [None, str(proposal.score)]}


def test_close_proposal_once(team: Team, konsulent: User) -> None:
    citizen = CitizenFactory.create(team=team)
    task = TaskFactory.create(company__unit=team.unit)
    proposal = MatchProposal.objects.create(citizen=citizen, task=task, created_by=konsulent)
    services.close_proposal(proposal)
    closed_at = proposal.closed_at
    assert closed_at is not None
    services.close_proposal(proposal)
    proposal.refresh_from_db()
    assert proposal.closed_at == closed_at


def test_share_candidates_records_and_audits_each(team: Team, konsulent: User) -> None:
    citizens = [CitizenFactory.create(team=team) for _ in range(2)]
    task = TaskFactory.create(company__unit=team.unit)
    shares = services.share_candidates(
        task, citizens, actor=konsulent, context=AuditContext(ip_address="10.0.0.9")
    )
    assert [s.citizen for s in shares] == citizens
    assert CandidateShare.objects.filter(fields=services.SHARED_FIELDS).count() == 2
    events = AuditEvent.objects.filter(action=AuditAction.SHARE)
    assert {e.citizen_id for e in events} == {c.pk for c in citizens}
    assert {e.ip_address for e in events} == {"10.0.0.9"}
