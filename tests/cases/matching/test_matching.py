"""Matching on hand-made cases: score parts, hard requirements, consent, ties, hours,
distance; constant queries; proposals and the candidate overview."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import invariants
from cases.citizens.models import Barrier, Consent, JobGoal
from cases.matching import scoring as matching
from cases.matching import services
from cases.matching import views as matching_views
from cases.matching.models import CandidateShare, MatchProposal
from companies.models import RequirementTag, Task
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import CitizenFactory
from tests.factories.companies import CompanyFactory, TaskFactory
from tests.factories.org import TeamFactory, UnitFactory, make_staff

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def citizen_with(
    team: Team,
    goal: str | None = "Lagermedarbejder",
    hours: Any = 15,
    postal: str = "8000",
    consent: bool = True,
    barriers: Sequence[str] = (),
    **kwargs: Any,
) -> Any:
    citizen = CitizenFactory.create(team=team, postal_code=postal, **kwargs)
    if goal:
        JobGoal.objects.create(
            citizen=citizen,
            title=goal,
            hours_per_week=hours,
            experience="To år på lager",
            created_on=TODAY,
        )
    if consent:
        Consent.objects.create(
            citizen=citizen, given_on=TODAY - dt.timedelta(days=10), scope="Deling med virksomheder"
        )
    if barriers:
        citizen.barriers.set(Barrier.objects.filter(code__in=barriers))
    return citizen


def task_with(
    unit: Any,
    title: str = "Lagermedarbejder",
    hours: Any = 15,
    postal: str = "8000",
    requirements: Sequence[str] = (),
    **kwargs: Any,
) -> Task:
    company = CompanyFactory.create(unit=unit, postal_code=postal)
    return TaskFactory.create(
        company=company,
        title=title,
        hours_per_week=hours,
        requirements=list(RequirementTag.objects.filter(code__in=requirements)),
        **kwargs,
    )


def scores(ranking: matching.Ranking) -> list[tuple[int, float]]:
    return [(m.task.pk, m.score) for m in ranking.matches]


def test_perfect_match_scores_100_with_reasons(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit)
    ranking = matching.rank_tasks(citizen, konsulent, day=TODAY)
    assert scores(ranking) == [(task.pk, 100.0)]
    reasons = {r.criterion: r for r in ranking.matches[0].reasons}
    assert reasons["text"].points == 40 and "matcher opgavens titel" in reasons["text"].text
    assert reasons["hours"].text == "Ønsker 15 timer/uge; opgaven er 15 timer/uge."
    assert reasons["distance"].text == "Samme postnummer (8000)."
    assert reasons["consent"].ok
    assert reasons["requirements"].ok


def test_text_hours_distance_parts(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team, goal="Lager og butik", hours=20, postal="8200")
    # text 40 + hours 20 + distance 20 + consent 20
    half_text = task_with(
        team.unit, title="Pakning på lager", hours=20, postal="8200"
    )  # 20+20+20+20
    no_text = task_with(team.unit, title="Opvask", hours=20, postal="8200")  # 0+20+20+20
    half_hours = task_with(
        team.unit, title="Butik og lager", hours=10, postal="8200"
    )  # 40+10+20+20
    area = task_with(team.unit, title="Butik og lager", hours=20, postal="8210")  # 40+20+15+20
    region = task_with(team.unit, title="Butik og lager", hours=20, postal="8600")  # 40+20+8+20
    far = task_with(team.unit, title="Butik og lager", hours=20, postal="2100")  # 40+20+0+20
    ranking = matching.rank_tasks(citizen, konsulent, day=TODAY)
    assert scores(ranking) == [
        (area.pk, 95.0),
        (half_hours.pk, 90.0),
        (region.pk, 88.0),
        (half_text.pk, 80.0),
        (far.pk, 80.0),
        (no_text.pk, 60.0),
    ]
    # The half-text task and the far task tie at 80: the lower pk comes first.
    assert half_text.pk < far.pk


def test_hard_requirement_excludes_task_and_says_why(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team, barriers=["transport"])
    excluded = task_with(team.unit, requirements=["koerekort"])
    allowed = task_with(team.unit, requirements=["danskkundskaber"])
    ranking = matching.rank_tasks(citizen, konsulent, day=TODAY)
    assert [m.task.pk for m in ranking.matches] == [allowed.pk]
    assert ranking.excluded.count == 1
    assert "Kørekort" in ranking.excluded.requirements[0]
    assert services.save_proposal(citizen, excluded, actor=konsulent) is None
    # The other direction leaves the citizen out as well.
    other = citizen_with(team)
    assert [
        m.citizen.pk for m in matching.rank_citizens(excluded, konsulent, day=TODAY).matches
    ] == [other.pk]


def test_missing_consent_scores_lower_and_is_explained(team: Team, konsulent: User) -> None:
    without = citizen_with(team, consent=False)
    with_consent = citizen_with(team)
    task = task_with(team.unit)
    ranking = matching.rank_citizens(task, konsulent, day=TODAY)
    assert [(m.citizen.pk, m.score) for m in ranking.matches] == [
        (with_consent.pk, 100.0),
        (without.pk, 80.0),
    ]
    reason = {r.criterion: r for r in ranking.matches[1].reasons}["consent"]
    assert not reason.ok and "Mangler samtykke" in reason.text
    # A withdrawn consent counts as missing.
    Consent.objects.filter(citizen=with_consent).update(withdrawn_on=TODAY - dt.timedelta(days=1))
    ranking = matching.rank_citizens(task, konsulent, day=TODAY)
    assert [m.score for m in ranking.matches] == [80.0, 80.0]


def test_ties_are_broken_by_pk(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    tasks = [task_with(team.unit) for _ in range(3)]
    ranking = matching.rank_tasks(citizen, konsulent, day=TODAY)
    assert [m.task.pk for m in ranking.matches] == sorted(t.pk for t in tasks)
    citizens = [citizen] + [citizen_with(team) for _ in range(2)]
    ranking = matching.rank_citizens(tasks[0], konsulent, day=TODAY)
    assert [m.citizen.pk for m in ranking.matches] == sorted(c.pk for c in citizens)


def test_no_goal_and_unknown_hours(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team, goal=None)
    task_with(team.unit)
    match = matching.rank_tasks(citizen, konsulent, day=TODAY).matches[0]
    assert match.score == 0 + 10 + 20 + 20
    reasons = {r.criterion: r.text for r in match.reasons}
    assert reasons["text"] == "Borgeren har intet aktivt jobmål."
    assert reasons["hours"].startswith("Borgeren har ikke angivet ønskede timer")


def test_only_open_visible_tasks_and_visible_citizens(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    open_task = task_with(team.unit)
    task_with(team.unit, status="identificeret")
    task_with(UnitFactory.create(name="Andet jobcenter"))  # another jobcentre
    assert [m.task.pk for m in matching.rank_tasks(citizen, konsulent, day=TODAY).matches] == [
        open_task.pk
    ]
    other_team = TeamFactory.create(unit=team.unit, name="Team Andet")
    citizen_with(other_team)  # not in the konsulent's caseload
    ranked = matching.rank_citizens(open_task, konsulent, day=TODAY)
    assert [m.citizen.pk for m in ranked.matches] == [citizen.pk]


def test_both_directions_give_the_same_scores(team: Team, konsulent: User) -> None:
    goals = ["Lagermedarbejder", "Lager og butik", "Kok", "Rengøring"]
    titles = ["Pakning på lager", "Lagermedarbejder", "Butik og lager", "Opvask i køkken"]
    citizens = [citizen_with(team, goal=g) for g in goals]
    tasks = [
        task_with(team.unit, title=t, description="Rengøring af lokaler" if i == 3 else "")
        for i, t in enumerate(titles)
    ]
    forward = {
        (c.pk, m.task.pk): m.score
        for c in citizens
        for m in matching.rank_tasks(c, konsulent, limit=None, day=TODAY).matches
    }
    backward = {
        (m.citizen.pk, t.pk): m.score
        for t in tasks
        for m in matching.rank_citizens(t, konsulent, limit=None, day=TODAY).matches
    }
    assert forward == backward


def _queries(func: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_constant_queries_whatever_the_numbers(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team, barriers=["transport"])
    task = task_with(team.unit, requirements=["tunge-loeft"])
    small_tasks = _queries(lambda: matching.rank_tasks(citizen, konsulent, day=TODAY))
    small_citizens = _queries(lambda: matching.rank_citizens(task, konsulent, day=TODAY))
    for n in range(25):
        task_with(team.unit, title=f"Lager {n}", requirements=["koerekort"] if n % 3 else [])
        citizen_with(team, barriers=["kan-ikke-loefte"] if n % 2 else [])
    assert _queries(lambda: matching.rank_tasks(citizen, konsulent, day=TODAY)) == small_tasks
    assert _queries(lambda: matching.rank_citizens(task, konsulent, day=TODAY)) == small_citizens


# A jobcentre of 60 open tasks in five postal areas, with goal words in some titles, hours
# around and far from the citizens' wishes, blocked requirements and many equal scores.
POSTAL_CODES = ["8200", "8200", "8210", "8000", "8600", "7100", "5000", ""]
HOURS = [20, 20, 18, 25, 10, 37, 4, 15]
TITLES = ["Lagermedarbejder", "Rengøring", "Pakning på lager", "Opvask", "Butik og lager"]


def jobcentre_of_tasks(unit: Any) -> list[Task]:
    return [
        task_with(
            unit,
            title=TITLES[n % 5] if n % 7 else f"Lager {n}",
            hours=HOURS[(n * 3) % 8],
            postal=POSTAL_CODES[n % 8],
            requirements=["koerekort"] if n % 11 == 0 else [],
        )
        for n in range(60)
    ]


@pytest.mark.parametrize(
    ("goal", "hours", "postal", "consent"),
    [
        ("Lagermedarbejder", 20, "8200", True),  # goal words, hours and the postal code met
        ("Butik og lager", 30, "8250", True),  # no task in the citizen's postal code
        ("Kok", 37, "8000", False),  # a goal no task matches, no consent
        ("Lagermedarbejder", None, "8200", True),  # no wanted hours: 0.5 for every task
        (None, 15, "", True),  # no goal, no postal code: distance 0.25 for every task
        ("Lager", 1, "9000", True),  # far away, and wanting fewer hours than any task
    ],
)
def test_the_pruned_top_list_is_the_rule(
    team: Team,
    konsulent: User,
    goal: str | None,
    hours: int | None,
    postal: str,
    consent: bool,
) -> None:
    """The top list read through ``threshold`` and ``prune`` (PostgreSQL) is the first ten of
    the ranking of every open task: the same tasks, scores and order (ties by pk)."""
    jobcentre_of_tasks(team.unit)
    citizen = citizen_with(
        team, goal=goal, hours=hours, postal=postal, consent=consent, barriers=["transport"]
    )
    every = matching.rank_tasks(citizen, konsulent, limit=None, day=TODAY)
    top = matching.rank_tasks(citizen, konsulent, limit=10, day=TODAY)
    assert len(every.matches) == 54  # 6 of the 60 need a driving licence
    assert scores(top) == scores(every)[:10]
    assert top.excluded == every.excluded
    assert [m.reasons for m in top.matches] == [m.reasons for m in every.matches[:10]]


def test_pruning_reads_fewer_tasks_than_it_ranks(team: Team, konsulent: User) -> None:
    """On PostgreSQL the threshold is found and the pruned tasks are far fewer than the open
    ones, yet hold the top list."""
    if connection.vendor != "postgresql":
        pytest.skip("pruning is PostgreSQL's (the search vector and postal code columns)")
    jobcentre_of_tasks(team.unit)
    citizen = citizen_with(team, goal="Lagermedarbejder", hours=20, postal="8200")
    bound = matching.Bound(terms=["lagermedarbejd"], wanted=20.0, postal="8200", consent=True)
    tasks = Task.objects.visible_to(konsulent).open()
    lowest = matching.threshold(tasks, bound, 10)
    top = matching.rank_tasks(citizen, konsulent, limit=10, day=TODAY)
    # A score the tenth task reaches, as high as the probe's tasks allow (within rounding).
    assert lowest is not None and top.matches[9].score - 0.02 < lowest <= top.matches[9].score
    kept = set(tasks.filter(matching.prune(bound, lowest)).values_list("pk", flat=True))
    assert {m.task.pk for m in top.matches} <= kept
    assert len(kept) < tasks.count() / 2


def test_a_company_moved_by_its_form_moves_its_tasks_for_matching(
    team: Team, konsulent: User
) -> None:
    """``update_company`` refreshes the postal code matching prunes by (``check_data``:
    opgave-matchfelter), so a task whose company moves next door is found there."""
    jobcentre_of_tasks(team.unit)
    citizen = citizen_with(team, goal="Kok", hours=37, postal="9000")
    moved = Task.objects.filter(company__postal_code="5000").order_by("pk").first()
    assert moved is not None
    company = moved.company
    client_for(konsulent).post(
        reverse("companies:company_edit", args=[company.pk]),
        {"cvr": company.cvr, "name": company.name, "postal_code": "9000", "city": "Aalborg"},
    )
    company.refresh_from_db()
    assert company.postal_code == "9000"
    assert invariants.task_match_columns(TODAY) == []
    top = matching.rank_tasks(citizen, konsulent, limit=10, day=TODAY)
    every = matching.rank_tasks(citizen, konsulent, limit=None, day=TODAY)
    assert scores(top) == scores(every)[:10]
    assert moved.pk in {m.task.pk for m in top.matches}


# --- views --------------------------------------------------------------------------------------

# The citizen panel's list as the template rendered it before the items were built in Python.
ITEMS_TEMPLATE = """{% load i18n numbers %}{% for match in matches %}
    <li class="match">
      <div class="match-head">
        {% include "cases/matching/_score.html" %}
        <a href="{% url 'companies:task_detail' match.task.pk %}">{{ match.task.title }}</a>
        <span class="muted small">{% trans "hos" %} <a href="{% url 'companies:company_detail' match.task.company.pk %}">{{ match.task.company.name }}</a>, {{ match.task.company.postal_code }} {{ match.task.company.city }} · {{ match.task.hours_per_week|hours }} {% trans "t/uge" %}</span>
      </div>
      {% include "cases/matching/_reasons.html" %}
      {% if can_propose %}{% include "cases/matching/_save_proposal.html" with citizen_pk=citizen.pk task_pk=match.task.pk %}{% endif %}
    </li>{% endfor %}"""  # noqa: E501


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("can_propose", [True, False])
def test_the_panel_items_in_python_are_the_partials_markup(
    team: Team, konsulent: User, can_propose: bool
) -> None:
    jobcentre_of_tasks(team.unit)
    citizen = citizen_with(team, goal="Lagermedarbejder", hours=20, postal="8200")
    matches = matching.rank_tasks(citizen, konsulent, limit=10, day=TODAY).matches
    matches[0].task.title, matches[0].task.hours_per_week = "Lager & <pakning>", Decimal("7.5")
    request = RequestFactory().get("/")
    request.user = konsulent
    context = {"matches": matches, "citizen": citizen, "can_propose": can_propose}
    expected = Template(ITEMS_TEMPLATE).render(RequestContext(request, context))
    built = matching_views._match_items(request, citizen, matches, can_propose)  # type: ignore[arg-type]
    assert "&lt;pakning&gt;" in built and "7,5 t/uge" in built
    assert ("csrfmiddlewaretoken" in built) is can_propose
    assert _normalised(built) == _normalised(expected)


def test_citizen_panel_and_task_panel(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit, title="Lagermedarbejder")
    client = client_for(konsulent)
    response = client.get(
        reverse("cases:citizen_matches", args=[citizen.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lagermedarbejder" in body and "Hvorfor?" in body and "<html" not in body
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, citizen_id=citizen.pk).exists()
    response = client.get(reverse("cases:task_candidates", args=[task.pk]), HTTP_HX_REQUEST="true")
    assert citizen.first_name in response.content.decode()


def test_panels_404_for_other_jobcentre(team: Team, konsulent: User) -> None:
    other_unit = UnitFactory.create(name="Fremmed jobcenter")
    other_team = TeamFactory.create(unit=other_unit)
    stranger = make_staff(Role.VIRKSOMHEDSKONSULENT, other_team, username="fremmed")
    citizen = citizen_with(team)
    task = task_with(team.unit)
    client = client_for(stranger)
    assert client.get(reverse("cases:citizen_matches", args=[citizen.pk])).status_code == 404
    assert client.get(reverse("cases:task_candidates", args=[task.pk])).status_code == 404
    assert client.get(reverse("cases:candidate_overview", args=[task.pk])).status_code == 404
    response = client.post(reverse("cases:save_proposal"), {"citizen": citizen.pk, "task": task.pk})
    assert response.status_code == 404


def test_panel_queries_constant(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit)
    client = client_for(konsulent)
    urls = [
        reverse("cases:citizen_matches", args=[citizen.pk]),
        reverse("cases:task_candidates", args=[task.pk]),
    ]
    client.get(urls[0])  # warm caches (content types, sessions)
    before = [_queries(partial(client.get, u, HTTP_HX_REQUEST="true")) for u in urls]
    for n in range(15):
        task_with(team.unit, title=f"Lager {n}")
        citizen_with(team)
    after = [_queries(partial(client.get, u, HTTP_HX_REQUEST="true")) for u in urls]
    assert after == before


def test_save_proposal_scores_on_server(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit)
    response = client_for(konsulent).post(
        reverse("cases:save_proposal"),
        {"citizen": citizen.pk, "task": task.pk, "score": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    proposal = MatchProposal.objects.get()
    assert (proposal.citizen, proposal.task, float(proposal.score)) == (citizen, task, 100.0)
    assert {r["criterion"] for r in proposal.reasons} >= {"text", "hours", "distance", "consent"}
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, citizen_id=citizen.pk).exists()


def test_candidate_overview_shares_only_consented_and_covered_fields(
    team: Team, konsulent: User
) -> None:
    shared = citizen_with(team, barriers=["sprog"], last_name="Hemmeligsen")
    no_consent = citizen_with(team, consent=False)
    task = task_with(team.unit)
    client = client_for(konsulent)
    page = client.get(reverse("cases:candidate_overview", args=[task.pk])).content.decode()
    assert shared.first_name in page and "To år på lager" in page
    assert "Hemmeligsen" not in page and shared.cpr not in page
    assert "Sproglige udfordringer" not in page
    assert f'value="{no_consent.pk}"' not in page
    response = client.post(
        reverse("cases:candidate_overview", args=[task.pk]),
        {"citizen": [shared.pk, no_consent.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    share = CandidateShare.objects.get()
    assert share.citizen == shared and share.task == task
    assert share.fields == ["first_name", "job_goal", "hours_wanted", "experience"]
    assert AuditEvent.objects.filter(action=AuditAction.SHARE, citizen_id=shared.pk).count() == 1
    assert not AuditEvent.objects.filter(
        action=AuditAction.SHARE, citizen_id=no_consent.pk
    ).exists()


def test_pdf_holds_no_cpr_or_last_name(team: Team, konsulent: User) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    citizen = citizen_with(team, last_name="Hemmeligsen")
    task = task_with(team.unit)
    response = client_for(konsulent).post(
        reverse("cases:candidate_overview", args=[task.pk]), {"citizen": [citizen.pk]}
    )
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert citizen.first_name in text and "Lagermedarbejder" in text
    assert "Hemmeligsen" not in text and citizen.cpr not in text


def _pdf_text(content: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)


def test_pdf_text_holds_only_consented_citizens_and_covered_fields(
    team: Team, konsulent: User
) -> None:
    """The PDF the company receives, read back as text: the chosen consenting citizens with
    first name, job goal, hours and experience, and nothing else about them."""
    shared = citizen_with(
        team,
        first_name="Amira",
        last_name="Hemmeligsen",
        barriers=["helbred-psykisk", "sprog"],
        address="Skjultvej 7",
        phone="12345678",
    )
    second = citizen_with(team, first_name="Bente", last_name="Skjultsen", hours=20)
    not_chosen = citizen_with(team, first_name="Carla", last_name="Valgtfra")
    no_consent = citizen_with(team, first_name="Dorte", last_name="Udensamtykke", consent=False)
    withdrawn = citizen_with(team, first_name="Erik", last_name="Tilbagekaldt")
    Consent.objects.filter(citizen=withdrawn).update(withdrawn_on=TODAY - dt.timedelta(days=1))
    task = task_with(team.unit, title="Lagermedarbejder", hours="7.5")
    response = client_for(konsulent).post(
        reverse("cases:candidate_overview", args=[task.pk]),
        {"citizen": [shared.pk, second.pk, no_consent.pk, withdrawn.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Amira" in text and "Bente" in text
    assert "Lagermedarbejder" in text and "To år på lager" in text
    assert "7,5 timer pr. uge" in text and "20" in text
    for citizen in (shared, second):
        assert citizen.last_name not in text
        assert citizen.cpr not in text
        assert citizen.cpr[:6] not in text  # not even the birth date part
    assert "Skjultvej" not in text and "12345678" not in text
    # Never health or barriers.
    for label in Barrier.objects.values_list("label", flat=True):
        assert label not in text, label
    for word in ["helbred", "Helbred", "barriere", "Barriere", "psykisk", "Sprog"]:
        assert word not in text, word
    # Only chosen citizens with an active consent (posting others' pks shares nothing).
    for name in ["Carla", "Dorte", "Erik", "Valgtfra", "Udensamtykke", "Tilbagekaldt"]:
        assert name not in text, name
    assert set(CandidateShare.objects.values_list("citizen", flat=True)) == {shared.pk, second.pk}
    assert not_chosen.pk not in CandidateShare.objects.values_list("citizen", flat=True)


def test_overview_ticks_nobody_in_advance(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    task = task_with(team.unit)
    page = client_for(konsulent).get(reverse("cases:candidate_overview", args=[task.pk]))
    body = page.content.decode()
    assert f'value="{citizen.pk}"' in body and "checked" not in body
    response = client_for(konsulent).post(reverse("cases:candidate_overview", args=[task.pk]), {})
    assert response.status_code == 400 and "Vælg mindst én kandidat." in response.content.decode()
    assert not CandidateShare.objects.exists()


def test_requirement_reason_names_the_requirements(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team)
    plain = task_with(team.unit)
    demanding = task_with(team.unit, requirements=["koerekort", "tunge-loeft"])
    texts = {
        m.task.pk: {r.criterion: r.text for r in m.reasons}["requirements"]
        for m in matching.rank_tasks(citizen, konsulent, day=TODAY).matches
    }
    assert texts[plain.pk] == "Opgaven har ingen særlige krav."
    assert texts[demanding.pk].startswith("Opgavens krav (")
    assert "Kørekort" in texts[demanding.pk] and "Tunge løft" in texts[demanding.pk]
    assert texts[demanding.pk].endswith("udelukkes ikke af borgerens barrierer.")
    backward = matching.rank_citizens(demanding, konsulent, day=TODAY).matches[0]
    assert {r.criterion: r.text for r in backward.reasons}["requirements"] == texts[demanding.pk]


def test_exclusion_notice_names_what_was_left_out(team: Team, konsulent: User) -> None:
    citizen = citizen_with(team, barriers=["transport"])
    task = task_with(team.unit, requirements=["koerekort"])
    citizen_with(team)
    client = client_for(konsulent)
    body = client.get(
        reverse("cases:citizen_matches", args=[citizen.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "1 opgave er udeladt, fordi borgerens barrierer udelukker et af dens krav:" in body
    body = client.get(
        reverse("cases:task_candidates", args=[task.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "1 borger er udeladt, fordi en barriere udelukker opgavens krav:" in body


def test_panel_says_when_the_citizen_has_no_job_goal(team: Team, konsulent: User) -> None:
    without = citizen_with(team, goal=None)
    with_goal = citizen_with(team)
    task_with(team.unit)
    client = client_for(konsulent)
    notice = "Borgeren har intet aktivt jobmål, så forslagene bygger kun på timer"
    for citizen, shown in [(without, True), (with_goal, False)]:
        body = client.get(
            reverse("cases:citizen_matches", args=[citizen.pk]), HTTP_HX_REQUEST="true"
        ).content.decode()
        assert (notice in body) is shown


def test_share_appears_on_citizen_timeline(team: Team, konsulent: User) -> None:
    from cases.citizens import timeline

    citizen = citizen_with(team)
    task = task_with(team.unit)
    client_for(konsulent).post(
        reverse("cases:candidate_overview", args=[task.pk]), {"citizen": [citizen.pk]}
    )
    entries = [e for e in timeline.build(citizen) if e.kind == "share"]
    assert [e.obj.task for e in entries] == [task]


def test_overview_says_why_the_top_candidate_is_left_out(team: Team, konsulent: User) -> None:
    """Issue 14, defect 8: the task page's top candidate (no consent) was dropped from the
    candidate overview without a word."""
    top = citizen_with(team, consent=False, first_name="Amira", last_name="Skjultsen")
    citizen_with(team, postal="9990", hours=37, first_name="Bo")
    task = task_with(team.unit)
    client = client_for(konsulent)
    task_page = client.get(reverse("cases:task_candidates", args=[task.pk])).content.decode()
    assert task_page.index("Amira") < task_page.index("Bo")
    page = client.get(reverse("cases:candidate_overview", args=[task.pk])).content.decode()
    assert f'value="{top.pk}"' not in page
    assert "Ikke med på listen" in page
    left_out = page.split("Ikke med på listen")[1]
    assert "Amira" in left_out and "intet gældende samtykke" in left_out
    assert "Skjultsen" not in page


def test_citizen_panel_shows_only_relevant_matches_or_says_why_none(
    team: Team, konsulent: User
) -> None:
    """Issue 14: ten suggestions of 35/100, none fitting the job goal, filled the citizen page.
    Below the relevance threshold the panel says in one line that there is no good match."""
    citizen = citizen_with(team, goal="Frisør", hours=37, postal="8000")
    for n in range(5):
        task_with(team.unit, title=f"Truckfører {n}", hours=5, postal="9990")
    body = (
        client_for(konsulent)
        .get(reverse("cases:citizen_matches", args=[citizen.pk]), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'class="match"' not in body
    assert "Ingen opgave passer godt (mindst 50/100)" in body
    assert body.count("Truckfører") == 1


def test_a_withdrawn_consent_is_not_shared(team: Team, konsulent: User) -> None:
    """Consent with withdrawal (issue 15, privacy duties): a citizen whose consent to sharing
    was withdrawn is neither offered on the candidate overview nor shared when posted anyway;
    a withdrawal dated after today has not taken effect yet."""
    withdrawn = citizen_with(team, last_name="Tilbagekaldsen")
    Consent.objects.filter(citizen=withdrawn).update(withdrawn_on=TODAY)
    later = citizen_with(team, last_name="Senerekaldsen")
    # The suite's clock stands at 2 December 2026 (tests/clock.py).
    Consent.objects.filter(citizen=later).update(withdrawn_on=dt.date(2026, 12, 3))
    task = task_with(team.unit)
    client = client_for(konsulent)
    page = client.get(reverse("cases:candidate_overview", args=[task.pk])).content.decode()
    assert f'value="{withdrawn.pk}"' not in page
    assert f'value="{later.pk}"' in page
    response = client.post(
        reverse("cases:candidate_overview", args=[task.pk]),
        {"citizen": [withdrawn.pk, later.pk]},
    )
    assert response.status_code == 200
    assert [s.citizen for s in CandidateShare.objects.all()] == [later]
    assert not AuditEvent.objects.filter(action=AuditAction.SHARE, citizen_id=withdrawn.pk)
