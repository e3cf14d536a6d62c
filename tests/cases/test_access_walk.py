"""Access walk: a jobformidler of another team gets 404 for every citizen-related URL.

The URL patterns are discovered from the resolver (every pattern in the ``cases``
namespace), so URLs added later by anyone are walked automatically.

Mapping rule from a path parameter to the object put into the URL:

1. A parameter named ``<name>_pk`` or ``<name>_id`` names its object directly
   (``citizen_pk`` -> citizen, ``placement_pk`` -> placement, ``task_pk`` -> task, ...).
2. A parameter named ``pk`` takes its object from the literal path segment just before it:
   ``<int:pk>/...`` at the start of the route (``borgere/<pk>/``) is a citizen;
   ``samtaler/<pk>/`` a conversation, ``forloeb/<pk>/`` a placement, and so on (OBJECTS).
3. An unknown name fails the test with a message saying where to add it, so a new kind of
   object URL can never escape the walk silently.

Citizen-related objects (all keys in OBJECTS) belong to a citizen of *another* team and must
give 404 on GET and POST (405 is accepted for a method the view does not take, but at least
one method must reach the object lookup and give 404). Objects that are not private to a
team (NOT_PRIVATE: companies and tasks, which everyone in the jobcentre may read) are
walked too, and the page must not show the other team's citizen.

Plus: the caseload list, search and export never include another team's citizens, and no
parameterless page in the namespace shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.citizens.assignments import assign
from cases.citizens.models import (
    Citizen,
    Consent,
    Plan,
    PlanRevision,
    ProgressReview,
    ReviewOutcome,
    SubGoal,
)
from cases.matching.models import MatchProposal
from substitution.models import FollowUp, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory, ConversationFactory, JobGoalFactory
from tests.factories.org import make_staff
from tests.factories.placements import (
    PlacementFactory,
    WeeklyHoursFactory,
    WorkAgreementFactory,
    make_company,
    make_task,
)

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def walk(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, str, str]]:
    """(namespace:name, full route, route of the pattern itself) for every named pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield (f"{namespace}:{entry.name}", prefix + str(entry.pattern), str(entry.pattern))


def cases_patterns() -> list[tuple[str, str]]:
    return [(name, route) for name, _full, route in walk(get_resolver().url_patterns)
            if name.startswith("cases:")]  # fmt: skip


def object_key(route: str, param: str) -> str:
    """Which object a path parameter stands for (rules 1 and 2 of the module docstring)."""
    match = re.fullmatch(r"(\w+?)_(?:pk|id)", param)
    if match:
        return match.group(1)
    before = route.split(f"<int:{param}>")[0] if f"<int:{param}>" in route else ""
    if not before:
        before = route.split("<")[0]
    segments = [s for s in before.split("/") if s]
    return segments[-1] if segments else "citizen"


class World:
    """Another team's citizen with one of every related object."""

    def __init__(self, other_team: Team, other_jf: User) -> None:
        self.citizen = CitizenFactory.create(
            team=other_team, first_name="Hemmelig", last_name="Borgersen"
        )
        assign(self.citizen, other_jf)
        self.conversation = ConversationFactory.create(citizen=self.citizen, author=other_jf)
        self.follow_up = FollowUp.objects.create(
            owner=other_jf, due_on=dt.date(2026, 5, 1), title="Ring", subject=self.citizen
        )
        self.job_goal = JobGoalFactory.create(citizen=self.citizen)
        self.consent = Consent.objects.create(
            citizen=self.citizen, given_on=dt.date(2026, 1, 1), scope="CV", recorded_by=other_jf
        )
        self.plan = Plan.objects.create(citizen=self.citizen, end_goal="Job")
        self.sub_goal = SubGoal.objects.create(plan=self.plan, title="Møde stabilt")
        self.revision = PlanRevision.objects.create(plan=self.plan, by=other_jf)
        self.review = ProgressReview.objects.create(
            sub_goal=self.sub_goal, by=other_jf, outcome=ReviewOutcome.BEVAEGER
        )
        self.company = make_company(other_team.unit, name="Fælles Virksomhed A/S")
        self.task = make_task(self.company)
        self.placement = PlacementFactory.create(
            citizen=self.citizen, company=self.company, task=self.task
        )
        self.agreement = WorkAgreementFactory.create(placement=self.placement)
        self.hours = WeeklyHoursFactory.create(placement=self.placement)
        self.proposal = MatchProposal.objects.create(
            citizen=self.citizen, task=self.task, created_by=other_jf
        )


# key (rule 1 name or rule 2 segment) -> the other team's object for it.
OBJECTS: dict[str, Callable[[World], Any]] = {
    "citizen": lambda w: w.citizen,
    "borger": lambda w: w.citizen,
    "conversation": lambda w: w.conversation,
    "samtaler": lambda w: w.conversation,
    "samtale": lambda w: w.conversation,
    "followup": lambda w: w.follow_up,
    "opfoelgninger": lambda w: w.follow_up,
    "opfoelgning": lambda w: w.follow_up,
    "jobgoal": lambda w: w.job_goal,
    "jobmaal": lambda w: w.job_goal,
    "consent": lambda w: w.consent,
    "samtykke": lambda w: w.consent,
    "plan": lambda w: w.plan,
    "subgoal": lambda w: w.sub_goal,
    "sub_goal": lambda w: w.sub_goal,
    "delmaal": lambda w: w.sub_goal,
    "revision": lambda w: w.revision,
    "revisioner": lambda w: w.revision,
    "review": lambda w: w.review,
    "progression": lambda w: w.review,
    "placement": lambda w: w.placement,
    "forloeb": lambda w: w.placement,
    "agreement": lambda w: w.agreement,
    "arbejdsaftale": lambda w: w.agreement,
    "hours": lambda w: w.hours,
    "timer": lambda w: w.hours,
    "proposal": lambda w: w.proposal,
    "match": lambda w: w.proposal,
}
# Shared across teams (everyone in the jobcentre may read them): the page may load, but
# must not show the other team's citizen.
NOT_PRIVATE: dict[str, Callable[[World], Any]] = {
    "company": lambda w: w.company,
    "virksomhed": lambda w: w.company,
    "task": lambda w: w.task,
    "opgaver": lambda w: w.task,
}


@pytest.fixture
def world(other_team: Team, other_jobformidler: User) -> World:
    return World(other_team, other_jobformidler)


@pytest.fixture
def outsider(team: Team) -> User:
    """A jobformidler of team A (the world's citizen belongs to team B)."""
    user = make_staff(Role.JOBFORMIDLER, team, username="outsider")
    CitizenFactory.create(team=team, first_name="Egen", last_name="Borger")
    return user


def routes_with_params() -> list[tuple[str, str, list[str]]]:
    result = []
    for name, route in cases_patterns():
        params = [m.group("name") for m in PARAM.finditer(route)]
        if params:
            result.append((name, route, params))
    return result


def test_the_walk_covers_citizen_urls() -> None:
    names = {name for name, _route, _params in routes_with_params()}
    assert "cases:citizen_detail" in names
    assert len(names) >= 5


def test_every_object_url_is_404_for_another_team(world: World, outsider: User) -> None:
    client = client_for(outsider)
    unknown, failures, walked = [], [], 0
    for name, route, params in routes_with_params():
        kwargs, private = {}, False
        for param in params:
            key = object_key(route, param)
            if key in OBJECTS:
                kwargs[param] = OBJECTS[key](world).pk
                private = True
            elif key in NOT_PRIVATE:
                kwargs[param] = NOT_PRIVATE[key](world).pk
            else:
                unknown.append(f"{name} ({route}): parameter {param!r} -> key {key!r}")
        if len(kwargs) != len(params):
            continue
        url = reverse(name, kwargs=kwargs)
        got = {"GET": client.get(url).status_code, "POST": client.post(url, {}).status_code}
        walked += 1
        if private:
            if set(got.values()) - {404, 405} or 404 not in got.values():
                failures.append(f"{name} {url}: {got} (expected 404)")
        else:
            body = client.get(url).content.decode(errors="replace")
            if world.citizen.last_name in body or world.citizen.masked_cpr in body:
                failures.append(f"{name} {url}: shows another team's citizen")
    assert not unknown, (
        "URL parameters the access walk cannot map; add the key to OBJECTS (citizen-related) "
        "or NOT_PRIVATE in tests/cases/test_access_walk.py:\n" + "\n".join(unknown)
    )
    assert not failures, "\n".join(failures)
    assert walked >= 5


def test_pages_without_parameters_never_show_another_teams_citizen(
    world: World, outsider: User
) -> None:
    client = client_for(outsider)
    for name, route in cases_patterns():
        if PARAM.search(route):
            continue
        for params in ({}, {"visning": "alle", "status": ""}):
            response = client.get(reverse(name), params)
            if response.status_code != 200:
                continue
            body = b"".join(response).decode("utf-8-sig", errors="replace")
            assert world.citizen.last_name not in body, name
            assert world.citizen.masked_cpr not in body, name


def test_caseload_search_and_export_never_include_another_team(
    world: World, outsider: User, team: Team
) -> None:
    client = client_for(outsider)
    url, export = reverse("cases:caseload"), reverse("cases:caseload_export")
    for query in ("Hemmelig", "Borgersen", world.citizen.cpr, world.citizen.masked_cpr[:6], ""):
        params = {"visning": "alle", "status": "", "q": query}
        response = client.get(url, params)
        assert world.citizen not in list(response.context["page"].object_list)
        results = client.get(url, params, headers={"HX-Request": "true"}).content.decode()
        rows = results.split("<tbody>")[1].split("</tbody>")[0]  # the query is echoed elsewhere
        assert "Hemmelig" not in rows and world.citizen.masked_cpr not in rows
        exported = list(
            csv.reader(
                io.StringIO(b"".join(client.get(export, params)).decode("utf-8-sig")),
                delimiter=";",
            )
        )
        assert all("Borgersen" not in row[0] for row in exported[1:])
    assert Citizen.objects.visible_to(outsider).filter(pk=world.citizen.pk).exists() is False
    # Filtering by the other team's jobformidler is refused, not used to reach their citizens.
    other_jf = world.citizen.jobformidler
    assert other_jf is not None
    response = client.get(url, {"visning": "alle", "jobformidler": str(other_jf.pk)})
    assert world.citizen not in list(response.context["page"].object_list)
    assert "Borgersen" not in response.content.decode()
