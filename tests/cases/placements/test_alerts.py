"""Every placement alert, with the edge on each side of its threshold."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cases.citizens.models import Channel, ConversationKind
from cases.placements import alerts
from cases.placements.models import OrdinaryHoursTerms, Placement
from substitution.models import Threshold
from tests.factories.cases import CitizenFactory, ConversationFactory
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory, WorkAgreementFactory

# Date-sensitive: with --clock sweep these run at every hard instant (tests/clock.py).
pytestmark = pytest.mark.clock_sweep

DAY = dt.date(2026, 4, 15)  # a Wednesday; last finished weeks: W15 (6 Apr) and W14 (30 Mar)


def keys(qs_fn, **kwargs):
    return set(qs_fn(Placement.objects.all(), DAY, None, **kwargs).values_list("pk", flat=True))


@pytest.fixture
def citizen(team):
    return CitizenFactory.create(team=team)


def test_praktik_without_ordinary_hours_agreement(citizen) -> None:
    # Starts are confirmed explicitly: the factory confirms only starts up to the frozen
    # "today", and the clock sweep runs this before DAY (March).
    none = PlacementFactory.create(
        citizen=citizen, type_code="virksomhedspraktik", starts_on=DAY, start_confirmed_on=DAY
    )
    no_terms = PlacementFactory.create(
        citizen=citizen,
        type_code="virksomhedspraktik",
        starts_on=DAY,
        start_confirmed_on=DAY,
    )
    WorkAgreementFactory.create(placement=no_terms, ordinary_hours_terms=OrdinaryHoursTerms.INGEN)
    later = PlacementFactory.create(
        citizen=citizen, type_code="virksomhedspraktik", starts_on=DAY, start_confirmed_on=DAY
    )
    WorkAgreementFactory.create(placement=later, ordinary_hours_terms=OrdinaryHoursTerms.PAA_SIGT)
    PlacementFactory.create(
        citizen=citizen, type_code="ordinaere-loentimer", starts_on=DAY, start_confirmed_on=DAY
    )  # not praktik
    ended = PlacementFactory.create(
        citizen=citizen,
        type_code="virksomhedspraktik",
        starts_on=dt.date(2026, 1, 5),
        ends_on=DAY - dt.timedelta(days=1),
    )
    result = keys(alerts.praktik_without_agreement)
    assert result == {none.pk, no_terms.pk}
    assert ended.pk not in result


def test_praktik_longer_than_13_weeks_without_any_ordinary_hours(team) -> None:
    def praktik(starts_on: dt.date):
        return PlacementFactory.create(
            citizen=CitizenFactory.create(team=team),
            type_code="virksomhedspraktik",
            starts_on=starts_on,
        )

    long_ago = DAY - dt.timedelta(weeks=13, days=1)
    stuck = praktik(long_ago)
    just_13 = praktik(DAY - dt.timedelta(weeks=13))  # exactly 13 weeks: not yet
    with_hours = praktik(long_ago)
    job = PlacementFactory.create(
        citizen=with_hours.citizen, type_code="ordinaere-loentimer", starts_on=long_ago
    )
    WeeklyHoursFactory.create(placement=job, week_start=dt.date(2026, 2, 2), hours=D(3))
    old_hours_only = praktik(long_ago)  # hours before the praktik started do not count
    old = PlacementFactory.create(
        citizen=old_hours_only.citizen,
        type_code="ordinaere-loentimer",
        starts_on=dt.date(2025, 6, 2),
        ends_on=dt.date(2025, 8, 31),
    )
    WeeklyHoursFactory.create(placement=old, week_start=dt.date(2025, 6, 2), hours=D(10))
    subsidised = praktik(long_ago)  # løntilskud hours are not ordinary hours
    lt = PlacementFactory.create(
        citizen=subsidised.citizen, type_code="loentilskud", starts_on=dt.date(2026, 2, 2)
    )
    WeeklyHoursFactory.create(placement=lt, week_start=dt.date(2026, 2, 2), hours=D(20))
    assert keys(alerts.praktik_without_hours) == {stuck.pk, old_hours_only.pk, subsidised.pk}
    assert just_13.pk not in keys(alerts.praktik_without_hours)


def test_hours_in_the_praktik_start_week_count(team) -> None:
    starts = dt.date(2026, 1, 7)  # a Wednesday; hours registered for that week (Monday 5 Jan)
    p = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team), type_code="virksomhedspraktik", starts_on=starts
    )
    job = PlacementFactory.create(
        citizen=p.citizen, type_code="ordinaere-loentimer", starts_on=dt.date(2026, 1, 5)
    )
    WeeklyHoursFactory.create(placement=job, week_start=dt.date(2026, 1, 5), hours=D(2))
    assert keys(alerts.praktik_without_hours) == set()


def test_praktik_weeks_threshold_is_configurable(team) -> None:
    p = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team),
        type_code="virksomhedspraktik",
        starts_on=DAY - dt.timedelta(weeks=5),
    )
    assert keys(alerts.praktik_without_hours) == set()
    Threshold.objects.create(
        key="praktik_weeks_without_hours", value=4, valid_from=dt.date(2026, 1, 1)
    )
    assert keys(alerts.praktik_without_hours) == {p.pk}


def test_no_follow_up_within_the_agreement_cadence(team, jobformidler) -> None:
    def placement(days_ago: int, cadence: int | None):
        p = PlacementFactory.create(
            citizen=CitizenFactory.create(team=team), starts_on=DAY - dt.timedelta(days=days_ago)
        )
        if cadence is not None:
            WorkAgreementFactory.create(placement=p, follow_up_days=cadence)
        return p

    def follow_up(p, days_ago: int, linked: bool = True, kind: str = "individuel"):
        when = dt.datetime.combine(DAY - dt.timedelta(days=days_ago), dt.time(10), dt.UTC)
        ConversationFactory.create(
            citizen=p.citizen,
            author=jobformidler,
            occurred_at=when,
            placement=p if linked else None,
            kind=ConversationKind.objects.get(code=kind),
            channel=Channel.objects.get(code="i-virksomheden"),
        )

    never = placement(30, 14)
    fresh = placement(10, 14)  # younger than its cadence: not due yet
    recent = placement(60, 14)
    follow_up(recent, 13)
    stale = placement(60, 14)
    follow_up(stale, 15)
    weekly = placement(30, 7)
    follow_up(weekly, 9)  # within 14 but not within 7
    workplace = placement(60, 14)
    follow_up(workplace, 3, linked=False, kind="opfoelgning-arbejdsplads")
    unlinked_other = placement(60, 14)
    follow_up(unlinked_other, 3, linked=False, kind="individuel")  # not a follow-up
    no_agreement = placement(20, None)  # default cadence 14 days
    no_show = placement(60, 14)
    follow_up(no_show, 2)
    no_show.conversations.update(outcome="udeblevet")
    assert keys(alerts.no_follow_up) == {
        never.pk,
        stale.pk,
        weekly.pk,
        unlinked_other.pk,
        no_agreement.pk,
        no_show.pk,
    }
    assert fresh.pk not in keys(alerts.no_follow_up)


def test_paid_placement_without_hours_for_the_last_two_finished_weeks(team) -> None:
    def paid(code: str = "ordinaere-loentimer", starts_on: dt.date = dt.date(2026, 1, 5)):
        return PlacementFactory.create(
            citizen=CitizenFactory.create(team=team), type_code=code, starts_on=starts_on
        )

    missing = paid()
    WeeklyHoursFactory.create(placement=missing, week_start=dt.date(2026, 3, 23), hours=D(5))  # W13
    one_week = paid()
    WeeklyHoursFactory.create(
        placement=one_week, week_start=dt.date(2026, 3, 30), hours=D(5)
    )  # W14
    current_only = paid()
    WeeklyHoursFactory.create(
        placement=current_only, week_start=dt.date(2026, 4, 13), hours=D(5)
    )  # W16
    new = paid(starts_on=dt.date(2026, 4, 1))  # started inside the window: not yet due
    paid(code="loentilskud")  # paid, but not ordinary hours
    paid(code="virksomhedspraktik")  # unpaid
    ended = PlacementFactory.create(
        citizen=CitizenFactory.create(team=team),
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 4, 1),
    )
    assert keys(alerts.hours_missing) == {missing.pk, current_only.pk}
    assert new.pk not in keys(alerts.hours_missing) and ended.pk not in keys(alerts.hours_missing)


def test_evaluate_runs_every_alert_in_constant_queries(team, django_assert_max_num_queries) -> None:
    for _ in range(3):
        PlacementFactory.create(
            citizen=CitizenFactory.create(team=team),
            type_code="virksomhedspraktik",
            starts_on=dt.date(2025, 10, 1),
        )
    # Three thresholds (read afresh outside a request), the cadences of no_follow_up, every
    # alert's matches (one UNION ALL) and the placements: 6 (12 with a query per alert).
    with django_assert_max_num_queries(6):
        results = alerts.evaluate(Placement.objects.all(), DAY)
    by_key = {r.alert.key: len(r.placements) for r in results}
    assert by_key == {
        "praktik_without_agreement": 3,
        "praktik_without_hours": 3,
        "unconfirmed_start": 0,
        "no_follow_up": 3,
        "hours_missing": 0,
    }
    for _ in range(10):
        PlacementFactory.create(
            citizen=CitizenFactory.create(team=team),
            type_code="virksomhedspraktik",
            starts_on=dt.date(2025, 10, 1),
        )
    # Three thresholds (read afresh outside a request), the cadences of no_follow_up, every
    # alert's matches (one UNION ALL) and the placements: 6 (12 with a query per alert).
    with django_assert_max_num_queries(6):
        results = alerts.evaluate(Placement.objects.all(), DAY)
    assert len(results[0].placements) == 13


def test_evaluate_with_a_limit_reports_the_total_and_keeps_the_oldest(
    team, django_assert_max_num_queries
) -> None:
    starts = [dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in (5, 0, 3, 1, 4, 2)]
    made = [
        PlacementFactory.create(
            citizen=CitizenFactory.create(team=team), type_code="virksomhedspraktik", starts_on=day
        )
        for day in starts
    ]
    with django_assert_max_num_queries(6):
        results = alerts.evaluate(Placement.objects.all(), DAY, limit=4)
    result = next(r for r in results if r.alert.key == "praktik_without_agreement")
    assert result.total == 6 and result.truncated
    by_start = sorted(made, key=lambda p: p.starts_on)
    assert [p.pk for p in result.placements] == [p.pk for p in by_start[:4]]
    empty = next(r for r in results if r.alert.key == "hours_missing")
    assert empty.total == 0 and empty.placements == [] and not empty.truncated


def test_my_alerts_panel_shows_the_total_beyond_the_first_25(team, jobformidler, jf_client):
    for i in range(27):
        PlacementFactory.create(
            citizen=CitizenFactory.create(team=team, jobformidler=jobformidler),
            type_code="virksomhedspraktik",
            starts_on=dt.date(2025, 10, 1) + dt.timedelta(days=i),
        )
    response = jf_client.get(reverse("cases:my_alerts"))
    html = response.content.decode()
    assert '<span class="badge warn">27</span>' in html
    assert "Viser de 25 ældste af 27 forløb." in html
    # The rows are built in Python (issue 13) with the template's markup: the oldest first.
    oldest = Placement.objects.select_related("citizen", "type", "company").earliest("starts_on")
    url = reverse("cases:placement_detail", args=[oldest.pk])
    assert (
        f'<li><a href="{url}">{oldest.citizen.full_name}</a> · {oldest.type.label} · '
        f'{oldest.company.name} <span class="muted small">(start 1.10.2025)</span></li>'
    ) in html


def test_unconfirmed_start_past_its_date_is_an_alert(team) -> None:
    """A placement counts from a confirmed start; one whose start date has come without a
    confirmation asks the jobformidler to confirm or cancel it."""
    citizen = CitizenFactory.create(team=team)
    waiting = PlacementFactory.create(
        citizen=citizen, starts_on=DAY - dt.timedelta(days=3), start_confirmed_on=None
    )
    PlacementFactory.create(  # not yet due: starts tomorrow
        citizen=citizen, starts_on=DAY + dt.timedelta(days=1), start_confirmed_on=None
    )
    PlacementFactory.create(  # cancelled: never an alert
        citizen=citizen,
        starts_on=DAY - dt.timedelta(days=3),
        ends_on=DAY - dt.timedelta(days=3),
        start_confirmed_on=None,
    )
    found = alerts.unconfirmed_start(Placement.objects.all(), DAY)
    assert list(found) == [waiting]
    assert not Placement.objects.active_on(DAY).filter(pk=waiting.pk).exists()
