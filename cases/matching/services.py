"""The only writers of matching (docs/architecture.md): saving a match as a proposal, closing
it, and recording that candidates were shared with a company.

Each service takes the acting user and an audit context (``AuditContext.of(request)`` in a
view, ``SYSTEM`` from a command or the shell), never an ``HttpRequest``; it writes in its own
``transaction.atomic()`` and audits with ``substitution.audit.write``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from cases.citizens.models import Citizen
from cases.matching.models import CandidateShare, MatchProposal
from cases.matching.scoring import match_pair
from companies.models import Task
from substitution import days
from substitution.audit import SYSTEM, AuditContext, write
from substitution.models import AuditAction, User

# What the candidate overview shows: what the consent covers, never CPR, health or barriers.
SHARED_FIELDS = ["first_name", "job_goal", "hours_wanted", "experience"]


def save_proposal(
    citizen: Citizen, task: Task, *, actor: User, context: AuditContext = SYSTEM
) -> MatchProposal | None:
    """Save a match as a proposal, scored on the server (never from the request). None when
    the task is excluded for the citizen (a hard requirement) or not visible to ``actor``."""
    match = match_pair(citizen, task, actor)
    if match is None:
        return None
    with transaction.atomic():
        proposal = MatchProposal.objects.create(
            citizen=citizen,
            task=task,
            score=Decimal(str(match.score)),
            reasons=match.reasons_json(),
            created_by=actor,
        )
        write(
            actor,
            AuditAction.CREATE,
            proposal,
            context=context,
            citizen_id=citizen.pk,
            object_repr=f"Matchforslag: {citizen} – {task}"[:300],
            changes={"score": [None, str(proposal.score)]},
        )
    return proposal


def close_proposal(proposal: MatchProposal) -> None:
    """Close a proposal (a placement was started from it); a closed one is left alone. Audited
    with the placement that closes it."""
    if proposal.closed_at is None:
        with transaction.atomic():
            proposal.closed_at = days.now()
            proposal.save(update_fields=["closed_at"])


def share_candidates(
    task: Task,
    citizens: Sequence[Citizen],
    *,
    actor: User,
    context: AuditContext = SYSTEM,
) -> list[CandidateShare]:
    """Record that each citizen's profile (``SHARED_FIELDS``) was shared with the task's
    company: a ``CandidateShare`` (the citizen's timeline) and an audit row each."""
    shares = []
    with transaction.atomic():
        for citizen in citizens:
            share = CandidateShare.objects.create(
                citizen=citizen, task=task, shared_by=actor, fields=SHARED_FIELDS
            )
            write(
                actor,
                AuditAction.SHARE,
                share,
                context=context,
                citizen_id=citizen.pk,
                object_repr=f"{citizen.first_name} delt med {task.company}"[:300],
                changes={"fields": SHARED_FIELDS, "task": task.pk},
            )
            shares.append(share)
    return shares
