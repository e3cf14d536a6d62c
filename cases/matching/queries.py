"""What the matching pages read, through ``visible_to`` (404 otherwise), and who may act on
it (``Cap.MATCHES_PROPOSE``, ``Cap.CANDIDATES_SHARE``; 403 otherwise, checked after the 404 so
nothing is revealed). The rankings themselves (candidate lists, scored in SQL) are
``cases.matching.scoring``."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from cases.citizens.models import Citizen
from cases.matching.models import MatchProposal
from companies.models import Task
from substitution.models import User
from substitution.roles import Cap, can, require


def may_propose(user: User) -> bool:
    """May ``user`` save a match as a proposal?"""
    return can(user, Cap.MATCHES_PROPOSE)


def may_share(user: User) -> bool:
    """May ``user`` share candidates' profiles with a company?"""
    return can(user, Cap.CANDIDATES_SHARE)


def visible_task(request: HttpRequest, task_pk: int) -> Task:
    """The task ``task_pk`` if the user may see it (with its company), else 404."""
    return get_object_or_404(
        Task.objects.visible_to(request.user).select_related("company", "company__industry"),
        pk=task_pk,
    )


def shareable_task(request: HttpRequest, task_pk: int) -> Task:
    """The task ``task_pk`` for sharing candidates with its company: 404 if not visible, then
    403 without ``Cap.CANDIDATES_SHARE``."""
    task = visible_task(request, task_pk)
    require(request.user, Cap.CANDIDATES_SHARE)
    return task


def visible_proposal(request: HttpRequest, pk: int) -> MatchProposal:
    """The proposal ``pk`` if the user may see its citizen, else 404."""
    return get_object_or_404(
        MatchProposal.objects.filter(
            citizen__in=Citizen.objects.visible_to(request.user)
        ).select_related("citizen", "task__company"),
        pk=pk,
    )


def open_proposals(citizen: Citizen, limit: int = 10) -> list[MatchProposal]:
    """The citizen's proposals no placement has closed yet, newest first."""
    return list(
        MatchProposal.objects.filter(citizen=citizen, closed_at__isnull=True).select_related(
            "task__company"
        )[:limit]
    )
