"""Demo citizens: realistic, deterministic, idempotent."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Count
from django.utils import timezone
from faker import Faker

from cases.citizens import demo as demo_citizens
from cases.citizens import reviews
from cases.citizens.cpr import validate_cpr
from cases.citizens.models import (
    Assignment,
    Citizen,
    CitizenStatus,
    Consent,
    Conversation,
    ConversationOutcome,
    JobGoal,
    Plan,
    PlanRevision,
    ProgressReview,
    SubGoal,
    SubGoalStatus,
)
from cases.citizens.steps import derive_step
from cases.placements import demo as demo_placements
from substitution import demo as org_demo
from substitution.demo import DemoContext
from substitution.models import FollowUp
from tests.factories.placements import PlacementFactory

pytestmark = pytest.mark.django_db


def context(seed: int = 7, scale: float = 0.1) -> DemoContext:
    faker = Faker("da_DK")
    faker.seed_instance(seed)
    ctx = DemoContext(seed=seed, scale=scale, rng=random.Random(seed), faker=faker)
    org_demo.seed(ctx)
    return ctx


def snapshot() -> list[tuple[str, str, str, int]]:
    return list(
        Citizen.objects.order_by("cpr")
        .annotate(n=Count("conversations"))
        .values_list("cpr", "first_name", "last_name", "n")
    )


def test_seed_builds_realistic_history() -> None:
    ctx = context()
    demo_citizens.seed(ctx)
    citizens = Citizen.objects.all()
    assert citizens.count() == 60
    assert sorted(ctx.data["citizen_ids"]) == sorted(citizens.values_list("pk", flat=True))
    for citizen in citizens:
        assert validate_cpr(citizen.cpr) == citizen.cpr
        assert citizen.jobformidler_id is not None
        jf_ids = [u.pk for u in ctx.data["staff_by_team"][citizen.team_id]["jobformidler"]]
        assert citizen.jobformidler_id in jf_ids
        open_row = Assignment.objects.get(citizen=citizen, ended_on__isnull=True)
        assert open_row.jobformidler_id == citizen.jobformidler_id
    assert {c.team_id for c in citizens} == {t.pk for t in ctx.data["teams"]}
    assert Assignment.objects.count() > citizens.count()  # some changed jobformidler
    goal_share = JobGoal.objects.values("citizen").distinct().count() / 60
    consent_share = Consent.objects.values("citizen").distinct().count() / 60
    assert 0.5 < goal_share < 0.9
    assert 0.4 < consent_share < 0.8
    assert Plan.objects.count() > 40 and SubGoal.objects.count() > 80
    assert ProgressReview.objects.exists()

    conversations = Conversation.objects.all()
    per_citizen = conversations.count() / 60
    assert 35 < per_citizen < 70  # ~50 -> ~1,000,000 at --scale 33
    today = timezone.localdate()
    oldest = conversations.order_by("occurred_at")[0].occurred_at.date()
    assert (today - oldest).days <= 548
    assert conversations.filter(outcome=ConversationOutcome.AFLYST).exists()
    assert conversations.filter(outcome=ConversationOutcome.UDEBLEVET).exists()
    open_follow_ups = FollowUp.objects.open()
    assert open_follow_ups.filter(due_on__lt=today).exists()  # some overdue
    assert FollowUp.objects.filter(done_at__isnull=False).exists()
    stale = Citizen.objects.active().without_held_conversation_since(
        timezone.now() - dt.timedelta(days=42)
    )
    assert 0 < stale.count() < 30


def test_seed_is_deterministic_and_idempotent() -> None:
    ctx = context(seed=11)
    demo_citizens.seed(ctx)
    first = snapshot()
    demo_citizens.seed(context(seed=11))
    assert snapshot() == first  # second run skips
    assert Citizen.objects.count() == 60
    Citizen.objects.all().delete()
    demo_citizens.seed(context(seed=11))
    assert snapshot() == first


def test_every_citizen_has_a_realistic_plan() -> None:
    """A plan built on the job goal (or, in trin 1, on finding one), with open sub-goals for
    every active citizen, revisions that list the sub-goals, and some reviews due."""
    ctx = context(seed=5)
    demo_citizens.seed(ctx)
    today = timezone.localdate()
    with_goal = set(
        JobGoal.objects.filter(ended_on__isnull=True).values_list("citizen_id", flat=True)
    )
    for citizen in Citizen.objects.select_related("plan"):
        plan = citizen.plan
        assert plan.end_goal
        if citizen.pk in with_goal:
            assert plan.end_goal not in demo_citizens.CLARIFY_GOALS
            job_goal = JobGoal.objects.get(citizen=citizen, ended_on__isnull=True)
            assert job_goal.title.lower() in plan.end_goal
        else:
            assert plan.end_goal in demo_citizens.CLARIFY_GOALS
        goals = list(plan.sub_goals.all())
        assert len(goals) >= 2
        if citizen.status == CitizenStatus.AFSLUTTET:
            continue  # a closed case's plan is left as it stood
        assert any(g.status == SubGoalStatus.AABEN for g in goals), citizen
        for goal in goals:
            due_on = goal.due_on or today
            if goal.status == SubGoalStatus.AABEN and due_on < today - dt.timedelta(days=60):
                raise AssertionError(f"{goal.title}: open long after its due date")
    revision = PlanRevision.objects.order_by("pk")[0]
    assert revision.summary == "Plan oprettet" and revision.snapshot["sub_goals"]
    assert PlanRevision.objects.filter(summary__startswith="Delmål tilføjet").exists()
    active = Citizen.objects.active()
    assert 0 < reviews.due_for_citizens(active, today).count() < SubGoal.objects.count() / 4
    assert ProgressReview.objects.exclude(note="").exists()


def test_after_placements_gives_placed_citizens_a_job_goal_before_the_start() -> None:
    ctx = context(seed=3, scale=0.02)
    demo_citizens.seed(ctx)
    citizen = Citizen.objects.filter(job_goals__isnull=True).first()
    assert citizen is not None and citizen.plan.end_goal in demo_citizens.CLARIFY_GOALS
    start = timezone.localdate() - dt.timedelta(days=30)
    PlacementFactory.create(citizen=citizen, starts_on=start, ends_on=None)
    demo_placements.after_placements(ctx)
    goal = JobGoal.objects.get(citizen=citizen)
    assert goal.created_on < start and goal.ended_on is None
    assert derive_step(citizen) == 3
    citizen.plan.refresh_from_db()
    assert goal.title.lower() in citizen.plan.end_goal
    assert not citizen.plan.sub_goals.filter(
        title=demo_citizens.CLARIFY_SUB_GOAL, status=SubGoalStatus.AABEN
    ).exists()
    demo_placements.after_placements(ctx)  # idempotent
    assert JobGoal.objects.filter(citizen=citizen).count() == 1
