"""Reads for the dashboards: which teams a user may see, the population and period a request
asks about, targets and open action plans. Never writes.

Access (docs/roles.md): a team lead sees their teams (member or lead), a leder and an
administrator the whole jobcentre. A team the user cannot see answers 404, and a population
is only ever built from teams the user can see, so numbers of other teams never appear, not
even in a total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from reporting.dashboards.models import ActionPlan, CaseReview, CaseReviewItem, Target
from reporting.measures import BY_SLUG, Measure, Period, Population, visible_teams
from substitution import days
from substitution.models import Membership, Role, Team, User

# --- teams and populations -------------------------------------------------------------------


def led_teams_first(user: User, teams: Sequence[Team]) -> list[Team]:
    """The team lead's own teams first (the default team of the dashboard)."""
    led = set(user.led_team_ids())
    return sorted(teams, key=lambda t: (t.pk not in led, t.name, t.pk))


def parse_period(text: str | None, today: dt.date | None = None) -> Period:
    """``YYYY-MM`` (a month; the current month runs to today) or ``YYYY-MM-DD:YYYY-MM-DD``;
    empty: this month up to today, as ``manage.py measures``. Anything else is a 404."""
    today = today or days.today()
    if not text:
        return Period.month_to_date(today)
    try:
        period = Period.parse(text)
    except ValueError as exc:
        raise Http404 from exc
    if period.first <= today <= period.last and ":" not in text:
        return Period(period.first, today)
    return period


def period_param(period: Period) -> str:
    """The ``periode`` query value of ``period``: ``YYYY-MM`` for a whole month or this month
    up to today, else ``first:last``."""
    first, last = period.first, period.last
    same_month = first.day == 1 and (first.year, first.month) == (last.year, last.month)
    if same_month and last in (days.month_end(first), days.today()):
        return first.strftime("%Y-%m")
    return str(period)


@dataclass(frozen=True)
class Selection:
    """What a dashboard request asks about: a population the user may see, and a period."""

    population: Population
    period: Period
    teams: tuple[Team, ...]  # every team the user may see (for a selector)
    team: Team | None  # the one chosen team, None: all of ``teams``
    jobformidler: User | None

    def params(self, **extra: str | int | None) -> dict[str, str]:
        """The query parameters that ask for this selection again (for links)."""
        values: dict[str, str | int | None] = {
            "team": self.team.pk if self.team else None,
            "jobformidler": self.jobformidler.pk if self.jobformidler else None,
            "periode": period_param(self.period),
            "ydelse": self.population.benefit_type,
            "parathed": self.population.readiness,
            "gruppe": self.population.visitation_group,
        }
        values.update(extra)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def select(user: User, params: Mapping[str, str], default_team: bool = False) -> Selection:
    """The selection of ``params`` (``team``, ``jobformidler``, ``periode``, ``ydelse``,
    ``parathed``, ``gruppe``), restricted to what ``user`` may see: an unknown or invisible
    team or jobformidler is a 404. Without ``team``: the first team when ``default_team``,
    else every team the user may see (the whole jobcentre for a leder)."""
    teams = tuple(led_teams_first(user, visible_teams(user)))
    if not teams or user.unit_id is None:
        raise Http404
    team = None
    raw_team = params.get("team", "")
    if raw_team:
        team = next((t for t in teams if str(t.pk) == raw_team), None)
        if team is None:
            raise Http404
    elif default_team:
        team = teams[0]
    jobformidler = None
    raw_jf = params.get("jobformidler", "")
    if raw_jf:
        if not raw_jf.isdigit():
            raise Http404
        allowed = Membership.objects.filter(
            user_id=int(raw_jf), team__in=[team] if team else teams
        ).values("user_id")
        jobformidler = User.objects.filter(pk__in=allowed).first()
        if jobformidler is None:
            raise Http404
    if team is not None:
        team_ids: tuple[int, ...] = (team.pk,)
    elif user.is_unit_wide:
        team_ids = ()  # the whole jobcentre: every team is visible
    else:
        team_ids = tuple(t.pk for t in teams)
    population = Population(
        unit_id=user.unit_id,
        team_ids=team_ids,
        jobformidler_id=jobformidler.pk if jobformidler else None,
        benefit_type=params.get("ydelse") or None,
        readiness=params.get("parathed") or None,
        visitation_group=params.get("gruppe") or None,
    )
    period = parse_period(params.get("periode"))
    return Selection(population, period, teams, team, jobformidler)


def measure_or_404(slug: str) -> Measure:
    if slug not in BY_SLUG:
        raise Http404
    return BY_SLUG[slug]


def visible_team(user: User, team_id: int | str | None) -> Team | None:
    """The team ``team_id`` if the user may see it (404 if not); None for the jobcentre, which
    only unit-wide users may name."""
    if team_id in (None, ""):
        if not user.is_unit_wide:
            raise Http404
        return None
    team = next((t for t in visible_teams(user) if str(t.pk) == str(team_id)), None)
    if team is None:
        raise Http404
    return team


# --- targets and plans -----------------------------------------------------------------------


def targets_for(unit_id: int) -> list[Target]:
    """Every target of the jobcentre (one query; ``targets.applicable`` picks per month)."""
    return list(Target.objects.filter(unit_id=unit_id))


def visible_targets(user: User) -> QuerySet[Target]:
    """Targets the user may see and edit: the jobcentre's for a unit-wide user, else those of
    the user's teams and the jobcentre's own (read only for a team lead)."""
    if user.unit_id is None:
        return Target.objects.none()
    qs = Target.objects.filter(unit_id=user.unit_id).select_related("team", "updated_by")
    if user.is_unit_wide:
        return qs
    return qs.filter(Q(team__isnull=True) | Q(team_id__in=user.team_ids()))


def open_plans(
    unit_id: int, team_ids: Sequence[int] | None = None, on: dt.datetime | None = None
) -> QuerySet[ActionPlan]:
    """Action plans open at ``on`` (default now): created by then and not closed by then.
    ``team_ids`` None: every plan of the jobcentre; else the plans of those teams (the
    jobcentre's own plans, without a team, only when ``team_ids`` is None). The monthly report
    asks with ``on`` = the end of the month's last day (``days.end_of_day``)."""
    qs = ActionPlan.objects.filter(unit_id=unit_id).select_related("team", "owner")
    if team_ids is not None:
        qs = qs.filter(team_id__in=list(team_ids))
    if on is None:
        return qs.filter(closed_at__isnull=True)
    return qs.filter(created_at__lt=on).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=on))


def visible_plan(user: User, pk: int) -> ActionPlan:
    if user.unit_id is None:
        raise Http404
    plan = ActionPlan.objects.filter(pk=pk, unit_id=user.unit_id).first()
    if plan is None:
        raise Http404
    if plan.team_id is None and not user.is_unit_wide:
        raise Http404
    if plan.team_id is not None:
        visible_team(user, plan.team_id)
    return plan


# --- case reviews ----------------------------------------------------------------------------


def visible_review(user: User, pk: int) -> CaseReview:
    if user.unit_id is None:
        raise Http404
    review = (
        CaseReview.objects.filter(pk=pk, unit_id=user.unit_id)
        .select_related("team", "jobformidler", "led_by")
        .first()
    )
    if review is None:
        raise Http404
    visible_team(user, review.team_id)
    return review


def review_items(review: CaseReview) -> list[CaseReviewItem]:
    return list(
        review.items.select_related("citizen", "decided_by", "follow_up").order_by(
            "citizen__last_name", "citizen__first_name", "pk"
        )
    )


def recent_reviews(team_ids: Sequence[int], limit: int = 5) -> list[CaseReview]:
    return list(
        CaseReview.objects.filter(team_id__in=list(team_ids)).select_related(
            "jobformidler", "team"
        )[:limit]
    )


def jobformidlere_of(teams: Sequence[Team]) -> QuerySet[User]:
    """The jobformidlere of ``teams`` (the board's rows, a review's partner)."""
    members = Membership.objects.filter(team__in=list(teams), role=Role.JOBFORMIDLER)
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "first_name", "last_name", "pk"
    )
