"""Who sees which fidelity rounds and teams (docs/fidelity.md, docs/roles.md).

- A team lead sees the rounds of their teams (the teams they lead or are a member of) and the
  scores of those teams only; a leder or administrator the whole jobcentre's.
- Staff see only their own answer form (``responses_of``), never a score and never anyone's
  answer: the round pages need ``reports.dashboard``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from reporting import measures
from reporting.fidelity.models import FidelityModel, Response, Round
from substitution.models import Team, User
from substitution.roles import Cap, can


def visible_team_ids(user: User | AnonymousUser) -> list[int]:
    """The teams whose fidelity scores ``user`` may see: those of ``measures.visible_teams``,
    none without the dashboard right."""
    if not can(user, Cap.DASHBOARD_VIEW):
        return []
    assert isinstance(user, User)
    return [team.pk for team in measures.visible_teams(user)]


def visible_teams(user: User | AnonymousUser) -> QuerySet[Team]:
    return Team.objects.filter(pk__in=visible_team_ids(user)).order_by("name")


def rounds_visible_to(
    user: User | AnonymousUser, team_ids: list[int] | None = None
) -> QuerySet[Round]:
    """Rounds with at least one team the user may see, newest first, with their teams and
    model version loaded (one query each). ``team_ids``: ``visible_team_ids(user)`` when the
    caller has it already."""
    if team_ids is None:
        team_ids = visible_team_ids(user)
    return (
        Round.objects.filter(teams__in=team_ids)
        .distinct()
        .select_related("version__model")
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("-opened_on", "-pk")
    )


def models_for(user: User) -> QuerySet[FidelityModel]:
    """The models a round can be opened with: the shared ones and the jobcentre's own."""
    from django.db.models import Q

    return (
        FidelityModel.objects.filter(Q(unit__isnull=True) | Q(unit_id=user.unit_id))
        .filter(versions__isnull=False)
        .distinct()
    )


def responses_of(user: User) -> QuerySet[Response]:
    """The user's own answer forms (open and past rounds), newest first."""
    return (
        Response.objects.filter(user=user)
        .select_related("round", "round__version__model")
        .order_by("-round__opened_on", "-round__pk")
    )
