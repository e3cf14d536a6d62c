"""Demo citizens: about 600 per ``--scale 1`` spread over the demo teams, with 18 months of
history (jobformidler changes, job goals, CV, consent, plans with sub-goals and progression
reviews, conversations, follow-ups).

Built for speed: every row is generated in Python from ``ctx.rng`` (deterministic for a
``--seed``) and written in bulk: PostgreSQL COPY through psycopg 3, ``bulk_create`` in
batches elsewhere. No per-row saves and no per-row audit events (demo data is not a user's
action). Idempotent: skipped when the demo unit already has citizens.

Contact cadence: a main conversation every 4-6 weeks (DOMAIN.md §5) with short contacts in
between (phone, SMS, drop-in, workplace follow-up), about 50 contacts per citizen over 18
months, so ``--scale 33`` gives about 20,000 citizens and 1,000,000 conversations.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from cases.citizens.models import (
    Assignment,
    Barrier,
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
    ("ordinaert-job", 35),
    ("uddannelse", 20),
    ("fleksjob", 10),
    ("foertidspension", 5),
    ("ressourceforloeb", 10),
    ("flyttet", 10),
    ("oevrige", 10),
]
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
    pk: int = 0

    def jf_on(self, day: dt.date) -> int:
        for user_id, started, ended in self.jf_periods:
            if started <= day and (ended is None or day <= ended):
                return user_id
        return self.jf_periods[-1][0]


# --- bulk writing --------------------------------------------------------------------------


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``fields`` order) fast: COPY on PostgreSQL, batched
    ``bulk_create`` elsewhere. Returns the number of rows."""
    count = 0
    if connection.vendor == "postgresql":
        meta = model._meta
        columns = [meta.get_field(name).column for name in fields]
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
    rng, faker = ctx.rng, ctx.faker
    unit = ctx.data["unit"]
    teams = ctx.data["teams"]
    staff = ctx.data["staff_by_team"]
    total = max(1, round(CITIZENS_PER_SCALE * ctx.scale))
    window_start = today - dt.timedelta(days=HISTORY_DAYS)
    now = timezone.now()
    taken: set[str] = set()
    specs: list[CitizenSpec] = []
    for i in range(total):
        team = teams[i % len(teams)]
        jfs = [u.pk for u in staff[team.pk].get(Role.JOBFORMIDLER, [])]
        if rng.random() < 0.6:
            start = window_start - dt.timedelta(days=rng.randint(0, 700))
        else:
            start = window_start + dt.timedelta(days=rng.randint(0, HISTORY_DAYS - 30))
        roll = rng.random()
        status = CitizenStatus.AKTIV
        exit_date = None
        if roll < 0.08:
            status = CitizenStatus.AFSLUTTET
            earliest = max(start + dt.timedelta(days=60), today - dt.timedelta(days=365))
            exit_date = earliest + dt.timedelta(
                days=rng.randint(0, max(0, (today - earliest).days))
            )
            exit_date = min(exit_date, today - dt.timedelta(days=1))
        elif roll < 0.12:
            status = CitizenStatus.PAUSE
        end = exit_date or today - dt.timedelta(days=1)
        history_start = max(start, window_start)
        # Jobformidler history: most keep one, some change once or twice.
        first_jf = rng.choice(jfs)
        periods: list[tuple[int, dt.date, dt.date | None]] = []
        changes = 0 if rng.random() < 0.72 else (1 if rng.random() < 0.8 else 2)
        started = start
        current = first_jf
        span = max(1, (end - history_start).days)
        cut_days = sorted(rng.randint(1, span) for _ in range(changes))
        for cut in cut_days:
            cut_day = history_start + dt.timedelta(days=cut)
            if cut_day <= started:
                continue
            periods.append((current, started, cut_day - dt.timedelta(days=1)))
            others = [u for u in jfs if u != current] or [current]
            current = rng.choice(others)
            started = cut_day
        periods.append((current, started, None))
        benefit = _weighted(rng, BENEFITS)
        cv_present = rng.random() < 0.75
        job_title = rng.choice(JOB_TITLES)
        cpr = _cpr(rng, today, taken)
        first_name = faker.first_name()
        last_name = faker.last_name()
        spec = CitizenSpec(
            cpr=cpr,
            team_id=team.pk,
            jf_periods=periods,
            start=start,
            end=end,
            status=status,
            neglected=status == CitizenStatus.AKTIV and rng.random() < 0.1,
            job_title=job_title,
        )
        spec.row = {
            "unit_id": unit.pk,
            "team_id": team.pk,
            "cpr": cpr,
            "first_name": first_name,
            "last_name": last_name,
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
            "status": str(status),
            "status_changed_on": exit_date or start,
            "exit_reason_id": codes["exit"][_weighted(rng, EXITS)] if exit_date else None,
            "exit_date": exit_date,
            "jobformidler_id": current,
            "cv_present": cv_present,
            "cv_updated_on": (
                max(start, today - dt.timedelta(days=rng.randint(5, 400))) if cv_present else None
            ),
            "resources": rng.choice(RESOURCES),
            "created_at": now,
            "updated_at": now,
        }
        specs.append(spec)
    return specs


def _conversations(
    specs: list[CitizenSpec],
    rng: Any,
    today: dt.date,
    codes: dict[str, dict[str, int]],
    follow_ups: list[tuple[Any, ...]],
    citizen_type_id: int,
) -> Iterator[tuple[Any, ...]]:
    """Yield conversation rows; collect the follow-ups their agreed next steps became."""
    window_start = today - dt.timedelta(days=HISTORY_DAYS)
    recent = today - dt.timedelta(days=180)
    kinds, channels = codes["kind"], codes["channel"]
    short_channels = [channels["telefon"]] * 5 + [channels["sms"]] * 3 + [channels["video"]]
    main_channels = [channels["fremmoede"]] * 7 + [channels["video"], channels["telefon"]]
    main_channels += [channels["hjemmebesoeg"]]
    held, cancelled, no_show = (
        str(ConversationOutcome.HELD),
        str(ConversationOutcome.CANCELLED),
        str(ConversationOutcome.NO_SHOW),
    )
    for spec in specs:
        stop = spec.end
        if spec.neglected:
            stop = today - dt.timedelta(days=rng.randint(45, 120))
        day = max(spec.start, window_start) + dt.timedelta(days=rng.randint(0, 20))
        last_main: tuple[dt.date, str, int] | None = None
        while day <= stop:
            interval = rng.randint(28, 42)
            author = spec.jf_on(day)
            at = _at(rng, day)
            roll = rng.random()
            outcome = held if roll < 0.85 else (cancelled if roll < 0.93 else no_show)
            three_party = rng.random() < 0.12
            next_step = rng.choice(NEXT_STEPS) if outcome == held else ""
            due = day + dt.timedelta(days=interval) if outcome == held else None
            yield (
                spec.pk,
                author,
                at,
                kinds["trepartssamtale" if three_party else "individuel"],
                channels["i-virksomheden"] if three_party else rng.choice(main_channels),
                rng.random() < 0.8,
                outcome,
                rng.choice(NOTES_MAIN).format(job=spec.job_title.lower()),
                next_step,
                due,
                None,
                at,
                at,
            )
            if outcome == held:
                last_main = (due, next_step, author)  # type: ignore[assignment]
                if day >= recent and due is not None and due < today:
                    done = _at(rng, min(due, today - dt.timedelta(days=1)))
                    follow_ups.append(
                        (author, due, next_step, citizen_type_id, spec.pk, at, author, done)
                    )
            for _ in range(rng.randint(1, 6)):
                short_day = day + dt.timedelta(days=rng.randint(1, interval - 1))
                if short_day > stop:
                    continue
                short_at = _at(rng, short_day)
                workplace = rng.random() < 0.15
                yield (
                    spec.pk,
                    spec.jf_on(short_day),
                    short_at,
                    kinds["opfoelgning-arbejdsplads" if workplace else "drop-in"]
                    if rng.random() < 0.3
                    else kinds["individuel"],
                    channels["i-virksomheden"] if workplace else rng.choice(short_channels),
                    rng.random() < 0.6,
                    held if rng.random() < 0.95 else no_show,
                    rng.choice(NOTES_SHORT),
                    "",
                    None,
                    None,
                    short_at,
                    short_at,
                )
            day += dt.timedelta(days=interval)
        if spec.status == CitizenStatus.AKTIV and last_main is not None:
            due, next_step, author = last_main
            created = _at(rng, due - dt.timedelta(days=30))
            follow_ups.append(
                (author, due, next_step, citizen_type_id, spec.pk, created, author, None)
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
    sub_goals: list[tuple[Any, ...]] = []
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
    """The plan as ``cases.plans.snapshot`` stores it, as it stood on ``day``."""
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
    rng = ctx.rng
    today = days.today()
    started = time.perf_counter()

    def by_code(model: type[models.Model]) -> dict[str, int]:
        return dict(model.objects.values_list("code", "pk"))  # type: ignore[attr-defined]

    codes = {
        "benefit": by_code(BenefitType),
        "readiness": by_code(ReadinessCategory),
        "visitation": by_code(VisitationGroup),
        "exit": by_code(ExitReason),
        "kind": by_code(ConversationKind),
        "channel": by_code(Channel),
    }
    barrier_ids = list(Barrier.objects.values_list("pk", flat=True))
    citizen_type_id = ContentType.objects.get_for_model(Citizen).pk

    specs = _citizens(ctx, today, codes)
    fields = list(specs[0].row)
    insert_rows(Citizen, fields, ([spec.row[f] for f in fields] for spec in specs))
    ids = dict(Citizen.objects.filter(unit=unit).values_list("cpr", "pk"))
    for spec in specs:
        spec.pk = ids[spec.cpr]
    ctx.data["citizen_ids"] = [spec.pk for spec in specs]
    ctx.data["citizen_job_titles"] = {spec.pk: spec.job_title for spec in specs}

    # Jobformidler history.
    insert_rows(
        Assignment,
        ["citizen_id", "jobformidler_id", "started_on", "ended_on"],
        (
            (spec.pk, user_id, started, ended)
            for spec in specs
            for user_id, started, ended in spec.jf_periods
        ),
    )
    # Barriers, job goals (~70 %), consent (~60 %).
    barriers: list[tuple[int, int]] = []
    goals: list[tuple[Any, ...]] = []
    consents: list[tuple[Any, ...]] = []
    for spec in specs:
        if barrier_ids and rng.random() < 0.7:
            barriers.extend((spec.pk, b) for b in rng.sample(barrier_ids, rng.randint(1, 2)))
        if rng.random() < 0.7:
            created = min(spec.start + dt.timedelta(days=rng.randint(14, 120)), spec.end)
            if rng.random() < 0.1:
                old_end = created + dt.timedelta(days=rng.randint(20, 90))
                if old_end < spec.end:
                    goals.append((spec.pk, rng.choice(JOB_TITLES), 15, True, "", created, old_end))
                    created = old_end
            hours = rng.choice((10, 15, 20, 25, 30, 37))
            goals.append((spec.pk, spec.job_title, hours, rng.random() < 0.85, "", created, None))
            spec.goal_since = created
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

    # Plans, sub-goals added in rounds (a revision for each), 6-weekly progression reviews.
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

    def reviews() -> Iterator[tuple[Any, ...]]:
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

    review_count = insert_rows(
        ProgressReview, ["sub_goal_id", "reviewed_on", "by_id", "outcome", "note"], reviews()
    )

    # Conversations (streamed) and the follow-ups their next steps became.
    follow_ups: list[tuple[Any, ...]] = []
    conversation_count = insert_rows(
        Conversation,
        ["citizen_id", "author_id", "occurred_at", "kind_id", "channel_id", "job_focused",
         "outcome", "note", "next_step", "next_step_due", "placement_id", "created_at",
         "updated_at"],
        _conversations(specs, rng, today, codes, follow_ups, citizen_type_id),
    )  # fmt: skip
    insert_rows(
        FollowUp,
        ["owner_id", "due_on", "title", "subject_type_id", "subject_id", "created_at",
         "created_by_id", "done_at"],
        follow_ups,
    )  # fmt: skip
    ctx.log(
        f"Borgere: {len(specs)} borgere, {conversation_count} samtaler, "
        f"{len(follow_ups)} opfølgninger, {len(sub_goal_rows)} delmål, "
        f"{review_count} progressionsmålinger ({time.perf_counter() - started:.1f} s)"
    )
