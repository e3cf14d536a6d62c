"""seed_demo fills the measures data: opened_on over the past, visitation and benefit
history, exits across the categories, monthly payslip rows, unconfirmed starts."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from cases.citizens.models import (
    BenefitPeriod,
    Citizen,
    CitizenStatus,
    ExitCategory,
    VisitationPeriod,
)
from cases.citizens.services import sync_periods
from cases.placements.models import Placement, WeeklyHours
from substitution import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> None:
    call_command("seed_demo", "--scale", "1", stdout=StringIO())


def test_seeded_history(seeded: None) -> None:
    today = days.today()
    citizens = Citizen.objects.all()
    # Cases opened over the past, not all today.
    months = {(d.year, d.month) for d in citizens.values_list("opened_on", flat=True)}
    assert len(months) > 24
    assert not citizens.filter(opened_on__gt=today).exists()

    # Visitation history: some changed group, e.g. from gruppe 3 into gruppe 1.
    changed = VisitationPeriod.objects.filter(ends_on__isnull=False)
    assert changed.count() > 30
    assert changed.filter(group__code="gruppe-3").exists()
    assert VisitationPeriod.objects.filter(
        ends_on__isnull=True,
        group__code="gruppe-1",
        citizen__visitation_periods__group__code="gruppe-3",
    ).exists()
    # The citizen's visitation date is its open period's start.
    assert (
        not VisitationPeriod.objects.filter(ends_on__isnull=True)
        .exclude(starts_on=F("citizen__visitation_date"))
        .exists()
    )

    # Benefit history: changes of benefit type, and citizens who left benefit.
    with_history = (
        BenefitPeriod.objects.values("citizen").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    assert with_history > 30
    off_benefit = citizens.filter(benefit_type__isnull=True)
    assert off_benefit.filter(status=CitizenStatus.AFSLUTTET).exists()
    assert off_benefit.filter(status=CitizenStatus.AKTIV).exists()
    assert not BenefitPeriod.objects.filter(citizen__in=off_benefit, ends_on__isnull=True).exists()

    # Exits with reasons across the categories.
    categories = set(
        citizens.filter(status=CitizenStatus.AFSLUTTET).values_list(
            "exit_reason__category", flat=True
        )
    )
    assert {ExitCategory.JOB, ExitCategory.UDDANNELSE, ExitCategory.AFKLARING,
            ExitCategory.ANDET} <= categories  # fmt: skip

    # Monthly payslip rows: a calendar month each, on paid placements.
    monthly = [
        row
        for row in WeeklyHours.objects.select_related("placement__type")
        if row.ends_on - row.week_start > dt.timedelta(days=6)
    ]
    assert len(monthly) > 20
    for row in monthly:
        assert row.week_start.day == 1
        assert (row.ends_on + dt.timedelta(days=1)).day == 1
        assert row.ends_on - row.week_start >= dt.timedelta(days=27)
        assert row.placement.type.is_paid

    # Unconfirmed starts (about 15 % of the last three weeks' starts; none happen to fall on
    # the frozen day at this scale) never have hours and are planlagt; every start that has
    # come outside the last three weeks is confirmed.
    unconfirmed = Placement.objects.filter(start_confirmed_on__isnull=True)
    assert not WeeklyHours.objects.filter(placement__in=unconfirmed).exists()
    assert not unconfirmed.filter(starts_on__lt=today - dt.timedelta(days=21)).exists()
    assert set(unconfirmed.values_list("status", flat=True)) <= {"planlagt"}

    # The periods are what sync_periods would keep: it changes nothing.
    before = (VisitationPeriod.objects.count(), BenefitPeriod.objects.count())
    for citizen in citizens.order_by("pk")[:200]:
        sync_periods(citizen)
    assert (VisitationPeriod.objects.count(), BenefitPeriod.objects.count()) == before
