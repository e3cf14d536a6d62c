"""The facts per citizen and month (``CitizenMonth``) give exactly the live measures.

Every measure is computed both ways — from the facts (a calendar month up to the horizon)
and live from the raw tables (``measures.live()``, the reference) — on varied factory data
across months, for teams, the jobcentre and filtered populations; then the writers change
the data and the facts must follow (docs/measures.md, "Facts per citizen and month").
The clock is frozen at Wednesday 2 December 2026.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.citizens import month_facts
from cases.citizens.models import (
    BenefitPeriod,
    BenefitType,
    Channel,
    Citizen,
    CitizenMonth,
    ConversationKind,
    ConversationOutcome,
    ExitReason,
    VisitationGroup,
    VisitationPeriod,
)
from cases.placements import services as placement_services
from cases.placements.models import (
    OrdinaryHoursTerms,
    Placement,
    PlacementEndReason,
    WeeklyHours,
)
from companies.models import PlacementType
from reporting import measures
from reporting.measures import Period, Population
from substitution import audit, days
from substitution.models import AuditAction, FollowUp, Team, Unit, User
from tests.cases.citizens.test_conversations import log_data
from tests.factories.cases import (
    CitizenFactory,
    ConversationFactory,
    FollowUpFactory,
    JobGoalFactory,
)
from tests.factories.placements import (
    PlacementFactory,
    WeeklyHoursFactory,
    WorkAgreementFactory,
    make_company,
    placement_type,
)

pytestmark = pytest.mark.django_db

# May to November whole, and December so far: the frozen clock's day (2 December), the day
# ``rebuild()`` takes the live month on.
TODAY = dt.date(2026, 12, 2)
MONTHS = [Period.month(2026, m) for m in range(5, 12)] + [Period.month_to_date(TODAY)]
TYPES = [
    "virksomhedspraktik",
    "loentilskud",
    "ordinaere-loentimer",
    "ordinaer-ansaettelse",
    "fleksjob",
    "igu",
    "ordinaer-uddannelse",
]
EXITS = [
    "ordinaert-job",
    "ordinaert-job",
    "job-saerlige-vilkaar",
    "uddannelse",
    "fleksjob",
    "flyttet",
]


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _citizen(rng: random.Random, team: Team, staff: User, n: int) -> None:
    opened = _day(rng, dt.date(2025, 10, 1), dt.date(2026, 11, 15))
    c = CitizenFactory.create(
        team=team, opened_on=opened, assigned_to=staff, assigned_to__on=opened,
        cv_present=rng.random() < 0.5,
    )  # fmt: skip
    group = VisitationGroup.objects.get(code=rng.choice(["gruppe-1", "gruppe-1", "gruppe-3"]))
    switch = _day(rng, max(opened, dt.date(2026, 6, 1)), dt.date(2026, 11, 30))
    VisitationPeriod.objects.create(
        citizen=c, group=group, starts_on=opened, ends_on=switch if n % 3 == 0 else None
    )
    if n % 3 == 0:
        other = VisitationGroup.objects.get(
            code="gruppe-3" if group.code == "gruppe-1" else "gruppe-1"
        )
        VisitationPeriod.objects.create(
            citizen=c, group=other, starts_on=switch + dt.timedelta(days=1)
        )
    if rng.random() < 0.6:
        BenefitPeriod.objects.create(
            citizen=c,
            benefit_type=BenefitType.objects.get(code="kontanthjaelp"),
            starts_on=opened,
            ends_on=None if rng.random() < 0.5 else _day(rng, opened, dt.date(2026, 12, 31)),
        )
    if rng.random() < 0.6:
        JobGoalFactory.create(citizen=c, created_on=opened, own_wish=rng.random() < 0.7)
    kinds = list(ConversationKind.objects.all())
    channels = list(Channel.objects.all())
    placements = []
    for _ in range(rng.randint(0, 3)):
        code = rng.choice(TYPES)
        starts = _day(rng, dt.date(2026, 3, 1), dt.date(2026, 12, 1))
        ends = None if rng.random() < 0.5 else starts + dt.timedelta(days=rng.randint(0, 150))
        confirmed = rng.random() < 0.85
        p = PlacementFactory.create(
            citizen=c, type_code=code, starts_on=starts, ends_on=ends,
            start_confirmed_on=starts if confirmed else None,
        )  # fmt: skip
        placements.append(p)
        if rng.random() < 0.6:
            WorkAgreementFactory.create(
                placement=p,
                ordinary_hours_terms=rng.choice(list(OrdinaryHoursTerms)),
                follow_up_days=rng.choice([7, 14, 14, 30]),
                agreed_on=starts,
            )
        last = min(ends or dt.date(2026, 12, 1), dt.date(2026, 12, 1))
        kind = rng.random()
        if kind < 0.25:  # pay periods of any length, hours to the hundredth (pro rata sums)
            first = starts
            while first <= last:
                length = rng.randint(5, 40)
                WeeklyHoursFactory.create(
                    placement=p, week_start=first, ends_on=first + dt.timedelta(days=length - 1),
                    hours=Decimal(rng.randint(1, 4000)) / 100,
                )  # fmt: skip
                first += dt.timedelta(days=length + rng.choice([0, 0, 3]))
        elif kind < 0.6:  # monthly payslip rows
            month = days.month_start(starts)
            while month <= last:
                if rng.random() < 0.7:
                    WeeklyHoursFactory.create(
                        placement=p, week_start=month, ends_on=days.month_end(month),
                        hours=Decimal(rng.choice([0, 12, 30, 41.5])),
                    )  # fmt: skip
                month = days.add_months(month, 1)
        else:  # weekly rows from the hours grid (weeks straddle months)
            monday = days.week_start(starts)
            while monday <= last:
                if rng.random() < 0.5:
                    WeeklyHoursFactory.create(
                        placement=p, week_start=monday, hours=Decimal(rng.choice([0, 3, 6, 7.25]))
                    )
                monday += dt.timedelta(days=7)
    for _ in range(rng.randint(0, 6)):
        when = _day(rng, dt.date(2026, 4, 1), dt.date(2026, 12, 2))
        ConversationFactory.create(
            citizen=c,
            author=staff,
            occurred_at=days.local_moment(when, dt.time(rng.choice([0, 9, 23]), 30)),
            kind=rng.choice(kinds),
            channel=rng.choice(channels),
            outcome=rng.choice([ConversationOutcome.AFHOLDT] * 3 + [ConversationOutcome.UDEBLEVET]),
            placement=rng.choice(placements) if placements and rng.random() < 0.5 else None,
        )
    # Follow-ups (overdue_follow_ups, on the facts a count per citizen of those with an early
    # enough next follow-up): up to four, some due before a month's end, some done. Their own
    # random numbers, so the draws above stay as they were.
    follow = random.Random(n)
    for _ in range(follow.choice([0, 0, 1, 2, 4])):
        FollowUpFactory.create(
            subject=c,
            owner=staff,
            due_on=_day(follow, dt.date(2026, 4, 1), dt.date(2026, 12, 31)),
            done=follow.random() < 0.25,
        )
    if rng.random() < 0.25:
        Citizen.objects.filter(pk=c.pk).update(
            status="afsluttet",
            exit_date=_day(rng, max(opened, dt.date(2026, 6, 1)), dt.date(2026, 11, 30)),
            exit_reason=ExitReason.objects.get(code=rng.choice(EXITS)),
        )


@pytest.fixture
def varied(
    unit: Unit, team: Team, other_team: Team, jobformidler: User, other_jobformidler: User
) -> Unit:
    rng = random.Random(2026)
    for n in range(36):
        if n % 2:
            _citizen(rng, team, jobformidler, n)
        else:
            _citizen(rng, other_team, other_jobformidler, n)
    return unit


def _populations(unit: Unit) -> list[Population]:
    teams = tuple(Team.objects.filter(unit=unit).values_list("pk", flat=True))
    staff = User.objects.get(username="jf")
    return [
        Population(unit.pk),
        *[Population(unit.pk, (t,)) for t in teams],
        Population(unit.pk, visitation_group="gruppe-1"),
        Population(unit.pk, jobformidler_id=staff.pk),
    ]


def _both_ways(population: Population, period: Period) -> None:
    assert measures.context(population, period).facts
    from_facts = measures.compute(population, period)
    with measures.live():
        assert not measures.context(population, period).facts
        reference = measures.compute(population, period)
    assert from_facts == reference, (population, period)


def test_every_measure_from_the_facts_equals_the_live_computation(varied: Unit) -> None:
    assert month_facts.rebuild() > 0
    assert month_facts.stale() == []
    for period in MONTHS:
        for population in _populations(varied):
            _both_ways(population, period)
    # Not vacuous: the facts hold something in every kind of column.
    rows = CitizenMonth.objects.all()
    for column in ("in_virksomhedsforloeb", "praktik_without_hours", "paid_ordinary_last_day"):
        assert rows.filter(**{column: True}).exists(), column
    for column in ("ordinary_hours", "alert_no_follow_up", "alert_unconfirmed_start"):
        assert rows.filter(**{f"{column}__gt": 0}).exists(), column
    assert rows.filter(hours_last_4_weeks__gt=0).exists()
    # A citizen with several overdue follow-ups (a count of rows, not of citizens).
    overdue = FollowUp.objects.filter(done_at__isnull=True, due_on__lt=MONTHS[-2].last)
    assert overdue.values("subject_id").annotate(n=Count("pk")).filter(n__gt=1).exists()


def test_teams_and_total_from_the_facts_equals_live(varied: Unit) -> None:
    month_facts.rebuild()
    teams = list(Team.objects.filter(unit=varied).values_list("pk", flat=True))
    # Without a median the teams' aggregate is grouped by team and jobformidler and added
    # up (caseload per jobformidler's distinct staff: the groups).
    no_median = [m.slug for m in measures.MEASURES if m.kind != measures.Kind.MEDIAN]
    for period in (MONTHS[-3], MONTHS[-1]):
        for slugs in (None, no_median):
            from_facts = measures.teams_and_total(Population(varied.pk), teams, period, slugs)
            with measures.live():
                reference = measures.teams_and_total(Population(varied.pk), teams, period, slugs)
            assert from_facts == reference


def test_drill_down_from_the_facts_equals_its_figure(varied: Unit) -> None:
    month_facts.rebuild()
    population = Population(varied.pk)
    period = MONTHS[-2]
    figures = measures.compute(population, period)
    for measure in measures.MEASURES:
        rows = measures.drill_down(population, period, measure.slug)
        expected = figures[measure.slug]
        count = expected.denominator if measure.summed is not None else expected.numerator
        assert rows.count() == count, measure.slug


def test_other_periods_and_months_past_the_horizon_are_computed_live(varied: Unit) -> None:
    month_facts.rebuild(dt.date(2026, 11, 30))
    population = Population(varied.pk)
    assert measures.context(population, MONTHS[-2]).facts  # November
    assert not measures.context(population, MONTHS[-1]).facts  # December: past the horizon
    assert not measures.context(
        population, Period(dt.date(2026, 11, 1), dt.date(2026, 11, 15))
    ).facts
    month_facts.rebuild()  # December taken on the 2nd: so far, not the whole month
    assert measures.context(population, MONTHS[-1]).facts
    assert not measures.context(population, Period.month(2026, 12)).facts
    assert not measures.context(population, Period.month_to_date(dt.date(2026, 12, 1))).facts
    assert not measures.context(population, Period.month_to_date(dt.date(2026, 12, 3))).facts
    assert measures.context(population, MONTHS[-2]).facts


def test_the_live_month_follows_each_new_day_and_ends_whole(varied: Unit) -> None:
    """The hourly task takes the live month to each new day (a planned start on the 3rd, an
    alert from the 3rd); at the turn of the month the old month is taken whole."""
    month_facts.rebuild()
    c = Citizen.objects.filter(team__name="Team B").order_by("pk").first()
    assert c is not None
    PlacementFactory(
        citizen=c,
        type=placement_type("virksomhedspraktik"),
        starts_on=dt.date(2026, 12, 3),
        start_confirmed_on=None,
    )
    month_facts.refresh([c.pk], dt.date(2026, 12, 3))
    population = Population(varied.pk)
    for day in (dt.date(2026, 12, 3), dt.date(2026, 12, 19)):
        period = Period.month_to_date(day)
        assert not measures.context(population, period).facts  # until the task has run
        assert month_facts.extend(day) > 0
        assert month_facts.built() == (dt.date(2026, 12, 1), day)
        assert month_facts.extend(day) == 0  # once a day
        assert month_facts.stale() == []
        _both_ways(population, period)
    assert month_facts.extend(dt.date(2027, 1, 4)) > 0
    assert month_facts.built() == (dt.date(2027, 1, 1), dt.date(2027, 1, 4))
    assert month_facts.stale() == []
    _both_ways(population, Period.month(2026, 12))
    _both_ways(population, Period.month_to_date(dt.date(2027, 1, 4)))


def test_the_writers_keep_the_facts(varied: Unit, jobformidler: User) -> None:
    """Changes through the services after the build: the facts follow, with no rebuild."""
    month_facts.rebuild()
    c = Citizen.objects.filter(team__name="Team A").order_by("pk").first()
    assert c is not None
    company = make_company(varied, "Værkstedet ApS")
    # A back-dated placement with hours, a praktik, an agreement, an ending, a cancellation.
    job = placement_services.start_placement(
        actor=jobformidler, citizen=c, company=company,
        type=placement_type("ordinaer-ansaettelse"), starts_on=dt.date(2026, 7, 6),
    )  # fmt: skip
    for monday in (dt.date(2026, 7, 27), dt.date(2026, 10, 26), dt.date(2026, 11, 23)):
        placement_services.register_hours(job, monday, "9", actor=jobformidler)
    praktik = placement_services.start_placement(
        actor=jobformidler, citizen=c, company=company,
        type=PlacementType.objects.get(code="virksomhedspraktik"), starts_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    placement_services.save_agreement(
        WorkAgreementFactory.build(placement=praktik, agreed_on=dt.date(2026, 6, 1)),
        changes={},
        actor=jobformidler,
    )
    placement_services.end_placement(
        praktik, ends_on=dt.date(2026, 9, 30),
        end_reason=PlacementEndReason.objects.get(code="ordinaert-job"), actor=jobformidler,
    )  # fmt: skip
    planned = placement_services.start_placement(
        actor=jobformidler, citizen=c, company=company,
        type=placement_type("loentilskud"), starts_on=dt.date(2026, 12, 20),
    )  # fmt: skip
    placement_services.update_placement(
        planned, {"starts_on": dt.date(2026, 12, 21)}, actor=jobformidler
    )
    placement_services.cancel_placement(planned, actor=jobformidler)
    assert Placement.objects.filter(citizen=c).count() >= 3
    assert month_facts.stale() == []
    for period in (MONTHS[2], MONTHS[-2], MONTHS[-1]):
        _both_ways(Population(varied.pk), period)


def test_a_flag_change_makes_the_measures_live_until_rebuilt(varied: Unit) -> None:
    month_facts.rebuild()
    population, period = Population(varied.pk), MONTHS[-2]
    assert measures.context(population, period).facts
    praktik = PlacementType.objects.get(code="virksomhedspraktik")
    praktik.virksomhedsrettet = False
    praktik.save()
    assert month_facts.horizon() is None
    assert not measures.context(population, period).facts
    assert month_facts.extend(dt.date(2026, 12, 2)) > 0
    assert month_facts.horizon() == dt.date(2026, 12, 1)
    _both_ways(population, period)


def test_logging_and_correcting_a_conversation_keep_the_contact_facts(
    varied: Unit, jf_client: Client
) -> None:
    month_facts.rebuild()
    c = Citizen.objects.filter(team__name="Team A").order_by("-pk").first()
    assert c is not None
    in_person = Channel.objects.get(code="fremmoede").pk
    data = log_data(channel=in_person, date="20.10.2026", time="10:00", next_step_due="04.12.2026")
    response = jf_client.post(reverse("cases:conversation_create", args=[c.pk]), data)
    assert response.status_code in (200, 302), response.content.decode()
    conversation = c.conversations.order_by("-pk").first()
    assert conversation is not None
    assert days.local_date(conversation.occurred_at) == dt.date(2026, 10, 20)
    assert month_facts.stale() == []
    november = CitizenMonth.objects.get(citizen=c, month=dt.date(2026, 11, 1))
    assert november.last_contact_at is not None
    assert november.last_contact_at >= conversation.occurred_at
    # Corrected to an earlier day: October's and later months' latest contact move with it.
    jf_client.post(
        reverse("cases:conversation_edit", args=[conversation.pk]),
        {**data, "date": "05.09.2026"},
    )
    conversation.refresh_from_db()
    assert days.local_date(conversation.occurred_at) == dt.date(2026, 9, 5)
    assert month_facts.stale() == []
    for period in (MONTHS[4], MONTHS[5], MONTHS[6]):
        _both_ways(Population(varied.pk), period)


def test_a_build_catches_up_with_writers_that_committed_while_it_ran(varied: Unit) -> None:
    """A writer that saved while the build ran did not see its horizon: its citizen, named
    in the audit log since the build began, is refreshed right after it."""
    month_facts.rebuild()
    began = timezone.now()
    row = WeeklyHours.objects.filter(hours__gt=0, placement__start_confirmed_on__isnull=False)
    changed = row.order_by("pk").first()
    assert changed is not None
    WeeklyHours.objects.filter(pk=changed.pk).update(hours=changed.hours + 5)
    assert month_facts.stale() != []
    audit.write(None, AuditAction.CHANGE, changed, citizen_id=changed.placement.citizen_id)
    month_facts._catch_up(began)
    assert month_facts.stale() == []


def test_the_hourly_task_builds_the_facts_and_adds_each_new_month(varied: Unit) -> None:
    from django.conf import settings

    from cases.tasks import extend_month_facts

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cases.tasks.extend_month_facts" in tasks
    assert month_facts.horizon() is None
    assert extend_month_facts.apply().get() > 0  # never built: every month
    assert month_facts.horizon() == dt.date(2026, 12, 1)  # the frozen clock's month
    assert extend_month_facts.apply().get() == 0  # nothing new
    month_facts.set_horizon(dt.date(2026, 10, 1))
    CitizenMonth.objects.filter(month__gt=dt.date(2026, 10, 1)).delete()
    assert extend_month_facts.apply().get() > 0  # November and December
    assert month_facts.horizon() == dt.date(2026, 12, 1)
    assert month_facts.stale() == []


def _assigned_on(citizen: Citizen, day: dt.date) -> int | None:
    """The jobformidler the assignment history names on ``day`` (the latest covering it)."""
    covering = citizen.assignments.filter(started_on__lte=day).exclude(ended_on__lt=day)
    latest = covering.order_by("-started_on", "-pk").first()
    return latest.jobformidler_id if latest else None


def test_the_jobformidler_fact_follows_the_assignment_history(
    varied: Unit, jobformidler: User, teamleder: User
) -> None:
    """``CitizenMonth.jobformidler`` is the staff member assigned on each month's last day
    (the live month: on the day it is taken on); a reassignment, back-dated or today, moves it
    from that month on, and the team lead's board grouped by it equals the board grouped by
    the assignment history live."""
    from cases.citizens import services
    from reporting.dashboards import teamlead

    month_facts.rebuild()
    citizens = list(Citizen.objects.order_by("pk"))
    for c in citizens:
        for period in MONTHS:
            row = CitizenMonth.objects.filter(citizen=c, month=period.first).first()
            assert (row.jobformidler_id if row else None) == _assigned_on(c, period.last)
    team_b = [c for c in citizens if c.team.name == "Team B" and c.opened_on < dt.date(2026, 9, 1)]
    moved, today_moved = team_b[0], team_b[1]
    # Back-dated (one citizen) and today (a team lead's reassignment of another).
    services.assign(moved, jobformidler, on=dt.date(2026, 9, 15))
    Citizen.objects.filter(pk=today_moved.pk).update(team=Team.objects.get(name="Team A"))
    today_moved.refresh_from_db()
    assert services.reassign_many([today_moved], jobformidler, actor=teamleder) == 1
    assert month_facts.stale() == []
    facts = dict(CitizenMonth.objects.filter(citizen=moved).values_list("month", "jobformidler_id"))
    assert facts[dt.date(2026, 8, 1)] != jobformidler.pk
    assert facts[dt.date(2026, 9, 1)] == facts[dt.date(2026, 12, 1)] == jobformidler.pk
    assert (
        CitizenMonth.objects.get(citizen=today_moved, month=dt.date(2026, 12, 1)).jobformidler_id
        == jobformidler.pk
    )
    staff = list(User.objects.filter(username__in=["jf", "jf_other"]).order_by("username"))
    team_ids = tuple(Team.objects.filter(unit=varied).values_list("pk", flat=True))
    for period in (MONTHS[4], MONTHS[-1]):
        population = Population(varied.pk, team_ids)
        assert measures.context(population, period).facts
        from_facts = teamlead.board(population, period, staff, teamlead.PAGE_SLUGS)
        with measures.live():
            reference = teamlead.board(population, period, staff, teamlead.PAGE_SLUGS)
        assert [r.figures for r in from_facts[0]] == [r.figures for r in reference[0]]
        assert from_facts[2] == reference[2]
        assert from_facts[0][0].figures["caseload"].numerator > 0
