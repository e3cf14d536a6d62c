"""The citizen record: create, view, edit, CPR reveal, CV/resources/barriers, job goals and
consent. Every view of the page is audit-logged here; every change by its service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.citizens import conversations, cpr, followups, queries, reviews, services, timeline
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
    SubGoal,
    SubGoalStatus,
)
from cases.citizens.queries import visible_citizen
from cases.citizens.steps import step_label
from cases.citizens.views import timeline_rows
from substitution import audit, days
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest, announce
from substitution.models import AuditAction
from substitution.roles import Cap, can, require
from substitution.versioning import StaleEdit


def citizen_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    form = CitizenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        citizen = services.create_citizen(
            form, actor=request.user, context=AuditContext.of(request)
        )
        messages.success(request, _("Borgeren er oprettet."))
        return redirect(citizen)
    return render(request, "cases/citizens/citizen/form.html", {"form": form, "citizen": None})


def citizen_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = CitizenForm(request.POST or None, instance=citizen, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_citizen(form, actor=request.user, context=AuditContext.of(request))
        except StaleEdit as stale:  # saved by someone else meanwhile: show the form again
            form.show_stale(stale)
            status = 409
        else:
            messages.success(request, _("Borgerens stamdata er gemt."))
            return redirect(citizen)
    if request.method == "GET":  # the form shows the record: a view like the page itself
        audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    return render(
        request,
        "cases/citizens/citizen/form.html",
        {"form": form, "citizen": citizen},
        status=status,
    )


# The timeline filter's choices (timeline.GROUPS), as the page names them.
TIMELINE_GROUPS = [
    ("", gettext_lazy("Alt")),
    ("samtaler", gettext_lazy("Samtaler")),
    ("plan", gettext_lazy("Plan og progression")),
    ("opfoelgninger", gettext_lazy("Opfølgninger")),
    ("forloeb", gettext_lazy("Forløb og timer")),
    ("virksomheder", gettext_lazy("Deling med virksomheder")),
    ("sagssparring", gettext_lazy("Sagssparring")),
]


def _timeline_context(
    request: AuthenticatedHttpRequest, citizen: Citizen, today: dt.date
) -> dict[str, Any]:
    """The recent timeline, or the whole of it with ?tidslinje=alle, and which of its
    conversations the user may correct."""
    show_all = request.GET.get("tidslinje") == "alle"
    limit = timeline.LIMIT if show_all else timeline.RECENT
    group = request.GET.get("type", "")
    group = group if group in timeline.GROUPS else ""
    entries = timeline.build(citizen, today, limit=limit, group=group)
    may_correct = conversations.corrector(request.user, citizen)
    shown = entries[:limit]
    correctable = {e.obj.pk for e in shown if e.kind == "conversation" and may_correct(e.obj)}
    return {
        "timeline_group": group,
        "timeline_groups": TIMELINE_GROUPS,
        "timeline": shown,
        "timeline_rows": timeline_rows.rows_html(shown, correctable),
        "timeline_more": len(entries) > limit and not show_all,
    }


# Sections of the citizen page that load on demand (htmx), so the page's first answer holds
# the key facts and the actions (job goals, quick-log, follow-ups) and costs a few queries.
# Each has its own address (``cases:citizen_section``) and renders in place when asked for
# with ``?vis=<name>`` (the link in the placeholder, for a browser without JavaScript, and the
# redirect after a save) or when its form comes back with errors.
SECTIONS: dict[str, tuple[str, ...]] = {
    "plan": ("plan_form", "sub_goal_form"),
    "tidslinje": (),
    "profil": ("profile_form",),
    "samtykke": ("consent_form",),
}


def section_url(citizen: Citizen, name: str) -> str:
    """The citizen page with ``name`` rendered in place, scrolled to it."""
    return f"{citizen.get_absolute_url()}?vis={name}#{name}"


def citizen_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    context = detail_context(request, pk)
    citizen = context["citizen"]
    audit.record(request, AuditAction.VIEW, citizen, citizen_id=citizen.pk)
    return render(request, "cases/citizens/citizen/detail.html", context)


def citizen_section(request: AuthenticatedHttpRequest, pk: int, name: str) -> HttpResponse:
    """One section of the citizen page (htmx, or linked on its own); a read: audit-logged."""
    if name not in SECTIONS:
        raise Http404
    citizen = visible_citizen(request, pk)
    context = {
        "citizen": citizen,
        "today": days.today(),
        "can_change": can(request.user, Cap.CITIZENS_CHANGE),
        **section_context(request, citizen, name, {}),
    }
    audit.record(
        request,
        AuditAction.VIEW,
        citizen,
        citizen_id=citizen.pk,
        object_repr=f"{citizen.full_name}: {name}",
    )
    return render(request, f"cases/citizens/citizen/detail.html#{name}", context)


def detail_context(
    request: AuthenticatedHttpRequest, pk: int, *, sections: tuple[str, ...] = (), **forms: Any
) -> dict[str, Any]:
    """Everything the citizen page's first answer shows, in a constant number of queries:
    the key facts and actions, plus the ``SECTIONS`` asked for (``sections``, ``?vis=``, or a
    section whose form in ``forms`` has errors); the others are placeholders that load.

    ``forms`` replaces a section's blank form with a bound one that has errors.
    """
    today = days.today()
    citizen = queries.citizen_for_page(request.user, pk)
    step = citizen.current_step  # today's: the maintained column (cases.citizens.facts)
    can_change = can(request.user, Cap.CITIZENS_CHANGE)
    can_log = can(request.user, Cap.CONVERSATIONS_LOG)
    eager = {name for name in request.GET.getlist("vis") if name in SECTIONS}
    eager |= {name for name in sections if name in SECTIONS}
    eager |= {name for name, names in SECTIONS.items() if any(n in forms for n in names)}
    if request.GET.get("tidslinje") == "alle":
        eager.add("tidslinje")
    context: dict[str, Any] = {
        "citizen": citizen,
        "step": step_label(step),
        "step_number": step,
        "assignments": Assignment.objects.filter(citizen=citizen).select_related("jobformidler"),
        "job_goals": list(JobGoal.objects.filter(citizen=citizen)),
        "follow_ups": followups.annotate_overdue(
            list(queries.follow_ups_of(citizen).open().order_by("due_on", "pk")), today
        ),
        "today": today,
        "can_change": can_change,
        "can_log": can_log,
        "can_reveal": can(request.user, Cap.CPR_REVEAL),
        "log_form": forms.get("log_form") or (ConversationForm() if can_log else None),
        "log_url": "cases:conversation_create",
        "job_goal_form": forms.get("job_goal_form") or JobGoalForm(),
        "eager": eager,
    }
    for name in sorted(eager):
        context.update(section_context(request, citizen, name, forms))
    return context


def section_context(
    request: AuthenticatedHttpRequest, citizen: Citizen, name: str, forms: dict[str, Any]
) -> dict[str, Any]:
    """What one section of the citizen page shows."""
    today = days.today()
    if name == "tidslinje":
        return _timeline_context(request, citizen, today)
    if name == "profil":
        return {
            "barriers": list(citizen.barriers.all()),
            "profile_form": forms.get("profile_form") or ProfileForm(instance=citizen),
        }
    if name == "samtykke":
        consents = Consent.objects.filter(citizen=citizen).select_related("recorded_by")
        return {
            "consents": list(consents),
            "consent_form": forms.get("consent_form") or ConsentForm(),
        }
    plan = queries.plan_of(citizen)
    sub_goals: list[SubGoal] = []
    every = reviews.interval(citizen.unit_id, today)
    if plan is not None:
        sub_goals = queries.sub_goals_for_page(plan)
        for goal in sub_goals:
            next_review_on = reviews.next_due_on(goal, every)
            goal.next_review_on = next_review_on  # type: ignore[attr-defined]
            goal.review_due = (  # type: ignore[attr-defined]
                goal.status == SubGoalStatus.AABEN and next_review_on <= today
            )
    return {
        "plan": plan,
        "sub_goals": sub_goals,
        # Open sub-goals first; achieved and given-up ones are history, folded away.
        "open_goals": [g for g in sub_goals if g.status == SubGoalStatus.AABEN],
        "closed_goals": [g for g in sub_goals if g.status != SubGoalStatus.AABEN],
        "any_review_due": any(getattr(g, "review_due", False) for g in sub_goals),
        "plan_form": forms.get("plan_form") or PlanForm(instance=plan or Plan(citizen=citizen)),
        "sub_goal_form": forms.get("sub_goal_form") or SubGoalForm(prefix="ny"),
    }


def render_detail(
    request: AuthenticatedHttpRequest, pk: int, status: int = 400, **forms: Any
) -> HttpResponse:
    """The citizen page again with a bound form showing its errors (no-JS POSTs)."""
    return render(
        request,
        "cases/citizens/citizen/detail.html",
        detail_context(request, pk, **forms),
        status=status,
    )


@require_POST
def reveal_cpr(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show the full CPR number once, for roles that need it; every reveal is logged."""
    require(request.user, Cap.CPR_REVEAL)
    citizen = visible_citizen(request, pk)
    audit.record(request, AuditAction.REVEAL_CPR, citizen, citizen_id=citizen.pk)
    context = {"citizen": citizen, "full_cpr": cpr.formatted(citizen.cpr), "can_reveal": True}
    if request.htmx:
        response = render(request, "cases/citizens/citizen/detail.html#cpr", context)
        return announce(response, _("Det fulde CPR-nummer vises."), focus="#cpr")
    return render(request, "cases/citizens/citizen/cpr.html", context)


@require_POST
def profile_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = ProfileForm(request.POST, instance=citizen)
    if not form.is_valid():
        return render_detail(request, pk, profile_form=form)
    try:
        services.update_citizen(form, actor=request.user, context=AuditContext.of(request))
    except StaleEdit as stale:
        form.show_stale(stale)
        return render_detail(request, pk, status=409, profile_form=form)
    messages.success(request, _("CV, ressourcer og barrierer er gemt."))
    return redirect(section_url(citizen, "profil"))


@require_POST
def job_goal_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = JobGoalForm(request.POST, instance=JobGoal(citizen=citizen))
    if not form.is_valid():
        return render_detail(request, pk, job_goal_form=form)
    services.add_job_goal(form, actor=request.user, context=AuditContext.of(request))
    messages.success(request, _("Jobmålet er tilføjet."))
    return redirect(f"{citizen.get_absolute_url()}#jobmaal")


@require_POST
def job_goal_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """End a job goal today, once; it stays as history."""
    require(request.user, Cap.CITIZENS_CHANGE)
    goal = queries.visible_job_goal(request.user, pk)
    if services.end_job_goal(goal, actor=request.user, context=AuditContext.of(request)):
        messages.success(request, _("Jobmålet er afsluttet."))
    return redirect(f"{goal.citizen.get_absolute_url()}#jobmaal")


@require_POST
def consent_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.CITIZENS_CHANGE)
    citizen = visible_citizen(request, pk)
    form = ConsentForm(request.POST, instance=Consent(citizen=citizen, recorded_by=request.user))
    if not form.is_valid():
        return render_detail(request, pk, consent_form=form)
    services.add_consent(form, actor=request.user, context=AuditContext.of(request))
    messages.success(request, _("Samtykket er registreret."))
    return redirect(section_url(citizen, "samtykke"))


@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Withdraw a consent today, once; it stays as history."""
    require(request.user, Cap.CITIZENS_CHANGE)
    consent = queries.visible_consent(request.user, pk)
    if services.withdraw_consent(consent, actor=request.user, context=AuditContext.of(request)):
        messages.success(request, _("Samtykket er tilbagekaldt."))
    return redirect(section_url(consent.citizen, "samtykke"))
