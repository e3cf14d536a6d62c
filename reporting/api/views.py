"""The API for BI tools (docs/api.md) and the administrator's page for its tokens.

``measures_json`` answers only to ``Authorization: Bearer <token>``: a session cookie is not
enough (so no cross-site request can use a logged-in browser, and CSRF does not arise: the
endpoint is GET only and reads). Every answered request is audit-logged as the token's owner.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reporting import measures
from reporting.api import queries, services
from reporting.api.forms import IssueTokenForm
from reporting.api.models import ApiToken
from substitution import days
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest
from substitution.models import Unit
from substitution.roles import Cap, can, require


class BadRequest(Exception):
    pass


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="substitution"'
    return response


def _period(text: str | None) -> measures.Period:
    if not text:
        return measures.Period.month_to_date(days.today())
    try:
        return measures.Period.parse(text)
    except ValueError as exc:
        raise BadRequest(_("Ugyldig periode: skriv ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD:ÅÅÅÅ-MM-DD.")) from exc


@csrf_exempt  # never authenticated by a cookie, so a forged cross-site request gains nothing
@login_not_required
@require_GET
def measures_json(request: HttpRequest) -> HttpResponse:
    """The JSON of ``manage.py measures`` for the token owner's teams (docs/api.md)."""
    raw = queries.bearer(request)
    token = queries.active_token(raw) if raw else None
    if token is None:
        return _error(401, _("Kræver en gyldig API-nøgle (Authorization: Bearer …)."))
    owner = token.owner
    if not can(owner, Cap.DASHBOARD_VIEW) or owner.unit_id is None:
        return _error(403, _("Nøglens ejer har ikke adgang til styringstal."))
    visible = measures.visible_teams(owner)
    try:
        period = _period(request.GET.get("period"))
        as_of = request.GET.get("as_of")
        filters = {
            "benefit_type": request.GET.get("benefit") or None,
            "readiness": request.GET.get("readiness") or None,
            "visitation_group": request.GET.get("visitation_group") or None,
            "as_of": dt.date.fromisoformat(as_of) if as_of else None,
        }
        slugs = request.GET.getlist("measure")
        unknown = [s for s in slugs if s not in measures.BY_SLUG]
        if unknown:
            raise BadRequest(_("Ukendt måling: %(slugs)s") % {"slugs": ", ".join(unknown)})
        asked = request.GET.getlist("team")
        if any(not a.isdigit() for a in asked):
            raise BadRequest(_("team skal være teamets id."))
    except (BadRequest, ValueError) as exc:
        return _error(400, str(exc))
    by_id = {t.pk: t for t in visible}
    if any(int(a) not in by_id for a in asked):
        # Another team's numbers (or no such team): not found, as a page of it would be.
        return _error(404, _("Teamet findes ikke blandt nøglens teams."))
    base = measures.population_for(owner, visible, **filters)
    rows: list[measures.DocumentRow]
    if asked:
        rows = [
            (by_id[int(a)].name, int(a),
             measures.compute(base.with_teams([int(a)]), period, slugs or None))
            for a in asked
        ]  # fmt: skip
    else:
        per_team, total = measures.teams_and_total(base, list(by_id), period, slugs or None)
        rows = [(t.name, t.pk, per_team[t.pk]) for t in visible]
        label = measures.TOTAL_LABEL if owner.is_unit_wide else _("Dine teams i alt")
        rows.append((label, None, total))
    unit = Unit.objects.get(pk=owner.unit_id)
    document = measures.document(unit.name, period, base, rows)
    services.record_use(token, request.get_full_path(), context=AuditContext.of(request))
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


# --- the administrator's page -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List, issue (the token is shown once, on this response) and revoke API tokens."""
    require(request.user, Cap.ADMIN_SITE)
    owners = queries.owners_for_admin(request.user)
    form = IssueTokenForm(request.POST or None, owners=owners)
    issued: str | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _row, issued = services.issue(
                form.cleaned_data["owner"],
                form.cleaned_data["name"],
                actor=request.user,
                context=AuditContext.of(request),
            )
            form = IssueTokenForm(owners=owners)
        else:
            status = 400
    # Pages of logged-in users are never cached (substitution.middleware), so the token shown
    # here once does not stay in a browser cache.
    return render(
        request,
        "reporting/api/tokens.html",
        {"form": form, "tokens": queries.tokens_for_admin(request.user), "issued": issued},
        status=status,
    )


@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.ADMIN_SITE)
    # Another jobcentre's token answers 404, as any object outside the user's scope.
    qs = (
        ApiToken.objects.all()
        if request.user.is_superuser
        else ApiToken.objects.of_unit(request.user.unit_id)
    )
    token = get_object_or_404(qs, pk=pk)
    services.revoke(token, actor=request.user, context=AuditContext.of(request))
    return redirect("reporting:api_tokens")
