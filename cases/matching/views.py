"""Matching pages: suggestions for a citizen (htmx panel on the citizen page), candidates
for a task (panel on the task page), saving a match as a proposal, and the candidate
overview a company receives (consenting citizens only, consent-covered fields only, PDF).

Each view fetches through ``visible_to`` (404), checks the right to save or share
(``cases.matching.queries``, 403), ranks with ``cases.matching.scoring``, writes through
``cases.matching.services`` and audits its reads of personal data here.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens.models import Citizen
from cases.citizens.queries import visible_citizen
from cases.matching import scoring, services
from cases.matching.queries import may_propose, may_share, shareable_task, visible_task
from substitution import days
from substitution.audit import AuditContext, record
from substitution.http import AuthenticatedHttpRequest
from substitution.links import pk_url
from substitution.models import AuditAction
from substitution.pdf import render_pdf
from substitution.roles import Cap, require
from substitution.templatetags.numbers import hours

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
    can_propose = may_propose(request.user)
    context = {
        "citizen": citizen,
        "ranking": ranking,
        "matches": matches,
        "match_items": _match_items(request, citizen, matches, can_propose),
        "best": best,
        "weak": [r.label for r in best.reasons if not r.ok] if best else [],
        "relevant_score": scoring.RELEVANT_SCORE,
        "can_propose": can_propose,
    }
    if request.htmx:
        return render(request, "cases/matching/citizen.html#panel", context)
    return render(request, "cases/matching/citizen.html", context)


def _match_items(
    request: AuthenticatedHttpRequest,
    citizen: Citizen,
    matches: list[scoring.Match],
    can_propose: bool,
) -> SafeString:
    """The citizen panel's list items, built in Python with the markup of the partials
    ``_score.html``, ``_reasons.html`` and ``_save_proposal.html`` (which the task page still
    renders): ten items through the template engine were a third of the panel's CPU
    (docs/performance.md, issue 13). One ``reverse()`` per URL name for all the items."""
    task_url, company_url = pk_url("companies:task_detail"), pk_url("companies:company_detail")
    save_url = reverse("cases:save_proposal")
    csrf = get_token(request)
    at, per_week, why = _("hos"), _("t/uge"), _("Hvorfor?")
    save_label = _("Gem som matchforslag")
    items = []
    for match in matches:
        task, company = match.task, match.task.company
        badge = " ok" if match.score >= 70 else " warn" if match.score < 40 else ""
        reasons = [
            format_html(
                '    <li class="reason {}">\n      <strong>{}</strong>{}: {}\n    </li>',
                "reason-ok" if r.ok else "reason-weak",
                r.label,
                format_html(
                    ' <span class="small muted">({}/{})</span>',
                    floatformat(r.points, "-1"),
                    r.max_points,
                )
                if r.max_points
                else "",
                r.text,
            )
            for r in match.reasons
        ]
        save = (
            format_html(
                '<form method="post" action="{}" hx-post="{}" hx-swap="outerHTML" class="inline">'
                '\n  <input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '\n  <input type="hidden" name="citizen" value="{}">'
                '\n  <input type="hidden" name="task" value="{}">'
                '\n  <button type="submit">{}</button>\n</form>',
                save_url,
                save_url,
                csrf,
                citizen.pk,
                task.pk,
                save_label,
            )
            if can_propose
            else ""
        )
        items.append(
            format_html(
                '    <li class="match">\n      <div class="match-head">\n        '
                '<span class="score badge{}">{} / 100</span>\n        '
                '<a href="{}">{}</a>\n        <span class="muted small">{} '
                '<a href="{}">{}</a>, {} {} · {} {}</span>\n      </div>\n'
                '<details class="match-why">\n  <summary>{}</summary>\n'
                '  <ul class="reasons">\n{}\n  </ul>\n</details>\n      {}\n    </li>',
                badge,
                floatformat(match.score, 0),
                task_url(task.pk),
                task.title,
                at,
                company_url(company.pk),
                company.name,
                company.postal_code,
                company.city,
                hours(task.hours_per_week),
                per_week,
                why,
                mark_safe("\n".join(reasons)),  # noqa: S308 - each went through format_html
                save,
            )
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every item went through format_html


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
