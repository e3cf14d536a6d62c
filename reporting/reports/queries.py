"""Report runs a user may see (``ReportRun.objects.visible_to``), one run by id (404 for
another team's), the archive's filters, and the teams a user may ask a report about."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from reporting import measures
from reporting.reports.models import ReportRun
from substitution import days
from substitution.models import Team, User


def visible_runs(user: User) -> QuerySet[ReportRun]:
    return ReportRun.objects.visible_to(user).select_related("team", "requested_by")


def visible_run(user: User, pk: int) -> ReportRun:
    """The run, if the user may see it; else 404 (never a hint that it exists)."""
    return get_object_or_404(visible_runs(user), pk=pk)


def archive(
    user: User,
    *,
    report_type: str = "",
    status: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[ReportRun]:
    """The archive: visible runs, newest first, filtered by type, status and the day they
    were requested (Copenhagen days)."""
    runs = visible_runs(user)
    if report_type:
        runs = runs.filter(report_type=report_type)
    if status:
        runs = runs.filter(status=status)
    if since:
        runs = runs.filter(requested_at__gte=days.start_of_day(since))
    if until:
        runs = runs.filter(requested_at__lt=days.end_of_day(until))
    return runs.order_by("-requested_at", "-pk")


def teams_for(user: User) -> QuerySet[Team]:
    """The teams a user may ask a team report about (``measures.visible_teams``), as a
    queryset for the request form's choices."""
    team_ids = [team.pk for team in measures.visible_teams(user)]
    return Team.objects.filter(pk__in=team_ids).order_by("name", "pk")
