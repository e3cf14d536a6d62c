"""Demo citizens: about 600 per ``--scale 1`` spread over the demo teams, with 18 months of
history (jobformidler changes, job goals, CV, consent, plans with sub-goals and progression
reviews, conversations, follow-ups).

Built for speed: every row is generated in Python from ``ctx.rng`` (deterministic for a
``--seed``) and written in bulk: PostgreSQL COPY through psycopg 3, ``bulk_create`` in
batches elsewhere. No per-row saves and no per-row audit events (demo data is not a user's
action). Idempotent: skipped when the demo unit already has citizens.

Contact cadence: a main conversation every 4-6 weeks (docs/domain.md, "The core elements of
the intervention") with short contacts in between (phone, SMS, drop-in, workplace follow-up),
about 50 contacts per citizen over 18 months, so ``--scale 33`` gives about 20,000 citizens
and 1,000,000 conversations. Each held main conversation's next step is a follow-up linked to
it (``Conversation.follow_up``), as ``services.log_conversation`` writes it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from cases.citizens import facts
from cases.citizens.models import (
    Assignment,
    Barrier,
    BenefitPeriod,
    BenefitType,
    Channel,
    Citizen,
    CitizenStatus,
    Consent,
    Conversation,
    ConversationKind,
    ConversationOutcome,
    ExitReason,
    JobGoal,
    Plan,
    PlanRevision,
    ProgressReview,
    ReadinessCategory,
    ReviewOutcome,
    SubGoal,
    SubGoalStatus,
    VisitationGroup,
    VisitationPeriod,
)
from substitution import days
from substitution.demo import DemoContext
from substitution.models import FollowUp, Role

CITIZENS_PER_SCALE = 600
HISTORY_DAYS = 548  # 18 months
BATCH = 5000
TZ = ZoneInfo("Europe/Copenhagen")

BENEFITS = [
    ("kontanthjaelp", 50),
    ("uddannelseshjaelp", 20),
    ("integrationsydelse", 14),
    ("selvforsoergelses-hjemrejseydelse", 4),
    ("sygedagpenge", 3),
    ("ressourceforloebsydelse", 5),
    ("ledighedsydelse", 4),
]
READINESS = [("aktivitetsparat", 75), ("jobparat", 15), ("uddannelsesparat", 10)]
VISITATION = [("gruppe-1", 76), ("gruppe-2", 11), ("gruppe-3", 5), ("udskudt", 8)]
EXITS = [
    ("ordinaert-job", 30),
    ("job-saerlige-vilkaar", 5),
    ("uddannelse", 20),
    ("fleksjob", 10),
    ("foertidspension", 5),
    ("ressourceforloeb", 10),
    ("flyttet", 10),
    ("mistet-ret", 4),
    ("oevrige", 6),
]
# Exits after which the citizen no longer receives a benefit (the benefit period ends on the
# exit date); other exits keep theirs open (a move, a pension not on this list, …).
EXITS_OFF_BENEFIT = {"ordinaert-job", "job-saerlige-vilkaar", "uddannelse"}
# Earlier visitation groups of a citizen whose group changed (to the current one).
EARLIER_VISITATION = [("gruppe-3", 50), ("gruppe-2", 20), ("udskudt", 30)]
# An earlier benefit of a citizen whose benefit changed: current -> earlier.
EARLIER_BENEFIT = {
    "kontanthjaelp": ["uddannelseshjaelp", "sygedagpenge", "dagpenge"],
    "uddannelseshjaelp": ["kontanthjaelp"],
    "ressourceforloebsydelse": ["kontanthjaelp", "sygedagpenge"],
    "ledighedsydelse": ["sygedagpenge", "kontanthjaelp"],
    "integrationsydelse": ["selvforsoergelses-hjemrejseydelse"],
    "selvforsoergelses-hjemrejseydelse": ["integrationsydelse"],
    "sygedagpenge": ["dagpenge"],
}
POSTAL_CODES = [
    "8000", "8200", "8210", "8220", "8230", "8240", "8250", "8260", "8270", "8300",
    "8310", "8320", "8330", "8340", "8355", "8361", "8362", "8370", "8380", "8381",
]  # fmt: skip
JOB_TITLES = [
    "Lagermedarbejder",
    "Rengøringsassistent",
    "Køkkenmedhjælper",
    "Butiksassistent",
    "Pedelmedhjælper",
    "Gartnermedhjælper",
    "Chauffør",
    "Opvasker",
    "Produktionsmedarbejder",
    "Kantinemedhjælper",
    "Varedisponent",
    "Social- og sundhedshjælper",
    "Tankpassermedarbejder",
    "Flyttemand",
    "Cykelmekaniker",
    "Receptionist",
    "Pakkerimedarbejder",
    "Vaskerimedarbejder",
    "Malerhjælper",
    "Tømrerlærling",
]
# End goals for a citizen with a concrete job goal ({job}), and for one still in trin 1.
END_GOALS = [
    "Ordinære timer som {job}, på sigt 30 timer om ugen.",
    "Job som {job} på nedsat tid med mulighed for flere timer.",
    "Selvforsørgelse gennem job som {job}.",
    "Fast job som {job} med ordinære timer fra start.",
]
CLARIFY_GOALS = [
    "Afklaring af ønsker, ressourcer og arbejdsevne, så borgeren får et konkret jobmål.",
    "Et konkret jobmål ud fra borgerens egne ønsker og erfaringer.",
]
CLARIFY_SUB_GOAL = "Finde et konkret jobønske sammen med jobformidleren"
# Sub-goals are added in rounds over the case (a plan is kept current, not written once).
SUB_GOALS = [
    "Møde stabilt til aftaler i jobcentret",
    "Opdatere CV med hjælp fra jobformidler",
    "Prøve opgaver som {job} i en virksomhed",
    "Starte i virksomhedspraktik 10 timer om ugen",
    "Øge til 15 timer om ugen",
    "Afklare helbred med egen læge",
    "Deltage i danskundervisning to gange om ugen",
    "Få styr på morgenrutiner og transport",
    "Søge fem relevante job om måneden",
    "Få de første ordinære løntimer",
    "Finde løsning på børnepasning",
    "Tage et relevant kursus (fx hygiejne eller truck)",
]
REVIEW_NOTES = {
    ReviewOutcome.OPNAAET: ["Delmålet er nået.", "Nået før tid – godt arbejde."],
    ReviewOutcome.BEVAEGER: [
        "Går den rigtige vej.",
        "Mødt op hver gang siden sidst.",
        "Første skridt er taget.",
        "",
    ],
    ReviewOutcome.STAAR_STILLE: [
        "Ingen fremgang siden sidst.",
        "Svær periode; vi holder fast i aftalen.",
        "",
    ],
    ReviewOutcome.JUSTERET: ["Delmålet er gjort mindre.", "Ny frist aftalt."],
}
OWNERS = ["Borger", "Jobformidler", "Borger og jobformidler", "Mentor"]
NOTES_MAIN = [
    "Gennemgik jobplanen. Borgeren er motiveret for at prøve opgaver i en virksomhed.",
    "Talte om borgerens ønsker og erfaringer. Aftalte at se på opgaver inden for {job}.",
    "Borgeren fortæller om bedre søvn og mere overskud. Vi justerede delmålene.",
    "Opfølgning på praktikken: arbejdsgiver er tilfreds, borgeren vil gerne have flere timer.",
    "Borgeren har haft en svær periode. Vi holder fast i aftalerne og mødes igen snart.",
    "Drøftede CV og gennemgik tre konkrete stillingsopslag.",
    "Borgeren ønsker at arbejde med {job}. Vi kontakter en virksomhed sammen.",
    "Status på delmål: fremgang på fremmøde, transport er stadig en udfordring.",
]
NOTES_SHORT = [
    "Kort opfølgning på telefon.",
    "SMS-påmindelse om næste samtale.",
    "Borgeren ringede med spørgsmål til ydelsen.",
    "Kort snak om ugens timer i virksomheden.",
    "Borgeren kiggede forbi i drop-in.",
    "Opfølgning på arbejdspladsen med kontaktperson.",
]
NEXT_STEPS = [
    "Borgeren opdaterer CV",
    "Jobformidler kontakter virksomhed om opgaver",
    "Borgeren søger to stillinger",
    "Afklarende samtale med mentor",
    "Opfølgning på praktikstart",
    "Borgeren taler med egen læge",
    "Trepartssamtale i virksomheden",
]
RESOURCES = [
    "Mødestabil og god til at samarbejde.",
    "Erfaring fra lager og rengøring. Har kørekort B.",
    "Taler dansk, arabisk og engelsk.",
    "God til praktisk arbejde og kan lide at have travlt.",
    "Har tidligere arbejdet i køkken og kantine.",
    "",
]
CONSENT_SCOPES = [
    "Oplysninger om erfaring, jobmål og ønsker til timer",
    "CV og jobmål",
    "CV, jobmål og skånehensyn",
]


def _weighted(rng: Any, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([code for code, _ in pairs], weights=[w for _, w in pairs])[0]


@dataclass
class CitizenSpec:
    cpr: str
    team_id: int
    jf_periods: list[tuple[int, dt.date, dt.date | None]]
    start: dt.date
    end: dt.date  # last day with history (exit date or yesterday)
    status: str
    neglected: bool
    job_title: str
    goal_since: dt.date | None = None  # the current job goal's start (None: trin 1)
    row: dict[str, Any] = field(default_factory=dict)
    # (code id, first day, last day or None) as sync_periods / the history import write them.
    visitation_periods: list[tuple[int, dt.date, dt.date | None]] = field(default_factory=list)
    benefit_periods: list[tuple[int, dt.date, dt.date | None]] = field(default_factory=list)
    pk: int = 0

    def jf_on(self, day: dt.date) -> int:
        for user_id, started, ended in self.jf_periods:
            if started <= day and (ended is None or day <= ended):
                return user_id
        return self.jf_periods[-1][0]


# --- bulk writing --------------------------------------------------------------------------


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return field


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``fields`` order) fast: COPY on PostgreSQL, batched
    ``bulk_create`` elsewhere. Returns the number of rows."""
    count = 0
    if connection.vendor == "postgresql":
        meta = model._meta
        columns = [_concrete(model, name).column for name in fields]
        json_at = [
            i for i, name in enumerate(fields) if isinstance(meta.get_field(name), models.JSONField)
        ]
        sql = f'COPY "{meta.db_table}" ({", ".join(f'"{c}"' for c in columns)}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = json.dumps(row[i])
                copy.write_row(row)
                count += 1
        return count
    iterator = iter(rows)
    while chunk := list(islice(iterator, BATCH)):
        model._default_manager.bulk_create(
            [model(**dict(zip(fields, r, strict=True))) for r in chunk]
        )
        count += len(chunk)
    return count


def _through_insert(rows: list[tuple[int, int]]) -> None:
    through = Citizen.barriers.through
    if connection.vendor == "postgresql":
        insert_rows(through, ["citizen_id", "barrier_id"], rows)
        return
    through.objects.bulk_create(
        [through(citizen_id=c, barrier_id=b) for c, b in rows], batch_size=BATCH
    )


# --- generation ---------------------------------------------------------------------------


def _cpr(rng: Any, today: dt.date, taken: set[str]) -> str:
    while True:
        age_days = rng.randint(18 * 365, 64 * 365)
        born = today - dt.timedelta(days=age_days)
        # Seventh digit: 4 means born 2000-2036, 0-3 the 1900s.
        first = "4" if born.year >= 2000 else rng.choice("0123")
        number = f"{born:%d%m%y}{first}{rng.randint(0, 999):03d}"
        if number not in taken:
            taken.add(number)
            return number


def _at(rng: Any, day: dt.date) -> dt.datetime:
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 15), rng.choice((0, 15, 30, 45)), tzinfo=TZ
    )


def _citizens(ctx: DemoContext, today: dt.date, codes: dict[str, dict[str, int]]) -> list[Any]:
    """One spec per citizen, spread round-robin over the teams: 60 % known from before the
    18-month window, 8 % afsluttet in the last year, 4 % on pause, one in ten active ones
    neglected (no contact for weeks)."""
    rng = ctx.rng
    teams = ctx.data["teams"]
    staff = ctx.data["staff_by_team"]
    total = max(1, round(CITIZENS_PER_SCALE * ctx.scale))
    window_start = today - dt.timedelta(days=HISTORY_DAYS)
    taken: set[str] = set()
    specs: list[CitizenSpec] = []
    for i in range(total):
        team = teams[i % len(teams)]
        jfs = [u.pk for u in staff[team.pk].get(Role.JOBFORMIDLER, [])]
        if rng.random() < 0.6:
            start = window_start - dt.timedelta(days=rng.randint(0, 700))
        else:
            start = window_start + dt.timedelta(days=rng.randint(0, HISTORY_DAYS - 30))
        status, exit_date = _status_and_exit(rng, start, today)
        end = exit_date or today - dt.timedelta(days=1)
        periods = _jobformidler_periods(rng, jfs, start, max(start, window_start), end)
        benefit = _weighted(rng, BENEFITS)
        cv_present = rng.random() < 0.75
        job_title = rng.choice(JOB_TITLES)
        spec = CitizenSpec(
            cpr=_cpr(rng, today, taken),
            team_id=team.pk,
            jf_periods=periods,
            start=start,
            end=end,
            status=status,
            neglected=status == CitizenStatus.AKTIV and rng.random() < 0.1,
            job_title=job_title,
        )
        spec.row = _citizen_row(ctx, spec, codes, benefit, cv_present, exit_date, today)
        specs.append(spec)
    return specs


def _status_and_exit(rng: Any, start: dt.date, today: dt.date) -> tuple[str, dt.date | None]:
    """aktiv (88 %), pause (4 %) or afsluttet (8 %, with an exit date in the last year, at
    least two months after the start, before today)."""
    roll = rng.random()
    if roll < 0.08:
        earliest = max(start + dt.timedelta(days=60), today - dt.timedelta(days=365))
        exit_date = earliest + dt.timedelta(days=rng.randint(0, max(0, (today - earliest).days)))
        return CitizenStatus.AFSLUTTET, min(exit_date, today - dt.timedelta(days=1))
    if roll < 0.12:
        return CitizenStatus.PAUSE, None
    return CitizenStatus.AKTIV, None


def _jobformidler_periods(
    rng: Any, jfs: list[int], start: dt.date, history_start: dt.date, end: dt.date
) -> list[tuple[int, dt.date, dt.date | None]]:
    """Most citizens keep one jobformidler, some change once or twice within the window.
    As ``assign`` writes it: a period ends the day before the next one starts; the last is
    open."""
    current = rng.choice(jfs)
    periods: list[tuple[int, dt.date, dt.date | None]] = []
    changes = 0 if rng.random() < 0.72 else (1 if rng.random() < 0.8 else 2)
    started = start
    span = max(1, (end - history_start).days)
    cut_days = sorted(rng.randint(1, span) for _ in range(changes))
    for cut in cut_days:
        cut_day = history_start + dt.timedelta(days=cut)
        if cut_day <= started:
            continue
        periods.append((current, started, cut_day - dt.timedelta(days=1)))
        current = rng.choice([u for u in jfs if u != current] or [current])
        started = cut_day
    periods.append((current, started, None))
    return periods


def _citizen_row(
    ctx: DemoContext,
    spec: CitizenSpec,
    codes: dict[str, dict[str, int]],
    benefit: str,
    cv_present: bool,
    exit_date: dt.date | None,
    today: dt.date,
) -> dict[str, Any]:
    """The citizen's columns; the current jobformidler is the open period's (``assign``)."""
    rng, faker = ctx.rng, ctx.faker
    now = timezone.now()
    start = spec.start
    return {
        "unit_id": ctx.data["unit"].pk,
        "team_id": spec.team_id,
        "cpr": spec.cpr,
        "first_name": faker.first_name(),
        "last_name": faker.last_name(),
        "phone": f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
        "email": "",
        "address": faker.street_address(),
        "postal_code": rng.choice(POSTAL_CODES),
        "benefit_type_id": codes["benefit"][benefit],
        "readiness_id": codes["readiness"][_weighted(rng, READINESS)],
        "visitation_group_id": codes["visitation"][_weighted(rng, VISITATION)],
        "visitation_date": start,
        "benefit_spell_start": start - dt.timedelta(days=rng.randint(0, 400)),
        "status": str(spec.status),
        "status_changed_on": exit_date or start,
        # The case opened on the first day of its history (inflow per month).
        "opened_on": start,
        "exit_reason_id": codes["exit"][_weighted(rng, EXITS)] if exit_date else None,
        "exit_date": exit_date,
        "jobformidler_id": spec.jf_periods[-1][0],
        "cv_present": cv_present,
        "cv_updated_on": (
            max(start, today - dt.timedelta(days=rng.randint(5, 400))) if cv_present else None
        ),
        "resources": rng.choice(RESOURCES),
        "created_at": now,
        "updated_at": now,
    }


@dataclass
class FollowUps:
    """Follow-up rows with explicit ids, so a conversation row can name the one its next step
    became (``Conversation.follow_up``) before either is written."""

    next_id: int
    citizen_type_id: int
    rows: list[list[Any]] = field(default_factory=list)

    def add(self, author: int, due: dt.date, title: str, citizen: int, at: dt.datetime) -> int:
        """As ``services.log_conversation``: owned and created by the author, on the citizen,
        open (``close`` marks it done later)."""
        pk = self.next_id
        self.next_id += 1
        self.rows.append([pk, author, due, title, self.citizen_type_id, citizen, at, author, None])
        return pk

    def close(self, index: int, day: dt.date) -> None:
        self.rows[index][8] = dt.datetime.combine(day, dt.time(15), tzinfo=TZ)


def _conversations(
    specs: list[CitizenSpec],
    rng: Any,
    today: dt.date,
    codes: dict[str, dict[str, int]],
    follow_ups: FollowUps,
) -> Iterator[tuple[Any, ...]]:
    """Yield conversation rows: a main conversation every 4-6 weeks with short contacts in
    between. A held main conversation agrees a next step with a due date, which becomes its
    follow-up; every follow-up but an active citizen's latest was done by its due date."""
    window_start = today - dt.timedelta(days=HISTORY_DAYS)
    for spec in specs:
        stop = spec.end
        if spec.neglected:
            stop = today - dt.timedelta(days=rng.randint(45, 120))
        day = max(spec.start, window_start) + dt.timedelta(days=rng.randint(0, 20))
        latest: int | None = None  # index of the citizen's latest follow-up
        while day <= stop:
            interval = rng.randint(28, 42)
            row = _main_conversation(spec, rng, day, interval, codes)
            if row[6] == ConversationOutcome.AFHOLDT:
                if latest is not None:
                    follow_ups.close(latest, day)  # done at the next held conversation
                latest = len(follow_ups.rows)
                follow_up = follow_ups.add(row[1], row[9], row[8], spec.pk, row[2])
                row = (*row[:11], follow_up, *row[12:])
            yield row
            for _ in range(rng.randint(1, 6)):
                short_day = day + dt.timedelta(days=rng.randint(1, interval - 1))
                if short_day <= stop:
                    yield _short_conversation(spec, rng, short_day, codes)
            day += dt.timedelta(days=interval)
        if latest is not None and spec.status != CitizenStatus.AKTIV:
            due = follow_ups.rows[latest][2]
            follow_ups.close(latest, min(due, spec.end))


def _main_conversation(
    spec: CitizenSpec,
    rng: Any,
    day: dt.date,
    interval: int,
    codes: dict[str, dict[str, int]],
) -> tuple[Any, ...]:
    """A main (individual or three-party) conversation; held ones agree a next step due at
    the next main conversation. The follow-up column is filled by the caller."""
    kinds, channels = codes["kind"], codes["channel"]
    main_channels = [channels["fremmoede"]] * 7 + [channels["video"], channels["telefon"]]
    main_channels += [channels["hjemmebesoeg"]]
    author = spec.jf_on(day)
    at = _at(rng, day)
    roll = rng.random()
    outcome = (
        ConversationOutcome.AFHOLDT
        if roll < 0.85
        else (ConversationOutcome.AFLYST if roll < 0.93 else ConversationOutcome.UDEBLEVET)
    )
    three_party = rng.random() < 0.12
    held = outcome == ConversationOutcome.AFHOLDT
    return (
        spec.pk,
        author,
        at,
        kinds["trepartssamtale" if three_party else "individuel"],
        channels["i-virksomheden"] if three_party else rng.choice(main_channels),
        rng.random() < 0.8,
        str(outcome),
        rng.choice(NOTES_MAIN).format(job=spec.job_title.lower()),
        rng.choice(NEXT_STEPS) if held else "",
        day + dt.timedelta(days=interval) if held else None,
        None,
        None,
        at,
        at,
    )


def _short_conversation(
    spec: CitizenSpec, rng: Any, day: dt.date, codes: dict[str, dict[str, int]]
) -> tuple[Any, ...]:
    """A short contact (phone, SMS, drop-in, workplace) without an agreed next step."""
    kinds, channels = codes["kind"], codes["channel"]
    short_channels = [channels["telefon"]] * 5 + [channels["sms"]] * 3 + [channels["video"]]
    at = _at(rng, day)
    workplace = rng.random() < 0.15
    return (
        spec.pk,
        spec.jf_on(day),
        at,
        kinds["opfoelgning-arbejdsplads" if workplace else "drop-in"]
        if rng.random() < 0.3
        else kinds["individuel"],
        channels["i-virksomheden"] if workplace else rng.choice(short_channels),
        rng.random() < 0.6,
        str(ConversationOutcome.AFHOLDT if rng.random() < 0.95 else ConversationOutcome.UDEBLEVET),
        rng.choice(NOTES_SHORT),
        "",
        None,
        None,
        None,
        at,
        at,
    )


@dataclass
class PlanSpec:
    citizen: int
    created: dt.date
    end_goal: str
    rounds: list[tuple[dt.date, list[int]]]  # (day, indexes into the sub-goal rows)


def _plans(
    specs: list[CitizenSpec], rng: Any, today: dt.date
) -> tuple[list[tuple[Any, ...]], list[PlanSpec]]:
    """Every citizen has a plan: an end goal built on the job goal (or, in trin 1, on finding
    one) and sub-goals added in rounds every 3-5 months, as a plan kept current would be.
    Old sub-goals are mostly achieved or given up; an active citizen always has open ones."""
    sub_goals: list[list[Any]] = []
    plans: list[PlanSpec] = []
    for spec in specs:
        job = spec.job_title.lower()
        created = max(spec.start, today - dt.timedelta(days=HISTORY_DAYS))
        created = min(created + dt.timedelta(days=rng.randint(7, 40)), spec.end)
        if spec.goal_since is not None:
            end_goal = rng.choice(END_GOALS).format(job=job)
        else:
            end_goal = rng.choice(CLARIFY_GOALS)
        queue = [title.format(job=job) for title in rng.sample(SUB_GOALS, len(SUB_GOALS))]
        if spec.goal_since is None:
            queue = [title for title in queue if job not in title]
            queue.insert(0, CLARIFY_SUB_GOAL)
        plan = PlanSpec(spec.pk, created, end_goal, [])
        day = created
        first_row = len(sub_goals)
        while queue and day <= spec.end:
            count = rng.randint(2, 3) if not plan.rounds else rng.randint(1, 2)
            batch, queue = queue[:count], queue[count:]
            indexes = []
            for title in batch:
                due = day + dt.timedelta(days=rng.randint(42, 150))
                status, closed = SubGoalStatus.AABEN, None
                if due < min(today, spec.end + dt.timedelta(days=1)):
                    # Long past its due date a sub-goal has been closed one way or the other.
                    roll = rng.random()
                    if due < today - dt.timedelta(days=60):
                        roll *= 0.75
                    if roll < 0.65:
                        closed = max(day + dt.timedelta(days=14), due - dt.timedelta(days=20))
                        closed = min(closed, spec.end)
                        status = SubGoalStatus.OPNAAET
                    elif roll < 0.75:
                        status, closed = SubGoalStatus.OPGIVET, min(due, spec.end)
                indexes.append(len(sub_goals))
                sub_goals.append(
                    [spec.pk, title, due, rng.choice(OWNERS), str(status), day, closed]
                )
            plan.rounds.append((day, indexes))
            day += dt.timedelta(days=rng.randint(90, 150))
        rows = sub_goals[first_row:]
        still_open = any(row[4] == SubGoalStatus.AABEN for row in rows)
        if spec.status != CitizenStatus.AFSLUTTET and rows and not still_open:
            row = rows[-1]  # the newest sub-goal is still being worked on
            row[4], row[6] = str(SubGoalStatus.AABEN), None
            row[2] = max(row[2], today + dt.timedelta(days=rng.randint(14, 90)))
        plans.append(plan)
    return [tuple(row) for row in sub_goals], plans


def _plan_snapshot(
    plan: PlanSpec, day: dt.date, rows: list[tuple[Any, ...]], ids: list[int]
) -> dict[str, Any]:
    """The plan as ``cases.citizens.plans.snapshot`` stores it, as it stood on ``day``."""
    goals = []
    for _day, indexes in plan.rounds:
        for i in indexes:
            _c, title, due, owner, status, created, closed = rows[i]
            if created > day:
                continue
            now_status = status if closed is not None and closed <= day else SubGoalStatus.AABEN
            goals.append(
                {
                    "id": ids[i],
                    "title": title,
                    "due_on": due.isoformat(),
                    "owner": owner,
                    "status": str(now_status),
                    "status_label": str(SubGoalStatus(now_status).label),
                }
            )
    goals.sort(key=lambda g: (g["due_on"], g["id"]))
    return {"end_goal": plan.end_goal, "sub_goals": goals}


def seed(ctx: DemoContext) -> None:
    unit = ctx.data["unit"]
    existing = Citizen.objects.filter(unit=unit)
    if existing.exists():
        ctx.data["citizen_ids"] = list(existing.values_list("pk", flat=True))
        ctx.log(f"Borgere: findes allerede ({len(ctx.data['citizen_ids'])}), springer over")
        return
    today = days.today()
    started = time.perf_counter()
    codes = _codes()
    specs = _citizens(ctx, today, codes)
    _periods(random.Random(f"periods-{ctx.seed}"), specs, codes, today)
    _insert_citizens(unit, specs)
    ctx.data["citizen_ids"] = [spec.pk for spec in specs]
    ctx.data["citizen_job_titles"] = {spec.pk: spec.job_title for spec in specs}
    _seed_assignments(specs)
    _seed_periods(specs)
    _seed_barriers_goals_consents(ctx.rng, specs, today)
    sub_goal_count, review_count = _seed_plans(ctx.rng, unit, specs, today)
    conversation_count, follow_up_count = _seed_conversations(ctx.rng, specs, today, codes)
    ctx.log(
        f"Borgere: {len(specs)} borgere, {conversation_count} samtaler, "
        f"{follow_up_count} opfølgninger, {sub_goal_count} delmål, "
        f"{review_count} progressionsmålinger ({time.perf_counter() - started:.1f} s)"
    )


def _codes() -> dict[str, dict[str, int]]:
    def by_code(model: type[models.Model]) -> dict[str, int]:
        return dict(model._default_manager.values_list("code", "pk"))

    return {
        "benefit": by_code(BenefitType),
        "readiness": by_code(ReadinessCategory),
        "visitation": by_code(VisitationGroup),
        "exit": by_code(ExitReason),
        "kind": by_code(ConversationKind),
        "channel": by_code(Channel),
    }


def _insert_citizens(unit: Any, specs: list[CitizenSpec]) -> None:
    """COPY the citizen rows, then read back their ids (by CPR)."""
    fields = list(specs[0].row)
    insert_rows(Citizen, fields, ([spec.row[f] for f in fields] for spec in specs))
    ids = dict(Citizen.objects.filter(unit=unit).values_list("cpr", "pk"))
    for spec in specs:
        spec.pk = ids[spec.cpr]


def _periods(
    rng: random.Random, specs: list[CitizenSpec], codes: dict[str, dict[str, int]], today: dt.date
) -> None:
    """Visitation and benefit history per citizen, and the citizen's copy of the open periods
    (``Citizen.visitation_group``/``visitation_date``, ``benefit_type``), as
    ``services.sync_periods`` and the history import keep them. A separate random stream
    (``rng``), so the rest of the demo is the same with or without it.

    - visitation: one period from the case start; about one in six changed group once (most
      often from gruppe 3, udskudt or gruppe 2 into the current group), the change day being
      the citizen's ``visitation_date``;
    - benefit: from ``benefit_spell_start``; about one in six changed benefit once (e.g.
      uddannelseshjælp to kontanthjælp, sygedagpenge to ressourceforløbsydelse); a closed case
      that ended in a job or education ends its benefit on the exit day (no benefit after),
      and about 3 % of the active citizens left benefit in the last months (ren beskæftigelse
      while the case still runs).
    """
    visitation_code = {pk: code for code, pk in codes["visitation"].items()}
    benefit_code = {pk: code for code, pk in codes["benefit"].items()}
    exit_code = {pk: code for code, pk in codes["exit"].items()}
    for spec in specs:
        row = spec.row
        start = spec.start
        # Visitation.
        group = row["visitation_group_id"]
        span = (spec.end - start).days
        if rng.random() < 0.17 and span > 60:
            earlier_code = _weighted(rng, EARLIER_VISITATION)
            if earlier_code == visitation_code[group]:
                earlier_code = "gruppe-3" if earlier_code != "gruppe-3" else "udskudt"
            changed = start + dt.timedelta(days=rng.randint(30, span - 1))
            spec.visitation_periods = [
                (codes["visitation"][earlier_code], start, changed - dt.timedelta(days=1)),
                (group, changed, None),
            ]
            row["visitation_date"] = changed
        else:
            spec.visitation_periods = [(group, start, None)]
            row["visitation_date"] = start
        # Benefit.
        benefit = row["benefit_type_id"]
        spell = row["benefit_spell_start"]
        periods: list[tuple[int, dt.date, dt.date | None]] = [(benefit, spell, None)]
        earlier = EARLIER_BENEFIT.get(benefit_code[benefit])
        benefit_span = (spec.end - spell).days
        if earlier and rng.random() < 0.17 and benefit_span > 60:
            changed = spell + dt.timedelta(days=rng.randint(30, benefit_span - 1))
            periods = [
                (codes["benefit"][rng.choice(earlier)], spell, changed - dt.timedelta(days=1)),
                (benefit, changed, None),
            ]
        off_on: dt.date | None = None
        exit_reason = row["exit_reason_id"]
        if row["exit_date"] is not None and exit_code.get(exit_reason) in EXITS_OFF_BENEFIT:
            off_on = row["exit_date"]
        elif spec.status == CitizenStatus.AKTIV and rng.random() < 0.03:
            off_on = today - dt.timedelta(days=rng.randint(14, 120))
        if off_on is not None and off_on > periods[-1][1]:
            value, first, _open = periods[-1]
            periods[-1] = (value, first, off_on)
            row["benefit_type_id"] = None
        spec.benefit_periods = periods


def _seed_periods(specs: list[CitizenSpec]) -> None:
    for model, name, field_name in (
        (VisitationPeriod, "visitation_periods", "group_id"),
        (BenefitPeriod, "benefit_periods", "benefit_type_id"),
    ):
        insert_rows(
            model,
            ["citizen_id", field_name, "starts_on", "ends_on"],
            (
                (spec.pk, value, first, last)
                for spec in specs
                for value, first, last in getattr(spec, name)
            ),
        )


def _seed_assignments(specs: list[CitizenSpec]) -> None:
    """The jobformidler history: one row per period, the last one open (the citizen's
    ``jobformidler``), as ``assign`` writes them."""
    insert_rows(
        Assignment,
        ["citizen_id", "jobformidler_id", "started_on", "ended_on"],
        (
            (spec.pk, user_id, started, ended)
            for spec in specs
            for user_id, started, ended in spec.jf_periods
        ),
    )


def _seed_barriers_goals_consents(rng: Any, specs: list[CitizenSpec], today: dt.date) -> None:
    """Barriers (~70 %), job goals (~70 %, some with an earlier ended goal), consent (~60 %)."""
    barrier_ids = list(Barrier.objects.values_list("pk", flat=True))
    barriers: list[tuple[int, int]] = []
    goals: list[tuple[Any, ...]] = []
    consents: list[tuple[Any, ...]] = []
    for spec in specs:
        if barrier_ids and rng.random() < 0.7:
            barriers.extend((spec.pk, b) for b in rng.sample(barrier_ids, rng.randint(1, 2)))
        if rng.random() < 0.7:
            goals += _job_goals(rng, spec)
        if rng.random() < 0.6:
            given = min(spec.start + dt.timedelta(days=rng.randint(7, 90)), spec.end)
            withdrawn = given + dt.timedelta(days=rng.randint(30, 200))
            consents.append(
                (
                    spec.pk,
                    given,
                    rng.choice(CONSENT_SCOPES),
                    withdrawn if rng.random() < 0.1 and withdrawn < today else None,
                    spec.jf_on(given),
                )
            )
    _through_insert(barriers)
    insert_rows(
        JobGoal,
        ["citizen_id", "title", "hours_per_week", "own_wish", "experience", "created_on",
         "ended_on"],
        goals,
    )  # fmt: skip
    insert_rows(Consent, ["citizen_id", "given_on", "scope", "withdrawn_on", "recorded_by_id"],
                consents)  # fmt: skip


def _job_goals(rng: Any, spec: CitizenSpec) -> list[tuple[Any, ...]]:
    """The current job goal (sets ``spec.goal_since``), after an ended one in one of ten."""
    goals: list[tuple[Any, ...]] = []
    created = min(spec.start + dt.timedelta(days=rng.randint(14, 120)), spec.end)
    if rng.random() < 0.1:
        old_end = created + dt.timedelta(days=rng.randint(20, 90))
        if old_end < spec.end:
            goals.append((spec.pk, rng.choice(JOB_TITLES), 15, True, "", created, old_end))
            created = old_end
    hours = rng.choice((10, 15, 20, 25, 30, 37))
    goals.append((spec.pk, spec.job_title, hours, rng.random() < 0.85, "", created, None))
    spec.goal_since = created
    return goals


def _seed_plans(rng: Any, unit: Any, specs: list[CitizenSpec], today: dt.date) -> tuple[int, int]:
    """Plans, sub-goals added in rounds (a plan revision for each round) and 6-weekly
    progression reviews. Returns (sub-goals, reviews)."""
    sub_goal_rows, plan_specs = _plans(specs, rng, today)
    now = timezone.now()
    plan_rows = ((p.citizen, p.end_goal, now) for p in plan_specs)
    insert_rows(Plan, ["citizen_id", "end_goal", "updated_at"], plan_rows)
    plan_ids = dict(Plan.objects.filter(citizen__unit=unit).values_list("citizen_id", "pk"))
    insert_rows(
        SubGoal,
        ["plan_id", "title", "due_on", "owner", "status", "created_on", "closed_on"],
        ((plan_ids[c], *rest) for c, *rest in sub_goal_rows),
    )
    spec_by_pk = {spec.pk: spec for spec in specs}
    sub_goal_ids = list(
        SubGoal.objects.filter(plan__citizen__unit=unit).order_by("pk").values_list("pk", flat=True)
    )
    assert len(sub_goal_ids) == len(sub_goal_rows)
    revisions = []
    for plan in plan_specs:
        spec = spec_by_pk[plan.citizen]
        for number, (day, indexes) in enumerate(plan.rounds):
            titles = ", ".join(sub_goal_rows[i][1] for i in indexes)
            summary = "Plan oprettet" if number == 0 else f"Delmål tilføjet: {titles}"
            revisions.append(
                (plan_ids[plan.citizen], _at(rng, day), spec.jf_on(day), summary[:300],
                 _plan_snapshot(plan, day, sub_goal_rows, sub_goal_ids))
            )  # fmt: skip
    insert_rows(PlanRevision, ["plan_id", "at", "by_id", "summary", "snapshot"], revisions)
    review_count = insert_rows(
        ProgressReview,
        ["sub_goal_id", "reviewed_on", "by_id", "outcome", "note"],
        _reviews(rng, today, spec_by_pk, sub_goal_ids, sub_goal_rows),
    )
    return len(sub_goal_rows), review_count


def _reviews(
    rng: Any,
    today: dt.date,
    spec_by_pk: dict[int, CitizenSpec],
    sub_goal_ids: list[int],
    sub_goal_rows: list[tuple[Any, ...]],
) -> Iterator[tuple[Any, ...]]:
    """A review every 6 weeks of each sub-goal while it is open; the last one of a closed
    sub-goal matches how it closed. One in five active citizens' reviews is overdue."""
    outcomes = [ReviewOutcome.BEVAEGER] * 5 + [ReviewOutcome.STAAR_STILLE] * 3
    outcomes += [ReviewOutcome.JUSTERET]
    for pk, (citizen_pk, _t, _due, _o, status, created, closed) in zip(
        sub_goal_ids, sub_goal_rows, strict=True
    ):
        spec = spec_by_pk[citizen_pk]
        last = min(closed or today, spec.end)
        if closed is None and spec.status == CitizenStatus.AKTIV and rng.random() < 0.2:
            # The jobformidler is behind: the latest review is overdue (shows on Min dag).
            last -= dt.timedelta(days=rng.randint(10, 40))
        day = created + dt.timedelta(days=42)
        while day <= last:
            final = closed is not None and day + dt.timedelta(days=42) > last
            if final and status == SubGoalStatus.OPNAAET:
                outcome = ReviewOutcome.OPNAAET
            elif final and status == SubGoalStatus.OPGIVET:
                outcome = ReviewOutcome.STAAR_STILLE
            else:
                outcome = rng.choice(outcomes)
            note = rng.choice(REVIEW_NOTES[outcome])
            yield (pk, day, spec.jf_on(day), str(outcome), note)
            day += dt.timedelta(days=42)


def _seed_conversations(
    rng: Any, specs: list[CitizenSpec], today: dt.date, codes: dict[str, dict[str, int]]
) -> tuple[int, int]:
    """Conversations (streamed) and the follow-ups their next steps became, linked to them.
    Returns (conversations, follow-ups)."""
    follow_ups = FollowUps(
        next_id=(FollowUp.objects.aggregate(m=Max("pk"))["m"] or 0) + 1,
        citizen_type_id=ContentType.objects.get_for_model(Citizen).pk,
    )
    # The follow-ups are written after the conversations that name them (the foreign key is
    # checked at commit, and seed_demo runs each app's seed in one transaction).
    conversation_count = insert_rows(
        Conversation,
        ["citizen_id", "author_id", "occurred_at", "kind_id", "channel_id", "job_focused",
         "outcome", "note", "next_step", "next_step_due", "placement_id", "follow_up_id",
         "created_at", "updated_at"],
        _conversations(specs, rng, today, codes, follow_ups),
    )  # fmt: skip
    insert_rows(
        FollowUp,
        ["id", "owner_id", "due_on", "title", "subject_type_id", "subject_id", "created_at",
         "created_by_id", "done_at"],
        follow_ups.rows,
    )  # fmt: skip
    reset_sequence(FollowUp)
    return conversation_count, len(follow_ups.rows)


def reset_sequence(model: type[models.Model]) -> None:
    """After inserting explicit ids, move PostgreSQL's sequence past them."""
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


def refresh_facts(ctx: DemoContext) -> None:
    """The citizens' maintained facts (``cases.citizens.facts``: latest contact, next follow-up,
    the step on today) after the bulk inserts."""
    started = time.perf_counter()
    written = facts.refresh(Citizen.objects.filter(unit=ctx.data["unit"]))
    elapsed = time.perf_counter() - started
    ctx.log(
        f"Borgeres fakta (seneste samtale, næste opfølgning, trin): {written} ({elapsed:.1f} s)"
    )
