"""Demo citizens: realistic, deterministic, idempotent."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Count
from django.utils import timezone
from faker import Faker

from cases import demo_citizens
from cases.cpr import validate_cpr
from cases.models import (
    Assignment,
    Citizen,
    Consent,
    Conversation,
    ConversationOutcome,
    JobGoal,
    Plan,
    ProgressReview,
    SubGoal,
)
from substitution import demo as org_demo
from substitution.demo import DemoContext
from substitution.models import FollowUp

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
    oldest = conversations.order_by("occurred_at").first().occurred_at.date()
    assert (today - oldest).days <= 548
    assert conversations.filter(outcome=ConversationOutcome.CANCELLED).exists()
    assert conversations.filter(outcome=ConversationOutcome.NO_SHOW).exists()
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
