"""Matching pages: suggestions for a citizen (htmx panel on the citizen page), candidates
for a task (panel on the task page), saving a match as a proposal, and the candidate
overview a company receives (consenting citizens only, consent-covered fields only, PDF).

Each view fetches through ``visible_to`` (404), checks the right to save or share
(``cases.matching.queries``, 403), ranks with ``cases.matching.scoring``, writes through
``cases.matching.services`` and audits its reads of personal data here.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens.queries import visible_citizen
from cases.matching import scoring, services
from cases.matching.queries import may_propose, may_share, shareable_task, visible_task
from substitution import days
from substitution.audit import AuditContext, record
from substitution.http import AuthenticatedHttpRequest
from substitution.models import AuditAction
from substitution.pdf import render_pdf
from substitution.roles import Cap, require

PANEL_LIMIT = 10
OVERVIEW_LIMIT = scoring.OVERVIEW_SIZE


def citizen_matches(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Open tasks ranked for the citizen, with the reasons criterion by criterion."""
    citizen = visible_citizen(request, pk)
    ranking = scoring.rank_tasks(citizen, request.user, limit=PANEL_LIMIT)
    record(
        request,
        AuditAction.VIEW,
        citizen,
        citizen_id=citizen.pk,
        object_repr=f"{citizen} (matchforslag)",
    )
    matches = scoring.relevant(ranking.matches)
    best = ranking.matches[0] if ranking.matches and not matches else None
    context = {
        "citizen": citizen,
        "ranking": ranking,
        "matches": matches,
        "best": best,
        "weak": [r.label for r in best.reasons if not r.ok] if best else [],
        "relevant_score": scoring.RELEVANT_SCORE,
        "can_propose": may_propose(request.user),
    }
    if request.htmx:
        return render(request, "cases/matching/citizen.html#panel", context)
    return render(request, "cases/matching/citizen.html", context)


def task_candidates(request: AuthenticatedHttpRequest, task_pk: int) -> HttpResponse:
    """Citizens in the user's visible caseload ranked for a task."""
    task = visible_task(request, task_pk)
    ranking = scoring.rank_citizens(task, request.user, limit=PANEL_LIMIT)
    record(request, AuditAction.SEARCH, task, object_repr=f"Kandidater til {task}"[:300])
    context = {
        "task": task,
        "ranking": ranking,
        "can_propose": may_propose(request.user),
        "can_share": may_share(request.user),
    }
    if request.htmx:
        return render(request, "cases/matching/task.html#panel", context)
    return render(request, "cases/matching/task.html", context)


@require_POST
def save_proposal(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save a citizen-task match as a MatchProposal (scored again on the server)."""
    citizen_pk, task_pk = request.POST.get("citizen", ""), request.POST.get("task", "")
    if not (citizen_pk.isdigit() and task_pk.isdigit()):
        return HttpResponseBadRequest(_("Ugyldig anmodning."))
    citizen = visible_citizen(request, int(citizen_pk))
    task = visible_task(request, int(task_pk))
    require(request.user, Cap.MATCHES_PROPOSE)
    proposal = services.save_proposal(
        citizen, task, actor=request.user, context=AuditContext.of(request)
    )
    if proposal is None:
        message = _("Opgaven passer ikke til borgeren (krav udelukket af barrierer).")
        return render(
            request, "cases/matching/saved.html", {"message": message, "ok": False}, status=409
        )
    return render(
        request,
        "cases/matching/saved.html",
        {"message": _("Gemt som matchforslag."), "ok": True, "proposal": proposal},
    )


def candidate_overview(request: AuthenticatedHttpRequest, task_pk: int) -> HttpResponse:
    """GET: preview of the short list for the company. POST: share the chosen candidates as
    a PDF; every sharing is a CandidateShare row (citizen timeline) and an audit event. Both
    need ``Cap.CANDIDATES_SHARE``: the page exists only to share."""
    task = shareable_task(request, task_pk)
    ranking = scoring.rank_citizens(
        task, request.user, limit=OVERVIEW_LIMIT, consented_only=True, with_goal_only=True
    )
    if request.method != "POST":
        # Nobody is ticked in advance: sharing is a deliberate choice per citizen.
        return render(
            request,
            "cases/matching/overview.html",
            {
                "task": task,
                "ranking": ranking,
                "chosen": set(),
                "left_out": scoring.left_out_of_overview(task, request.user, ranking),
            },
        )
    chosen = set(request.POST.getlist("citizen"))
    # Only citizens on the consented short list can be shared, whatever is posted.
    shared = [m for m in ranking.matches if str(m.citizen.pk) in chosen]
    if not shared:
        return render(
            request,
            "cases/matching/overview.html",
            {
                "task": task,
                "ranking": ranking,
                "chosen": chosen,
                "error": _("Vælg mindst én kandidat."),
            },
            status=400,
        )
    services.share_candidates(
        task,
        [m.citizen for m in shared],
        actor=request.user,
        context=AuditContext.of(request),
    )
    pdf = render_pdf(
        "cases/matching/overview_pdf.html",
        {"task": task, "matches": shared, "today": days.today(), "by": request.user},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kandidater-opgave-{task.pk}.pdf"'
    return response
