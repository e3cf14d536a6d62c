"""The plan: end goal, sub-goals (every change kept as a revision) and progression reviews."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens import queries, services
from cases.citizens.forms import PlanForm, ReviewForm, SubGoalForm
from cases.citizens.models import SubGoal
from cases.citizens.queries import visible_citizen
from cases.citizens.views.citizen import render_detail, section_url
from substitution import audit
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest
from substitution.models import AuditAction
from substitution.roles import Cap, require
from substitution.versioning import StaleEdit


@require_POST
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = PlanForm(request.POST, instance=services.plan_for(citizen))
    if not form.is_valid():
        return render_detail(request, pk, plan_form=form)
    try:
        saved = services.update_plan(form, actor=request.user, context=AuditContext.of(request))
    except StaleEdit as stale:
        form.show_stale(stale)
        return render_detail(request, pk, status=409, plan_form=form)
    if saved:
        messages.success(request, _("Slutmålet er gemt."))
    return redirect(section_url(citizen, "plan"))


@require_POST
def sub_goal_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    plan = services.plan_for(citizen)
    form = SubGoalForm(request.POST, prefix="ny", instance=SubGoal(plan=plan))
    if not form.is_valid():
        return render_detail(request, pk, sub_goal_form=form)
    services.add_sub_goal(form, actor=request.user, context=AuditContext.of(request))
    messages.success(request, _("Delmålet er tilføjet."))
    return redirect(section_url(citizen, "plan"))


def sub_goal_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    goal = queries.visible_sub_goal(request.user, pk)
    citizen = goal.plan.citizen
    if request.method == "GET":
        audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    form = SubGoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        if services.update_sub_goal(form, actor=request.user, context=AuditContext.of(request)):
            messages.success(request, _("Delmålet er gemt."))
        return redirect(section_url(citizen, "plan"))
    return render(
        request,
        "cases/citizens/plan/sub_goal_form.html",
        {"form": form, "goal": goal, "citizen": citizen},
    )


def plan_revisions(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    citizen = visible_citizen(request, pk)
    revisions = queries.plan_revisions(citizen)
    for revision in revisions:  # snapshots hold ISO dates; the page shows Danish ones
        for goal in revision.snapshot.get("sub_goals", []):
            due = goal.get("due_on")
            goal["due_date"] = dt.date.fromisoformat(due) if due else None
    audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    return render(
        request, "cases/citizens/plan/revisions.html", {"citizen": citizen, "revisions": revisions}
    )


def review_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a progression review of every open sub-goal at once."""
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    # An empty plan is created on the first visit, as the citizen page expects of a plan
    # that has been worked on.
    open_goals = queries.open_sub_goals(services.plan_for(citizen))
    if request.method == "GET":
        audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    form = ReviewForm(request.POST or None, sub_goals=open_goals)
    if request.method == "POST" and open_goals and form.is_valid():
        services.record_reviews(
            form.entries(), actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Progressionsmålingen er gemt."))
        return redirect(section_url(citizen, "plan"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/citizens/plan/review_form.html",
        {"form": form, "citizen": citizen, "open_goals": open_goals},
        status=status,
    )
