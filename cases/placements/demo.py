"""Demo placements, work agreements, ordinary hours and placement follow-ups over 18 months.

Trajectories, per citizen who gets placements (about 60 % of active citizens, fewer closed):

- **stuck in praktik** (25 %): virksomhedspraktik after praktik, agreements with ordinary hours
  "på sigt" or none, no hours (feeds the praktik alerts and "praktik uden ordinære timer");
- **growing** (35 %): a short praktik, then ordinære løntimer / småjob from 2 hours a week growing
  towards 30+ (some reach 37 and an ordinær ansættelse); every fifth has a second småjob
  alongside (two employers);
- **breaking off and starting again** (25 %): småjob or praktik ending "afbrudt" after a few
  weeks, a gap, then a new start with hours;
- **subsidised** (15 %): løntilskud or fleksjob (never ordinary hours), sometimes IGU.

Volume: ``placements ~= 450 * scale ** 1.75`` (about 500 at ``--scale 1``, about 210,000 with
1.9 million weekly rows at ``--scale 33``). Up to three placements per citizen run in one
sequential lane; the benchmark scale needs about 20 per citizen, so citizens there get extra
parallel lanes of paid hours (hybrid praktik + småjob, småjobs at two employers) with segments
of about three months: denser than reality, but every query shape is exercised.
Placements go to companies the jobcentre works with (pipeline status kontaktet, kortlagt or
samarbejde; weighted 1 : 3 : 4 towards samarbejde and kortlagt), never start before the
company's first contact (its first status change past *emne* or its first logged contact; a
segment that would start earlier moves to that day), and sit on one of the company's mapped
tasks (open or identified, created by then) in nine of ten cases where it has one. A task the
placements fill is *besat* from the start of the placement that filled its last position.
Weekly rows run to the last finished week, except for one in ten active paid placements
whose payslips lag 3 weeks (the hours alert); about a third of the paid placements report
their latest whole calendar months on a monthly payslip instead (one row per month, first to
last day, never overlapping a weekly row: ``_monthly_payslips``). About 15 % of the starts in
the last three weeks are left unconfirmed (no hours; the "bekræft start eller aflys" alert).
Deterministic (own ``random.Random`` from
``--seed``), idempotent (skipped when the demo citizens already have placements), and
bulk-written (COPY on PostgreSQL via ``insert_rows``) with explicit primary keys, so hours
and agreements reference placements without a round trip.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
import time
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from cases.citizens.demo import (
    BATCH,
    CLARIFY_GOALS,
    CLARIFY_SUB_GOAL,
    END_GOALS,
    JOB_TITLES,
    insert_rows,
    reset_sequence,
)
from cases.citizens.models import (
    Channel,
    Citizen,
    CitizenStatus,
    Conversation,
    ConversationKind,
    ConversationOutcome,
    JobGoal,
    SubGoal,
    SubGoalStatus,
)
from cases.citizens.models import Plan as CitizenPlan
from cases.placements.hours import last_finished_week, week_overlaps, week_start
from cases.placements.models import (
    HoursSource,
    OrdinaryHoursTerms,
    Placement,
    PlacementEndReason,
    PlacementStatus,
    WeeklyHours,
    WorkAgreement,
)
from cases.placements.services import status_on, sync_task_statuses
from companies.models import (
    Company,
    CompanyContact,
    CompanyStatusChange,
    PipelineStatus,
    PlacementType,
    Task,
    TaskStatus,
)
from substitution import days
from substitution.demo import DemoContext
from substitution.models import Membership, Role

WEEKS = 78  # 18 months
SHARE_WITH_PLACEMENTS: dict[str, float] = {CitizenStatus.AKTIV: 0.6, CitizenStatus.PAUSE: 0.3}
SHARE_CLOSED = 0.4
KINDS = [("stuck", 25), ("growing", 35), ("breakoff", 25), ("subsidised", 15)]
BREAK_REASONS = ["afbrudt-borger", "afbrudt-virksomhed", "sygdom"]
WORK_TASKS = [
    "Opvask og klargøring af salatbar",
    "Varemodtagelse og opfyldning",
    "Rengøring af fællesarealer",
    "Pakning og etikettering",
    "Klargøring af biler",
    "Vedligehold af grønne områder",
    "Servering i kantinen",
    "Sortering af returvarer",
]
HOURS_TEXT = ["Mandag-onsdag kl. 8-12", "Hverdage kl. 9-13", "Tirsdag og torsdag kl. 7-15"]
SUB_GOALS = [
    "Møde stabilt til aftalt tid i fire uger",
    "Lære opgaverne at kende og arbejde selvstændigt",
    "Øge til flere timer om ugen",
]
AIDS = ["", "", "Sikkerhedssko", "Ergonomisk stol", "Buskort"]
# Pipeline statuses that take placements, with their weight when a company is picked.
COMPANY_WEIGHTS: dict[str, int] = {
    PipelineStatus.KONTAKTET: 1,
    PipelineStatus.KORTLAGT: 3,
    PipelineStatus.SAMARBEJDE: 4,
}
OPEN_TASK = (TaskStatus.AABEN, TaskStatus.IDENTIFICERET)
SHARE_ON_TASK = 0.9
ROLES = "Virksomheden oplærer og melder timer; mentor følger op; jobformidleren holder opfølgning."


def placements_target(scale: float) -> int:
    return max(5, round(450 * scale**1.75))


@dataclass
class Seg:
    type_code: str
    start: dt.date
    end: dt.date | None
    reason: str | None
    hours_from: float = 0.0
    hours_to: float = 0.0
    lag_weeks: int = 0
    terms: str = OrdinaryHoursTerms.FRA_START


@dataclass
class Plan:
    citizen_id: int
    jobformidler_id: int | None
    kind: str
    segments: list[Seg] = field(default_factory=list)


def _kind(rng: random.Random) -> str:
    return rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]


def _segments(
    rng: random.Random, kind: str, start: dt.date, stop: dt.date, today: dt.date, mean: float
) -> list[Seg]:
    """Sequential segments from ``start`` to ``stop`` (``stop`` = exit date or today)."""
    segs: list[Seg] = []
    day = start
    hours_level = rng.uniform(2, 4)
    growth = rng.uniform(0.4, 1.4)  # hours per week per week
    first = True
    while day < stop:
        length = max(3, round(rng.expovariate(1 / mean))) if not first else max(3, round(mean))
        end = day + dt.timedelta(weeks=length) - dt.timedelta(days=1)
        if kind == "stuck":
            code, terms = (
                "virksomhedspraktik",
                rng.choice(
                    [
                        OrdinaryHoursTerms.INGEN,
                        OrdinaryHoursTerms.PAA_SIGT,
                        OrdinaryHoursTerms.PAA_SIGT,
                    ]
                ),
            )
            reason = "planmaessigt"
        elif kind == "subsidised":
            code = rng.choice(["loentilskud", "loentilskud", "fleksjob", "igu"])
            terms, reason = OrdinaryHoursTerms.INGEN, "planmaessigt"
        elif kind == "growing" and first:
            code, terms, reason = "virksomhedspraktik", OrdinaryHoursTerms.FRA_START, None
            length = min(length, rng.randint(4, 10))
            end = day + dt.timedelta(weeks=length) - dt.timedelta(days=1)
            reason = "planmaessigt"
        elif kind == "growing":
            code = "ordinaer-ansaettelse" if hours_level >= 30 else "ordinaere-loentimer"
            terms, reason = OrdinaryHoursTerms.FRA_START, "planmaessigt"
        else:  # breakoff
            code = rng.choice(["ordinaere-loentimer", "ordinaere-loentimer", "virksomhedspraktik"])
            terms = OrdinaryHoursTerms.FRA_START
            reason = rng.choice(BREAK_REASONS)
        seg = Seg(code, day, end, reason, terms=terms)
        if code in {"ordinaere-loentimer", "ordinaer-ansaettelse", "igu"}:
            seg.hours_from = hours_level
            if kind == "growing":
                hours_level = min(rng.uniform(30, 37), hours_level + growth * length)
            seg.hours_to = hours_level if kind == "growing" else seg.hours_from + rng.uniform(0, 6)
        if end >= stop:
            # Still running (or ended with the citizen's exit).
            if stop >= today:
                seg.end, seg.reason = None, None
                seg.lag_weeks = rng.choice([0] * 9 + [3])
            else:
                seg.end, seg.reason = stop, "ordinaert-job" if kind == "growing" else "andet"
        segs.append(seg)
        if seg.end is None:
            break
        gap = rng.randint(1, 8) if kind == "breakoff" else rng.randint(0, 3)
        day = seg.end + dt.timedelta(days=1 + 7 * gap)
        first = False
    return segs


def lanes_and_mean(per_citizen: float) -> tuple[int, float]:
    """Parallel lanes per citizen and mean segment length (weeks) for the placement target.

    Up to 3 placements per citizen fit one sequential lane; beyond that (the benchmark scale)
    a citizen gets extra lanes of paid hours alongside (hybrid praktik + småjob, or småjobs at
    two employers) with segments of about three months.
    """
    if per_citizen <= 3:
        return 1, max(3.0, WEEKS / per_citizen)
    lanes = math.ceil(per_citizen / 4)
    return lanes, max(3.0, WEEKS * lanes / per_citizen * 0.65)


def build_plans(
    rng: random.Random,
    citizens: Sequence[tuple[int, int | None, str, dt.date | None]],
    today: dt.date,
    target: int,
) -> list[Plan]:
    chosen = [c for c in citizens if rng.random() < SHARE_WITH_PLACEMENTS.get(c[2], SHARE_CLOSED)]
    if not chosen:
        return []
    lanes, mean = lanes_and_mean(target / len(chosen))
    horizon = today - dt.timedelta(weeks=WEEKS)
    plans = []
    for citizen_id, jf_id, _status, exit_date in chosen:
        kind = _kind(rng)
        stop = exit_date or today
        plan = Plan(citizen_id, jf_id, kind)
        for lane in range(lanes):
            lane_kind = kind if lane == 0 else rng.choice(["growing", "breakoff"])
            offset = rng.randint(0, 7 * min(WEEKS - 4, round(mean * 2)))
            start = horizon + dt.timedelta(days=offset)
            if stop <= start:
                continue
            segments = _segments(rng, lane_kind, start, stop, today, mean)
            plan.segments += segments if lane == 0 else segments[1:] or segments
        if rng.random() < 0.05 and exit_date is None:  # a planned start in the next weeks
            plan.segments.append(
                Seg("virksomhedspraktik", today + dt.timedelta(days=rng.randint(1, 14)), None, None)
            )
        if plan.segments:
            plans.append(plan)
    return plans


class CompanyPicker:
    """Weighted random company with a first contact on or before a day, and its open tasks.

    All dates are read once (three queries); a pick is two bisections, no query.
    """

    def __init__(self, rng: random.Random, unit: Any, company_ids: list[int], task_ids: list[int]):
        self.rng = rng
        status = dict(
            Company.objects.filter(unit=unit, status__in=list(COMPANY_WEIGHTS)).values_list(
                "pk", "status"
            )
        )
        wanted = set(company_ids)
        status = {pk: value for pk, value in status.items() if pk in wanted}
        first: dict[int, dt.date] = {}
        changes = CompanyStatusChange.objects.filter(company__unit=unit).exclude(
            status=PipelineStatus.EMNE
        )
        contacts = CompanyContact.objects.filter(company__unit=unit)
        for rows, day_field in ((changes, "changed_on"), (contacts, "occurred_on")):
            for company_id, day in (
                rows.values("company_id")
                .annotate(day=Min(day_field))
                .values_list("company_id", "day")
            ):
                if company_id in status and (company_id not in first or day < first[company_id]):
                    first[company_id] = day
        self.first_contact = first
        self.order = sorted(first, key=lambda pk: (first[pk], pk))
        self.starts = [first[pk] for pk in self.order]
        self.cumulative = list(
            itertools.accumulate(COMPANY_WEIGHTS[status[pk]] for pk in self.order)
        )
        # company -> [(available from, task pk)] sorted; only open tasks of the demo companies.
        task_set = set(task_ids)
        self.tasks: dict[int, list[tuple[dt.date, int]]] = {}
        self.task_status: dict[int, tuple[str, int]] = {}
        for pk, company_id, task_status, positions, held_on, created_at in Task.objects.filter(
            company__unit=unit, status__in=OPEN_TASK
        ).values_list("pk", "company_id", "status", "positions", "session__held_on", "created_at"):
            if pk not in task_set or company_id not in first:
                continue
            since = max(held_on or days.local_date(created_at), first[company_id])
            self.tasks.setdefault(company_id, []).append((since, pk))
            self.task_status[pk] = (task_status, positions)
        for options in self.tasks.values():
            options.sort()

    def __bool__(self) -> bool:
        return bool(self.order)

    def eligible(self, company: int | None, day: dt.date) -> bool:
        return (
            company is not None
            and company in self.first_contact
            and self.first_contact[company] <= day
        )

    def company(self, day: dt.date) -> tuple[int, dt.date]:
        """A company in contact by ``day`` and the start day (``day``, or later if none was)."""
        k = bisect_right(self.starts, day)
        if k == 0:  # before any first contact: one of the earliest companies, from its contact
            index = self.rng.randrange(min(5, len(self.order)))
            return self.order[index], self.starts[index]
        x = self.rng.random() * self.cumulative[k - 1]
        return self.order[bisect_right(self.cumulative, x)], day

    def task(self, company: int, day: dt.date) -> int | None:
        options = self.tasks.get(company)
        if not options:
            return None
        k = bisect_right(options, (day, math.inf))
        if k == 0 or self.rng.random() >= SHARE_ON_TASK:
            return None
        return options[self.rng.randrange(k)][1]


def _hours(rng: random.Random, seg: Seg, monday: dt.date) -> Decimal:
    weeks = max(1, ((seg.end or monday) - seg.start).days // 7)
    pos = min(1.0, (monday - seg.start).days / 7 / weeks)
    value = seg.hours_from + (seg.hours_to - seg.hours_from) * pos + rng.uniform(-1.5, 1.5)
    if rng.random() < 0.04:
        value = 0  # sick week
    return Decimal(str(round(max(0.0, min(40.0, value)) * 2) / 2))


@dataclass
class Rows:
    """The rows the placements seeder writes, in ``insert_rows`` column order."""

    placements: list[tuple[Any, ...]] = field(default_factory=list)
    agreements: list[tuple[Any, ...]] = field(default_factory=list)
    hours: list[tuple[Any, ...]] = field(default_factory=list)
    follow_ups: list[tuple[Any, ...]] = field(default_factory=list)


PLACEMENT_FIELDS = [
    "id", "citizen_id", "company_id", "task_id", "type_id", "starts_on", "ends_on",
    "planned_hours_per_week", "status", "end_reason_id", "created_by_id", "created_at",
    "start_confirmed_on",
]  # fmt: skip
AGREEMENT_FIELDS = [
    "placement_id", "tasks", "working_hours", "sub_goals", "ordinary_hours_terms",
    "ordinary_hours_target_date", "follow_up_days", "aids", "roles", "agreed_on",
]  # fmt: skip
HOURS_FIELDS = [
    "placement_id", "week_start", "hours", "wage", "source", "received_on", "registered_at",
    "ends_on",
]  # fmt: skip
FOLLOW_UP_FIELDS = [
    "citizen_id", "author_id", "occurred_at", "kind_id", "channel_id", "job_focused", "outcome",
    "note", "next_step", "placement_id", "created_at", "updated_at",
]  # fmt: skip


@dataclass
class Seeding:
    """What every placement row needs: today, code lists, the company picker, the next id."""

    rng: random.Random
    today: dt.date
    now: dt.datetime
    types: dict[str, PlacementType]
    reasons: dict[str, int]
    picker: CompanyPicker
    contact_kind: int
    channel: int
    next_id: int
    rows: Rows = field(default_factory=Rows)


def seed(ctx: DemoContext) -> None:
    unit = ctx.data.get("unit")
    citizen_ids = ctx.data.get("citizen_ids")
    company_ids = ctx.data.get("company_ids")
    if not unit or not citizen_ids or not company_ids:
        ctx.log("Forløb: ingen borgere eller virksomheder i demodata, springer over")
        return
    if Placement.objects.filter(citizen__unit=unit).exists():
        ctx.log("Forløb: findes allerede, springer over")
        return
    started = time.perf_counter()
    rng = random.Random(f"placements-{ctx.seed}")
    picker = CompanyPicker(rng, unit, company_ids, ctx.data.get("task_ids") or [])
    if not picker:
        ctx.log("Forløb: ingen kontaktede virksomheder i demodata, springer over")
        return
    seeding = Seeding(
        rng=rng,
        today=days.today(),
        now=timezone.now(),
        types={t.code: t for t in PlacementType.objects.all()},
        reasons=dict(PlacementEndReason.objects.values_list("code", "pk")),
        picker=picker,
        contact_kind=ConversationKind.objects.get(code="opfoelgning-arbejdsplads").pk,
        channel=Channel.objects.get(code="i-virksomheden").pk,
        next_id=(Placement.objects.aggregate(m=Max("pk"))["m"] or 0) + 1,
    )
    citizens = sorted(
        Citizen.objects.filter(pk__in=citizen_ids).values_list(
            "pk", "jobformidler_id", "status", "exit_date"
        )
    )
    for plan in build_plans(rng, citizens, seeding.today, placements_target(ctx.scale)):
        _seed_plan(seeding, plan)
    rows = seeding.rows
    _write(rows)
    mentored = _assign_mentors(unit, seeding.today)
    changed = _fill_tasks(picker, rows.placements, seeding.today)
    ctx.data["placement_ids"] = (
        (rows.placements[0][0], seeding.next_id - 1) if rows.placements else None
    )
    active = sum(1 for row in rows.placements if row[8] == PlacementStatus.AKTIV)
    ctx.log(
        f"Forløb: {len(rows.placements)} ({active} aktive), arbejdsaftaler: "
        f"{len(rows.agreements)}, ugetimer: {len(rows.hours)}, opfølgninger: "
        f"{len(rows.follow_ups)}, opgaver besat/åbnet: {changed}, med mentor: {mentored} "
        f"({time.perf_counter() - started:.1f} s)"
    )


def _assign_mentors(unit: Any, today: dt.date) -> int:
    """Each team's mentors follow some of its running placements: the jobcentre mentor on
    every third active work agreement of the team, round-robin, so a demo mentor has a
    caseload (issue 14). Ordered by natural keys, so the choice is the same on every run."""
    mentors: dict[int, list[int]] = {}
    for team_id, user_id in (
        Membership.objects.filter(role=Role.MENTOR, team__unit=unit, user__is_active=True)
        .order_by("team_id", "user__username")
        .values_list("team_id", "user_id")
    ):
        mentors.setdefault(team_id, []).append(user_id)
    if not mentors:
        return 0
    agreements = (
        WorkAgreement.objects.filter(
            placement__in=Placement.objects.active_on(today),
            placement__citizen__team_id__in=list(mentors),
        )
        .order_by("placement__citizen__cpr", "placement__starts_on", "placement__company__cvr")
        .values_list("pk", "placement__citizen__team_id")
    )
    seen: dict[int, int] = {}
    changed = []
    for pk, team_id in agreements:
        n = seen[team_id] = seen.get(team_id, -1) + 1
        if n % 3 == 0:
            team_mentors = mentors[team_id]
            mentor = team_mentors[(n // 3) % len(team_mentors)]
            changed.append(WorkAgreement(pk=pk, jobcentre_mentor_id=mentor))
    WorkAgreement.objects.bulk_update(changed, ["jobcentre_mentor"], batch_size=BATCH)
    return len(changed)


def _seed_plan(seeding: Seeding, plan: Plan) -> None:
    """One citizen's placements, one per segment, at a company in contact by its start (the
    same company again, unless a break-off or chance moves the citizen on)."""
    rng, picker = seeding.rng, seeding.picker
    company: int | None = None
    for seg in plan.segments:
        if plan.kind == "breakoff" or rng.random() < 0.3 or not picker.eligible(company, seg.start):
            company, seg.start = picker.company(seg.start)
            if seg.end is not None and seg.end < seg.start:
                continue  # the segment would have ended before the company was contacted
        assert company is not None
        _seed_placement(seeding, plan, seg, company)


def _seed_placement(seeding: Seeding, plan: Plan, seg: Seg, company: int) -> None:
    """The placement row, with its status from its dates (``status_on``), its work agreement
    (85 %), its weekly hours and a recent workplace follow-up while it runs."""
    rng, today = seeding.rng, seeding.today
    pk = seeding.next_id
    seeding.next_id += 1
    placement_type = seeding.types[seg.type_code]
    # A start in the last three weeks is left unconfirmed now and then (the "bekræft start
    # eller aflys" alert); every other start that has come is confirmed on its day.
    unconfirmed = (
        seg.end is None
        and today - dt.timedelta(days=21) <= seg.start <= today
        and rng.random() < 0.15
    )
    confirmed_on = seg.start if seg.start <= today and not unconfirmed else None
    seeding.rows.placements.append(
        (
            pk,
            plan.citizen_id,
            company,
            seeding.picker.task(company, seg.start),
            placement_type.pk,
            seg.start,
            seg.end,
            Decimal(str(round(max(seg.hours_to, 8.0)))),
            str(status_on(seg.start, seg.end, today, confirmed_on is not None)),
            seeding.reasons.get(seg.reason) if seg.reason else None,
            plan.jobformidler_id,
            seeding.now,
            confirmed_on,
        )
    )
    if rng.random() < 0.85:
        seeding.rows.agreements.append(_agreement(rng, pk, seg))
    placement = Placement(starts_on=seg.start, ends_on=seg.end, type=placement_type)
    if confirmed_on is not None:
        weekly = _weekly_hours(rng, pk, placement, seg, today, seeding.now)
        if placement_type.is_paid and weekly:
            weekly = _monthly_payslips(weekly, placement, pk, today, seeding.now)
        seeding.rows.hours += weekly
    running = confirmed_on is not None and seg.end is None
    if running and plan.jobformidler_id and rng.random() < 0.7:
        when = dt.datetime.combine(
            today - dt.timedelta(days=rng.randint(1, 12)), dt.time(10), dt.UTC
        )
        seeding.rows.follow_ups.append(
            (
                plan.citizen_id,
                plan.jobformidler_id,
                when,
                seeding.contact_kind,
                seeding.channel,
                True,
                str(ConversationOutcome.AFHOLDT),
                "Opfølgning på arbejdspladsen med virksomhedsmentor.",
                "",
                pk,
                seeding.now,
                seeding.now,
            )
        )


def _agreement(rng: random.Random, pk: int, seg: Seg) -> tuple[Any, ...]:
    return (
        pk,
        rng.choice(WORK_TASKS),
        rng.choice(HOURS_TEXT),
        rng.choice(SUB_GOALS),
        str(seg.terms),
        seg.start + dt.timedelta(weeks=12) if seg.terms == OrdinaryHoursTerms.PAA_SIGT else None,
        rng.choice([7, 14, 14, 14]),
        rng.choice(AIDS),
        ROLES,
        seg.start,
    )


def _weekly_hours(
    rng: random.Random,
    pk: int,
    placement: Placement,
    seg: Seg,
    today: dt.date,
    now: dt.datetime,
) -> list[tuple[Any, ...]]:
    """A row per week the placement may have hours in (``hours.check_placement_week``: a type
    that counts as ordinary hours, a week that overlaps its dates), up to the last finished
    week, or three weeks earlier when its payslips lag."""
    if not placement.type.counts_as_ordinary_hours:
        return []
    reported_until = last_finished_week(today) - dt.timedelta(weeks=seg.lag_weeks)
    rows = []
    monday = week_start(placement.starts_on)
    while monday <= reported_until and week_overlaps(placement, monday):
        rows.append(
            (
                pk,
                monday,
                _hours(rng, seg, monday),
                None,
                HoursSource.LOENSEDDEL if rng.random() < 0.7 else HoursSource.EINDKOMST,
                monday + dt.timedelta(days=rng.randint(10, 20)),
                now,
                monday + dt.timedelta(days=6),
            )
        )
        monday += dt.timedelta(weeks=1)
    return rows


def _monthly_payslips(
    rows: list[tuple[Any, ...]],
    placement: Placement,
    pk: int,
    today: dt.date,
    now: dt.datetime,
) -> list[tuple[Any, ...]]:
    """About a third of the paid placements report their latest whole calendar months (one to
    all of them) on a monthly payslip: one row from the 1st to the last day of the month
    instead of the weekly rows that touch those months, holding the hours of those weeks' days
    in the month (never overlapping a weekly row: the hours import's rule). Its own random
    stream per placement, so the rest of the demo does not change."""
    rng = random.Random(f"payslip-{pk}")
    if rng.random() >= 0.33:
        return rows
    low = max(placement.starts_on, rows[0][1])
    high = rows[-1][7] if placement.ends_on is None else min(rows[-1][7], placement.ends_on)
    month = low if low.day == 1 else (low.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    months: list[tuple[dt.date, dt.date]] = []
    while True:
        last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        if last > high:
            break
        months.append((month, last))
        month = last + dt.timedelta(days=1)
    if not months:
        return rows
    months = months[-rng.randint(1, len(months)) :]
    first_day, last_day = months[0][0], months[-1][1]
    kept = [r for r in rows if r[7] < first_day or r[1] > last_day]
    weeks = [r for r in rows if not (r[7] < first_day or r[1] > last_day)]
    for first, last in months:
        total = Decimal(0)
        for week in weeks:
            overlap = (min(week[7], last) - max(week[1], first)).days + 1
            if overlap > 0:
                total += week[2] * overlap / 7
        kept.append(
            (
                pk,
                first,
                total.quantize(Decimal("0.01")),
                None,
                HoursSource.LOENSEDDEL,
                min(today, last + dt.timedelta(days=rng.randint(3, 12))),
                now,
                last,
            )
        )
    kept.sort(key=lambda r: r[1])
    return kept


def _write(rows: Rows) -> None:
    insert_rows(Placement, PLACEMENT_FIELDS, rows.placements)
    insert_rows(WorkAgreement, AGREEMENT_FIELDS, rows.agreements)
    insert_rows(WeeklyHours, HOURS_FIELDS, rows.hours)
    insert_rows(Conversation, FOLLOW_UP_FIELDS, rows.follow_ups)
    reset_sequence(Placement)


def _fill_tasks(
    picker: CompanyPicker, placement_rows: list[tuple[Any, ...]], today: dt.date
) -> int:
    """The tasks the placements fill become *besat* by the services' rule
    (``sync_task_statuses``), dated from the start of the placement that filled them."""
    task_ids = {row[3] for row in placement_rows if row[3] is not None}
    changed = sync_task_statuses(task_ids, today)
    _date_filled_tasks(picker, placement_rows, today)
    return changed


def _date_filled_tasks(
    picker: CompanyPicker, placement_rows: list[tuple[Any, ...]], today: dt.date
) -> int:
    """Date each task the placements filled (open before, *besat* now) from the start of the
    placement that took its last position (``sync_task_statuses`` dates them today)."""
    holding: dict[int, list[dt.date]] = {}
    for row in placement_rows:
        task, starts_on, ends_on = row[3], row[5], row[6]
        if task is not None and (ends_on is None or ends_on >= today):
            holding.setdefault(task, []).append(starts_on)
    besat = set(
        Task.objects.filter(pk__in=list(holding), status=TaskStatus.BESAT).values_list(
            "pk", flat=True
        )
    )
    by_day: dict[dt.date, list[int]] = {}
    for task, starts in holding.items():
        before, positions = picker.task_status[task]
        if task not in besat or before not in OPEN_TASK or len(starts) < positions:
            continue
        filled_on = min(today, sorted(starts)[positions - 1])
        by_day.setdefault(filled_on, []).append(task)
    for day, ids in sorted(by_day.items()):
        Task.objects.filter(pk__in=ids).update(status_changed_on=day)
    return sum(len(ids) for ids in by_day.values())


def after_placements(ctx: DemoContext) -> None:
    """Runs after ``seed``: a citizen who is (or was) in a company placement has a concrete
    job goal from before it started, and a plan built on it (trin 1 -> 2 -> 3, docs/domain.md,
    "The citizen's path"). Idempotent: citizens that already have such a goal are left
    alone."""
    citizen_ids = ctx.data.get("citizen_ids")
    if not citizen_ids:
        return
    rng = random.Random(f"job-goals-{ctx.seed}")
    first_start = dict(
        Placement.objects.filter(citizen_id__in=citizen_ids, type__at_company=True)
        .values("citizen_id")
        .annotate(first=Min("starts_on"))
        .values_list("citizen_id", "first")
    )
    titles: dict[int, str] = ctx.data.get("citizen_job_titles", {})
    new_goals, moved, goal_day = _goals_before_placements(rng, first_start, titles)
    JobGoal.objects.bulk_create(new_goals, batch_size=BATCH)
    JobGoal.objects.bulk_update(moved, ["created_on"], batch_size=BATCH)
    _plans_aim_at_the_job(rng, goal_day)
    if new_goals or moved:
        ctx.log(f"Jobmål før virksomhedsforløb: {len(new_goals)} nye, {len(moved)} flyttet")


def _goals_before_placements(
    rng: random.Random, first_start: dict[int, dt.date], titles: dict[int, str]
) -> tuple[list[JobGoal], list[JobGoal], dict[int, tuple[dt.date, str]]]:
    """New job goals (for placed citizens without one) and open goals moved to before the
    first placement: 2-9 weeks before it, not before the visitation. Returns (new, moved,
    {citizen: (goal day, title)})."""
    open_goals: dict[int, JobGoal] = {}
    for goal in JobGoal.objects.filter(
        citizen_id__in=list(first_start), ended_on__isnull=True
    ).order_by("created_on", "pk"):
        open_goals.setdefault(goal.citizen_id, goal)
    visited = dict(
        Citizen.objects.filter(pk__in=list(first_start)).values_list("pk", "visitation_date")
    )
    new_goals: list[JobGoal] = []
    moved: list[JobGoal] = []
    goal_day: dict[int, tuple[dt.date, str]] = {}
    for citizen_id in sorted(first_start):
        start = first_start[citizen_id]
        day = start - dt.timedelta(days=rng.randint(14, 60))
        visitation = visited.get(citizen_id)
        if visitation:
            day = max(day, min(visitation, start))
        existing = open_goals.get(citizen_id)
        if existing is None:
            title = titles.get(citizen_id) or rng.choice(JOB_TITLES)
            hours = rng.choice((10, 15, 20, 25, 30))
            new_goals.append(
                JobGoal(citizen_id=citizen_id, title=title, hours_per_week=hours, created_on=day)
            )
            goal_day[citizen_id] = (day, title)
        elif existing.created_on > start:
            existing.created_on = day
            moved.append(existing)
            goal_day[citizen_id] = (day, existing.title)
    return new_goals, moved, goal_day


def _plans_aim_at_the_job(rng: random.Random, goal_day: dict[int, tuple[dt.date, str]]) -> None:
    """Plans still aimed at finding a job goal now aim at the job; "find a job wish" is
    achieved on the goal's day."""
    plans = list(
        CitizenPlan.objects.filter(citizen_id__in=list(goal_day), end_goal__in=CLARIFY_GOALS)
    )
    for plan in plans:
        _day, title = goal_day[plan.citizen_id]
        plan.end_goal = rng.choice(END_GOALS).format(job=title.lower())
    CitizenPlan.objects.bulk_update(plans, ["end_goal"], batch_size=BATCH)
    clarify = list(
        SubGoal.objects.filter(
            plan__citizen_id__in=list(goal_day),
            title=CLARIFY_SUB_GOAL,
            status=SubGoalStatus.AABEN,
        ).select_related("plan")
    )
    for sub_goal in clarify:
        day, _title = goal_day[sub_goal.plan.citizen_id]
        sub_goal.status = SubGoalStatus.OPNAAET
        sub_goal.closed_on = max(day, sub_goal.created_on)
    SubGoal.objects.bulk_update(clarify, ["status", "closed_on"], batch_size=BATCH)
