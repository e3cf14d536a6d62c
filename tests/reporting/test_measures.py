"""The measures on hand-computed cases, period edges included (docs/measures.md).

The clock is frozen at Wednesday 2 December 2026; the measured period is November 2026 unless a
test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cases.citizens.models import (
    BenefitPeriod,
    BenefitType,
    Channel,
    Citizen,
    ConversationKind,
    ExitReason,
    VisitationGroup,
    VisitationPeriod,
)
from cases.placements.models import PlacementEndReason
from reporting import measures
from reporting.measures import Period, Population, percent
from substitution import days
from substitution.models import Team, Unit, User
from tests.factories.cases import CitizenFactory, ConversationFactory, JobGoalFactory
from tests.factories.org import TeamFactory
from tests.factories.placements import PlacementFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

NOV = Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
D = Decimal


def citizen(team: Team, opened: dt.date = dt.date(2026, 1, 1), **kwargs: object) -> Citizen:
    return CitizenFactory.create(team=team, opened_on=opened, **kwargs)


def figure(team: Team, slug: str, period: Period = NOV, **filters: object) -> measures.Figure:
    population = Population(unit_id=team.unit_id, team_ids=(team.pk,), **filters)  # type: ignore[arg-type]
    return measures.compute(population, period, [slug])[slug]


def exit_with(c: Citizen, on: dt.date, code: str) -> None:
    Citizen.objects.filter(pk=c.pk).update(
        status="afsluttet", exit_date=on, exit_reason=ExitReason.objects.get(code=code)
    )


# --- rounding and pooling -------------------------------------------------------------------


def test_percentages_round_half_up_as_the_tables_print_them() -> None:
    assert percent(9, 40) == 23  # 22.5 %
    assert percent(25, 40) == 63  # 62.5 %
    assert round(22.5) == 22  # what Python's round would have printed
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67


def test_the_jobcentre_total_is_pooled_over_citizens_not_a_mean_of_teams(unit: Unit) -> None:
    small, large = TeamFactory.create(unit=unit), TeamFactory.create(unit=unit)
    citizen(small, cv_present=True)  # 1 of 1 = 100 %
    for n in range(4):
        citizen(large, cv_present=n == 0)  # 1 of 4 = 25 %
    total = measures.compute(Population(unit_id=unit.pk), NOV, ["cv"])["cv"]
    assert (total.numerator, total.denominator) == (2, 5)
    assert total.display == "40 %"  # a mean of the two teams would say 62.5 %


# --- populations and periods ----------------------------------------------------------------


def test_population_is_who_was_open_on_a_day_of_the_period(team: Team) -> None:
    citizen(team, cv_present=True)  # open all along
    exited_first_day = citizen(team, cv_present=True)
    exit_with(exited_first_day, NOV.first, "ordinaert-job")
    exited_before = citizen(team, cv_present=True)
    exit_with(exited_before, NOV.first - dt.timedelta(days=1), "ordinaert-job")
    citizen(team, opened=NOV.last, cv_present=True)  # opened on the last day: in
    citizen(team, opened=NOV.last + dt.timedelta(days=1), cv_present=True)  # later: not
    assert figure(team, "cv").denominator == 3
    # The exit on the first day is a self-supporting exit in the period.
    self_supporting = figure(team, "self_supporting")
    assert (self_supporting.numerator, self_supporting.denominator) == (1, 3)


def test_visitation_group_is_taken_as_of_a_date(team: Team) -> None:
    """A citizen whose group changed inside the period counts in the group they were in on the
    as-of day (default the last day): the group-1 denominator does not drift."""
    group1 = VisitationGroup.objects.get(code="gruppe-1")
    group3 = VisitationGroup.objects.get(code="gruppe-3")
    changed = citizen(team)
    VisitationPeriod.objects.create(
        citizen=changed, group=group3, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 11, 14)
    )
    VisitationPeriod.objects.create(citizen=changed, group=group1, starts_on=dt.date(2026, 11, 15))
    steady = citizen(team)
    VisitationPeriod.objects.create(citizen=steady, group=group1, starts_on=dt.date(2026, 1, 1))
    assert figure(team, "cv", visitation_group="gruppe-1").denominator == 2
    early = figure(team, "cv", visitation_group="gruppe-1", as_of=dt.date(2026, 11, 10))
    assert early.denominator == 1
    assert (
        figure(team, "cv", visitation_group="gruppe-3", as_of=dt.date(2026, 11, 10)).denominator
        == 1
    )


def test_benefit_filter_reads_the_benefit_periods(team: Team) -> None:
    kontant = BenefitType.objects.get(code="kontanthjaelp")
    udd = BenefitType.objects.get(code="uddannelseshjaelp")
    c = citizen(team)
    BenefitPeriod.objects.create(
        citizen=c, benefit_type=udd, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 11, 20)
    )
    BenefitPeriod.objects.create(citizen=c, benefit_type=kontant, starts_on=dt.date(2026, 11, 21))
    assert figure(team, "cv", benefit_type="kontanthjaelp").denominator == 1
    assert figure(team, "cv", benefit_type="uddannelseshjaelp").denominator == 0
    assert (
        figure(team, "cv", benefit_type="uddannelseshjaelp", as_of=dt.date(2026, 11, 1)).denominator
        == 1
    )


# --- placements --------------------------------------------------------------------------


def test_placement_starting_on_the_last_day_counts_and_an_unconfirmed_one_does_not(
    team: Team,
) -> None:
    on_last_day = citizen(team)
    PlacementFactory.create(citizen=on_last_day, type_code="virksomhedspraktik", starts_on=NOV.last)
    unconfirmed = citizen(team)
    PlacementFactory.create(
        citizen=unconfirmed,
        type_code="virksomhedspraktik",
        starts_on=dt.date(2026, 11, 2),
        start_confirmed_on=None,
    )
    after = citizen(team)
    PlacementFactory.create(
        citizen=after, type_code="virksomhedspraktik", starts_on=dt.date(2026, 12, 1)
    )
    result = figure(team, "virksomhedsforloeb")
    assert (result.numerator, result.denominator) == (1, 3)
    assert figure(team, "placements_started").numerator == 1
    assert (
        figure(team, "alert_unconfirmed_start", Period(NOV.first, dt.date(2026, 12, 2))).numerator
        == 1
    )


def test_education_is_virksomhedsforloeb_but_not_virksomhedsrettet(team: Team) -> None:
    c = citizen(team)
    PlacementFactory.create(
        citizen=c, type_code="ordinaer-uddannelse", starts_on=dt.date(2026, 9, 1)
    )
    assert figure(team, "virksomhedsforloeb").numerator == 1
    assert figure(team, "virksomhedsrettet").numerator == 0


def test_placement_ended_in_a_job_is_counted_in_the_period_it_ran(team: Team) -> None:
    c = citizen(team)
    PlacementFactory.create(
        citizen=c,
        type_code="loentilskud",
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 11, 1),
        end_reason=PlacementEndReason.objects.get(code="ordinaert-job"),
    )
    assert figure(team, "virksomhedsrettet").numerator == 1
    assert figure(team, "virksomhedsrettet", Period(dt.date(2026, 11, 2), NOV.last)).numerator == 0


# --- ordinary hours ------------------------------------------------------------------------


def test_week_straddling_two_months_counts_pro_rata(team: Team) -> None:
    """Monday 26 October to Sunday 1 November with 14 hours: one day (2 hours) is November."""
    c = citizen(team)
    placement = PlacementFactory.create(citizen=c, starts_on=dt.date(2026, 10, 1))
    WeeklyHoursFactory.create(placement=placement, week_start=dt.date(2026, 10, 26), hours=D(14))
    assert figure(team, "ordinary_hours").numerator == 1
    per_week = figure(team, "ordinary_hours_per_week")
    assert per_week.numerator == D("0.4667")  # 2 hours / (30/7 weeks)
    assert per_week.denominator == 1


def test_monthly_payslip_row_counts_whole_in_its_month(team: Team) -> None:
    """Six hours on each of the five Mondays of March 2026, on the March payslip: 30 hours in
    March (a split of weeks would give 25.71)."""
    c = citizen(team)
    placement = PlacementFactory.create(citizen=c, starts_on=dt.date(2026, 2, 1))
    WeeklyHoursFactory.create(
        placement=placement,
        week_start=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
        hours=D(30),
    )
    march = Period.month(2026, 3)
    result = figure(team, "ordinary_hours_per_week", march)
    assert result.numerator == (D(30) / (D(31) / 7)).quantize(D("0.0001"))
    assert result.display == "6,8 t/uge"
    assert figure(team, "ordinary_hours", Period.month(2026, 4)).numerator == 0


def test_loentilskud_and_fleksjob_hours_are_not_ordinary_and_praktik_without_hours(
    team: Team,
) -> None:
    in_praktik = citizen(team)
    PlacementFactory.create(
        citizen=in_praktik, type_code="virksomhedspraktik", starts_on=dt.date(2026, 8, 1)
    )
    praktik_and_hours = citizen(team)
    PlacementFactory.create(
        citizen=praktik_and_hours, type_code="virksomhedspraktik", starts_on=dt.date(2026, 8, 1)
    )
    paid = PlacementFactory.create(citizen=praktik_and_hours, starts_on=dt.date(2026, 8, 1))
    WeeklyHoursFactory.create(placement=paid, week_start=dt.date(2026, 11, 9), hours=D(5))
    loentilskud = citizen(team)
    PlacementFactory.create(
        citizen=loentilskud, type_code="loentilskud", starts_on=dt.date(2026, 8, 1)
    )
    assert figure(team, "ordinary_hours").numerator == 1
    assert figure(team, "praktik_without_hours").numerator == 1
    assert figure(team, "virksomhedsrettet").numerator == 3


# --- exits, self-support, ren beskæftigelse ------------------------------------------------


def test_self_support_and_ren_beskaeftigelse_are_two_measures(team: Team) -> None:
    education = citizen(team)
    exit_with(education, dt.date(2026, 11, 10), "uddannelse")
    job_off_benefit = citizen(team)
    exit_with(job_off_benefit, dt.date(2026, 11, 10), "ordinaert-job")
    BenefitPeriod.objects.create(
        citizen=job_off_benefit,
        benefit_type=BenefitType.objects.get(code="kontanthjaelp"),
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2026, 11, 9),
    )
    job_still_on_benefit = citizen(team)
    exit_with(job_still_on_benefit, dt.date(2026, 11, 10), "ordinaert-job")
    BenefitPeriod.objects.create(
        citizen=job_still_on_benefit,
        benefit_type=BenefitType.objects.get(code="kontanthjaelp"),
        starts_on=dt.date(2025, 1, 1),
    )
    pension = citizen(team)
    exit_with(pension, dt.date(2026, 11, 30), "foertidspension")
    assert figure(team, "self_supporting").numerator == 3
    assert figure(team, "ren_beskaeftigelse").numerator == 1
    assert figure(team, "afklaret").numerator == 1
    assert figure(team, "exits").numerator == 4
    assert figure(team, "exits_job").numerator == 2
    assert figure(team, "exits_education").numerator == 1


# --- contact cadence -----------------------------------------------------------------------


def test_contact_cadence_counts_only_flagged_kinds_and_channels(
    team: Team, jobformidler: User
) -> None:
    """42 days up to 30 November: a conversation on 19 October (42 days before) is within, one
    on 18 October is not; an SMS or a drop-in does not count."""

    def seen(on: dt.date, channel: str = "fremmoede", kind: str = "individuel") -> Citizen:
        c = CitizenFactory.create(
            team=team, opened_on=dt.date(2026, 1, 1), assigned_to=jobformidler,
            assigned_to__on=dt.date(2026, 1, 1),
        )  # fmt: skip
        ConversationFactory.create(
            citizen=c,
            author=jobformidler,
            occurred_at=days.local_moment(on, dt.time(10)),
            channel=Channel.objects.get(code=channel),
            kind=ConversationKind.objects.get(code=kind),
        )
        return c

    seen(dt.date(2026, 10, 19))
    seen(dt.date(2026, 10, 18))
    seen(dt.date(2026, 11, 20), channel="sms")
    seen(dt.date(2026, 11, 20), kind="drop-in")
    result = figure(team, "contact_cadence")
    assert (result.numerator, result.denominator) == (1, 4)
    median = figure(team, "days_since_contact_median")
    # 42 and 43 days (the SMS and the drop-in are not contacts): the median is 42.5.
    assert (median.numerator, median.value, median.display) == (2, D("42.5"), "43 dage")


# --- the FSM criterion ----------------------------------------------------------------------


def test_fsm_criterion_any_time_in_the_window_and_on_a_day(team: Team) -> None:
    group1 = VisitationGroup.objects.get(code="gruppe-1")
    for n in range(5):
        c = citizen(team)
        VisitationPeriod.objects.create(citizen=c, group=group1, starts_on=dt.date(2026, 1, 1))
        if n < 2:  # in praktik in September only (inside the Sep-Nov window)
            PlacementFactory.create(
                citizen=c,
                type_code="virksomhedspraktik",
                starts_on=dt.date(2026, 9, 1),
                ends_on=dt.date(2026, 9, 30),
            )
        if n == 2:  # running on 30 November
            PlacementFactory.create(citizen=c, starts_on=dt.date(2026, 11, 1))
    not_group1 = citizen(team)
    PlacementFactory.create(citizen=not_group1, starts_on=dt.date(2026, 11, 1))
    window = figure(team, "fsm40_window")
    assert (window.numerator, window.denominator, window.display) == (3, 5, "60 %")
    on_day = figure(team, "fsm40_day")
    assert (on_day.numerator, on_day.denominator) == (1, 5)


# --- the rest, briefly ----------------------------------------------------------------------


def test_own_job_goal_and_continuity(
    team: Team, jobformidler: User, other_jobformidler: User
) -> None:
    own = citizen(team)
    JobGoalFactory.create(citizen=own, created_on=dt.date(2026, 5, 1))
    not_own = citizen(team)
    JobGoalFactory.create(citizen=not_own, created_on=dt.date(2026, 5, 1), own_wish=False)
    changed = CitizenFactory.create(
        team=team, opened_on=dt.date(2025, 1, 1), assigned_to=jobformidler,
        assigned_to__on=dt.date(2025, 1, 1),
    )  # fmt: skip
    from cases.citizens.services import assign

    assign(changed, other_jobformidler, on=dt.date(2026, 6, 1))
    assert figure(team, "own_job_goal").numerator == 1
    continuity = figure(team, "continuity")
    assert (continuity.numerator, continuity.denominator) == (1, 3)
    assert continuity.display == "0,3"


# --- drill-downs equal their figures ----------------------------------------------------------


@pytest.fixture
def busy_team(team: Team, jobformidler: User, other_jobformidler: User) -> Team:
    """A team where every measure has something to count."""
    from cases.citizens.services import assign

    group1 = VisitationGroup.objects.get(code="gruppe-1")
    for n in range(6):
        c = CitizenFactory.create(
            team=team, opened_on=dt.date(2026, 1, 1) if n else dt.date(2026, 11, 5),
            assigned_to=jobformidler, assigned_to__on=dt.date(2026, 1, 1), cv_present=n % 2 == 0,
        )  # fmt: skip
        VisitationPeriod.objects.create(citizen=c, group=group1, starts_on=dt.date(2026, 1, 1))
        JobGoalFactory.create(citizen=c, created_on=dt.date(2026, 2, 1), own_wish=n != 1)
        ConversationFactory.create(
            citizen=c,
            author=jobformidler,
            occurred_at=days.local_moment(dt.date(2026, 11, 3 + n), dt.time(9)),
        )
        if n == 1:
            assign(c, other_jobformidler, on=dt.date(2026, 10, 1))
        if n in (2, 3):
            p = PlacementFactory.create(citizen=c, starts_on=dt.date(2026, 9, 1))
            WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 11, 2), hours=D(6 + n))
            WeeklyHoursFactory.create(
                placement=p, week_start=dt.date(2026, 11, 23), hours=D(12 + n)
            )
        if n == 4:
            PlacementFactory.create(
                citizen=c, type_code="virksomhedspraktik", starts_on=dt.date(2026, 11, 10)
            )
        if n == 5:
            exit_with(c, dt.date(2026, 11, 20), "ordinaert-job")
    return team


@pytest.mark.parametrize("slug", [m.slug for m in measures.MEASURES])
def test_drill_down_equals_its_figure(busy_team: Team, slug: str) -> None:
    population = Population(unit_id=busy_team.unit_id, team_ids=(busy_team.pk,))
    result = measures.compute(population, NOV, [slug])[slug]
    rows = measures.drill_down(population, NOV, slug)
    measure = measures.BY_SLUG[slug]
    if measure.summed is not None:  # the rows are the citizens whose hours are summed
        assert rows.count() == result.denominator
    else:
        assert rows.count() == result.numerator
    assert len(set(rows.values_list("pk", flat=True))) == rows.count()  # no row twice


def test_busy_team_figures(busy_team: Team) -> None:
    """A few of the busy team's figures by hand, so the parametrised test is not vacuous."""
    population = Population(unit_id=busy_team.unit_id, team_ids=(busy_team.pk,))
    got = {slug: f for slug, f in measures.compute(population, NOV).items()}
    assert (got["cv"].numerator, got["cv"].denominator) == (3, 6)
    assert got["inflow"].numerator == 1
    assert got["ordinary_hours"].numerator == 2
    assert got["virksomhedsforloeb"].numerator == 3
    assert got["praktik_without_hours"].numerator == 1
    assert got["self_supporting"].numerator == 1
    assert got["caseload"].numerator == 5  # the exited citizen is not caseload on 30 November
    assert got["continuity"].numerator == 1
    assert got["contact_cadence"].numerator == 5


def test_hours_rising_compares_the_last_four_weeks_with_the_four_before(team: Team) -> None:
    rising, falling, flat = citizen(team), citizen(team), citizen(team)
    for c, before, recent in ((rising, 5, 10), (falling, 10, 5), (flat, 8, 8)):
        p = PlacementFactory.create(citizen=c, starts_on=dt.date(2026, 9, 1))
        WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 10, 12), hours=D(before))
        WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 11, 16), hours=D(recent))
    result = figure(team, "hours_rising")
    assert (result.numerator, result.denominator) == (1, 3)
    assert list(measures.drill_down(Population(team.unit_id, (team.pk,)), NOV, "hours_rising")) == [
        rising
    ]


def test_the_jobcentre_as_the_sum_of_its_teams_equals_computing_it(
    busy_team: Team, other_team: Team, other_jobformidler: User
) -> None:
    """``teams_and_total`` adds the teams' numerators and denominators for the measures over
    citizens; that must be exactly the pooled figure computed over the whole jobcentre."""
    for n in range(3):
        c = CitizenFactory.create(
            team=other_team, opened_on=dt.date(2026, 1, 1), assigned_to=other_jobformidler,
            assigned_to__on=dt.date(2026, 1, 1), cv_present=n == 0,
        )  # fmt: skip
        p = PlacementFactory.create(citizen=c, starts_on=dt.date(2026, 10, 1))
        WeeklyHoursFactory.create(placement=p, week_start=dt.date(2026, 11, 9), hours=D(4 + n))
    unit_teams = list(Team.objects.filter(unit_id=busy_team.unit_id).values_list("pk", flat=True))
    base = Population(unit_id=busy_team.unit_id)
    per_team, summed = measures.teams_and_total(base, unit_teams, NOV)
    direct = measures.compute(base, NOV)
    assert summed == direct
    # Each team's figures (one grouped query per kind of row, not a computation per team)
    # are those computed for the team alone.
    for team_id in unit_teams:
        assert per_team[team_id] == measures.compute(base.with_teams([team_id]), NOV), team_id
