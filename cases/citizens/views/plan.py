"""The plan: end goal, sub-goals (every change kept as a revision) and progression reviews."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens import plans, reviews
from cases.citizens.forms import PlanForm, ReviewForm, SubGoalForm
from cases.citizens.models import Citizen, PlanRevision, SubGoal, SubGoalStatus
from cases.citizens.queries import visible_citizen
from cases.citizens.views.citizen import render_detail
from substitution import audit, days
from substitution.models import AuditAction
from substitution.roles import Cap, require


@require_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    plan = plans.plan_for(citizen)
    form = PlanForm(request.POST, instance=plan)
    if not form.is_valid():
        return render_detail(request, pk, plan_form=form)
    if form.has_changed():
        with transaction.atomic():
            form.save()
            plans.save_revision(plan, request.user, _("Slutmål ændret"))
            audit.record(
                request,
                AuditAction.CHANGE,
                plan,
                citizen_id=citizen.pk,
                changes=audit.form_changes(form),
            )
        messages.success(request, _("Slutmålet er gemt."))
    return redirect(f"{citizen.get_absolute_url()}#plan")


@require_POST
def sub_goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    plan = plans.plan_for(citizen)
    form = SubGoalForm(request.POST, prefix="ny", instance=SubGoal(plan=plan))
    if not form.is_valid():
        return render_detail(request, pk, sub_goal_form=form)
    with transaction.atomic():
        goal = form.save()
        plans.save_revision(plan, request.user, _("Delmål tilføjet: %s") % goal.title)
        audit.record(
            request,
            AuditAction.CREATE,
            goal,
            citizen_id=citizen.pk,
            changes=audit.form_changes(form),
        )
    messages.success(request, _("Delmålet er tilføjet."))
    return redirect(f"{citizen.get_absolute_url()}#plan")


def sub_goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    goal = get_object_or_404(
        SubGoal.objects.filter(
            plan__citizen__in=Citizen.objects.visible_to(request.user)
        ).select_related("plan__citizen"),
        pk=pk,
    )
    citizen = goal.plan.citizen
    if request.method == "GET":
        audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    form = SubGoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            with transaction.atomic():
                goal = form.save(commit=False)
                if "status" in form.changed_data:
                    goal.closed_on = (
                        None
                        if goal.status == SubGoalStatus.AABEN
                        else goal.closed_on or days.today()
                    )
                goal.save()
                plans.save_revision(goal.plan, request.user, _("Delmål ændret: %s") % goal.title)
                audit.record(
                    request,
                    AuditAction.CHANGE,
                    goal,
                    citizen_id=citizen.pk,
                    changes=audit.form_changes(form),
                )
            messages.success(request, _("Delmålet er gemt."))
        return redirect(f"{citizen.get_absolute_url()}#plan")
    return render(
        request,
        "cases/citizens/plan/sub_goal_form.html",
        {"form": form, "goal": goal, "citizen": citizen},
    )


def plan_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    citizen = visible_citizen(request, pk)
    revisions = list(PlanRevision.objects.filter(plan__citizen=citizen).select_related("by"))
    for revision in revisions:  # snapshots hold ISO dates; the page shows Danish ones
        for goal in revision.snapshot.get("sub_goals", []):
            due = goal.get("due_on")
            goal["due_date"] = dt.date.fromisoformat(due) if due else None
    audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    return render(
        request, "cases/citizens/plan/revisions.html", {"citizen": citizen, "revisions": revisions}
    )


def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a progression review of every open sub-goal at once."""
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    plan = plans.plan_for(citizen)
    open_goals = list(plan.sub_goals.filter(status=SubGoalStatus.AABEN))
    if request.method == "GET":
        audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    form = ReviewForm(request.POST or None, sub_goals=open_goals)
    if request.method == "POST" and open_goals and form.is_valid():
        saved = reviews.record(plan, request.user, form.entries())
        for review in saved:
            audit.record(
                request,
                AuditAction.CREATE,
                review,
                citizen_id=citizen.pk,
                changes={"outcome": [None, review.outcome], "note": [None, review.note]},
                object_repr=f"{review.sub_goal.title}: {review.get_outcome_display()}",
            )
        messages.success(request, _("Progressionsmålingen er gemt."))
        return redirect(f"{citizen.get_absolute_url()}#plan")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/citizens/plan/review_form.html",
        {"form": form, "citizen": citizen, "open_goals": open_goals},
        status=status,
    )
