"""Access proven for every URL, admin included (issue 15, "What to build").

Jobcentre A holds one of every kind of object (tests/cases/test_access_walk.py's ``World``:
a citizen with conversations, plan, placement, hours, ...; a company and a task), with
distinctive names, plus the admin-only objects (threshold, audit event, user, team, unit).
Users of every role then walk URLs they must not see:

- **Admin walk**: every admin URL pattern (index, app lists, and for every registered model
  changelist, add, change, delete, history, the user's password page, the catch-all that
  redirects to change) as each role of **another team** of jobcentre A and of **jobcentre
  B**. An object URL gets A's object. Allowed answers: 403, 404, a redirect to a login page,
  or (for pages without an object: lists, add forms, index) a 200 that does not contain A's
  identifying text. Never a 500. The one 200 with A's data that is allowed by design is the
  administrator of A's other team: the admin's scope is the jobcentre (docs/security.md).
  Everyone else is either not staff (redirect to the admin login) or in jobcentre B.
- **Application walk**: every URL pattern of the project as each role of jobcentre B, path
  parameters filled with A's objects (mapped as in the access walk; an unmapped parameter
  fails the test), pages without parameters with and without a search for A's names. No
  response (pages, htmx fragments, CSV, PDF text) may contain A's citizen's name or CPR
  (plain or masked), or A's company's name; none may be a 500. So a list view, export or
  download that does not filter through ``visible_to`` fails here, whoever adds it.
- **Application walk from another team**: the same URLs as each team-scoped role (jobformidler,
  virksomhedskonsulent, mentor, teamleder) of **another team of A**: anything of A's citizen
  answers 403/404; the pages of shared objects (companies, tasks, contacts, agreements) and
  every list may load but never show the citizen's name or CPR. (Leder and administrator see
  the whole jobcentre by design.)
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from cases.citizens.models import Citizen
from companies.models import Agreement, ContactPerson
from reporting.dashboards.models import ActionPlan, CaseReview, CaseReviewItem, Target
from substitution.models import (
    AuditAction,
    AuditEvent,
    Role,
    Team,
    Threshold,
    Unit,
    User,
)
from tests.cases.test_access_walk import NOT_PRIVATE, OBJECTS, PARAM, World, object_key
from tests.conftest import client_for
from tests.factories.org import TeamFactory, UnitFactory, make_staff

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
LOGIN_PAGES = {"/login/", "/admin/login/"}
CITIZEN = ("Kvistgaard", "Ulrikke")  # last, first: names no factory makes
COMPANY = "Hemmeligholdt Maskinfabrik"


@dataclass
class JobcentreA:
    world: World
    unit: Unit
    team: Team
    staff: User
    threshold: Threshold
    event: AuditEvent
    contact_person: ContactPerson
    agreement: Agreement
    # reporting.dashboards (issue 10): a target, an action plan and a case review of A.
    dashboards: SimpleNamespace = field(default_factory=SimpleNamespace)

    @property
    def citizen(self) -> Citizen:
        return self.world.citizen

    def secrets(self) -> list[str]:
        c = self.citizen
        return [c.last_name, c.cpr, c.masked_cpr, c.cpr[:6] + "-" + c.cpr[6:], COMPANY]

    def admin_objects(self) -> dict[type[models.Model], models.Model]:
        """The object of A put into each registered model's admin URLs."""
        w = self.world
        return {
            Unit: self.unit,
            Team: self.team,
            User: self.staff,
            Threshold: self.threshold,
            type(w.follow_up): w.follow_up,
            AuditEvent: self.event,
            Citizen: w.citizen,
            type(w.company): w.company,
            type(w.task): w.task,
            Target: self.dashboards.target,
        }


@pytest.fixture
def jobcentre_a(unit: Unit, team: Team) -> JobcentreA:
    staff = make_staff(Role.JOBFORMIDLER, team, username="a_kvistgaard_jf")
    world = World(team, staff)
    Citizen.objects.filter(pk=world.citizen.pk).update(last_name=CITIZEN[0], first_name=CITIZEN[1])
    world.citizen.refresh_from_db()
    type(world.company).objects.filter(pk=world.company.pk).update(name=COMPANY)
    world.company.refresh_from_db()
    a = JobcentreA(
        world=world,
        unit=unit,
        team=team,
        staff=staff,
        threshold=Threshold.objects.create(key="no_contact_days", value=30, unit=unit),
        event=AuditEvent.objects.create(
            user=staff, action=AuditAction.VIEW, object_repr=f"Borger {CITIZEN[0]}"
        ),
        contact_person=ContactPerson.objects.create(company=world.company, name="Kvistgaard"),
        agreement=Agreement.objects.create(company=world.company, signed_on=dt.date(2026, 1, 1)),
    )
    review = CaseReview.objects.create(
        unit=unit, team=team, jobformidler=staff, led_by=staff, held_on=dt.date(2026, 12, 1)
    )
    a.dashboards = SimpleNamespace(
        target=Target.objects.create(
            unit=unit, team=team, measure="caseload", value=40, valid_from=dt.date(2026, 1, 1)
        ),
        plan=ActionPlan.objects.create(
            unit=unit,
            team=team,
            measure="caseload",
            period_first=dt.date(2026, 12, 1),
            period_last=dt.date(2026, 12, 2),
            explanation=f"{CITIZEN[0]} og andre",
            plan="Sagssparring",
            owner=staff,
            created_by=staff,
            follow_up_on=dt.date(2026, 12, 31),
        ),
        review=review,
        item=CaseReviewItem.objects.create(review=review, citizen=world.citizen),
    )
    return a


def viewer(role: str, side: str, jobcentre_a: JobcentreA) -> User:
    if side == "other_team":
        team = TeamFactory.create(unit=jobcentre_a.unit, name="Team A2")
    else:
        unit_b = UnitFactory.create(name="Jobcenter B")
        team = TeamFactory.create(unit=unit_b, name="Team B1")
    return make_staff(role, team, username=f"{side}_{role}")


def body_text(response: HttpResponseBase) -> str:
    raw = b"".join(response) if response.streaming else response.content  # type: ignore[attr-defined]
    if response.get("Content-Type", "").startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    return raw.decode("utf-8-sig", errors="replace")


# --- the admin walk --------------------------------------------------------------------------


def admin_urls(a: JobcentreA) -> Iterator[tuple[str, str, bool]]:
    """(name, URL, shows one of A's objects) for every pattern of ``admin.site``."""
    objects = a.admin_objects()
    ct = ContentType.objects.get_for_model(Citizen)
    for model, model_admin in admin.site._registry.items():
        obj = objects.get(model)
        pk = (
            obj.pk
            if obj
            else model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        )  # shared objects (code lists, groups, axes): any one
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.get_urls():
            assert isinstance(pattern, URLPattern)
            route = str(pattern.pattern)
            name = pattern.name or f"{model._meta.label} {route}"
            if "<" not in route:
                yield name, base + route, False
            elif pk is not None:
                yield name, base + PARAM.sub(str(pk), route), obj is not None
    for entry in admin.site.get_urls():
        if isinstance(entry, URLResolver):
            continue  # the model admins above
        route = str(entry.pattern)
        name = entry.name or route
        if name == "app_list":
            for label in sorted({m._meta.app_label for m in admin.site._registry}):
                yield f"app_list {label}", f"/admin/{label}/", False
        elif name == "view_on_site":
            yield name, f"/admin/r/{ct.pk}/{a.citizen.pk}/", True
        elif "<" not in route and "(" not in route:
            yield name, "/admin/" + route.lstrip("^").rstrip("$"), False


def test_the_admin_walk_covers_every_registered_model(jobcentre_a: JobcentreA) -> None:
    urls = list(admin_urls(jobcentre_a))
    names = {name for name, _url, _obj in urls}
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}"
        for action in ("changelist", "add", "change", "delete", "history"):
            if model._default_manager.exists() or action in {"changelist", "add"}:
                assert f"{prefix}_{action}" in names, (prefix, action)
    assert "auth_user_password_change" in names
    assert {"index", "app_list substitution", "view_on_site"} <= names
    # history, delete, change and the catch-all for 9 models, the password page, view_on_site
    assert sum(1 for _n, _u, obj in urls if obj) >= 9 * 4 + 2


def check(
    response: HttpResponseBase,
    url: str,
    secrets: list[str],
    with_object: bool,
    client: Client | None = None,
) -> str:
    """An empty string if ``response`` keeps A's data hidden, else what is wrong. A redirect
    elsewhere than a login page is followed (with ``client``) and checked in turn: the admin
    sends ``<pk>/`` to ``<pk>/change/`` and "view on site" to the application's page."""
    status = response.status_code
    if status >= 500:
        return f"{url}: {status}"
    if status in {301, 302}:
        location = response["Location"].split("?")[0]
        if location in LOGIN_PAGES:
            return ""
        if client is None:
            return f"{url}: redirect to {location}" if with_object else ""
        location = location.removeprefix("http://testserver")
        return check(client.get(location), f"{url} -> {location}", secrets, with_object)
    if status in {403, 404, 405}:
        return ""
    if with_object:
        return f"{url}: {status} for another jobcentre's or team's object"
    text = body_text(response)
    shown = [s for s in secrets if s in text]
    return f"{url}: {status} shows {shown}" if shown else ""


@pytest.mark.parametrize("side", ["other_team", "other_jobcentre"])
@pytest.mark.parametrize("role", ROLES)
def test_admin_urls_never_show_another_jobcentres_objects(
    jobcentre_a: JobcentreA, role: str, side: str
) -> None:
    user = viewer(role, side, jobcentre_a)
    if side == "other_team" and role == Role.ADMINISTRATOR:
        pytest.skip("the admin's scope is the jobcentre: A's administrator sees A's objects")
    client = client_for(user)
    failures, walked = [], 0
    for _name, url, with_object in admin_urls(jobcentre_a):
        walked += 1
        problem = check(client.get(url), url, jobcentre_a.secrets(), with_object, client)
        if problem:
            failures.append(f"GET {problem}")
        if with_object and url.rstrip("/").endswith(("delete", "change", "password")):
            # The POST a form would send must not act on A's object either.
            problem = check(client.post(url, {"post": "yes"}), url, [], with_object)
            if problem:
                failures.append(f"POST {problem}")
    assert not failures, "\n".join(failures)
    assert walked > 100
    assert Citizen.objects.filter(pk=jobcentre_a.citizen.pk).exists()


# --- the application walk --------------------------------------------------------------------


def app_routes() -> Iterator[tuple[str, str]]:
    """(qualified name, full route) of every named non-admin pattern of the project."""

    def walk(patterns: list[Any], prefix: str, ns: str) -> Iterator[tuple[str, str]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif entry.name:
                yield f"{ns}{entry.name}", prefix + str(entry.pattern)

    yield from walk(get_resolver().url_patterns, "", "")


# Path parameters that name no object: a measure's slug (reporting.dashboards, issue 10). The
# page may load; its text is checked like a page without parameters.
SLUGS = {"tal": "caseload", "ny": "contact_cadence"}


def _slug(slug: str) -> Callable[[World], Any]:
    return lambda _w: SimpleNamespace(pk=slug)


def app_urls(a: JobcentreA) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """(name, URL, shows one of A's objects) for every application URL, and the parameters
    that could not be mapped to an object."""
    world = a.world
    objects: dict[str, Callable[[World], Any]] = {
        **OBJECTS,
        **NOT_PRIVATE,
        # Segments before ``<int:pk>`` outside the cases patterns' own routes.
        "borgere": lambda w: w.citizen,
        "virksomheder": lambda w: w.company,
        "kontaktpersoner": lambda w: a.contact_person,
        "aftaler": lambda w: a.agreement,
        # reporting.dashboards (issue 10): a measure's slug, and A's target, plan and review.
        **{key: _slug(slug) for key, slug in SLUGS.items()},
        "maaltal": lambda w: a.dashboards.target,
        "handlingsplan": lambda w: a.dashboards.plan,
        "sagssparring": lambda w: a.dashboards.review,
        "punkt": lambda w: a.dashboards.item,
        # A fidelity round of A's team (reporting.fidelity): its pages and answer form.
        "fidelitet": lambda w: fidelity_round(a),
        # An API token of A's (reporting.api): its revoke form.
        "noegler": lambda w: api_token(a),
        # A report run about A's team (reporting.reports): its page, progress and download.
        "rapporter": lambda w: report_run(a),
    }
    urls, unknown = [], []
    for name, route in app_routes():
        params = [m.group("name") for m in PARAM.finditer(route)]
        kwargs: dict[str, Any] = {}
        for param in params:
            key = object_key(route, param)
            if key in objects:
                kwargs[param] = objects[key](world).pk
            else:
                unknown.append(f"{name} ({route}): {param!r} -> {key!r}")
        if len(kwargs) == len(params):
            objects_named = [p for p in params if object_key(route, p) not in SLUGS]
            urls.append((name, reverse(name, kwargs=kwargs), bool(objects_named)))
    return urls, unknown


def api_token(a: JobcentreA) -> Any:
    from reporting.api import services as api_services
    from reporting.api.models import ApiToken
    from substitution.audit import SYSTEM

    existing = ApiToken.objects.filter(owner=a.staff).first()
    if existing is not None:
        return existing
    token, _secret = api_services.issue(
        a.staff, f"Nøgle {CITIZEN[0]}", actor=a.staff, context=SYSTEM
    )
    return token


def fidelity_round(a: JobcentreA) -> Any:
    from reporting.fidelity.models import FidelityModel, Response, Round

    existing = Round.objects.filter(unit=a.unit).first()
    if existing is not None:
        return existing
    version = FidelityModel.objects.get(unit__isnull=True, key="fsm").versions.get()
    rnd = Round.objects.create(
        unit=a.unit,
        version=version,
        kind="navngivet",
        name=f"Måling {CITIZEN[0]}",
        opened_by=a.staff,
        opened_on=dt.date(2026, 12, 1),
        closes_on=dt.date(2026, 12, 31),
        period_first=dt.date(2026, 9, 1),
        period_last=dt.date(2026, 12, 1),
    )
    rnd.teams.set([a.team])
    Response.objects.create(round=rnd, user=a.staff, team=a.team)
    return rnd


def report_run(a: JobcentreA) -> Any:
    """A finished caseload report of A's team whose note names A's citizen (a report run of
    reporting.reports): its page, progress fragment and download answer 404 to jobcentre B.
    The file is only named (nothing is written to the media directory)."""
    from reporting.reports.models import ReportRun

    existing = ReportRun.objects.filter(unit=a.unit).first()
    if existing is not None:
        return existing
    run = ReportRun.objects.create(
        unit=a.unit,
        team=a.team,
        report_type="sagsstamme",
        parameters={"period": "2026-11-01:2026-11-30", "note": f"{CITIZEN[0]} {COMPANY}"},
        request_key="walk",
        requested_by=a.staff,
        status="faerdig",
        progress=100,
        file="rapporter/walk.pdf",
    )
    return run


# Searches for a prefix of A's names: the page echoes the query, so only a match would show
# the whole name.
SEARCHES: list[dict[str, str]] = [
    {},
    {"visning": "alle", "status": "", "q": CITIZEN[0][:6]},
    {"q": COMPANY[:15]},
]


@pytest.mark.parametrize("role", ROLES)
def test_no_application_url_shows_another_jobcentres_data(
    jobcentre_a: JobcentreA, role: str
) -> None:
    user = viewer(role, "other_jobcentre", jobcentre_a)
    client = client_for(user)
    urls, unknown = app_urls(jobcentre_a)
    assert not unknown, (
        "URL parameters the walk cannot map to an object; add the key to OBJECTS or "
        "NOT_PRIVATE in tests/cases/test_access_walk.py or to app_urls here:\n" + "\n".join(unknown)
    )
    failures, walked = [], 0
    for name, url, with_object in urls:
        for params in [{}] if with_object else SEARCHES:
            for headers in ({}, {"HX-Request": "true"}):
                walked += 1
                response = client.get(url, params, headers=headers)
                problem = check(response, url, jobcentre_a.secrets(), with_object, client)
                if problem:
                    failures.append(f"{name} {params} {headers}: {problem}")
    assert not failures, "\n".join(failures)
    assert walked > 100


def test_the_secrets_are_visible_to_their_own_team(jobcentre_a: JobcentreA) -> None:
    """The twin that keeps the walk honest: the same checks find A's data for A's team."""
    client = client_for(jobcentre_a.world.citizen.jobformidler or jobcentre_a.staff)
    url = reverse("cases:citizen_detail", kwargs={"pk": jobcentre_a.citizen.pk})
    text = body_text(client.get(url))
    assert CITIZEN[0] in text and jobcentre_a.citizen.masked_cpr in text
    response = client.get(reverse("cases:caseload_export"), {"visning": "alle", "status": ""})
    assert CITIZEN[0] in body_text(response)
    assert check(client.get(url), url, jobcentre_a.secrets(), True)
    assert re.search(
        COMPANY, body_text(client.get(reverse("companies:pipeline"), {"q": COMPANY[:15]}))
    )


# --- the application walk from another team of the same jobcentre ----------------------------

# Objects every role of the jobcentre may open (docs/roles.md: companies are "hele
# jobcentret"); their pages may load for another team but must not show A's citizen.
SHARED_KEYS = {*NOT_PRIVATE, "virksomheder", "kontaktpersoner", "aftaler", "fidelitet", *SLUGS}
TEAM_ROLES = [Role.JOBFORMIDLER, Role.VIRKSOMHEDSKONSULENT, Role.MENTOR, Role.TEAMLEDER]


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_no_application_url_shows_another_teams_citizen(jobcentre_a: JobcentreA, role: str) -> None:
    """Every URL of the project as each team-scoped role of **another team of A** (leder and
    administrator see the whole jobcentre by design): a URL naming A's citizen or anything of
    theirs (conversation, plan, placement, hours, match, report run, dashboard review, ...)
    answers 403/404; every other page, including the company and task pages everyone may
    open, never shows the citizen's name or CPR."""
    user = viewer(role, "other_team", jobcentre_a)
    client = client_for(user)
    urls, unknown = app_urls(jobcentre_a)
    assert not unknown
    keys = {
        name: {object_key(route, m.group("name")) for m in PARAM.finditer(route)}
        for name, route in app_routes()
    }
    # The citizen's first name (the surname is also A's contact person's, shown on the shared
    # company page) and CPR; the company's name is not secret within the jobcentre.
    citizen_secrets = [CITIZEN[1], *jobcentre_a.secrets()[1:-1]]
    failures, walked, private = [], 0, 0
    for name, url, with_object in urls:
        private_object = with_object and bool(keys[name] - SHARED_KEYS)
        private += private_object
        for params in [{}] if with_object else SEARCHES:
            for headers in ({}, {"HX-Request": "true"}):
                walked += 1
                response = client.get(url, params, headers=headers)
                problem = check(response, url, citizen_secrets, private_object, client)
                if problem:
                    failures.append(f"{name} {params} {headers}: {problem}")
    assert not failures, "\n".join(failures)
    assert walked > 100 and private > 30
