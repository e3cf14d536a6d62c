"""The caseload list: scope, columns, filters, search, sort, pagination, htmx, export,
and a constant number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.citizens.models import (
    BenefitType,
    Citizen,
    CitizenStatus,
    ConversationOutcome,
    ReadinessCategory,
    VisitationGroup,
)
from substitution.models import AuditAction, AuditEvent, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    JobGoalFactory,
    code,
)
from tests.factories.org import make_staff

URL = reverse("cases:caseload")
TODAY = dt.date(2026, 3, 16)
NOW = dt.datetime(2026, 3, 16, 12, 0, tzinfo=dt.UTC)

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock_sweep]

# When the citizens got their jobformidler.
ASSIGNED = TODAY - dt.timedelta(days=100)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def names(response: Any) -> list[str]:
    return [c.full_name for c in response.context["page"].object_list]


@pytest.fixture
def colleague(team: Team) -> User:
    return make_staff(Role.JOBFORMIDLER, team, username="jf2")


@pytest.fixture
def people(
    team: Team, other_team: Team, jobformidler: User, colleague: User, other_jobformidler: User
) -> dict[str, Citizen]:
    return {
        "anna": CitizenFactory.create(
            team=team,
            assigned_to=jobformidler,
            assigned_to__on=ASSIGNED,
            first_name="Anna",
            last_name="Andersen",
        ),
        "bo": CitizenFactory.create(
            team=team,
            assigned_to=jobformidler,
            assigned_to__on=ASSIGNED,
            first_name="Bo",
            last_name="Berg",
        ),
        "cai": CitizenFactory.create(
            team=team,
            assigned_to=colleague,
            assigned_to__on=ASSIGNED,
            first_name="Cai",
            last_name="Carlsen",
        ),
        "dorte": CitizenFactory.create(
            team=team,
            assigned_to=jobformidler,
            assigned_to__on=ASSIGNED,
            first_name="Dorte",
            last_name="Dahl",
            status=CitizenStatus.AFSLUTTET,
        ),
        "erik": CitizenFactory.create(
            team=other_team,
            assigned_to=other_jobformidler,
            assigned_to__on=ASSIGNED,
            first_name="Erik",
            last_name="Eg",
        ),
    }


def test_jobformidler_defaults_to_own_caseload_and_can_see_the_team(
    people: dict[str, Citizen], jf_client: Any
) -> None:
    response = jf_client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Anna Andersen", "Bo Berg"]
    response = jf_client.get(URL, {"visning": "alle"})
    assert names(response) == ["Anna Andersen", "Bo Berg", "Cai Carlsen"]
    response = jf_client.get(URL, {"visning": "alle", "status": ""})
    assert "Erik Eg" not in names(response)
    assert "Dorte Dahl" in names(response)


def test_teamleder_sees_led_team_and_leder_sees_all(
    people: dict[str, Citizen], teamleder: User, leder: User
) -> None:
    response = client_for(teamleder).get(URL)
    assert names(response) == ["Anna Andersen", "Bo Berg", "Cai Carlsen"]
    response = client_for(leder).get(URL)
    assert names(response) == ["Anna Andersen", "Bo Berg", "Cai Carlsen", "Erik Eg"]


def test_columns_show_masked_cpr_step_contact_and_follow_up(
    people: dict[str, Citizen], jf_client: Any, jobformidler: User
) -> None:
    anna = people["anna"]
    JobGoalFactory.create(citizen=anna, created_on=TODAY - dt.timedelta(days=10))
    ConversationFactory.create(
        citizen=anna, author=jobformidler, occurred_at=NOW - dt.timedelta(days=50)
    )
    ConversationFactory.create(
        citizen=anna,
        author=jobformidler,
        occurred_at=NOW - dt.timedelta(days=3),
        outcome=ConversationOutcome.AFLYST,
    )
    FollowUpFactory.create(
        owner=jobformidler, due_on=TODAY - dt.timedelta(days=2), title="Ring", subject=anna
    )
    FollowUpFactory.create(
        owner=jobformidler,
        due_on=TODAY - dt.timedelta(days=9),
        title="Gammel",
        subject=anna,
        done_at=NOW,
    )
    response = jf_client.get(URL)
    html = response.content.decode()
    row = response.context["page"].object_list[0]
    assert row.pk == anna.pk
    assert row.days_since_contact == 50
    assert row.next_follow_up_on == TODAY - dt.timedelta(days=2)
    assert row.step == 2
    assert anna.masked_cpr in html
    assert anna.cpr not in html
    assert "Trin 2 – På vej mod job" in html
    assert "14.03.2026 · overskredet" in html
    assert reverse("cases:citizen_detail", args=[anna.pk]) in html


def test_filters(people: dict[str, Citizen], jf_client: Any, colleague: User) -> None:
    anna, bo = people["anna"], people["bo"]
    JobGoalFactory.create(citizen=anna)
    Citizen.objects.filter(pk=bo.pk).update(
        benefit_type=code(BenefitType, "uddannelseshjaelp"),
        visitation_group=code(VisitationGroup, "gruppe-2"),
        readiness=code(ReadinessCategory, "jobparat"),
    )
    base = {"visning": "alle"}
    assert names(jf_client.get(URL, base | {"trin": "2"})) == ["Anna Andersen"]
    assert names(jf_client.get(URL, base | {"trin": "1"})) == ["Bo Berg", "Cai Carlsen"]
    benefit = code(BenefitType, "uddannelseshjaelp")
    assert names(jf_client.get(URL, base | {"ydelse": benefit.pk})) == ["Bo Berg"]
    group = code(VisitationGroup, "gruppe-2")
    assert names(jf_client.get(URL, base | {"visitationsgruppe": group.pk})) == ["Bo Berg"]
    assert names(jf_client.get(URL, base | {"jobformidler": colleague.pk})) == ["Cai Carlsen"]
    assert names(jf_client.get(URL, base | {"status": "afsluttet"})) == ["Dorte Dahl"]
    assert names(jf_client.get(URL, base | {"status": "afsluttet", "trin": "0"})) == ["Dorte Dahl"]


def test_jobformidler_filter_offers_only_visible_teams(
    people: dict[str, Citizen], jf_client: Any, other_jobformidler: User
) -> None:
    response = jf_client.get(URL, {"visning": "alle", "jobformidler": other_jobformidler.pk})
    assert "jobformidler" in response.context["filter"].form.errors
    offered = response.context["filter"].form.fields["jobformidler"].queryset
    assert other_jobformidler not in offered and len(offered) == 2


def test_jobformidler_filter_is_searchable_and_renders_only_the_chosen(
    people: dict[str, Citizen], jf_client: Any, colleague: User, other_jobformidler: User
) -> None:
    """Issue 13: hundreds of jobformidlere in a jobcentre are not an <option> each on every
    request: the field renders the empty choice and the chosen one, and its search URL offers
    the jobformidlere of the teams I see whose name matches what was typed."""
    search = reverse("cases:caseload_jobformidler_choices")
    html = jf_client.get(URL, {"visning": "alle"}).content.decode()
    field = html.split('name="jobformidler"', 1)[1].split("</select>", 1)[0]
    assert f'data-combobox="{search}"' in html
    assert field.count("<option") == 1 and str(colleague) not in field
    chosen = jf_client.get(URL, {"visning": "alle", "jobformidler": colleague.pk})
    field = chosen.content.decode().split('name="jobformidler"', 1)[1].split("</select>", 1)[0]
    assert field.count("<option") == 2 and f'value="{colleague.pk}" selected' in field
    assert names(chosen) == ["Cai Carlsen"]
    options = jf_client.get(search, {"q": colleague.last_name or colleague.username}).content
    assert f'data-value="{colleague.pk}"'.encode() in options
    everyone = jf_client.get(search).content.decode()
    assert f'data-value="{colleague.pk}"' in everyone
    assert f'data-value="{other_jobformidler.pk}"' not in everyone  # another team


def test_search_by_name(people: dict[str, Citizen], jf_client: Any) -> None:
    base = {"visning": "alle"}
    assert names(jf_client.get(URL, base | {"q": "carl"})) == ["Cai Carlsen"]
    assert names(jf_client.get(URL, base | {"q": "bo berg"})) == ["Bo Berg"]
    assert names(jf_client.get(URL, base | {"q": "erik"})) == []  # other team
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_cpr_lookup_is_a_post_that_opens_the_citizen_and_is_audited(
    people: dict[str, Citizen], jf_client: Any
) -> None:
    bo = people["bo"]
    dashed = f"{bo.cpr[:6]}-{bo.cpr[6:]}"
    response = jf_client.post(URL, {"cpr": dashed})
    assert response.status_code == 302
    assert response.url == bo.get_absolute_url()  # the pk, never the number
    assert bo.cpr not in response.url and bo.cpr[:6] not in response.url
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.citizen_id == bo.pk and event.changes == {"resultater": 1}
    assert bo.cpr not in f"{event.object_repr} {event.changes}"
    assert bo.cpr[:6] not in f"{event.object_repr} {event.changes}"


def test_cpr_lookup_errors_are_danish_and_keep_the_input(
    people: dict[str, Citizen], jf_client: Any
) -> None:
    bo = people["bo"]
    response = jf_client.post(URL, {"cpr": bo.cpr[:9]})  # never partial
    assert response.status_code == 200
    assert response.context["lookup_form"].errors["cpr"] == [
        "CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX)."
    ]
    assert f'value="{bo.cpr[:9]}"' in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()
    response = jf_client.post(URL, {"cpr": "3213901234"})  # no 32nd day
    assert "gyldig fødselsdato" in response.context["lookup_form"].errors["cpr"][0]
    assert jf_client.post(URL, {"cpr": ""}).context["lookup_form"].errors["cpr"]


def test_cpr_lookup_never_finds_another_teams_citizen(
    people: dict[str, Citizen], jf_client: Any
) -> None:
    response = jf_client.post(URL, {"cpr": people["erik"].cpr})
    assert response.status_code == 200
    assert "Ingen borger med dette CPR-nummer" in response.content.decode()
    # The other team's citizen by name and by link (a staff name such as "Eriksen" may appear).
    results = response.content.decode().split("<tbody>")[1]
    assert "Erik Eg" not in results and f"/borgere/{people['erik'].pk}/" not in results
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.citizen_id is None and event.changes == {"resultater": 0}


def test_name_search_never_matches_a_cpr_number(people: dict[str, Citizen], jf_client: Any) -> None:
    """The name search is a GET: a CPR number typed there finds no one and the page says
    where to look a CPR number up instead."""
    bo = people["bo"]
    response = jf_client.get(URL, {"visning": "alle", "q": bo.cpr})
    assert names(response) == []
    assert response.context["cpr_in_search"] is True
    assert names(jf_client.get(URL, {"visning": "alle", "q": bo.cpr[:6]})) == []
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()


def test_sorting(people: dict[str, Citizen], jf_client: Any, jobformidler: User) -> None:
    anna, bo, cai = people["anna"], people["bo"], people["cai"]
    ConversationFactory.create(
        citizen=anna, author=jobformidler, occurred_at=NOW - dt.timedelta(days=30)
    )
    ConversationFactory.create(
        citizen=bo, author=jobformidler, occurred_at=NOW - dt.timedelta(days=5)
    )
    FollowUpFactory.create(owner=jobformidler, due_on=TODAY, title="x", subject=cai)
    FollowUpFactory.create(
        owner=jobformidler, due_on=TODAY + dt.timedelta(days=3), title="y", subject=anna
    )
    JobGoalFactory.create(citizen=cai)
    base = {"visning": "alle"}
    assert names(jf_client.get(URL, base | {"sorter": "-navn"})) == [
        "Cai Carlsen",
        "Bo Berg",
        "Anna Andersen",
    ]
    assert names(jf_client.get(URL, base | {"sorter": "kontakt"})) == [
        "Bo Berg",
        "Anna Andersen",
        "Cai Carlsen",
    ]
    assert names(jf_client.get(URL, base | {"sorter": "-kontakt"})) == [
        "Cai Carlsen",
        "Anna Andersen",
        "Bo Berg",
    ]
    assert names(jf_client.get(URL, base | {"sorter": "opfoelgning"})) == [
        "Cai Carlsen",
        "Anna Andersen",
        "Bo Berg",
    ]
    assert names(jf_client.get(URL, base | {"sorter": "-trin"}))[0] == "Cai Carlsen"


def test_pagination(team: Team, jobformidler: User, jf_client: Any) -> None:
    for i in range(55):
        CitizenFactory.create(
            team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED, last_name=f"Navn{i:02d}"
        )
    first = jf_client.get(URL)
    assert len(first.context["page"].object_list) == 50
    second = jf_client.get(URL, {"side": 2})
    assert len(second.context["page"].object_list) == 5
    assert "side=2" in first.content.decode()


def test_htmx_request_gets_only_the_results_partial(
    people: dict[str, Citizen], jf_client: Any
) -> None:
    response = jf_client.get(URL, {"q": "anna"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "Anna Andersen" in html and "Bo Berg" not in html
    full = jf_client.get(URL, {"q": "anna"}).content.decode()
    assert 'hx-get="/borgere/"' in full and 'hx-push-url="true"' in full
    assert 'id="caseload-results"' in full


def test_export_csv_is_filtered_masked_and_audited(
    people: dict[str, Citizen], jf_client: Any
) -> None:
    response = jf_client.get(reverse("cases:caseload_export"), {"visning": "alle"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["navn", "cpr", "trin"]
    assert sorted(r[0] for r in rows[1:]) == ["Anna Andersen", "Bo Berg", "Cai Carlsen"]
    for citizen in people.values():
        assert citizen.cpr not in text
    assert people["anna"].masked_cpr in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.changes["antal"] == 3
    assert event.changes["filtre"]["visning"] == "alle"


def test_export_with_cpr_search_does_not_log_the_number(
    people: dict[str, Citizen], jf_client: Any
) -> None:
    bo = people["bo"]
    response = jf_client.get(reverse("cases:caseload_export"), {"visning": "alle", "q": bo.cpr})
    assert b"Bo Berg" not in b"".join(response)  # the name search never matches a CPR
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert bo.cpr not in str(event.changes) and event.changes["filtre"]["q"] == "CPR-nummer"


def test_export_neutralises_spreadsheet_formulas(team: Team, jobformidler: User) -> None:
    CitizenFactory.create(
        team=team,
        assigned_to=jobformidler,
        assigned_to__on=ASSIGNED,
        first_name="=HYPERLINK(1)",
        last_name="Hansen",
    )
    response = client_for(jobformidler).get(reverse("cases:caseload_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == "'=HYPERLINK(1) Hansen"


def _populate(team: Team, jf: User, count: int) -> None:
    for _ in range(count):
        # A fixed name: the q="a" case must match on the small data set too (random Faker
        # names without an "a" made the small page empty and the count flaky).
        citizen = CitizenFactory.create(
            team=team, assigned_to=jf, assigned_to__on=ASSIGNED, first_name="Hanna"
        )
        JobGoalFactory.create(citizen=citizen)
        ConversationFactory.create(
            citizen=citizen, author=jf, occurred_at=NOW - dt.timedelta(days=7)
        )
        FollowUpFactory.create(owner=jf, due_on=TODAY, title="Opfølgning", subject=citizen)


@pytest.mark.parametrize(
    "params", [{}, {"q": "a", "sorter": "-kontakt"}, {"trin": "2", "sorter": "opfoelgning"}]
)
@pytest.mark.not_swept  # query counts vary with the data, not the date
def test_constant_number_of_queries(
    team: Team,
    jobformidler: User,
    teamleder: User,
    django_assert_max_num_queries: Any,
    params: dict[str, str],
) -> None:
    _populate(team, jobformidler, 5)
    for user in (jobformidler, teamleder):
        client = client_for(user)
        client.get(URL, params)  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as small:
            client.get(URL, params)
        # 5 -> 60 citizens: more than the page's 50 rows, so the second request renders a
        # full page (200 citizens made this the clock sweep's slowest test by far).
        _populate(team, jobformidler, 55 if user == jobformidler else 0)
        with django_assert_max_num_queries(len(small.captured_queries)):
            response = client.get(URL, params)
        assert response.status_code == 200
    assert Citizen.objects.count() == 60
    assert response.context["page"].paginator.count >= 50


def test_login_required(client: Any, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert timezone.now() == NOW


def test_export_writes_dates_as_iso_8601(team: Team, jobformidler: User) -> None:
    """Issue 14, defect 10: the export wrote the next follow-up as 19-11-2026."""
    from tests.factories.cases import FollowUpFactory

    citizen = CitizenFactory.create(
        team=team, assigned_to=jobformidler, assigned_to__on=ASSIGNED, last_name="Dato"
    )
    FollowUpFactory.create(owner=jobformidler, subject=citizen, due_on=dt.date(2026, 12, 19))
    response = client_for(jobformidler).get(reverse("cases:caseload_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index("naeste_opfoelgning")
    assert rows[1][column] == "2026-12-19"
