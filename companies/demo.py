"""Demo companies: about 150 at --scale 1 (5,000 at --scale 33), with valid CVR numbers,
Danish names and addresses, a fixed contact, status history, contact histories, mapping
sessions and about four tasks each. Bulk inserts; deterministic (own RNG from ctx.seed);
idempotent (companies are keyed by CVR, existing ones are left alone).

Puts ``ctx.data["company_ids"]`` and ``ctx.data["task_ids"]``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

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
    Task,
    TaskStatus,
)
from companies.search import refresh_task_vectors
from substitution.demo import DemoContext
from substitution.models import FollowUp, Role

PER_SCALE = 150
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
TASK_STATUS_WEIGHTS = [
    (TaskStatus.AABEN, 60),
    (TaskStatus.IDENTIFICERET, 20),
    (TaskStatus.BESAT, 15),
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


def seed(ctx: DemoContext) -> None:
    unit = ctx.data["unit"]
    staff_by_team: dict[int, dict[str, list[Any]]] = ctx.data["staff_by_team"]
    consultants = sorted(
        {u for roles in staff_by_team.values() for u in roles.get(Role.VIRKSOMHEDSKONSULENT, [])},
        key=lambda u: u.pk,
    )
    jobformidlere = sorted(
        {u for roles in staff_by_team.values() for u in roles.get(Role.JOBFORMIDLER, [])},
        key=lambda u: u.pk,
    )
    rng = random.Random(f"companies-{ctx.seed}")
    faker = ctx.faker
    today = timezone.localdate()
    count = company_count(ctx.scale)
    cvrs = valid_cvrs(count)
    existing = set(
        Company.objects.filter(unit=unit, cvr__in=cvrs, p_number="").values_list("cvr", flat=True)
    )
    industries = {i.code: i for i in Industry.objects.all()}
    task_industries = [code for code in TASKS if code in industries]
    other_industries = [i for code, i in industries.items() if code not in TASKS]
    tags = {t.code: t for t in RequirementTag.objects.all()}
    placement_types = list(
        PlacementType.objects.filter(code__in=["virksomhedspraktik", "ordinaere-loentimer"])
    )

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
        started = today - dt.timedelta(days=rng.randint(60, 900))
        plan = {
            "cvr": cvr,
            "industry_code": industry_code,
            "status": status,
            "started": started,
            "seed": rng.random(),
        }
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
                wants_preselected=rng.random() < 0.7,
                wants_cvs=rng.random() < 0.6,
                created_at=timezone.make_aware(dt.datetime.combine(started, dt.time(9))),
            )
        )
        plans.append(plan)
    Company.objects.bulk_create(new, batch_size=1000)
    created = {c.cvr: c for c in Company.objects.filter(unit=unit, cvr__in=[c.cvr for c in new])}

    statuses: list[CompanyStatusChange] = []
    periods: list[FixedContactPeriod] = []
    people: list[ContactPerson] = []
    contacts: list[CompanyContact] = []
    sessions: list[MappingSession] = []
    session_plans: list[tuple[MappingSession, str, random.Random]] = []
    agreements: list[Agreement] = []
    follow_ups: list[FollowUp] = []
    company_ct = ContentType.objects.get_for_model(Company)
    order = [
        PipelineStatus.EMNE,
        PipelineStatus.KONTAKTET,
        PipelineStatus.KORTLAGT,
        PipelineStatus.SAMARBEJDE,
    ]
    for plan in plans:
        company = created[plan["cvr"]]
        r = random.Random(f"{ctx.seed}-{plan['cvr']}")
        started: dt.date = plan["started"]
        status: str = plan["status"]
        reached = order.index(status) if status in order else r.randint(1, 3)
        history = order[: reached + 1] + ([PipelineStatus.INAKTIV] if status not in order else [])
        span = (today - started).days
        for step, value in enumerate(history):
            statuses.append(
                CompanyStatusChange(
                    company=company,
                    status=value,
                    changed_on=started + dt.timedelta(days=span * step // (len(history) + 1)),
                    changed_by=company.fixed_contact,
                )
            )
        if company.fixed_contact_id:
            periods.append(
                FixedContactPeriod(
                    company=company, consultant_id=company.fixed_contact_id, started_on=started
                )
            )
        people.append(
            ContactPerson(
                company=company,
                name=faker.name(),
                role=r.choice(["Indehaver", "Driftsleder", "HR-ansvarlig", "Butikschef"]),
                phone=f"+45 {r.randint(20000000, 99999999)}",
                email=f"kontakt{company.pk}@example.dk",
            )
        )
        if reached >= 1 and company.fixed_contact_id:
            for _n in range(r.randint(1, 6)):
                staff = company.fixed_contact
                if jobformidlere and r.random() < 0.2:
                    staff = r.choice(jobformidlere)
                contacts.append(
                    CompanyContact(
                        company=company,
                        staff=staff,
                        occurred_on=started + dt.timedelta(days=r.randint(0, span)),
                        channel=r.choice(ContactChannel.values),
                        purpose=r.choice(ContactPurpose.values),
                        outcome=r.choice(
                            [
                                "Positiv dialog om mulige opgaver.",
                                "Virksomheden vil gerne høre mere.",
                                "Aftalt opfølgning efter sommerferien.",
                                "Drøftet kandidater til åbne opgaver.",
                            ]
                        ),
                    )
                )
            if r.random() < 0.6:
                follow_ups.append(
                    FollowUp(
                        owner=company.fixed_contact,
                        due_on=today + dt.timedelta(days=r.randint(-10, 30)),
                        title="Ring til virksomheden om opgaverne",
                        subject_type=company_ct,
                        subject_id=company.pk,
                        created_by=company.fixed_contact,
                    )
                )
        if reached >= 2:
            session = MappingSession(
                company=company,
                held_on=started + dt.timedelta(days=span // 2),
                company_participants=faker.name(),
                problems=r.choice(
                    [
                        "Vores faglærte bruger for meget tid på oprydning og klargøring.",
                        "Vi mangler hænder i spidsbelastninger om morgenen.",
                        "Medarbejderne når ikke de små opgaver, der hober sig op.",
                    ]
                ),
                created_by=company.fixed_contact,
            )
            sessions.append(session)
            session_plans.append((session, plan["industry_code"] or "", r))
        if reached >= 3:
            agreements.append(
                Agreement(
                    company=company,
                    signed_on=started + dt.timedelta(days=span * 3 // 4),
                    scope="Samarbejde om virksomhedspraktik og ordinære løntimer",
                    target_placements_per_year=r.randint(1, 6),
                    target_paid_jobs_per_year=r.randint(0, 3),
                )
            )
    CompanyStatusChange.objects.bulk_create(statuses, batch_size=2000)
    FixedContactPeriod.objects.bulk_create(periods, batch_size=2000)
    ContactPerson.objects.bulk_create(people, batch_size=2000)
    CompanyContact.objects.bulk_create(contacts, batch_size=2000)
    MappingSession.objects.bulk_create(sessions, batch_size=2000)
    Agreement.objects.bulk_create(agreements, batch_size=2000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    session_ids = [s.pk for s in sessions]
    if session_ids and session_ids[0] is None:  # backends without RETURNING
        by_company = dict(
            MappingSession.objects.filter(company__in=[s.company for s in sessions]).values_list(
                "company_id", "pk"
            )
        )
        for s in sessions:
            s.pk = by_company[s.company.pk]

    tasks: list[Task] = []
    task_tags: list[list[str]] = []
    for session, industry_code, r in session_plans:
        templates = TASKS.get(industry_code) or TASKS[r.choice(list(TASKS))]
        # About 7 tasks per mapped company (~58 % are mapped): ~4 per company.
        for n in range(r.randint(5, 9)):
            title, description, relieves, hours, requirement_codes = templates[n % len(templates)]
            tasks.append(
                Task(
                    company=session.company,
                    session=session,
                    title=title
                    if n < len(templates)
                    else f"{title} ({VARIANTS[n % len(VARIANTS)]})",
                    description=description,
                    department=r.choice(["", "Lager", "Butik", "Køkken", "Drift"]),
                    hours_per_week=Decimal(max(4, hours + r.randint(-4, 6))),
                    schedule=r.choice(
                        ["Hverdage 8-12", "Man-ons 7-15", "Weekend 10-16", "Tirs og tors 12-18"]
                    ),
                    relieves=relieves,
                    wage_basis=r.choice(
                        ["Overenskomst", "Praktik på ydelse", "Løntimer efter aftale"]
                    ),
                    positions=r.randint(1, 3),
                    status=_pick(r, TASK_STATUS_WEIGHTS),
                    status_changed_on=session.held_on,
                )
            )
            task_tags.append(requirement_codes)
    Task.objects.bulk_create(tasks, batch_size=2000)
    if tasks and tasks[0].pk is None:
        tasks = list(Task.objects.filter(session_id__in=[s.pk for s in sessions]).order_by("pk"))
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

    all_ids = list(Company.objects.filter(unit=unit, cvr__in=cvrs).values_list("pk", flat=True))
    ctx.data["company_ids"] = all_ids
    ctx.data["task_ids"] = list(
        Task.objects.filter(company_id__in=all_ids).values_list("pk", flat=True)
    )
    ctx.log(f"Virksomheder: {len(all_ids)} ({len(new)} nye), opgaver: {len(ctx.data['task_ids'])}")
