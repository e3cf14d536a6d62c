"""The citizen record: create, view, edit, CPR reveal, CV/resources/barriers, job goals and
consent. Every view of the page and every change is audit-logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens import cpr, followups, reviews, timeline
from cases.citizens.assignments import assign
from cases.citizens.forms import (
    CitizenForm,
    ConsentForm,
    ConversationForm,
    JobGoalForm,
    PlanForm,
    ProfileForm,
    SubGoalForm,
)
from cases.citizens.models import (
    Assignment,
    Citizen,
    Consent,
    JobGoal,
    Plan,
    ProgressReview,
    SubGoal,
    SubGoalStatus,
)
from cases.citizens.queries import visible_citizen
from cases.citizens.steps import step_label, with_step
from substitution import audit, days, thresholds
from substitution.models import AuditAction, Role
from substitution.roles import Cap, can, require


def citizen_create(request: HttpRequest) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    form = CitizenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            citizen = form.save()
            if form.cleaned_data.get("jobformidler"):
                assign(citizen, form.cleaned_data["jobformidler"], by=request.user)
            changes = audit.form_changes(form)
            changes.pop("cpr", None)  # the audit log never holds the full number
            audit.record(
                request, AuditAction.CREATE, citizen, citizen_id=citizen.pk, changes=changes
            )
        messages.success(request, _("Borgeren er oprettet."))
        return redirect(citizen)
    return render(request, "cases/citizens/citizen/form.html", {"form": form, "citizen": None})


def citizen_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = CitizenForm(request.POST or None, instance=citizen, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            audit.record(
                request,
                AuditAction.CHANGE,
                citizen,
                citizen_id=citizen.pk,
                changes=audit.form_changes(form),
            )
        messages.success(request, _("Borgerens stamdata er gemt."))
        return redirect(citizen)
    if request.method == "GET":  # the form shows the record: a view like the page itself
        audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    return render(request, "cases/citizens/citizen/form.html", {"form": form, "citizen": citizen})


def _timeline_context(request: HttpRequest, citizen: Citizen, today: dt.date) -> dict[str, Any]:
    """The recent timeline, or the whole of it with ?tidslinje=alle."""
    show_all = request.GET.get("tidslinje") == "alle"
    limit = timeline.LIMIT if show_all else timeline.RECENT
    entries = timeline.build(citizen, today, limit=limit)
    return {"timeline": entries[:limit], "timeline_more": len(entries) > limit and not show_all}


def citizen_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = detail_context(request, pk)
    citizen = context["citizen"]
    audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    return render(request, "cases/citizens/citizen/detail.html", context)


def detail_context(request: HttpRequest, pk: int, **forms: Any) -> dict[str, Any]:
    """Everything the citizen page shows, in a constant number of queries.

    ``forms`` replaces a section's blank form with a bound one that has errors.
    """
    today = days.today()
    citizen = get_object_or_404(
        with_step(Citizen.objects.visible_to(request.user), today).select_related(
            "team",
            "jobformidler",
            "benefit_type",
            "readiness",
            "visitation_group",
            "exit_reason",
        ),
        pk=pk,
    )
    plan = Plan.objects.filter(citizen=citizen).first()
    sub_goals: list[SubGoal] = []
    every = reviews.interval(citizen.unit_id, today)
    if plan is not None:
        sub_goals = list(
            reviews.with_last_review(plan.sub_goals.all()).prefetch_related(
                Prefetch("reviews", queryset=ProgressReview.objects.order_by("reviewed_on", "pk"))
            )
        )
        for goal in sub_goals:
            goal.next_review_on = reviews.next_due_on(goal, every)  # type: ignore[attr-defined]
            goal.review_due = (  # type: ignore[attr-defined]
                goal.status == SubGoalStatus.AABEN and goal.next_review_on <= today
            )
    can_change = can(request.user, Cap.CITIZENS_CHANGE)
    can_log = can(request.user, Cap.CONVERSATIONS_LOG)
    return {
        "citizen": citizen,
        "step": step_label(citizen.step),
        "step_number": citizen.step,
        "assignments": Assignment.objects.filter(citizen=citizen).select_related("jobformidler"),
        "job_goals": list(JobGoal.objects.filter(citizen=citizen)),
        "barriers": list(citizen.barriers.all()),
        "consents": list(Consent.objects.filter(citizen=citizen).select_related("recorded_by")),
        "plan": plan,
        "sub_goals": sub_goals,
        # Open sub-goals first; achieved and given-up ones are history, folded away.
        "open_goals": [g for g in sub_goals if g.status == SubGoalStatus.AABEN],
        "closed_goals": [g for g in sub_goals if g.status != SubGoalStatus.AABEN],
        "any_review_due": any(getattr(g, "review_due", False) for g in sub_goals),
        **_timeline_context(request, citizen, today),
        "follow_ups": followups.annotate_overdue(
            list(followups.for_citizen(citizen).open().order_by("due_on", "pk")), today
        ),
        "today": today,
        "no_contact_days": thresholds.get_int("no_contact_days", citizen.unit_id),
        "can_change": can_change,
        "can_log": can_log,
        "can_reveal": can(request.user, Cap.CPR_REVEAL),
        # A teamleder of the citizen's team may correct others' conversations
        # (see cases.conversations); the author always may.
        "corrects_any": request.user.has_role(Role.TEAMLEDER)
        and citizen.team_id in request.user.led_team_ids(),
        "log_form": forms.get("log_form") or (ConversationForm() if can_log else None),
        "log_url": "cases:conversation_create",
        "profile_form": forms.get("profile_form") or ProfileForm(instance=citizen),
        "job_goal_form": forms.get("job_goal_form") or JobGoalForm(),
        "consent_form": forms.get("consent_form") or ConsentForm(),
        "plan_form": forms.get("plan_form") or PlanForm(instance=plan or Plan(citizen=citizen)),
        "sub_goal_form": forms.get("sub_goal_form") or SubGoalForm(prefix="ny"),
    }


def render_detail(request: HttpRequest, pk: int, status: int = 400, **forms: Any) -> HttpResponse:
    """The citizen page again with a bound form showing its errors (no-JS POSTs)."""
    return render(
        request,
        "cases/citizens/citizen/detail.html",
        detail_context(request, pk, **forms),
        status=status,
    )


@require_POST
def reveal_cpr(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full CPR number once, for roles that need it; every reveal is logged."""
    require(request.user, Cap.CPR_REVEAL)
    citizen = visible_citizen(request, pk)
    audit.record(request, AuditAction.REVEAL_CPR, citizen, citizen_id=citizen.pk)
    context = {"citizen": citizen, "full_cpr": cpr.formatted(citizen.cpr), "can_reveal": True}
    if request.htmx:
        return render(request, "cases/citizens/citizen/detail.html#cpr", context)
    return render(request, "cases/citizens/citizen/cpr.html", context)


@require_POST
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = ProfileForm(request.POST, instance=citizen)
    if not form.is_valid():
        return render_detail(request, pk, profile_form=form)
    form.save()
    audit.record(
        request,
        AuditAction.CHANGE,
        citizen,
        citizen_id=citizen.pk,
        changes=audit.form_changes(form),
    )
    messages.success(request, _("CV, ressourcer og barrierer er gemt."))
    return redirect(f"{citizen.get_absolute_url()}#profil")


@require_POST
def job_goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = JobGoalForm(request.POST, instance=JobGoal(citizen=citizen))
    if not form.is_valid():
        return render_detail(request, pk, job_goal_form=form)
    goal = form.save()
    audit.record(
        request, AuditAction.CREATE, goal, citizen_id=citizen.pk, changes=audit.form_changes(form)
    )
    messages.success(request, _("Jobmålet er tilføjet."))
    return redirect(f"{citizen.get_absolute_url()}#jobmaal")


def _end_today(
    request: HttpRequest, model: type[JobGoal] | type[Consent], pk: int, field: str, done: str
) -> Any:
    """Set a dated record's end (a job goal's ended_on, a consent's withdrawn_on) to today,
    once, audit-logged; the record stays as history. Returns the record."""
    require(request.user, Cap.CITIZENS_CHANGE)
    record = get_object_or_404(
        model.objects.filter(citizen__in=Citizen.objects.visible_to(request.user)), pk=pk
    )
    if getattr(record, field) is None:
        today = days.today()
        setattr(record, field, today)
        record.save(update_fields=[field])
        audit.record(
            request,
            AuditAction.CHANGE,
            record,
            citizen_id=record.citizen_id,
            changes={field: [None, today.isoformat()]},
        )
        messages.success(request, done)
    return record


@require_POST
def job_goal_end(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _end_today(request, JobGoal, pk, "ended_on", _("Jobmålet er afsluttet."))
    return redirect(f"{goal.citizen.get_absolute_url()}#jobmaal")


@require_POST
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = ConsentForm(request.POST, instance=Consent(citizen=citizen, recorded_by=request.user))
    if not form.is_valid():
        return render_detail(request, pk, consent_form=form)
    consent = form.save()
    audit.record(
        request,
        AuditAction.CREATE,
        consent,
        citizen_id=citizen.pk,
        changes=audit.form_changes(form),
    )
    messages.success(request, _("Samtykket er registreret."))
    return redirect(f"{citizen.get_absolute_url()}#samtykke")


@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _end_today(request, Consent, pk, "withdrawn_on", _("Samtykket er tilbagekaldt."))
    return redirect(f"{consent.citizen.get_absolute_url()}#samtykke")
