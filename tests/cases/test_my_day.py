"""Min dag: content, and a constant number of queries with 5 vs 200 citizens (also for the
citizen page with a short vs long history)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import (
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
from substitution.models import FollowUp, Role
from tests.factories.cases import CitizenFactory, ConversationFactory, make_cpr
from tests.factories.org import make_staff


def seed_caseload(team, user, n, start=0):  # type: ignore[no-untyped-def]
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


def queries_for(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_min_dag_lists_followups_no_contact_reviews_and_recent(
    jf_client, team, jobformidler
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    silent = CitizenFactory(
        team=team, jobformidler=jobformidler, first_name="Stille", last_name="Borger"
    )
    talked = CitizenFactory(
        team=team, jobformidler=jobformidler, first_name="Aktiv", last_name="Borger"
    )
    CitizenFactory(
        team=team,
        jobformidler=jobformidler,
        first_name="Lukket",
        last_name="Borger",
        status="afsluttet",
    )
    ConversationFactory(citizen=talked, author=jobformidler, note="Fin samtale")
    ConversationFactory(
        citizen=silent, author=jobformidler, occurred_at=timezone.now() - dt.timedelta(days=43)
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
        due_on=today + dt.timedelta(days=1),
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


def test_no_contact_list_puts_never_contacted_first(jf_client, team, jobformidler) -> None:  # type: ignore[no-untyped-def]
    """Most urgent first on SQLite and PostgreSQL alike (they sort NULL differently)."""
    old = CitizenFactory(team=team, jobformidler=jobformidler, first_name="Gammel")
    ConversationFactory(
        citizen=old, author=jobformidler, occurred_at=timezone.now() - dt.timedelta(days=90)
    )
    CitizenFactory(team=team, jobformidler=jobformidler, first_name="Aldrig")
    recent = CitizenFactory(team=team, jobformidler=jobformidler, first_name="Nyere")
    ConversationFactory(
        citizen=recent, author=jobformidler, occurred_at=timezone.now() - dt.timedelta(days=50)
    )
    listed = jf_client.get(reverse("cases:my_day")).context["no_contact"]
    assert [c.first_name for c in listed] == ["Aldrig", "Gammel", "Nyere"]


def test_min_dag_constant_queries_5_vs_200(
    jf_client, team, jobformidler, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("cases:my_day")
    seed_caseload(team, jobformidler, 5)
    small, _ = queries_for(jf_client, url)
    seed_caseload(team, jobformidler, 195, start=5)
    with django_assert_max_num_queries(small):
        response = jf_client.get(url)
    html = response.content.decode()
    assert "Borger150" in html  # the large caseload is really on the page


def test_citizen_page_constant_queries(
    jf_client, team, jobformidler, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    citizens = seed_caseload(team, jobformidler, 5)
    citizen = citizens[0]
    JobGoal.objects.create(citizen=citizen, title="Lager")
    small, _ = queries_for(jf_client, citizen.get_absolute_url())
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
        ConversationFactory(citizen=citizen, author=jobformidler, note=f"Samtale {i}")
    JobGoal.objects.bulk_create(JobGoal(citizen=citizen, title=f"Mål {i}") for i in range(5))
    make_staff(Role.JOBFORMIDLER, team, username="jf3")
    with django_assert_max_num_queries(small):
        response = jf_client.get(citizen.get_absolute_url())
    assert "Samtale 29" in response.content.decode()
