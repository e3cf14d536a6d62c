"""``manage.py check_data``: the seeded demo keeps every invariant, and each check catches a
violation made by hand (bypassing the services with ``update``/``create``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from cases import invariants
from cases.citizens.models import (
    Assignment,
    BenefitPeriod,
    Citizen,
    CitizenStatus,
    Conversation,
    SubGoal,
    SubGoalStatus,
    VisitationGroup,
    VisitationPeriod,
    cadence_conversations,
)
from cases.placements.hours import week_overlaps
from cases.placements.models import (
    HoursSource,
    Placement,
    PlacementStatus,
    WeeklyHours,
    WeeklyHoursRevision,
)
from cases.placements.services import status_on
from companies.models import Company, PipelineStatus, PlacementType, Task, TaskStatus
from substitution import days
from substitution.models import FollowUp, User
from tests.factories.placements import PlacementFactory

pytestmark = pytest.mark.django_db
SCALE = "0.05"  # 30 citizens, 8 companies


def seed() -> None:
    call_command("seed_demo", "--scale", SCALE, stdout=StringIO())


def broken(code: str) -> list[invariants.Violation]:
    check = next(c for c in invariants.CHECKS if c.code == code)
    return check.run(days.today())


def test_the_seeded_demo_keeps_every_invariant() -> None:
    seed()
    out = StringIO()
    call_command("check_data", stdout=out)
    text = out.getvalue()
    assert f"{len(invariants.CHECKS)} tjek, 0 med brud" in text
    assert text.count("  ok  ") == len(invariants.CHECKS)


def test_a_violation_fails_the_command_with_counts_and_ids() -> None:
    seed()
    task = Task.objects.filter(status=TaskStatus.AABEN, placements__isnull=True).first()
    assert task is not None
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.BESAT)
    out = StringIO()
    with pytest.raises(CommandError, match="1 med brud, 1 rækker") as raised:
        call_command("check_data", stdout=out)
    assert raised.value.returncode == 1
    assert f"1 opgaver har status «besat», men forløbene giver «aaben» (fx id {task.pk})" in (
        out.getvalue()
    )


# --- one hand-made violation per rule -------------------------------------------------------


def _placement() -> Placement:
    placement = Placement.objects.order_by("pk").first()
    assert placement is not None
    return placement


def _ordinary_placement() -> Placement:
    """A seeded placement made to count ordinary hours, with a valid row in its first week."""
    placement = _placement()
    Placement.objects.filter(pk=placement.pk).update(
        type=PlacementType.objects.get(code="ordinaere-loentimer")
    )
    placement.refresh_from_db()
    WeeklyHours.objects.update_or_create(
        placement=placement,
        week_start=days.week_start(placement.starts_on),
        defaults={
            "hours": Decimal(5),
            "source": HoursSource.LOENSEDDEL,
            "ends_on": days.week_start(placement.starts_on) + dt.timedelta(days=6),
        },
    )
    return placement


def stale_placement_status() -> None:
    placement = _placement()
    ruled = status_on(placement.starts_on, placement.ends_on, days.today())
    wrong = next(s for s in PlacementStatus if s != ruled)
    Placement.objects.filter(pk=placement.pk).update(status=wrong)


def planned_hours_out_of_range() -> None:
    Placement.objects.filter(pk=_placement().pk).update(planned_hours_per_week=Decimal(99))


def besat_without_placements() -> None:
    task = Task.objects.filter(status=TaskStatus.AABEN, placements__isnull=True).first()
    assert task is not None
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.BESAT)


def filled_but_open() -> None:
    task = Task.objects.filter(status=TaskStatus.AABEN, placements__isnull=True).first()
    assert task is not None
    citizen = Citizen.objects.filter(unit_id=task.company.unit_id).first()
    assert citizen is not None
    today = days.today()
    for _ in range(task.positions):
        Placement.objects.create(
            citizen=citizen,
            company=task.company,
            task=task,
            type=PlacementType.objects.get(code="virksomhedspraktik"),
            starts_on=today - dt.timedelta(days=10),
            status=PlacementStatus.AKTIV,
        )


def hours_before_the_start() -> None:
    placement = _ordinary_placement()
    WeeklyHours.objects.create(
        placement=placement,
        week_start=days.week_start(placement.starts_on) - dt.timedelta(weeks=1),
        ends_on=days.week_start(placement.starts_on) - dt.timedelta(days=1),
        hours=Decimal(5),
        source=HoursSource.LOENSEDDEL,
    )


def hours_on_loentilskud() -> None:
    placement = _ordinary_placement()
    Placement.objects.filter(pk=placement.pk).update(
        type=PlacementType.objects.get(code="loentilskud")
    )


def hours_not_on_a_monday() -> None:
    placement = _ordinary_placement()
    # A seven-day row (a week) from Tuesday to Monday; a month may start on any day.
    WeeklyHours.objects.filter(placement=placement).update(
        week_start=F("week_start") + dt.timedelta(days=1),
        ends_on=F("ends_on") + dt.timedelta(days=1),
    )


def overlapping_hours_periods() -> None:
    placement = _ordinary_placement()
    row = WeeklyHours.objects.get(placement=placement)
    # A month row covering the week already registered.
    WeeklyHours.objects.create(
        placement=placement,
        week_start=row.week_start - dt.timedelta(days=2),
        ends_on=row.week_start + dt.timedelta(days=20),
        hours=Decimal(40),
        source=HoursSource.LOENSEDDEL,
    )


def too_many_hours_for_the_period() -> None:
    placement = _ordinary_placement()
    WeeklyHours.objects.filter(placement=placement).update(hours=Decimal(81))


def overlapping_benefit_periods() -> None:
    citizen = Citizen.objects.filter(benefit_type__isnull=False).order_by("pk").first()
    assert citizen is not None
    period = BenefitPeriod.objects.get(citizen=citizen, ends_on__isnull=True)
    BenefitPeriod.objects.create(
        citizen=citizen,
        benefit_type=period.benefit_type,
        starts_on=period.starts_on - dt.timedelta(days=30),
        ends_on=period.starts_on,
    )


def visitation_group_not_the_open_periods() -> None:
    period = VisitationPeriod.objects.filter(ends_on__isnull=True).order_by("pk").first()
    assert period is not None
    other = VisitationGroup.objects.exclude(pk=period.group_id).first()
    Citizen.objects.filter(pk=period.citizen_id).update(visitation_group=other)


def revision_newer_than_its_row() -> None:
    row = WeeklyHours.objects.filter(placement=_ordinary_placement()).first()
    assert row is not None
    WeeklyHoursRevision.objects.create(
        weekly_hours=row,
        hours=Decimal(3),
        source=HoursSource.VIRKSOMHED,
        received_on=row.received_on,
        replaced_at=row.registered_at + dt.timedelta(hours=1),
    )


def overlapping_assignments() -> None:
    current = Assignment.objects.filter(ended_on__isnull=True).first()
    assert current is not None
    Assignment.objects.create(
        citizen_id=current.citizen_id,
        jobformidler_id=current.jobformidler_id,
        started_on=current.started_on - dt.timedelta(days=10),
        ended_on=current.started_on + dt.timedelta(days=5),
    )


def jobformidler_not_the_open_periods() -> None:
    current = Assignment.objects.filter(ended_on__isnull=True).first()
    assert current is not None
    other = User.objects.exclude(pk=current.jobformidler_id).first()
    Citizen.objects.filter(pk=current.citizen_id).update(jobformidler=other)


def closed_without_exit_date() -> None:
    citizen = Citizen.objects.filter(status=CitizenStatus.AKTIV).first()
    assert citizen is not None
    Citizen.objects.filter(pk=citizen.pk).update(status=CitizenStatus.AFSLUTTET)


def open_sub_goal_with_closing_day() -> None:
    goal = SubGoal.objects.filter(status=SubGoalStatus.AABEN).first()
    assert goal is not None
    SubGoal.objects.filter(pk=goal.pk).update(closed_on=days.today())


def next_step_without_follow_up() -> None:
    conversation = Conversation.objects.filter(follow_up__isnull=False).first()
    assert conversation is not None
    Conversation.objects.filter(pk=conversation.pk).update(follow_up=None)


def open_follow_up_drifted() -> None:
    conversation = Conversation.objects.filter(
        follow_up__isnull=False, follow_up__done_at__isnull=True
    ).first()
    assert conversation is not None and conversation.follow_up_id is not None
    FollowUp.objects.filter(pk=conversation.follow_up_id).update(title="Noget andet")


def follow_up_on_a_missing_company() -> None:
    user = User.objects.first()
    assert user is not None
    FollowUp.objects.create(
        owner=user,
        due_on=days.today(),
        title="Ring",
        subject_type=ContentType.objects.get_for_model(Company),
        subject_id=10**9,
    )


def company_status_not_in_history() -> None:
    company = Company.objects.exclude(status=PipelineStatus.INAKTIV).first()
    assert company is not None
    Company.objects.filter(pk=company.pk).update(status=PipelineStatus.INAKTIV)


def fixed_contact_not_the_open_periods() -> None:
    company = Company.objects.filter(fixed_contact__isnull=False).first()
    assert company is not None
    Company.objects.filter(pk=company.pk).update(fixed_contact=None)


def conversation_not_in_citizen_facts() -> None:
    """A conversation that counts for the cadence, written past the services (no refresh)."""
    conversation = cadence_conversations().first()
    assert conversation is not None
    Conversation.objects.filter(pk=conversation.pk).update(
        occurred_at=F("occurred_at") + dt.timedelta(days=400)
    )


def hours_past_the_month_facts() -> None:
    """Ordinary hours changed past the services: the facts per citizen and month not
    refreshed."""
    row = WeeklyHours.objects.filter(
        hours__gt=0,
        placement__type__counts_as_ordinary_hours=True,
        placement__start_confirmed_on__isnull=False,
    ).first()
    assert row is not None
    WeeklyHours.objects.filter(pk=row.pk).update(hours=F("hours") + 5)


def follow_up_done_past_the_services() -> None:
    citizen = Citizen.objects.filter(next_follow_up_on__isnull=False).first()
    assert citizen is not None
    FollowUp.objects.filter(subject_id=citizen.pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )


def step_written_by_hand() -> None:
    """The stored step of a citizen typed past ``facts.refresh``."""
    citizen = Citizen.objects.exclude(current_step=3).first()
    assert citizen is not None
    Citizen.objects.filter(pk=citizen.pk).update(current_step=3)


def active_placement_past_the_step() -> None:
    """A citizen in trin 3 whose placements lose their confirmed start past the services
    (none counts any more): the stored trin 3 is not refreshed."""
    placement = Placement.objects.active_on(days.today()).filter(type__at_company=True).first()
    assert placement is not None
    assert Citizen.objects.get(pk=placement.citizen_id).current_step == 3
    Placement.objects.filter(citizen_id=placement.citizen_id).update(start_confirmed_on=None)


def company_moved_past_the_services() -> None:
    """A company's postal code changed past ``update_company``: its tasks keep the old one
    for matching. (A task of its own postal code written by hand, on SQLite, where the seed
    leaves the column NULL.)"""
    task = Task.objects.filter(status=TaskStatus.AABEN).first()
    assert task is not None
    if task.company_postal_code is None:
        Task.objects.filter(pk=task.pk).update(company_postal_code="0001")
    else:
        Company.objects.filter(pk=task.company_id).update(postal_code="0001")


CASES: list[tuple[str, Callable[[], None], str]] = [
    ("forloeb-status", stale_placement_status, "men datoerne giver"),
    ("forloeb-felter", planned_hours_out_of_range, "planlagte timer uden for 0-80"),
    ("opgave-besat", besat_without_placements, "men forløbene giver «aaben»"),
    ("opgave-besat", filled_but_open, "men forløbene giver «besat»"),
    ("ugetimer", hours_before_the_start, "uden for forløbets datoer"),
    ("ugetimer", hours_on_loentilskud, "ikke tæller som ordinære timer"),
    ("ugetimer", hours_not_on_a_monday, "ikke er angivet ved sin mandag"),
    ("ugetimer", overlapping_hours_periods, "overlapper en senere periode på samme forløb"),
    ("ugetimer", too_many_hours_for_the_period, "flere end 80 timer pr. uge"),
    ("borger-perioder", overlapping_benefit_periods, "ydelsesperioder overlapper"),
    ("borger-perioder", visitation_group_not_the_open_periods, "visitationsgruppe ikke er den"),
    ("timerevisioner", revision_newer_than_its_row, "nyere end den registrering"),
    ("jobformidler", overlapping_assignments, "overlapper en senere periode"),
    ("jobformidler", jobformidler_not_the_open_periods, "ikke er den åbne periodes"),
    ("borger-felter", closed_without_exit_date, "uden afslutningsdato"),
    ("borger-felter", open_sub_goal_with_closing_day, "åbne delmål med en lukkedato"),
    ("samtale-opfoelgning", next_step_without_follow_up, "men uden opfølgning"),
    ("samtale-opfoelgning", open_follow_up_drifted, "ikke følger næste skridt"),
    ("opfoelgning-emne", follow_up_on_a_missing_company, "der ikke findes"),
    ("borger-fakta", conversation_not_in_citizen_facts, "gemte seneste samtale"),
    ("borger-fakta", follow_up_done_past_the_services, "næste opfølgning ikke passer"),
    ("borger-trin", step_written_by_hand, "gemte trin ikke er det"),
    ("borger-trin", active_placement_past_the_step, "gemte trin ikke er det"),
    ("maaneds-fakta", hours_past_the_month_facts, "gemte fakta ikke passer"),
    ("virksomhed-historik", company_status_not_in_history, "ikke er virksomhedens status"),
    ("virksomhed-historik", fixed_contact_not_the_open_periods, "ikke er den åbne periodes"),
    ("opgave-matchfelter", company_moved_past_the_services, "ikke er virksomhedens"),
]


@pytest.mark.parametrize(
    ("code", "breaking", "message"), CASES, ids=[breaking.__name__ for _c, breaking, _m in CASES]
)
def test_each_check_catches_a_hand_made_violation(
    code: str, breaking: Callable[[], None], message: str
) -> None:
    seed()
    assert broken(code) == []
    breaking()
    found = broken(code)
    assert found, f"{code} did not catch {breaking.__name__}"
    assert any(message in str(v) and v.count >= 1 and v.examples for v in found), found


def test_every_check_has_a_hand_made_violation() -> None:
    assert {code for code, _b, _m in CASES} == {check.code for check in invariants.CHECKS}


def test_the_sql_week_rule_agrees_with_week_overlaps() -> None:
    """``week_overlaps_sql`` (the check's SQL) against ``hours.week_overlaps`` (the rule) on
    every start weekday, open and closed ends, and the weeks around them."""
    monday = dt.date(2026, 1, 5)
    placements = []
    for start_offset in range(7):
        starts_on = monday + dt.timedelta(days=start_offset)
        for end in (None, 0, 1, 5, 6, 7, 13):
            ends_on = None if end is None else starts_on + dt.timedelta(days=end)
            placements.append(PlacementFactory.create(starts_on=starts_on, ends_on=ends_on))
    weeks = [monday + dt.timedelta(weeks=n) for n in range(-2, 5)]
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            placement=p,
            week_start=w,
            ends_on=w + dt.timedelta(days=6),
            hours=Decimal(1),
            source=HoursSource.LOENSEDDEL,
        )
        for p in placements
        for w in weeks
    )
    inside = invariants.week_overlaps_sql(
        "week_start", "placement__starts_on", "placement__ends_on"
    )
    by_sql = set(WeeklyHours.objects.filter(inside).values_list("placement_id", "week_start"))
    by_rule = {(p.pk, w) for p in placements for w in weeks if week_overlaps(p, w)}
    assert by_sql == by_rule
    assert 0 < len(by_rule) < len(placements) * len(weeks)
