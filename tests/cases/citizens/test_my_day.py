"""Min dag: content, and a constant number of queries with 5 vs 200 citizens (also for the
citizen page with a short vs long history)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from cases.citizens.models import (
    Channel,
    Citizen,
    Conversation,
    ConversationKind,
    JobGoal,
    Plan,
    PlanRevision,
    ProgressReview,
    SubGoal,
)
from substitution.models import FollowUp, Role, Team, User
from tests.conftest import client_for
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    make_cpr,
)
from tests.factories.org import make_staff

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

CPH = ZoneInfo("Europe/Copenhagen")
# Wednesday 4 March 2026, half past midnight in Copenhagen (still 3 March in UTC): "today" is
# the local day.
FROZEN = dt.datetime(2026, 3, 4, 0, 30, tzinfo=CPH)
TODAY = dt.date(2026, 3, 4)


def seed_caseload(team: Team, user: User, n: int, start: int = 0) -> list[Citizen]:
    """n citizens of ``user`` with old and recent conversations, follow-ups and due reviews."""
    today = timezone.localdate()
    now = timezone.now()
    citizens = Citizen.objects.bulk_create(
        Citizen(
            unit=team.unit,
            team=team,
            cpr=make_cpr(start + i),
            first_name=f"Borger{start + i}",
            last_name="Test",
            jobformidler=user,
        )
        for i in range(n)
    )
    kind = ConversationKind.objects.get(code="individuel")
    channel = Channel.objects.get(code="telefon")
    Conversation.objects.bulk_create(
        Conversation(
            citizen=c,
            author=user,
            kind=kind,
            channel=channel,
            occurred_at=now - dt.timedelta(days=60 if i % 2 else 3),
        )
        for i, c in enumerate(citizens)
    )
    ct = ContentType.objects.get_for_model(Citizen)
    FollowUp.objects.bulk_create(
        FollowUp(
            owner=user,
            due_on=today - dt.timedelta(days=i % 3),
            title="Ring",
            subject_type=ct,
            subject_id=c.pk,
        )
        for i, c in enumerate(citizens)
    )
    plans = Plan.objects.bulk_create(Plan(citizen=c) for c in citizens)
    SubGoal.objects.bulk_create(
        SubGoal(plan=p, title="Delmål", created_on=today - dt.timedelta(weeks=7)) for p in plans
    )
    return citizens


def queries_for(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_min_dag_lists_followups_no_contact_reviews_and_recent(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    today = timezone.localdate()
    silent = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Stille", last_name="Borger"
    )
    talked = CitizenFactory.create(
        team=team, jobformidler=jobformidler, first_name="Aktiv", last_name="Borger"
    )
    CitizenFactory.create(
        team=team,
        jobformidler=jobformidler,
        first_name="Lukket",
        last_name="Borger",
        status="afsluttet",
    )
    ConversationFactory.create(citizen=talked, author=jobformidler, note="Fin samtale")
    # 43 calendar days ago (at noon), not 43 x 24 hours: late in the evening, across a DST
    # change, 43 x 24 hours back lands on the 42nd calendar day.
    ConversationFactory.create(
        citizen=silent,
        author=jobformidler,
        occurred_at=dt.datetime.combine(today - dt.timedelta(days=43), dt.time(12), tzinfo=CPH),
    )
    FollowUp.objects.create(owner=jobformidler, due_on=today, title="I dag-opgave", subject=talked)
    FollowUp.objects.create(
        owner=jobformidler,
        due_on=today - dt.timedelta(days=1),
        title="Gammel opgave",
        subject=talked,
    )
    FollowUp.objects.create(
        owner=jobformidler,
        due_on=today + dt.timedelta(days=8),  # next week: not yet on Min dag
        title="Fremtidig opgave",
        subject=talked,
    )
    plan = Plan.objects.create(citizen=silent)
    SubGoal.objects.create(
        plan=plan, title="Lære bustider", created_on=today - dt.timedelta(weeks=6)
    )
    html = jf_client.get(reverse("cases:my_day")).content.decode()
    no_contact = html.split('id="uden-samtale"')[1].split("</section>")[0]
    assert "Stille Borger" in no_contact and "43 dage siden" in no_contact
    assert "Aktiv Borger" not in no_contact and "Lukket Borger" not in no_contact
    assert "I dag-opgave" in html and "Gammel opgave" in html and "Fremtidig opgave" not in html
    assert "1 overskredet" in html
    assert "Lære bustider" in html  # review due
    assert "Borgere uden afholdt samtale i over 42 dage" in html


def test_no_contact_list_puts_never_contacted_first(
    jf_client: Client, team: Team, jobformidler: User
) -> None:
    """Most urgent first on SQLite and PostgreSQL alike (they sort NULL differently)."""
    old = CitizenFactory.create(team=team, jobformidler=jobformidler, first_name="Gammel")
    ConversationFactory.create(
        citizen=old, author=jobformidler, occurred_at=timezone.now() - dt.timedelta(days=90)
    )
    CitizenFactory.create(team=team, jobformidler=jobformidler, first_name="Aldrig")
    recent = CitizenFactory.create(team=team, jobformidler=jobformidler, first_name="Nyere")
    ConversationFactory.create(
        citizen=recent, author=jobformidler, occurred_at=timezone.now() - dt.timedelta(days=50)
    )
    listed = jf_client.get(reverse("cases:my_day")).context["no_contact"]
    assert [c.first_name for c in listed] == ["Aldrig", "Gammel", "Nyere"]


@pytest.mark.not_swept  # query counts vary with the data, not the date
@time_machine.travel(FROZEN, tick=False)
def test_min_dag_constant_queries_5_vs_200(
    team: Team, jobformidler: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    jf_client = client_for(jobformidler)
    url = reverse("cases:my_day")
    seed_caseload(team, jobformidler, 5)
    small, response = queries_for(jf_client, url)
    # Follow-ups are due today, 1 and 2 days ago by i % 3: i = 0..4 gives 2 today, 3 overdue.
    assert response.context["overdue_count"] == 3
    assert "Viser" not in response.content.decode()
    seed_caseload(team, jobformidler, 195, start=5)
    with django_assert_max_num_queries(small):
        response = jf_client.get(url)
    html = response.content.decode()
    assert "Borger150" in html  # the large caseload is really on the page
    # i = 0..194: 65 due today, 130 overdue; with the first 5: 67 today, 133 overdue; each
    # group lists at most 50 (today's first, the overdue under their count).
    assert len(response.context["upcoming"]) == 50
    assert len(response.context["overdue"]) == 50
    assert response.context["overdue_count"] == 133
    assert "133 overskredne" in html
    assert "Viser de 50 nyeste af 133 overskredne" in html


@pytest.mark.not_swept  # query counts vary with the data, not the date
def test_citizen_page_constant_queries(
    jf_client: Client,
    team: Team,
    jobformidler: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    citizens = seed_caseload(team, jobformidler, 5)
    citizen = citizens[0]
    JobGoal.objects.create(citizen=citizen, title="Lager")
    # Every section in place (?vis=…): the page's most expensive form is constant too.
    url = citizen.get_absolute_url() + "?vis=plan&vis=tidslinje&vis=profil&vis=samtykke"
    small, _ = queries_for(jf_client, url)
    seed_caseload(team, jobformidler, 195, start=5)
    plan = Plan.objects.get(citizen=citizen)
    goals = SubGoal.objects.bulk_create(SubGoal(plan=plan, title=f"Mål {i}") for i in range(10))
    ProgressReview.objects.bulk_create(
        ProgressReview(sub_goal=g, by=jobformidler, outcome="bevaeger") for g in goals
    )
    PlanRevision.objects.bulk_create(
        PlanRevision(plan=plan, by=jobformidler, summary=f"r{i}") for i in range(10)
    )
    for i in range(30):
        ConversationFactory.create(citizen=citizen, author=jobformidler, note=f"Samtale {i}")
    JobGoal.objects.bulk_create(JobGoal(citizen=citizen, title=f"Mål {i}") for i in range(5))
    make_staff(Role.JOBFORMIDLER, team, username="jf3")
    with django_assert_max_num_queries(small):
        response = jf_client.get(url)
    assert "Samtale 29" in response.content.decode()


@time_machine.travel(FROZEN, tick=False)
def test_overdue_badge_counts_all_open_overdue_followups_not_just_the_listed(
    team: Team, other_team: Team, jobformidler: User, other_jobformidler: User
) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    other = CitizenFactory.create(team=other_team, jobformidler=other_jobformidler)
    for i in range(1, 56):  # 55 overdue: due 1..55 days before today
        FollowUpFactory.create(
            owner=jobformidler, subject=citizen, due_on=TODAY - dt.timedelta(days=i)
        )
    for _ in range(3):  # due today: listed, not overdue
        FollowUpFactory.create(owner=jobformidler, subject=citizen, due_on=TODAY)
    FollowUpFactory.create(
        owner=jobformidler, subject=citizen, due_on=TODAY + dt.timedelta(days=1)
    )  # future: neither
    for i in range(1, 5):  # done: neither
        FollowUpFactory.create(
            owner=jobformidler, subject=citizen, due_on=TODAY - dt.timedelta(days=i), done=True
        )
    for i in range(1, 3):  # someone else's: neither
        FollowUpFactory.create(
            owner=other_jobformidler, subject=other, due_on=TODAY - dt.timedelta(days=i)
        )

    response = client_for(jobformidler).get(reverse("cases:my_day"))
    html = response.content.decode()
    # Issue 14: what to do now first. Today's (and the rest of the week's) follow-ups lead;
    # the overdue ones are grouped under their count, newest first, capped at 50.
    upcoming = response.context["upcoming"]
    assert [f.due_on for f in upcoming] == [TODAY] * 3 + [TODAY + dt.timedelta(days=1)]
    overdue = response.context["overdue"]
    assert len(overdue) == 50 and all(f.overdue for f in overdue)
    assert overdue[0].due_on == TODAY - dt.timedelta(days=1)
    assert response.context["overdue_count"] == 55
    assert response.context["follow_ups_total"] == 58  # 55 overdue + 3 today
    assert "55 overskredne opfølgninger" in html
    assert "Viser de 50 nyeste af 55 overskredne" in html
    section = html.split('id="mine-opfoelgninger"')[1]
    assert section.index("I dag og resten af ugen") < section.index("overskredne opfølgninger")


@time_machine.travel(FROZEN, tick=False)
def test_due_counts_boundaries_on_the_local_day(team: Team, jobformidler: User) -> None:
    citizen = CitizenFactory.create(team=team, jobformidler=jobformidler)
    FollowUpFactory.create(
        owner=jobformidler, subject=citizen, due_on=TODAY - dt.timedelta(days=1)
    )  # overdue
    FollowUpFactory.create(
        owner=jobformidler, subject=citizen, due_on=TODAY
    )  # due, not overdue (UTC date is 3 March)
    FollowUpFactory.create(
        owner=jobformidler, subject=citizen, due_on=TODAY + dt.timedelta(days=1)
    )  # not due
    FollowUpFactory.create(
        owner=jobformidler, subject=citizen, due_on=TODAY - dt.timedelta(days=9), done=True
    )  # done
    # queries.due_counts on the same follow-ups: tests/cases/citizens/test_queries.py
    response = client_for(jobformidler).get(reverse("cases:my_day"))
    html = response.content.decode()
    assert response.context["overdue_count"] == 1
    assert "1 overskredet opfølgning" in html
    assert "Viser" not in html  # every due follow-up is listed


def test_followups_come_before_placement_alerts(jf_client: Client) -> None:
    """On a phone the single column follows the source order: my follow-ups first."""
    html = jf_client.get(reverse("cases:my_day")).content.decode()
    main = html.split('class="col-main"')[1].split('class="col-side"')[0]
    assert main.index('id="mine-opfoelgninger"') < main.index('id="my-alerts"')
    assert main.index('id="my-alerts"') < main.index('id="maalinger"')
    assert html.index('class="page-header"') < html.index('class="grid-2"')
    assert 'id="my-alerts"' not in html.split('class="grid-2"')[0]


@pytest.mark.parametrize(
    "now_local",
    [
        # Today is 30 November 2026: 42 and 43 days back lie before the change to winter time.
        dt.datetime(2026, 11, 30, 0, 30),
        dt.datetime(2026, 11, 30, 23, 30),
        # Today is 1 May 2026: 42 and 43 days back lie before the change to summer time.
        dt.datetime(2026, 5, 1, 0, 30),
        dt.datetime(2026, 5, 1, 23, 30),
    ],
)
def test_no_contact_list_and_printed_age_agree_in_calendar_days(
    team: Team, jobformidler: User, now_local
) -> None:
    """Held exactly 42 calendar days ago (at 00:30 or 23:30 local time): not "over 42 dage";
    held 43 days ago: listed with "43 dage siden", whatever the hour now or the DST change."""
    today = now_local.date()
    ages = {"A": (42, 0, 30), "B": (42, 23, 30), "C": (43, 0, 30), "D": (43, 23, 30)}
    with time_machine.travel(now_local.replace(tzinfo=CPH), tick=False):
        for name, (age, hour, minute) in ages.items():
            citizen = CitizenFactory.create(team=team, jobformidler=jobformidler, first_name=name)
            held_on = today - dt.timedelta(days=age)
            ConversationFactory.create(
                citizen=citizen,
                author=jobformidler,
                occurred_at=dt.datetime.combine(held_on, dt.time(hour, minute), tzinfo=CPH),
            )
        response = client_for(jobformidler).get(reverse("cases:my_day"))
        listed = {c.first_name: c.days_since for c in response.context["no_contact"]}
        html = response.content.decode()
        caseload = client_for(jobformidler).get(reverse("cases:caseload"))
    assert listed == {"C": 43, "D": 43}
    section = html.split('id="uden-samtale"')[1].split("</section>")[0]
    assert section.count("43 dage siden") == 2 and "42 dage siden" not in section
    # The caseload counts the same days.
    shown = {c.first_name: c.days_since_contact for c in caseload.context["page"].object_list}
    assert shown == {"A": 42, "B": 42, "C": 43, "D": 43}


def test_a_mentor_sees_the_citizens_they_mentor(team: Team, other_team: Team) -> None:
    """Issue 14, defect 5: a mentor named on a work agreement had 0 citizens and an empty Min
    dag. A mentor's caseload is the citizens whose active placements' agreements name them."""
    from cases.citizens.queries import my_caseload
    from tests.factories.placements import PlacementFactory, WorkAgreementFactory

    today = timezone.localdate()
    mentor = make_staff(Role.MENTOR, team, username="mentor_md", first_name="Mia")
    mentored = CitizenFactory.create(team=team, first_name="Aisha", last_name="Mentoreret")
    ended = CitizenFactory.create(team=team, first_name="Bo", last_name="Udløbet")
    hidden = CitizenFactory.create(team=other_team, first_name="Cai", last_name="Skjult")
    for citizen, ends_on in (
        (mentored, None),
        (ended, today - dt.timedelta(days=30)),
        (hidden, None),
    ):
        placement = PlacementFactory.create(
            citizen=citizen, starts_on=today - dt.timedelta(days=60), ends_on=ends_on
        )
        WorkAgreementFactory.create(placement=placement, jobcentre_mentor=mentor)

    assert list(my_caseload(mentor)) == [mentored]
    client = client_for(mentor)
    page = client.get(reverse("cases:my_day")).content.decode()
    assert "1 borger i min sagsstamme" in page
    section = page.split('id="mentor-borgere"')[1].split("</section>")[0]
    assert "Aisha Mentoreret" in section
    assert "Udløbet" not in section and "Skjult" not in page
    assert "Aisha Mentoreret" in page.split('id="uden-samtale"')[1]  # never had a conversation
    caseload = client.get(reverse("cases:caseload")).content.decode()
    assert "Mentoreret" in caseload
    assert "Udløbet" not in caseload and "Skjult" not in caseload


def test_an_empty_caseload_is_not_called_up_to_date(team: Team) -> None:
    mentor = make_staff(Role.MENTOR, team, username="mentor_empty")
    page = client_for(mentor).get(reverse("cases:my_day")).content.decode()
    assert "Alle borgere har haft en samtale for nylig" not in page
    assert "Du har ingen borgere i din sagsstamme endnu." in page
