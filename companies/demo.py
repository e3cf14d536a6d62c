"""Demo companies: about 150 at --scale 1 (5,000 at --scale 33), with valid CVR numbers,
Danish names and addresses, a fixed contact, target groups, contact people, status history,
contact histories, mapping sessions and about four tasks each.

Each company gets one dated story within the last 18 months: found (emne), first contact
(kontaktet), a mapping session on the day it became kortlagt, an agreement on the day of
samarbejde, perhaps a second mapping later, and contacts in between (none after it went
inaktiv). Tasks are created on their session's date. A few companies have been contacted by
three staff members in the last week, so the "én indgang" warning shows in the demo.

Bulk inserts; deterministic (own RNG and Faker from ctx.seed, every value drawn whether the
company exists or not); idempotent (companies are keyed by CVR, existing ones are left alone).

Puts ``ctx.data["company_ids"]`` and ``ctx.data["task_ids"]``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from faker import Faker

from companies.models import (
    Agreement,
    Company,
    CompanyContact,
    CompanyStatusChange,
    ContactChannel,
    ContactPerson,
    ContactPurpose,
    FixedContactPeriod,
    Industry,
    MappingSession,
    PipelineStatus,
    PlacementType,
    RequirementTag,
    SizeBand,
    TargetGroup,
    Task,
    TaskStatus,
)
from companies.search import refresh_task_vectors
from substitution import days
from substitution.demo import DemoContext
from substitution.models import FollowUp, Role

PER_SCALE = 150
HISTORY_DAYS = 548  # 18 months
# Every n-th company (if in contact and active) was contacted by three staff this week.
CROWDED_EVERY = 23
MAX_COMPANIES = 20_000
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)

# Postal codes around the demo jobcentre (mostly East Jutland) and a few further away.
POSTAL: list[tuple[str, str]] = [
    ("8000", "Aarhus C"),
    ("8200", "Aarhus N"),
    ("8210", "Aarhus V"),
    ("8220", "Brabrand"),
    ("8230", "Åbyhøj"),
    ("8240", "Risskov"),
    ("8260", "Viby J"),
    ("8270", "Højbjerg"),
    ("8300", "Odder"),
    ("8330", "Beder"),
    ("8361", "Hasselager"),
    ("8381", "Tilst"),
    ("8400", "Ebeltoft"),
    ("8600", "Silkeborg"),
    ("8660", "Skanderborg"),
    ("8700", "Horsens"),
    ("8900", "Randers C"),
    ("7100", "Vejle"),
    ("5000", "Odense C"),
    ("2100", "København Ø"),
]

# Industry code -> task templates: (title, description, relieves, hours, requirement codes).
TASKS: dict[str, list[tuple[str, str, str, int, list[str]]]] = {
    "47": [
        (
            "Varepåfyldning",
            "Fylde varer på hylder og rydde op i butikken",
            "Butiksassistent",
            15,
            [],
        ),
        (
            "Modtagelse af varer",
            "Tage imod og pakke leverancer ud",
            "Butiksassistent",
            12,
            ["tunge-loeft"],
        ),
        ("Oprydning og pant", "Pantautomat, oprydning og flaskeretur", "Butiksassistent", 8, []),
    ],
    "52": [
        (
            "Pakning på lager",
            "Pakke ordrer og klargøre forsendelser på lageret",
            "Lagermedarbejder",
            20,
            ["staaende-arbejde"],
        ),
        (
            "Truckkørsel",
            "Flytte paller med truck på lageret",
            "Lagermedarbejder",
            25,
            ["truckcertifikat"],
        ),
        ("Sortering af returvarer", "Sortere og registrere returvarer", "Lagermedarbejder", 10, []),
    ],
    "56": [
        ("Opvask", "Opvask og rengøring af køkkenet", "Kok", 15, ["staaende-arbejde"]),
        (
            "Grøntsagsklargøring",
            "Skrælle og snitte grøntsager til køkkenet",
            "Kok",
            12,
            ["hygiejnebevis"],
        ),
        ("Oprydning i restauranten", "Dække borde og rydde af", "Tjener", 10, []),
    ],
    "81": [
        (
            "Rengøring af kontorer",
            "Daglig rengøring af kontorer og fællesarealer",
            "Serviceleder",
            15,
            [],
        ),
        (
            "Græsslåning og ukrudt",
            "Vedligehold af grønne områder som anlægsgartner-hjælper",
            "Anlægsgartner",
            20,
            ["tunge-loeft"],
        ),
        ("Vinduespudsning", "Pudse vinduer i stueetagen", "Vinduespudser", 8, []),
    ],
    "87": [
        (
            "Servering af måltider",
            "Servere mad og kaffe for beboerne",
            "Social- og sundhedsassistent",
            12,
            ["danskkundskaber"],
        ),
        (
            "Gåture med beboere",
            "Ledsage beboere på gåture",
            "Social- og sundhedshjælper",
            6,
            ["danskkundskaber"],
        ),
        ("Vasketøj", "Sortere og folde vasketøj", "Social- og sundhedshjælper", 10, []),
    ],
    "45": [
        ("Bilvask og klargøring", "Vaske og klargøre biler til kunder", "Mekaniker", 15, []),
        ("Dækskift", "Skifte og opbevare dæk i sæsonen", "Mekaniker", 20, ["tunge-loeft"]),
        ("Kørsel med biler", "Flytte biler mellem afdelinger", "Mekaniker", 8, ["koerekort"]),
    ],
    "10": [
        (
            "Pakning af fødevarer",
            "Pakke og mærke fødevarer på produktionslinjen",
            "Procesoperatør",
            20,
            ["hygiejnebevis"],
        ),
        (
            "Rengøring af produktion",
            "Rengøre maskiner efter produktion",
            "Procesoperatør",
            15,
            ["staaende-arbejde"],
        ),
        ("Emballering", "Folde kasser og emballere varer", "Procesoperatør", 12, []),
    ],
    "43": [
        (
            "Oprydning på byggeplads",
            "Holde byggepladsen ryddelig og sortere affald",
            "Tømrer",
            20,
            ["tunge-loeft"],
        ),
        (
            "Materialehåndtering",
            "Bære og klargøre materialer til håndværkerne",
            "Murer",
            15,
            ["tunge-loeft"],
        ),
        ("Kørsel af materialer", "Hente materialer hos grossisten", "Tømrer", 10, ["koerekort"]),
    ],
}
VARIANTS = ["weekend", "aften", "morgen", "afløser", "sæson", "deltid"]
NAME_SUFFIX = ["ApS", "A/S", "I/S", "& Søn", "Service ApS", "Gruppen A/S"]
STATUS_WEIGHTS = [
    (PipelineStatus.EMNE, 15),
    (PipelineStatus.KONTAKTET, 25),
    (PipelineStatus.KORTLAGT, 30),
    (PipelineStatus.SAMARBEJDE, 25),
    (PipelineStatus.INAKTIV, 5),
]
# Never besat: a task is besat only while placements fill its positions (the placements
# seeder fills some with the services' rule, ``sync_task_statuses``).
TASK_STATUS_WEIGHTS = [
    (TaskStatus.AABEN, 70),
    (TaskStatus.IDENTIFICERET, 25),
    (TaskStatus.LUKKET, 5),
]


def valid_cvrs(count: int) -> list[str]:
    """The first ``count`` valid CVR numbers from 30000000 upwards (modulus 11)."""
    result: list[str] = []
    base = 3_000_000
    while len(result) < count:
        digits = [int(d) for d in str(base)]
        check = (-sum(w * d for w, d in zip(CVR_WEIGHTS[:7], digits, strict=True))) % 11
        if check < 10:
            result.append(f"{base}{check}")
        base += 1
    return result


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def company_count(scale: float) -> int:
    return max(1, min(MAX_COMPANIES, round(PER_SCALE * scale)))


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


ORDER = [
    PipelineStatus.EMNE,
    PipelineStatus.KONTAKTET,
    PipelineStatus.KORTLAGT,
    PipelineStatus.SAMARBEJDE,
]
OUTCOMES = [
    "Positiv dialog om mulige opgaver.",
    "Virksomheden vil gerne høre mere.",
    "Aftalt opfølgning efter sommerferien.",
    "Drøftet kandidater til åbne opgaver.",
    "Indehaveren har travlt; ring igen om en måned.",
    "Gennemgået opgaverne med driftslederen.",
]
PROBLEMS = [
    "Vores faglærte bruger for meget tid på oprydning og klargøring.",
    "Vi mangler hænder i spidsbelastninger om morgenen.",
    "Medarbejderne når ikke de små opgaver, der hober sig op.",
    "Svendene går selv og henter materialer i stedet for at arbejde med faget.",
]
NEXT_STEPS = [
    "Ring til virksomheden om opgaverne",
    "Send kandidatoversigt",
    "Følg op på aftalen",
    "Book møde om opgavekortlægning",
]


def _milestones(r: random.Random, started: dt.date, today: dt.date, steps: int) -> list[dt.date]:
    """``started`` (the day the company became an emne), then ``steps - 1`` increasing,
    irregular dates within the last 18 months (and after ``started``), before ``today``."""
    first = max(started + dt.timedelta(days=1), today - dt.timedelta(days=HISTORY_DAYS))
    span = max(0, (today - first).days - 1)
    cuts = sorted(r.randint(0, span) for _ in range(steps - 1))
    return [started] + [first + dt.timedelta(days=c) for c in cuts]


def _contact(
    company: Company,
    r: random.Random,
    day: dt.date,
    purpose: str,
    staff: Any,
    channel: str | None = None,
) -> CompanyContact:
    return CompanyContact(
        company=company,
        staff=staff,
        occurred_on=day,
        channel=channel or r.choice(ContactChannel.values),
        purpose=purpose,
        outcome=r.choice(OUTCOMES),
        created_at=at(day, 14),
    )


@dataclass
class Stories:
    """The rows of every company's dated story, written in bulk afterwards."""

    statuses: list[CompanyStatusChange] = field(default_factory=list)
    periods: list[FixedContactPeriod] = field(default_factory=list)
    people: list[ContactPerson] = field(default_factory=list)
    contacts: list[CompanyContact] = field(default_factory=list)
    sessions: list[MappingSession] = field(default_factory=list)
    # (session, industry code, the company's rng, number of the session within the company)
    session_plans: list[tuple[MappingSession, str, random.Random, int]] = field(
        default_factory=list
    )
    participants: list[tuple[MappingSession, int]] = field(default_factory=list)
    groups: list[tuple[int, int]] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)


def seed(ctx: DemoContext) -> None:
    unit = ctx.data["unit"]
    staff_by_team: dict[int, dict[str, list[Any]]] = ctx.data["staff_by_team"]
    consultants = _staff(staff_by_team, Role.VIRKSOMHEDSKONSULENT)
    jobformidlere = _staff(staff_by_team, Role.JOBFORMIDLER)
    today = days.today()
    cvrs = valid_cvrs(company_count(ctx.scale))
    new, plans = _new_companies(ctx, unit, cvrs, consultants, today)
    Company.objects.bulk_create(new, batch_size=1000)
    created = {c.cvr: c for c in Company.objects.filter(unit=unit, cvr__in=[c.cvr for c in new])}

    stories = Stories()
    target_groups = list(TargetGroup.objects.order_by("sort_order", "pk"))
    company_ct = ContentType.objects.get_for_model(Company)
    for plan in plans:
        company = created[plan["cvr"]]
        r = random.Random(f"{ctx.seed}-{plan['cvr']}")
        _story(stories, company, plan, r, today, jobformidlere, target_groups, company_ct)
    _write_stories(stories)
    tasks = _seed_tasks(stories.session_plans, today)

    all_ids = list(Company.objects.filter(unit=unit, cvr__in=cvrs).values_list("pk", flat=True))
    ctx.data["company_ids"] = all_ids
    ctx.data["task_ids"] = list(
        Task.objects.filter(company_id__in=all_ids).values_list("pk", flat=True)
    )
    ctx.log(
        f"Virksomheder: {len(all_ids)} ({len(new)} nye), opgaver: {len(ctx.data['task_ids'])} "
        f"({len(tasks)} nye)"
    )


def _staff(staff_by_team: dict[int, dict[str, list[Any]]], role: str) -> list[Any]:
    return sorted(
        {u for roles in staff_by_team.values() for u in roles.get(role, [])}, key=lambda u: u.pk
    )


def _new_companies(
    ctx: DemoContext, unit: Any, cvrs: list[str], consultants: list[Any], today: dt.date
) -> tuple[list[Company], list[dict[str, Any]]]:
    """Unsaved companies for the CVR numbers not in the database yet, and each one's plan
    (status, the day it became an emne, contact people). Every value is drawn for every CVR,
    so an existing company leaves the sequence unchanged."""
    rng = random.Random(f"companies-{ctx.seed}")
    # Own Faker, so names do not depend on how much the apps before this one drew.
    faker = Faker("da_DK")
    faker.seed_instance(f"companies-{ctx.seed}")
    existing = set(
        Company.objects.filter(unit=unit, cvr__in=cvrs, p_number="").values_list("cvr", flat=True)
    )
    industries = {i.code: i for i in Industry.objects.all()}
    task_industries = [code for code in TASKS if code in industries]
    other_industries = [i for code, i in industries.items() if code not in TASKS]
    new: list[Company] = []
    plans: list[dict[str, Any]] = []
    for index, cvr in enumerate(cvrs):
        # Draw every value even for existing companies so the sequence stays the same.
        industry_code = rng.choice(task_industries) if rng.random() < 0.85 else None
        industry = industries[industry_code] if industry_code else rng.choice(other_industries)
        postal, city = POSTAL[min(int(rng.expovariate(0.35)), len(POSTAL) - 1)]
        status = _pick(rng, STATUS_WEIGHTS)
        consultant = consultants[index % len(consultants)] if consultants else None
        name = f"{faker.last_name()} {rng.choice(NAME_SUFFIX)}"
        street = f"{faker.street_name()} {rng.randint(1, 120)}"
        size = rng.choice(SizeBand.values)
        # Known as a possible partner for up to 2½ years; the work with it is recent.
        started = today - dt.timedelta(days=rng.randint(60, 900))
        # Plain first and last names (faker.name() may add titles such as "Univ.Prof.").
        people = [(faker.first_name(), faker.last_name()) for _ in range(1 + (rng.random() < 0.3))]
        company_side = f"{faker.first_name()} {faker.last_name()}"
        plan = {
            "index": index,
            "cvr": cvr,
            "industry_code": industry_code,
            "status": status,
            "started": started,
            "people": people,
            "company_side": company_side,
        }
        wants_preselected = rng.random() < 0.7
        wants_cvs = rng.random() < 0.6
        if cvr in existing:
            continue
        new.append(
            Company(
                unit=unit,
                cvr=cvr,
                name=name,
                address=street,
                postal_code=postal,
                city=city,
                industry=industry,
                size_band=size,
                status=status,
                fixed_contact=consultant,
                wants_preselected=wants_preselected,
                wants_cvs=wants_cvs,
                created_at=at(started, 9),
            )
        )
        plans.append(plan)
    return new, plans


def _story(
    stories: Stories,
    company: Company,
    plan: dict[str, Any],
    r: random.Random,
    today: dt.date,
    jobformidlere: list[Any],
    target_groups: list[TargetGroup],
    company_ct: ContentType,
) -> None:
    """One company's dated story: status history, fixed contact, contact people and target
    groups; then, once it has been contacted, its contact log, mappings, agreement and the
    open follow-up."""
    on, inactive = _history(stories, company, plan, r, today)
    _people_and_groups(stories, company, plan, r, target_groups)
    owner = company.fixed_contact
    if owner is None or PipelineStatus.KONTAKTET not in on:
        return
    log = _contact_log(company, r, on, owner, jobformidlere, today)
    if PipelineStatus.KORTLAGT in on:
        log.append(_mappings(stories, company, plan, r, on, inactive, owner, jobformidlere, today))
    if PipelineStatus.SAMARBEJDE in on:
        log.append(_agreement(stories, company, r, on[PipelineStatus.SAMARBEJDE], owner))
    if plan["index"] % CROWDED_EVERY == 0 and not inactive and len(jobformidlere) >= 2:
        # "10 til 15 henvendelser om ugen": three different staff members this week.
        for offset, staff in enumerate([owner, *r.sample(jobformidlere, 2)]):
            day = today - dt.timedelta(days=offset * 2)
            log.append(_contact(company, r, day, ContactPurpose.REKRUTTERING, staff))
    log.sort(key=lambda c: c.occurred_on)
    if not inactive and r.random() < 0.6:
        stories.follow_ups.append(_next_step(log[-1], r, today, company_ct))
    stories.contacts += log


def _history(
    stories: Stories, company: Company, plan: dict[str, Any], r: random.Random, today: dt.date
) -> tuple[dict[str, dt.date], bool]:
    """The status history up to the company's status (as ``services.start_history`` and
    ``change_status`` write it: the last row is the current status) and the fixed contact's
    open period. Returns {status: day} and whether the company went inaktiv."""
    status: str = plan["status"]
    inactive = status not in ORDER
    reached = r.randint(0, 3) if inactive else ORDER.index(PipelineStatus(status))
    history = ORDER[: reached + 1] + ([PipelineStatus.INAKTIV] if inactive else [])
    dates = _milestones(r, plan["started"], today, len(history))
    on: dict[str, dt.date] = dict(zip(history, dates, strict=True))
    for value in history:
        stories.statuses.append(
            CompanyStatusChange(
                company=company,
                status=value,
                changed_on=on[value],
                changed_by=company.fixed_contact,
            )
        )
    if company.fixed_contact_id:
        stories.periods.append(
            FixedContactPeriod(
                company=company, consultant_id=company.fixed_contact_id, started_on=plan["started"]
            )
        )
    return on, inactive


def _people_and_groups(
    stories: Stories,
    company: Company,
    plan: dict[str, Any],
    r: random.Random,
    target_groups: list[TargetGroup],
) -> None:
    for first, last in plan["people"]:
        stories.people.append(
            ContactPerson(
                company=company,
                name=f"{first} {last}",
                role=r.choice(["Indehaver", "Driftsleder", "HR-ansvarlig", "Butikschef"]),
                phone=f"+45 {r.randint(20, 99)} {r.randint(10, 99)} "
                f"{r.randint(10, 99)} {r.randint(10, 99)}",
                email=f"{first.lower()}.{company.pk}@example.dk",
            )
        )
    accepted = r.sample(target_groups, k=min(r.randint(1, 3), len(target_groups)))
    stories.groups += [(company.pk, g.pk) for g in accepted]


def _contact_log(
    company: Company,
    r: random.Random,
    on: dict[str, dt.date],
    owner: Any,
    jobformidlere: list[Any],
    today: dt.date,
) -> list[CompanyContact]:
    """The first (outreach) contact and up to five more until the company went inaktiv."""
    contacted = on[PipelineStatus.KONTAKTET]
    log = [_contact(company, r, contacted, ContactPurpose.OPSOEGENDE, owner)]
    # The last day anyone from the jobcentre was in touch.
    window = (on.get(PipelineStatus.INAKTIV, today) - contacted).days
    for _n in range(r.randint(0, 5)):
        staff = r.choice(jobformidlere) if jobformidlere and r.random() < 0.2 else owner
        day = contacted + dt.timedelta(days=r.randint(0, window))
        log.append(_contact(company, r, day, r.choice(ContactPurpose.values), staff))
    return log


def _mappings(
    stories: Stories,
    company: Company,
    plan: dict[str, Any],
    r: random.Random,
    on: dict[str, dt.date],
    inactive: bool,
    owner: Any,
    jobformidlere: list[Any],
    today: dt.date,
) -> CompanyContact:
    """A mapping session on the day the company became kortlagt (``services.record_mapping``),
    perhaps a second one during the samarbejde; returns the mapping visit's contact."""
    held_on = on[PipelineStatus.KORTLAGT]
    mapping_days = [held_on]
    if PipelineStatus.SAMARBEJDE in on and not inactive and r.random() < 0.4:
        since = on[PipelineStatus.SAMARBEJDE]
        mapping_days.append(since + dt.timedelta(days=r.randint(0, (today - since).days)))
    contact = _contact(company, r, held_on, ContactPurpose.OPGAVEKORTLAEGNING, owner, "besoeg")
    for number, day in enumerate(mapping_days):
        session = MappingSession(
            company=company,
            held_on=day,
            company_participants=plan["company_side"],
            problems=r.choice(PROBLEMS),
            created_by=owner,
        )
        stories.sessions.append(session)
        stories.session_plans.append((session, plan["industry_code"] or "", r, number))
        stories.participants.append((session, owner.pk))
        if jobformidlere and r.random() < 0.3:
            stories.participants.append((session, r.choice(jobformidlere).pk))
    return contact


def _agreement(
    stories: Stories, company: Company, r: random.Random, signed: dt.date, owner: Any
) -> CompanyContact:
    """The partnership agreement signed on the day of samarbejde; returns that meeting."""
    stories.agreements.append(
        Agreement(
            company=company,
            signed_on=signed,
            ends_on=signed + dt.timedelta(days=730) if r.random() < 0.5 else None,
            scope="Samarbejde om virksomhedspraktik og ordinære løntimer",
            target_placements_per_year=r.randint(1, 6),
            target_paid_jobs_per_year=r.randint(0, 3),
        )
    )
    return _contact(company, r, signed, ContactPurpose.REKRUTTERING, owner, "moede")


def _next_step(
    last: CompanyContact, r: random.Random, today: dt.date, company_ct: ContentType
) -> FollowUp:
    """The latest contact's next step and its open follow-up (as ``services.log_contact``)."""
    last.next_step = r.choice(NEXT_STEPS)
    last.next_step_due = max(
        last.occurred_on + dt.timedelta(days=1),
        today + dt.timedelta(days=r.randint(-10, 30)),
    )
    return FollowUp(
        owner=last.staff,
        due_on=last.next_step_due,
        title=last.next_step,
        subject_type=company_ct,
        subject_id=last.company.pk,
        created_by=last.staff,
    )


def _write_stories(stories: Stories) -> None:
    CompanyStatusChange.objects.bulk_create(stories.statuses, batch_size=2000)
    FixedContactPeriod.objects.bulk_create(stories.periods, batch_size=2000)
    ContactPerson.objects.bulk_create(stories.people, batch_size=2000)
    CompanyContact.objects.bulk_create(stories.contacts, batch_size=2000)
    MappingSession.objects.bulk_create(stories.sessions, batch_size=2000)
    Agreement.objects.bulk_create(stories.agreements, batch_size=2000)
    FollowUp.objects.bulk_create(stories.follow_ups, batch_size=2000)
    through = Company.target_groups.through
    through.objects.bulk_create(
        [through(company_id=c, targetgroup_id=g) for c, g in stories.groups], batch_size=5000
    )
    sessions = stories.sessions
    if sessions and sessions[0].pk is None:  # backends without RETURNING
        by_key = {
            (company_id, held_on): pk
            for pk, company_id, held_on in MappingSession.objects.filter(
                company__in=[s.company for s in sessions]
            ).values_list("pk", "company_id", "held_on")
        }
        for s in sessions:
            s.pk = by_key[(s.company.pk, s.held_on)]
    MappingSession.participants.through.objects.bulk_create(
        [
            MappingSession.participants.through(mappingsession_id=s.pk, user_id=user_id)
            for s, user_id in stories.participants
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


def _seed_tasks(
    session_plans: list[tuple[MappingSession, str, random.Random, int]], today: dt.date
) -> list[Task]:
    """About seven tasks for a first mapping (~58 % of companies are mapped: ~4 per company),
    one or two for a later one, created on the session's day, with their requirements and
    suitable placement types."""
    tasks: list[Task] = []
    task_tags: list[list[str]] = []
    for session, industry_code, r, number in session_plans:
        templates = TASKS.get(industry_code) or TASKS[r.choice(list(TASKS))]
        for n in range(r.randint(5, 9) if number == 0 else r.randint(1, 2)):
            m = n + (9 * number)
            tasks.append(_task(session, templates, m, r, today))
            task_tags.append(templates[m % len(templates)][4])
    Task.objects.bulk_create(tasks, batch_size=2000)
    if tasks and tasks[0].pk is None:
        sessions = [s.pk for s, *_rest in session_plans]
        tasks = list(Task.objects.filter(session_id__in=sessions).order_by("pk"))
    tags = {t.code: t for t in RequirementTag.objects.all()}
    through = Task.requirements.through
    through.objects.bulk_create(
        [
            through(task_id=task.pk, requirementtag_id=tags[code].pk)
            for task, codes in zip(tasks, task_tags, strict=True)
            for code in codes
            if code in tags
        ],
        batch_size=5000,
    )
    placement_types = list(
        PlacementType.objects.filter(code__in=["virksomhedspraktik", "ordinaere-loentimer"])
    )
    types_through = Task.placement_types.through
    types_through.objects.bulk_create(
        [
            types_through(task_id=task.pk, placementtype_id=pt.pk)
            for task in tasks
            for pt in placement_types
        ],
        batch_size=5000,
    )
    refresh_task_vectors([t.pk for t in tasks])
    return tasks


def _task(
    session: MappingSession,
    templates: list[tuple[str, str, str, int, list[str]]],
    m: int,
    r: random.Random,
    today: dt.date,
) -> Task:
    """The ``m``-th task of a mapping. Its status is drawn identificeret, åben or lukket: a
    task becomes *besat* only when placements fill its positions
    (``cases.placements.services.sync_task_statuses``, which the placements seeder runs)."""
    title, description, relieves, hours, _codes = templates[m % len(templates)]
    status = _pick(r, TASK_STATUS_WEIGHTS)
    changed = session.held_on
    if status == TaskStatus.LUKKET:
        changed += dt.timedelta(days=r.randint(0, (today - session.held_on).days))
    return Task(
        company=session.company,
        session=session,
        title=title
        if m < len(templates)
        else f"{title} ({VARIANTS[(m // len(templates)) % len(VARIANTS)]})",
        description=description,
        department=r.choice(["", "Lager", "Butik", "Køkken", "Drift"]),
        hours_per_week=Decimal(max(4, hours + r.randint(-4, 6))),
        schedule=r.choice(["Hverdage 8-12", "Man-ons 7-15", "Weekend 10-16", "Tirs og tors 12-18"]),
        relieves=relieves,
        wage_basis=r.choice(["Overenskomst", "Praktik på ydelse", "Løntimer efter aftale"]),
        positions=r.randint(1, 3),
        status=status,
        status_changed_on=changed,
        created_at=at(session.held_on, 12),
    )
