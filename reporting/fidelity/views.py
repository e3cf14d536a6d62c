"""The fidelity pages: the scores (/styring/fidelitet/), opening and running survey rounds, and
the staff member's own answer form. Plain views: parse, call a query or a service, render."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reporting.charts.base import Chart
from reporting.charts.scatter import Point, scatter
from reporting.fidelity import queries, scoring, services
from reporting.fidelity.forms import AnswerForm, ExtendForm, RoundForm
from reporting.fidelity.models import Item, Response, Round, Source
from reporting.measures import danish_number
from substitution import days
from substitution.audit import AuditContext
from substitution.models import User
from substitution.roles import Cap, require

OUTCOME_LABELS = {
    "virksomhedsforloeb": gettext_lazy("Andel i virksomhedsforløb mv."),
    "ordinary_hours": gettext_lazy("Andel med ordinære timer"),
}


def fmt(value: Decimal | None, places: int = 1) -> str:
    return "–" if value is None else danish_number(value, places)


def signed(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = danish_number(abs(value), 1)
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else "±0,0")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@dataclass
class TrendRow:
    label: str
    cells: list[tuple[str, str]]  # (self, data) per round


def _visible_round(request: HttpRequest, pk: int) -> Round:
    require(request.user, Cap.DASHBOARD_VIEW)
    rnd = queries.rounds_visible_to(request.user).filter(pk=pk).first()
    if rnd is None:
        raise Http404
    return rnd


@login_required
def fidelity(request: HttpRequest) -> HttpResponse:
    require(request.user, Cap.DASHBOARD_VIEW)
    user = _user(request)
    team_ids = queries.visible_team_ids(user)
    rounds = list(queries.rounds_visible_to(user, team_ids))
    shown = set(team_ids)
    context: dict[str, Any] = {
        "rounds": rounds,
        "selected": None,
        # Each round with the teams the reader may see (another team is not even named).
        "round_rows": [(r, [t.name for t in r.teams.all() if t.pk in shown]) for r in rounds],
    }
    if not rounds:
        return render(request, "reporting/fidelity/fidelity.html", context)
    wanted = request.GET.get("runde", "")
    selected = next((r for r in rounds if str(r.pk) == wanted), None)
    if wanted and selected is None:
        raise Http404
    selected = selected or rounds[0]
    scale = "data" if request.GET.get("skala") == "data" else "selv"
    outcome = request.GET.get("udfald", "virksomhedsforloeb")
    if outcome not in OUTCOME_LABELS:
        outcome = "virksomhedsforloeb"
    same_model = sorted(
        (r for r in rounds if r.version.model_id == selected.version.model_id),
        key=lambda r: (r.opened_on, r.pk),
    )
    all_scores = scoring.rounds_scores(same_model, team_ids)
    current = all_scores[selected.pk]

    trend = []
    for team_score in current.teams:
        cells = []
        for rnd in same_model:
            other = all_scores[rnd.pk].team(team_score.team_id or 0)
            cells.append((fmt(other.self_overall), fmt(other.data_overall)) if other else ("", ""))
        trend.append(TrendRow(team_score.label, cells))

    points = []
    for team_score in current.teams:
        x = team_score.self_overall if scale == "selv" else team_score.data_overall
        figure = team_score.figures.get(outcome)
        if x is None or figure is None or figure.value is None:
            continue
        points.append(Point(team_score.label, float(x), float(figure.value)))
    x_label = (
        _("Samlet fidelitet (selvvurderet)")
        if scale == "selv"
        else _("Samlet fidelitet (målt i data)")
    )
    chart: Chart = scatter(
        points,
        title=_("Fidelitet og %(outcome)s, %(round)s")
        % {"outcome": str(OUTCOME_LABELS[outcome]).lower(), "round": selected.name},
        x_label=x_label,
        y_label=str(OUTCOME_LABELS[outcome]),
    )
    context.update(
        selected=selected,
        scores=current,
        same_model=same_model,
        trend=trend,
        chart=chart,
        scale=scale,
        outcome=outcome,
        outcomes=[(k, str(v)) for k, v in OUTCOME_LABELS.items()],
        gap_text=fmt(current.gap_limit),
        fmt=fmt,
        is_open=selected.is_open(days.today()),
        rows=_rows(current),
        spread_self=_spread(current.spread_self),
        spread_data=_spread(current.spread_data),
    )
    return render(request, "reporting/fidelity/fidelity.html", context)


def _spread(s: scoring.Spread) -> dict[str, str]:
    return {"median": fmt(s.median), "lowest": fmt(s.lowest), "highest": fmt(s.highest)}


def _rows(current: scoring.RoundScores) -> list[dict[str, Any]]:
    """Each team (and the total) as display strings for the template."""
    rows = []
    for s in [*current.teams, *([current.total] if current.total else [])]:
        rows.append(
            {
                "label": s.label or _("Alle viste teams"),
                "is_total": s.team_id is None,
                "invited": s.invited,
                "answered": s.answered,
                "suppressed": s.suppressed,
                "self_overall": fmt(s.self_overall),
                "data_overall": fmt(s.data_overall),
                "self_band": s.self_band,
                "data_band": s.data_band,
                "self_change": signed(s.self_change),
                "data_change": signed(s.data_change),
                "flag_count": len(s.flagged),
                "elements": [
                    {
                        "name": f"{e.element.position}. {e.element.name}",
                        "weight": fmt(e.element.weight, 2),
                        "self": fmt(e.self_score),
                        "data": fmt(e.data_score),
                        "gap": signed(e.gap),
                        "flagged": e.flagged,
                    }
                    for e in s.elements
                ],
            }
        )
    return rows


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Cap.DASHBOARD_VIEW)
    user = _user(request)
    models = queries.models_for(user)
    teams = queries.visible_teams(user)
    form = RoundForm(request.POST or None, models=models, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data["model"].latest_version()
        period = None
        if data.get("period_first") and data.get("period_last"):
            period = (data["period_first"], data["period_last"])
        try:
            rnd = services.open_round(
                actor=user,
                context=AuditContext.of(request),
                version=version,
                kind=data["kind"],
                name=data["name"],
                teams=list(data["teams"]),
                closes_on=data["closes_on"],
                period=period,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Målingen er åbnet, og medarbejderne er inviteret."))
            return redirect("reporting:fidelity_round", pk=rnd.pk)
    return render(request, "reporting/fidelity/round_form.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _visible_round(request, pk)
    scores = scoring.rounds_scores([rnd], queries.visible_team_ids(request.user))[rnd.pk]
    return render(
        request,
        "reporting/fidelity/round_detail.html",
        {
            "round": rnd,
            "scores": scores,
            "is_open": rnd.is_open(days.today()),
            "extend_form": ExtendForm(),
        },
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _visible_round(request, pk)
    try:
        services.close_round(rnd, actor=_user(request), context=AuditContext.of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Målingen er lukket."))
    return redirect("reporting:fidelity_round", pk=rnd.pk)


@login_required
@require_POST
def round_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _visible_round(request, pk)
    services.recompute_figures(rnd, actor=_user(request), context=AuditContext.of(request))
    messages.success(request, _("Målingens data er beregnet igen for dens periode."))
    return redirect("reporting:fidelity_round", pk=rnd.pk)


@login_required
def round_extend(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = _visible_round(request, pk)
    form = ExtendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_round(
                rnd,
                form.cleaned_data["closes_on"],
                actor=_user(request),
                context=AuditContext.of(request),
            )
        except ValidationError as error:
            form.add_error(None, error)  # a field's error (error_dict) goes beside the field
        else:
            messages.success(request, _("Lukkedatoen er flyttet."))
            return redirect("reporting:fidelity_round", pk=rnd.pk)
    scores = scoring.rounds_scores([rnd], queries.visible_team_ids(request.user))[rnd.pk]
    return render(
        request,
        "reporting/fidelity/round_detail.html",
        {"round": rnd, "scores": scores, "is_open": rnd.is_open(days.today()), "extend_form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def my_rounds(request: HttpRequest) -> HttpResponse:
    today = days.today()
    responses = [
        {"response": r, "is_open": r.round.is_open(today)}
        for r in queries.responses_of(_user(request))
    ]
    return render(request, "reporting/fidelity/my_rounds.html", {"responses": responses})


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff member's own answer form: a draft can be saved and resumed; once submitted
    it cannot be answered again. Another person's response does not exist here (404)."""
    user = _user(request)
    response = get_object_or_404(
        Response.objects.select_related("round", "round__version__model"),
        round_id=pk,
        user=user,
    )
    rnd = response.round
    items = list(
        Item.objects.filter(element__version_id=rnd.version_id, source=Source.SPOERGESKEMA)
        .select_related("element")
        .order_by("element__position", "position")
    )
    is_open = rnd.is_open(days.today())
    if response.submitted_at is not None or not is_open:
        return render(
            request,
            "reporting/fidelity/answer_done.html",
            {"round": rnd, "response": response, "is_open": is_open},
            status=409 if request.method == "POST" else 200,
        )
    initial = {f"item_{a.item_id}": str(a.value) for a in response.answers.all()}
    form = AnswerForm(request.POST or None, items=items, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "indsend" in request.POST
        try:
            services.save_answers(
                response,
                form.values(),
                submit=submit,
                actor=user,
                context=AuditContext.of(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if submit:
                messages.success(request, _("Tak! Dine svar er indsendt."))
            else:
                messages.success(
                    request, _("Dine svar er gemt som kladde. Du kan fortsætte senere.")
                )
            return redirect("reporting:fidelity_answer", pk=rnd.pk)
    sections: list[dict[str, Any]] = []
    for item in items:
        if not sections or sections[-1]["element"] != item.element:
            sections.append({"element": item.element, "fields": []})
        sections[-1]["fields"].append(form[f"item_{item.pk}"])
    return render(
        request,
        "reporting/fidelity/answer.html",
        {"round": rnd, "form": form, "sections": sections, "response": response},
    )
