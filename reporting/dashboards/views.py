"""The team lead's pages (docs/dashboards.md): the dashboard, the list behind a figure, targets,
action plans and case reviews. Each view parses input, calls a query or a service, renders.
Every page asks ``queries.select`` for its population, so a team the user cannot see is a 404
and its numbers never enter a figure."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.citizens.models import Citizen
from reporting.dashboards import drilldown, queries, services, teamlead
from reporting.dashboards import targets as rules
from reporting.dashboards.forms import (
    ActionPlanForm,
    ClosePlanForm,
    DecisionForm,
    ReviewStartForm,
    TargetForm,
)
from reporting.dashboards.models import CaseReviewItem, Target
from reporting.measures import BY_SLUG, Period
from substitution import days
from substitution.audit import AuditContext
from substitution.http import AuthenticatedHttpRequest, announce
from substitution.models import Role, User
from substitution.navigation import try_reverse
from substitution.roles import Cap, can, require


def _url(name: str, params: dict[str, str], *args: Any) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode(params)}" if params else url


def may_edit_targets(user: User) -> bool:
    """Administrators and leders edit targets (docs/roles.md); team leads read them."""
    return user.is_superuser or user.has_role(Role.ADMINISTRATOR, Role.LEDER)


# --- the dashboards ----------------------------------------------------------------------------


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """/styring/: a leder's and an administrator's overview is the manager dashboard (when it
    exists); a team lead's is the team lead dashboard."""
    require(request.user, Cap.DASHBOARD_VIEW)
    manager = try_reverse("reporting:manager") if request.user.is_unit_wide else None
    if manager is not None:
        return redirect(manager)
    return team_lead(request)


def _team_params(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """The team page's parameters: a whole team, so a ``jobformidler`` (from a list narrowed
    to one staff member) is dropped."""
    return {k: request.GET.get(k, "") for k in request.GET if k != "jobformidler"}


def _month_choices(selection: queries.Selection) -> list[tuple[str, str, bool]]:
    today = days.today()
    chosen = queries.period_param(selection.period)
    return [
        (
            p.first.strftime("%Y-%m"),
            teamlead.month_label(p.first),
            p.first.strftime("%Y-%m") == chosen,
        )
        for p in reversed(teamlead.months_ending(today))
    ]


def team_lead(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The team lead dashboard for one team and month (default: the first led team, this
    month up to today)."""
    require(request.user, Cap.DASHBOARD_VIEW)
    selection = queries.select(request.user, _team_params(request), default_team=True)
    team = selection.team
    assert team is not None
    population, period = selection.population, selection.period
    if request.htmx and request.htmx.target == "tavle":
        return _board_response(request, selection)
    unit_targets = queries.targets_for(population.unit_id)
    plans = list(queries.open_plans(population.unit_id, [team.pk]))
    board = _board_context(request, selection, teamlead.PAGE_SLUGS)
    figures = board.pop("figures")
    tiles = teamlead.tiles(population, period, team.pk, unit_targets, plans, figures=figures)
    base = selection.params()
    context = {
        "selection": selection,
        "team": team,
        "period": period,
        "params": base,
        "query": urlencode(base),
        "tiles": tiles,
        "trend_url": _url("reporting:team_trend", base),
        **board,
        "alerts": [
            (figure, BY_SLUG[figure.slug].label, _url("reporting:drill_down", base, figure.slug))
            for figure in teamlead.alert_figures(population, period, figures)
        ],
        "plans": plans,
        "close_form": ClosePlanForm(),
        "reviews": queries.recent_reviews([team.pk]),
        "months": _month_choices(selection),
        "may_edit_targets": may_edit_targets(request.user),
    }
    return render(request, "reporting/dashboards/team_lead.html", context)


def _board_context(
    request: AuthenticatedHttpRequest, selection: queries.Selection, totals: list[str] | None = None
) -> dict[str, Any]:
    """The weekly board: one row per jobformidler of the team, sorted as asked, and the team's
    figures of ``totals`` (the tiles and alerts: from the same aggregate)."""
    assert selection.team is not None
    staff = list(queries.jobformidlere_of([selection.team]))
    rows, norm, figures = teamlead.board(
        selection.population, selection.period, staff, totals or []
    )
    sort = request.GET.get("sorter", "name")
    descending = request.GET.get("retning") == "ned"
    rows = teamlead.sort_board(rows, sort, descending)
    return {
        "board": rows,
        "board_rows": _board_rows_html(rows, selection),
        "board_columns": _board_headers(selection.params(), sort, descending),
        "norm": norm,
        "figures": figures,
    }


_MARKER = 2_147_483_647  # a pk no staff member has: replaced by each row's own


def _board_rows_html(rows: list[teamlead.BoardRow], selection: queries.Selection) -> SafeString:
    """The board's rows, built in Python (a team of 100 jobformidlere is 700 cells: through
    the template engine about a third of the page's CPU); one ``reverse`` per column and one
    query string for all the rows; every text escaped (``html.escape``, as the template's
    autoescape). Each row's links (``row.links``) are set too."""
    query = urlencode(selection.params(jobformidler=_MARKER))
    lists = [
        (key, f"{reverse('reporting:drill_down', args=[slug])}?{query}")
        for key, slug in teamlead.BOARD_COLUMNS
    ]
    over_norm = f' <span class="badge warn">{escape(_("over norm"))}</span>'
    marker = str(_MARKER)
    html = []
    for row in rows:
        pk = str(row.staff.pk)
        row.links = {key: link.replace(marker, pk) for key, link in lists}
        cells = [f'<tr>\n<th scope="row">{escape(str(row.staff))}</th>']
        for key, link in row.links.items():
            flagged = row.over_norm and key == "caseload"
            cells.append(
                f'<td class="num{" over-norm" if flagged else ""}"><a href="{escape(link)}">'
                f"{escape(row.figures[key].display)}</a>{over_norm if flagged else ''}</td>"
            )
        cells.append("</tr>")
        html.append("\n".join(cells))
    return mark_safe("\n".join(html))  # noqa: S308 - every text in it is escaped


def _board_response(
    request: AuthenticatedHttpRequest, selection: queries.Selection
) -> HttpResponse:
    """The board alone, re-sorted (htmx from a column heading)."""
    response = render(
        request, "reporting/dashboards/team_lead.html#board", _board_context(request, selection)
    )
    return announce(response, _("Tavlen er sorteret."), focus='#tavle th:not([aria-sort="none"]) a')


def _board_headers(
    params: dict[str, str], sort: str, descending: bool
) -> list[tuple[str, str, str, str]]:
    """(key, label, sort link, aria-sort) per column of the board."""
    labels = {
        "name": _("Medarbejder"),
        "caseload": _("Sagsstamme"),
        "cadence": _("Set inden for kadencen"),
        "overdue": _("Overskredne opfølgninger"),
        "hours": _("Med ordinære timer"),
        "started": _("Forløb startet"),
        "unconfirmed": _("Start ikke bekræftet"),
    }
    headers = []
    for key, label in labels.items():
        active = key == sort
        flip = "op" if active and descending else "ned" if active else "op"
        link = _url("reporting:team_lead", {**params, "sorter": key, "retning": flip})
        aria = ("descending" if descending else "ascending") if active else "none"
        headers.append((key, str(label), link + "#tavle", aria))
    return headers


def team_trend(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The tiles' 13-month sparklines (loaded by htmx after the page; each swapped into its
    tile out of band)."""
    require(request.user, Cap.DASHBOARD_VIEW)
    selection = queries.select(request.user, _team_params(request), default_team=True)
    assert selection.team is not None
    periods = teamlead.months_ending(selection.period.last)
    charts = teamlead.sparklines(
        selection.population,
        periods,
        selection.team.pk,
        queries.targets_for(selection.population.unit_id),
    )
    return render(request, "reporting/dashboards/_trends.html", {"charts": charts})


# --- the list behind a figure ------------------------------------------------------------------


def _from_drill_down_page(request: AuthenticatedHttpRequest) -> bool:
    """An htmx request sent from a figure's own list page (HX-Current-URL)."""
    current = request.htmx.current_url_abs_path if request.htmx else None
    if not current:
        return False
    try:
        return resolve(urlsplit(current).path).view_name == "reporting:drill_down"
    except Resolver404:
        return False


def _drill_rows_html(listing: drilldown.DrillDown, may_review: bool) -> SafeString:
    """The list's rows, built in Python (100 rows of six cells through the template engine
    were most of the page's Python); one ``reverse`` for every citizen link, every text
    escaped (``html.escape``, as the template's autoescape)."""
    detail = reverse("cases:citizen_detail", args=[_MARKER])
    marker = str(_MARKER)
    select = listing.citizen_rows and may_review
    never = escape(_("aldrig"))
    html = []
    for number, row in enumerate(listing.rows, start=1):
        citizen = row.citizen
        cells = ["<tr>"]
        if select:
            box = ""
            if citizen is not None:
                label = escape(_("Vælg %(name)s") % {"name": citizen.full_name})
                box = (
                    f'<input type="checkbox" name="borger" value="{citizen.pk}" '
                    f'id="vaelg-{number}" aria-label="{label}">'
                )
            cells.append(f"<td>{box}</td>")
        if citizen is not None:
            link = escape(detail.replace(marker, str(citizen.pk)))
            cells.append(f'<td><a href="{link}">{escape(citizen.full_name)}</a></td>')
        elif row.link:
            cells.append(f'<td><a href="{escape(row.link)}">{escape(row.link_label)}</a></td>')
        else:
            cells.append("<td>–</td>")
        staff = citizen.jobformidler if citizen is not None else None
        cells.append(f"<td>{escape(str(staff)) if staff else '–'}</td>")
        cells.append(f"<td>{escape(row.step_label) if row.step_label else '–'}</td>")
        if row.days_since_contact is not None:
            since = str(row.days_since_contact)
        else:
            since = never if citizen is not None else "–"
        cells.append(f'<td class="num">{since}</td>')
        own = ""
        if citizen is not None and row.link:
            own = f' · <a href="{escape(row.link)}">{escape(row.link_label)}</a>'
        cells.append(f"<td>{escape(row.fact)}{own}</td>")
        cells.append("</tr>")
        html.append("\n".join(cells))
    return mark_safe("\n".join(html))  # noqa: S308 - every text in it is escaped


def drill_down(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """/styring/tal/<slug>/?team=…&periode=…&jobformidler=…&ydelse=…&parathed=…&gruppe=…
    (&vis=resten for the rest of a share's denominator, &side=N): the rows behind the figure
    (``reporting.measures.drill_down``), as many as the figure counts. Without ``team`` a team
    lead gets all their teams, a leder the whole jobcentre."""
    require(request.user, Cap.DASHBOARD_VIEW)
    queries.measure_or_404(slug)
    selection = queries.select(request.user, request.GET)
    rest = request.GET.get("vis") == "resten"
    try:
        page = int(request.GET.get("side", "1"))
    except ValueError:
        page = 1
    listing = drilldown.build(selection.population, selection.period, slug, rest=rest, page=page)
    base = selection.params()
    may_review = can(request.user, Cap.CITIZENS_CHANGE) and (
        selection.team is not None or len(selection.teams) == 1
    )
    context = {
        "selection": selection,
        "listing": listing,
        "params": base,
        "self_url": _url(
            "reporting:drill_down", {**base, **({"vis": "resten"} if rest else {})}, slug
        ),
        "rest_url": _url("reporting:drill_down", {**base, "vis": "resten"}, slug)
        if drilldown.can_show_rest(slug) and not rest
        else "",
        "rows_url": _url("reporting:drill_down", base, slug) if rest else "",
        "page_links": [
            (
                n,
                _url(
                    "reporting:drill_down",
                    {**base, "side": str(n), **({"vis": "resten"} if rest else {})},
                    slug,
                ),
            )
            for n in range(1, listing.pages + 1)
        ]
        if listing.pages > 1
        else [],
        "review_url": reverse("reporting:review_new"),
        "may_review": may_review,
        "rows_html": _drill_rows_html(listing, may_review),
        "review_team": selection.team or selection.teams[0],
        "back_url": _url(
            "reporting:team_lead", {k: v for k, v in base.items() if k != "jobformidler"}
        ),
        # Shown in place on the dashboard, the list is a section under the page's h1; swapped
        # on its own page (the rest, another page of rows) it stays the page's h1.
        "heading_level": 2 if request.htmx and not _from_drill_down_page(request) else 1,
    }
    if request.htmx:
        response = render(request, "reporting/dashboards/drill_down.html#listing", context)
        return announce(
            response,
            _("Listen bag tallet er vist: %(count)s %(noun)s.")
            % {"count": listing.count, "noun": listing.noun},
            focus="#drilldown-heading",
        )
    return render(request, "reporting/dashboards/drill_down.html", context)


# --- targets (måltal) --------------------------------------------------------------------------


def target_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, Cap.DASHBOARD_VIEW)
    if request.user.unit_id is None:
        raise Http404
    rows = [
        (
            target,
            BY_SLUG[target.measure].label if target.measure in BY_SLUG else target.measure,
            rules.display(target.measure, target.value) if target.measure in BY_SLUG else "",
        )
        for target in queries.visible_targets(request.user)
    ]
    return render(
        request,
        "reporting/dashboards/targets.html",
        {"rows": rows, "may_edit": may_edit_targets(request.user)},
    )


def _editable_target(request: AuthenticatedHttpRequest, pk: int | None) -> Target | None:
    if not may_edit_targets(request.user):
        raise PermissionDenied
    if request.user.unit_id is None:
        raise Http404
    if pk is None:
        return None
    return get_object_or_404(Target, pk=pk, unit_id=request.user.unit_id)


def target_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    target = _editable_target(request, pk)
    unit_id = request.user.unit_id
    assert unit_id is not None
    form = TargetForm(request.POST or None, instance=target, unit_id=unit_id)
    if request.method == "POST" and form.is_valid():
        services.save_target(form, actor=request.user, context=AuditContext.of(request))
        messages.success(request, _("Måltallet er gemt."))
        return redirect("reporting:targets")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/dashboards/target_form.html",
        {"form": form, "target": target},
        status=status,
    )


@require_POST
def target_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = _editable_target(request, pk)
    assert target is not None
    services.delete_target(target, actor=request.user, context=AuditContext.of(request))
    messages.success(request, _("Måltallet er slettet."))
    return redirect("reporting:targets")


# --- explanations and action plans --------------------------------------------------------------


def plan_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """An explanation and action plan for a figure of a team and month."""
    require(request.user, Cap.DASHBOARD_VIEW)
    queries.measure_or_404(slug)
    params = request.GET if request.method == "GET" else request.POST
    selection = queries.select(request.user, params, default_team=True)
    team = selection.team
    assert team is not None
    (tile,) = teamlead.tiles(
        selection.population,
        selection.period,
        team.pk,
        queries.targets_for(selection.population.unit_id),
        slugs=[slug],
    )
    owners = list(queries.jobformidlere_of([team])) + [request.user]
    form = ActionPlanForm(request.POST or None, owners=owners, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        services.create_plan(
            form,
            unit_id=selection.population.unit_id,
            team=team,
            measure=slug,
            period=selection.period,
            figure_display=tile.figure.display,
            target_display=tile.target_display,
            status=str(tile.status or ""),
            actor=request.user,
            context=AuditContext.of(request),
        )
        messages.success(request, _("Forklaring og handlingsplan er gemt."))
        return redirect(_url("reporting:team_lead", selection.params()) + "#handlingsplaner")
    context = {
        "form": form,
        "tile": tile,
        "selection": selection,
        "params": selection.params(),
        "back_url": _url("reporting:team_lead", selection.params()),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/dashboards/plan_form.html", context, status=status)


@require_POST
def plan_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.DASHBOARD_VIEW)
    plan = queries.visible_plan(request.user, pk)
    form = ClosePlanForm(request.POST)
    note = form.cleaned_data["closing_note"] if form.is_valid() else ""
    if services.close_plan(plan, note, actor=request.user, context=AuditContext.of(request)):
        messages.success(request, _("Handlingsplanen er lukket."))
    params = {"team": str(plan.team_id)} if plan.team_id else {}
    return redirect(_url("reporting:team_lead", params) + "#handlingsplaner")


# --- case reviews (sagssparring) -------------------------------------------------------------


def review_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a case review of the citizens chosen on a list (``borger``), with a jobformidler
    of the team (default: the one most of them have)."""
    _require_review_rights(request.user)
    params = request.GET if request.method == "GET" else request.POST
    selection = queries.select(request.user, params, default_team=True)
    team = selection.team
    assert team is not None
    ids = [int(i) for i in params.getlist("borger") if i.isdigit()]
    citizens = list(
        Citizen.objects.visible_to(request.user)
        .filter(pk__in=ids, team=team)
        .select_related("jobformidler")
        .order_by("last_name", "first_name", "pk")
    )
    if len(citizens) != len(set(ids)):
        raise Http404
    partners = list(queries.jobformidlere_of([team]))
    common = _most_common([c.jobformidler for c in citizens if c.jobformidler is not None])
    form = ReviewStartForm(
        request.POST if request.method == "POST" and "start" in request.POST else None,
        partners=partners,
        initial={"med": common, "held_on": days.today()},
    )
    slug = params.get("maal", "")
    if request.method == "POST" and form.is_valid():
        if not citizens:
            form.add_error(None, _("Vælg mindst én borger på listen."))
        else:
            review = services.start_review(
                citizens,
                team=team,
                jobformidler=form.cleaned_data["med"],
                held_on=form.cleaned_data["held_on"],
                measure=slug if slug in BY_SLUG else "",
                period=selection.period,
                actor=request.user,
                context=AuditContext.of(request),
            )
            messages.success(request, _("Sagssparringen er startet."))
            return redirect("reporting:review_detail", review.pk)
    context = {
        "form": form,
        "citizens": citizens,
        "selection": selection,
        "params": selection.params(),
        "slug": slug,
        "label": BY_SLUG[slug].label if slug in BY_SLUG else "",
    }
    status = 400 if request.method == "POST" and form.is_bound else 200
    return render(request, "reporting/dashboards/review_new.html", context, status=status)


def _require_review_rights(user: User) -> None:
    """A case review changes the citizens' cases (a decision and a follow-up): the roles that
    see dashboards and change citizens (teamleder, administrator; not leder, who reads)."""
    require(user, Cap.DASHBOARD_VIEW)
    require(user, Cap.CITIZENS_CHANGE)


def _most_common(users: list[User]) -> User | None:
    if not users:
        return None
    counts: dict[int, int] = {}
    for user in users:
        counts[user.pk] = counts.get(user.pk, 0) + 1
    best = max(counts, key=lambda pk: counts[pk])
    return next(u for u in users if u.pk == best)


def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, Cap.DASHBOARD_VIEW)
    review = queries.visible_review(request.user, pk)
    items = queries.review_items(review)
    return render(
        request,
        "reporting/dashboards/review_detail.html",
        {
            "review": review,
            "items": [(item, DecisionForm(prefix=f"p{item.pk}")) for item in items],
            "label": BY_SLUG[review.measure].label if review.measure in BY_SLUG else "",
            "period": Period(review.period_first, review.period_last)
            if review.period_first and review.period_last
            else None,
        },
    )


@require_POST
def review_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record the decision about one citizen of a review."""
    _require_review_rights(request.user)
    item = get_object_or_404(CaseReviewItem.objects.select_related("review", "citizen"), pk=pk)
    review = queries.visible_review(request.user, item.review_id)
    if not Citizen.objects.visible_to(request.user).filter(pk=item.citizen_id).exists():
        raise Http404
    form = DecisionForm(request.POST, prefix=f"p{item.pk}")
    if form.is_valid():
        item = services.record_decision(
            item, form, actor=request.user, context=AuditContext.of(request)
        )
        form = DecisionForm(prefix=f"p{item.pk}")
        if not request.htmx:
            messages.success(request, _("Beslutningen er gemt."))
            return redirect(
                reverse("reporting:review_detail", args=[review.pk]) + f"#punkt-{item.pk}"
            )
        response = render(
            request,
            "reporting/dashboards/review_detail.html#item",
            {"review": review, "item": item, "form": form, "saved": True},
        )
        return announce(
            response,
            _("Beslutningen om %(name)s er gemt.") % {"name": item.citizen.full_name},
            focus=f"#punkt-{item.pk}-h",
        )
    if request.htmx:
        return render(
            request,
            "reporting/dashboards/review_detail.html#item",
            {"review": review, "item": item, "form": form},
        )
    items = [
        (i, form if i.pk == item.pk else DecisionForm(prefix=f"p{i.pk}"))
        for i in queries.review_items(review)
    ]
    return render(
        request,
        "reporting/dashboards/review_detail.html",
        {"review": review, "items": items, "label": "", "period": None},
        status=400,
    )
