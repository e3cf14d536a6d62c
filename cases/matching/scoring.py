"""Matching citizens and mapped tasks (substitution: real tasks, not whole jobs).

Plain domain module, no HTTP, no writes (saving a proposal is ``cases.matching.services``).
Two directions, one scoring definition:

* ``rank_tasks(citizen, user)``: the open tasks the user may see, best first.
* ``rank_citizens(task, user)``: active citizens in the user's visible caseload, best first.

Score (0-100) = 40 x text + 20 x hours + 20 x distance + 20 x consent, where

* **text** (0-1): share of the job goal's words found in the task's title, description,
  relieved job, department and the company's industry (``companies.search``: PostgreSQL
  full-text search with Danish stemming and prefix matching; token overlap on SQLite);
* **hours** (0-1): ``max(0, 1 - |task hours - wanted hours| / wanted hours)``; 0.5 when the
  citizen has not said how many hours they want;
* **distance** (0-1), by postal code, an approximation without geodata: Danish postal codes
  are roughly geographic, so same code 1.0, same first two digits (same area, e.g. 80xx
  Aarhus) 0.75, same first digit (same part of the country, e.g. 8xxx East Jutland) 0.4,
  otherwise 0; 0.25 when either code is missing;
* **consent** (0 or 1): an active consent to share information with companies.

**Hard requirements**: a task whose requirement tags are excluded by one of the citizen's
barriers (``Barrier.excludes_requirements``) is never suggested; the result says how many were
left out and why. Ties are broken by task pk / citizen pk. The score is rounded to two
decimals in SQL so equal scores compare equal on every database.

Every part of the score is computed in SQL; a ranking costs a constant number of queries
whatever the number of companies, tasks and citizens (tests assert it). On PostgreSQL a top
list of tasks scores only the tasks whose upper bound reaches a score the list is sure to
reach (``threshold``, ``prune``: postal area, hours band and goal words through indexes), with
the same result as scoring every open task.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Abs, Cast, Coalesce, Floor, Greatest, Substr
from django.db.models.lookups import Exact, IsNull
from django.utils.translation import gettext as _

from cases.citizens.models import Citizen, Consent, JobGoal
from companies.models import RequirementTag, Task, TaskStatus
from companies.search import (
    MatchTextScore,
    any_term_tsquery,
    goal_terms,
    goal_terms_expression,
    is_postgres,
    matches_any_term,
    task_text_score,
)
from substitution import days
from substitution.models import User

WEIGHTS: dict[str, int] = {"text": 40, "hours": 20, "distance": 20, "consent": 20}
DEFAULT_LIMIT = 20
FLOAT = FloatField()


# --- reasons ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One criterion of a match, explained in Danish for the UI ("hvorfor")."""

    criterion: str
    label: str
    points: float
    max_points: int
    text: str
    ok: bool


@dataclass
class Match:
    citizen: Citizen
    task: Task
    score: float
    reasons: list[Reason] = field(default_factory=list)
    goal_title: str = ""
    goal_hours: Decimal | None = None
    experience: str = ""
    has_consent: bool = False

    def reasons_json(self) -> list[dict[str, Any]]:
        return [asdict(r) for r in self.reasons]


@dataclass
class Exclusion:
    """How many candidates a hard requirement left out, and which requirements did it."""

    count: int
    requirements: list[str]


@dataclass
class Ranking:
    matches: list[Match]
    excluded: Exclusion


# --- citizen side -----------------------------------------------------------------------------


def current_goal(citizen: Citizen) -> JobGoal | None:
    """The citizen's current job goal; on PostgreSQL with its ``terms`` (``goal_terms``) read
    in the same query."""
    goals = JobGoal.objects.filter(citizen=citizen, ended_on__isnull=True)
    terms = goal_terms_expression("title")
    if terms is not None:
        goals = goals.annotate(terms=terms)
    return goals.order_by("-created_on", "-pk").first()


def active_consents(day: dt.date) -> QuerySet[Consent]:
    return Consent.objects.filter(given_on__lte=day).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )


@dataclass
class CitizenProfile:
    citizen: Citizen
    goal: JobGoal | None
    terms: list[str]
    # requirement tag pk -> (tag label, barrier labels that exclude it)
    excluded: dict[int, tuple[str, list[str]]]
    has_consent: bool


def citizen_profile(citizen: Citizen, day: dt.date) -> CitizenProfile:
    goal = current_goal(citizen)
    excluded: dict[int, tuple[str, list[str]]] = {}
    rows = (
        RequirementTag.objects.filter(excluding_barriers__citizen=citizen)
        .values_list("pk", "label", "excluding_barriers__label")
        .order_by("sort_order", "label", "excluding_barriers__label")
    )
    for pk, label, barrier in rows:
        excluded.setdefault(pk, (label, []))[1].append(barrier)
    terms: list[str] = []
    if goal is not None:
        # Read with the goal on PostgreSQL (``current_goal``); SQLite needs no query.
        terms = (
            list(getattr(goal, "terms", None) or []) if is_postgres() else goal_terms(goal.title)
        )
    return CitizenProfile(
        citizen=citizen,
        goal=goal,
        terms=terms,
        excluded=excluded,
        has_consent=active_consents(day).filter(citizen=citizen).exists(),
    )


# --- score expressions (SQL) ------------------------------------------------------------------


def hours_fit(task_hours: Any, wanted: Any | None) -> Any:
    """0..1; 0.5 when ``wanted`` is None or NULL."""
    if wanted is None:
        return Value(0.5, output_field=FLOAT)
    task_h = Cast(task_hours, FLOAT)
    wanted_h = Cast(wanted, FLOAT)
    return Case(
        When(IsNull(wanted, True), then=Value(0.5)),
        default=Greatest(
            Value(0.0),
            Value(1.0) - Abs(task_h - wanted_h) / Greatest(wanted_h, Value(1.0)),
        ),
        output_field=FLOAT,
    )


def distance_fit(postal_a: Any, postal_b: Any) -> Any:
    """0..1 from two postal codes (see module docstring)."""
    return Case(
        When(Q(Exact(postal_a, Value(""))) | Q(Exact(postal_b, Value(""))), then=Value(0.25)),
        When(Exact(postal_a, postal_b), then=Value(1.0)),
        When(Exact(Substr(postal_a, 1, 2), Substr(postal_b, 1, 2)), then=Value(0.75)),
        When(Exact(Substr(postal_a, 1, 1), Substr(postal_b, 1, 1)), then=Value(0.4)),
        default=Value(0.0),
        output_field=FLOAT,
    )


def hours_to(task_hours: Any, wanted: float | None) -> Any:
    """``hours_fit(task_hours, Value(wanted))`` for a constant ``wanted`` (or None), its
    constant parts worked out in Python: the same SQL value, a smaller expression to build."""
    if wanted is None:
        return Value(0.5, output_field=FLOAT)
    return Greatest(
        Value(0.0),
        Value(1.0) - Abs(Cast(task_hours, FLOAT) - Value(wanted)) / Value(max(wanted, 1.0)),
        output_field=FLOAT,
    )


def distance_to(postal: Any, code: str) -> Any:
    """``distance_fit(postal, Value(code))`` for a constant ``code``, its substrings taken in
    Python: the same SQL value, a smaller expression to build."""
    if not code:
        return Value(0.25, output_field=FLOAT)
    return Case(
        When(Exact(postal, Value("")), then=Value(0.25)),
        When(Exact(postal, Value(code)), then=Value(1.0)),
        When(Exact(Substr(postal, 1, 2), Value(code[:2])), then=Value(0.75)),
        When(Exact(Substr(postal, 1, 1), Value(code[:1])), then=Value(0.4)),
        default=Value(0.0),
        output_field=FLOAT,
    )


def total(text: Any, hours: Any, distance: Any, consent: Any) -> Any:
    """The weighted sum, rounded to two decimals in float arithmetic (cheap, and the same on
    every database, so equal scores tie and the pk decides)."""
    raw = (
        Value(float(WEIGHTS["text"])) * text
        + Value(float(WEIGHTS["hours"])) * hours
        + Value(float(WEIGHTS["distance"])) * distance
        + Value(float(WEIGHTS["consent"])) * consent
    )
    return Floor(raw * Value(100.0) + Value(0.5), output_field=FLOAT) / Value(100.0)


# --- citizen -> tasks ---------------------------------------------------------------------------


def rank_tasks(
    citizen: Citizen,
    user: User,
    *,
    limit: int | None = DEFAULT_LIMIT,
    task_ids: list[int] | None = None,
    day: dt.date | None = None,
) -> Ranking:
    """Open tasks the user can see, best first, for ``citizen``. A constant 5-7 queries (the
    threshold's probe for a top list on PostgreSQL)."""
    day = day or days.today()
    profile = citizen_profile(citizen, day)
    goal = profile.goal
    wanted = goal.hours_per_week if goal else None
    tasks = Task.objects.visible_to(user).open()
    if task_ids is not None:
        tasks = Task.objects.visible_to(user).filter(pk__in=task_ids)
    excluded_ids = list(profile.excluded)
    blocked = Exists(
        Task.requirements.through.objects.filter(
            task_id=OuterRef("pk"), requirementtag_id__in=excluded_ids
        )
    )
    candidates = tasks.exclude(blocked) if excluded_ids else tasks
    text = task_text_score(profile.terms, goal.title if goal else None)
    hours = hours_to(F("hours_per_week"), float(wanted) if wanted else None)
    # The company's postal code is never NULL (an inner join, a NOT NULL column).
    distance = distance_to(F("company__postal_code"), citizen.postal_code or "")
    consent = Value(1.0 if profile.has_consent else 0.0)
    # The candidates that can still reach the top ``limit`` (``prune``: on PostgreSQL, for a
    # top list; a few dozen of the jobcentre's open tasks), scored and sorted in one query
    # with their companies, the score's parts for the reasons, then their requirements.
    if limit and task_ids is None and is_postgres():
        bound = Bound(
            terms=profile.terms,
            wanted=float(wanted) if wanted else None,
            postal=citizen.postal_code or "",
            consent=profile.has_consent,
        )
        candidates = candidates.filter(prune(bound, threshold(candidates, bound, limit)))
    ranked = (
        candidates.select_related("company", "company__industry")
        .annotate(
            text_score=text,
            hours_score=hours,
            distance_score=distance,
            score=total(F("text_score"), F("hours_score"), F("distance_score"), consent),
        )
        .order_by("-score", "pk")
    )
    shown = (ranked[:limit] if limit else ranked).prefetch_related("requirements")
    matches = [
        Match(
            citizen=citizen,
            task=task,
            score=task.score,
            reasons=_reasons(
                goal_title=goal.title if goal else None,
                wanted=wanted,
                task_hours=task.hours_per_week,
                text=task.text_score,
                hours=task.hours_score,
                distance=task.distance_score,
                citizen_postal=citizen.postal_code,
                company_postal=task.company.postal_code,
                consent=profile.has_consent,
                requirements=[r.label for r in task.requirements.all()],
            ),
            goal_title=goal.title if goal else "",
            goal_hours=wanted,
            experience=goal.experience if goal else "",
            has_consent=profile.has_consent,
        )
        for task in shown
    ]
    excluded = Exclusion(0, [])
    if excluded_ids:
        # From the few requirement rows of the excluded tags, each task looked up by its pk
        # (a scalar subquery: as a join PostgreSQL read every open task to hash them).
        counted = Subquery(tasks.filter(pk=OuterRef("task_id")).order_by().values("pk")[:1])
        count = (
            Task.requirements.through.objects.filter(requirementtag_id__in=excluded_ids)
            .filter(IsNull(counted, False))
            .aggregate(n=Count("task_id", distinct=True))["n"]
        )
        excluded = Exclusion(
            count,
            [
                _("%(req)s (barriere: %(barriers)s)")
                % {"req": label, "barriers": ", ".join(barriers)}
                for label, barriers in profile.excluded.values()
            ],
        )
    return Ranking(matches, excluded)


# --- pruning: score only the tasks that can reach the top -----------------------------------
#
# The score of a task is at most what its upper bound says: text 1 if the task's vector
# matches a goal term at all (else exactly 0), hours from ``hours_per_week`` (in the row),
# distance from the postal code copied onto the task (``Task.company_postal_code``), consent
# the citizen's. ``threshold`` scores a few likely good tasks found through indexes (the
# nearest hours in the citizen's postal code and in the jobcentre, tasks matching a goal
# word): the ``limit``-th best of them is a score the top list reaches for sure.
# ``prune`` then keeps every task whose upper bound reaches that score, as an OR of
# index-friendly conditions (postal code or area, an hours band, goal words, NULL = not
# refreshed). Every task scoring at least the threshold is kept, so the top list (and its
# order, ties by pk) is the same as scoring every open task; only fewer rows are read.

PROBE = 25  # tasks per probe arm
# Scores are rounded to two decimals (``total``): a rounded score >= L has raw >= L - 0.005.
SLACK = 0.01


@dataclass(frozen=True)
class Bound:
    """What a task's upper bound depends on, for one citizen."""

    terms: list[str]
    wanted: float | None
    postal: str
    consent: bool


def threshold(candidates: QuerySet[Task], bound: Bound, limit: int) -> float | None:
    """A score at least ``limit`` candidates reach, from a few index-found tasks (one query),
    or None if the probe found fewer than ``limit`` candidates.

    The probe's tasks are scored in Python from their hours, postal code and goal-word hits
    (``lower_score``, the rule's formula ``SLACK`` lower), not by the SQL expression: building
    that expression costs more Python than the probe's query itself."""
    table = Task._meta.db_table
    status = TaskStatus.AABEN
    arms: list[str] = []
    params: list[Any] = []
    postal_where = [("company_postal_code = %s", [bound.postal])] if bound.postal else []
    for where, where_params in [*postal_where, ("TRUE", [])]:
        if bound.wanted is None:
            arms.append(f"SELECT id FROM {table} WHERE status = %s AND {where} LIMIT %s")
            params += [status, *where_params, PROBE]
            continue
        wanted = Decimal(str(bound.wanted))
        for op, order in ((">=", "ASC"), ("<", "DESC")):
            arms.append(
                f"SELECT id FROM {table} WHERE status = %s AND {where} "
                f"AND hours_per_week {op} %s ORDER BY hours_per_week {order} LIMIT %s"
            )
            params += [status, *where_params, wanted, PROBE]
    if bound.terms:
        query = any_term_tsquery(bound.terms)
        for where, where_params in [*postal_where, ("TRUE", [])]:
            arms.append(
                f"SELECT id FROM {table} WHERE status = %s AND {where} "
                f"AND search_vector @@ to_tsquery('simple', %s) LIMIT %s"
            )
            params += [status, *where_params, query, PROBE]
    probe = RawSQL(" UNION ALL ".join(f"({arm})" for arm in arms), params)
    hits = {f"hit_{n}": matches_any_term([term]) for n, term in enumerate(bound.terms)}
    rows = (
        candidates.filter(pk__in=probe)
        .annotate(**hits)
        .order_by()
        .values_list("hours_per_week", "company__postal_code", *hits)
    )
    scores = sorted(
        (
            lower_score(bound, float(row[0]), row[1] or "", sum(bool(h) for h in row[2:]))
            for row in rows
        ),
        reverse=True,
    )
    return scores[limit - 1] if len(scores) >= limit else None


def lower_score(bound: Bound, task_hours: float, company_postal: str, hits: int) -> float:
    """A task's score by the rule's formula (``hours_fit``, ``distance_fit``, ``total``) in
    Python, ``SLACK`` below the SQL score (rounding): a lower bound for the threshold."""
    text = hits / len(bound.terms) if bound.terms else 0.0
    if bound.wanted is None:
        hours = 0.5
    else:
        hours = max(0.0, 1.0 - abs(task_hours - bound.wanted) / max(bound.wanted, 1.0))
    a, b = company_postal, bound.postal
    if not a or not b:
        distance = 0.25
    elif a == b:
        distance = 1.0
    elif a[:2] == b[:2]:
        distance = 0.75
    elif a[:1] == b[:1]:
        distance = 0.4
    else:
        distance = 0.0
    w = WEIGHTS
    raw = w["text"] * text + w["hours"] * hours + w["distance"] * distance
    return raw + (w["consent"] if bound.consent else 0) - SLACK


def _hours_band(bound: Bound, need: float) -> Q | None:
    """Tasks whose hours part can reach ``need`` (0..1): None if none can, Q() if all can."""
    if bound.wanted is None:
        return Q() if need <= 0.5 else None
    if need <= 0:
        return Q()
    if need > 1:
        return None
    spread = (1.0 - need) * max(bound.wanted, 1.0)
    # Outward to the column's one decimal: a superset of the band.
    low = Decimal(math.floor((bound.wanted - spread) * 10 - 1e-6)) / 10
    high = Decimal(math.ceil((bound.wanted + spread) * 10 + 1e-6)) / 10
    return Q(hours_per_week__gte=low, hours_per_week__lte=high)


def prune(bound: Bound, lowest: float | None) -> Q:
    """The tasks whose upper bound reaches ``lowest`` (every task if None)."""
    if lowest is None:
        return Q()
    # Points the hours and distance parts must bring (raw score >= lowest - SLACK).
    w = WEIGHTS
    points = lowest - SLACK - (w["consent"] if bound.consent else 0)

    def hours_needed(text: float, distance: float) -> float:
        return (points - w["text"] * text - w["distance"] * distance) / w["hours"]

    arms: list[Q] = [Q(company_postal_code__isnull=True)]
    if bound.terms:
        band = _hours_band(bound, hours_needed(1.0, 1.0))  # text and distance at most 1
        if band is not None:
            arms.append(Q(matches_any_term(bound.terms)) & band)
    code = bound.postal
    if code:
        tiers = [
            (1.0, Q(company_postal_code=code)),
            (0.75, Q(company_postal_code__startswith=code[:2])),
            (0.4, Q(company_postal_code__startswith=code[:1])),
            (0.25, Q(company_postal_code="")),
            (0.0, Q()),
        ]
    else:
        tiers = [(0.25, Q())]
    for distance, where in tiers:
        band = _hours_band(bound, hours_needed(0.0, distance))
        if band is None:
            continue
        if not band and not where:
            return Q()  # every task can reach the threshold
        arms.append(where & band)
    return reduce(operator.or_, arms)


def _reasons(
    *,
    goal_title: str | None,
    wanted: Decimal | None,
    task_hours: Decimal,
    text: float,
    hours: float,
    distance: float,
    citizen_postal: str,
    company_postal: str,
    consent: bool,
    requirements: list[str],
) -> list[Reason]:
    w = WEIGHTS
    if not goal_title:
        text_reason = _("Borgeren har intet aktivt jobmål.")
    elif text >= 0.999:
        text_reason = _(
            "Jobmålet »%(goal)s« matcher opgavens titel, branche eller beskrivelse."
        ) % {"goal": goal_title}
    elif text > 0:
        text_reason = _("Jobmålet »%(goal)s« matcher delvist (%(pct)s %% af ordene).") % {
            "goal": goal_title,
            "pct": round(text * 100),
        }
    else:
        text_reason = _(
            "Jobmålet »%(goal)s« matcher ikke opgavens titel, branche eller beskrivelse."
        ) % {"goal": goal_title}
    if wanted is None:
        hours_reason = _("Borgeren har ikke angivet ønskede timer; opgaven er %(h)s timer/uge.") % {
            "h": _num(task_hours)
        }
    else:
        hours_reason = _("Ønsker %(w)s timer/uge; opgaven er %(h)s timer/uge.") % {
            "w": _num(wanted),
            "h": _num(task_hours),
        }
    if not citizen_postal or not company_postal:
        distance_reason = _("Postnummer mangler, afstanden er ukendt.")
    elif distance >= 0.999:
        distance_reason = _("Samme postnummer (%(p)s).") % {"p": company_postal}
    elif distance >= 0.7:
        distance_reason = _("Tæt på: samme postnummerområde (%(a)s og %(b)s).") % {
            "a": citizen_postal,
            "b": company_postal,
        }
    elif distance >= 0.35:
        distance_reason = _("Samme landsdel (%(a)s og %(b)s).") % {
            "a": citizen_postal,
            "b": company_postal,
        }
    else:
        distance_reason = _("Langt væk (borger %(a)s, virksomhed %(b)s).") % {
            "a": citizen_postal,
            "b": company_postal,
        }
    consent_reason = (
        _("Samtykke til at dele oplysninger med virksomheder foreligger.")
        if consent
        else _("Mangler samtykke til at dele oplysninger med virksomheder.")
    )
    return [
        Reason("text", _("Jobmål"), round(w["text"] * text, 1), w["text"], text_reason, text > 0),
        Reason(
            "hours",
            _("Timer"),
            round(w["hours"] * hours, 1),
            w["hours"],
            hours_reason,
            hours >= 0.75,
        ),
        Reason(
            "distance",
            _("Afstand"),
            round(w["distance"] * distance, 1),
            w["distance"],
            distance_reason,
            distance >= 0.7,
        ),
        Reason(
            "consent",
            _("Samtykke"),
            float(w["consent"]) if consent else 0.0,
            w["consent"],
            consent_reason,
            consent,
        ),
        Reason(
            "requirements",
            _("Krav"),
            0.0,
            0,
            _("Opgavens krav (%(reqs)s) udelukkes ikke af borgerens barrierer.")
            % {"reqs": ", ".join(requirements)}
            if requirements
            else _("Opgaven har ingen særlige krav."),
            True,
        ),
    ]


def _num(value: Decimal | float | None) -> str:
    if value is None:
        return "–"
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


# --- task -> citizens ---------------------------------------------------------------------------


def task_document_text(task: Task) -> str:
    """The task's text as in ``companies.search.task_document`` (same order, same spaces)."""
    industry = task.company.industry.label if task.company.industry is not None else ""
    return " ".join([task.title, task.description, task.relieves, task.department, industry])


def _goal(field_name: str) -> Subquery:
    return Subquery(
        JobGoal.objects.filter(citizen=OuterRef("pk"), ended_on__isnull=True)
        .order_by("-created_on", "-pk")
        .values(field_name)[:1]
    )


def rank_citizens(
    task: Task,
    user: User,
    *,
    limit: int | None = DEFAULT_LIMIT,
    consented_only: bool = False,
    with_goal_only: bool = False,
    day: dt.date | None = None,
) -> Ranking:
    """Active citizens in the user's visible caseload, best first, for ``task``."""
    day = day or days.today()
    requirement_rows = list(task.requirements.values_list("pk", "label"))
    requirement_ids = [pk for pk, _label in requirement_rows]
    requirement_labels = [label for _pk, label in requirement_rows]
    consent = Exists(active_consents(day).filter(citizen=OuterRef("pk")))
    citizens = Citizen.objects.visible_to(user).active()
    blocked = Exists(
        Citizen.barriers.through.objects.filter(
            citizen_id=OuterRef("pk"),
            barrier__excludes_requirements__in=requirement_ids,
        )
    )
    candidates = citizens.exclude(blocked) if requirement_ids else citizens
    candidates = candidates.annotate(
        goal_title=_goal("title"),
        goal_hours=_goal("hours_per_week"),
        goal_experience=_goal("experience"),
        has_consent=consent,
    )
    if consented_only:
        candidates = candidates.filter(has_consent=True)
    if with_goal_only:
        candidates = candidates.filter(goal_title__isnull=False)
    text = Coalesce(MatchTextScore(F("goal_title"), Value(task_document_text(task))), Value(0.0))
    hours = hours_fit(Value(float(task.hours_per_week)), F("goal_hours"))
    distance = distance_fit(
        Coalesce(F("postal_code"), Value("")), Value(task.company.postal_code or "")
    )
    consent_score = Case(When(has_consent=True, then=Value(1.0)), default=Value(0.0))
    ranked = candidates.annotate(
        text_score=text,
        hours_score=hours,
        distance_score=distance,
        score=total(text, hours, distance, consent_score),
    ).order_by("-score", "pk")
    rows = list(ranked[:limit] if limit else ranked)
    matches = [
        Match(
            citizen=c,
            task=task,
            score=c.score,
            reasons=_reasons(
                goal_title=c.goal_title,
                wanted=c.goal_hours,
                task_hours=task.hours_per_week,
                text=c.text_score,
                hours=c.hours_score,
                distance=c.distance_score,
                citizen_postal=c.postal_code,
                company_postal=task.company.postal_code,
                consent=c.has_consent,
                requirements=requirement_labels,
            ),
            goal_title=c.goal_title or "",
            goal_hours=c.goal_hours,
            experience=c.goal_experience or "",
            has_consent=c.has_consent,
        )
        for c in rows
    ]
    excluded = Exclusion(0, [])
    if requirement_ids:
        count = citizens.filter(blocked).count()
        if count:
            labels = list(
                RequirementTag.objects.filter(
                    pk__in=requirement_ids, excluding_barriers__isnull=False
                )
                .distinct()
                .values_list("label", flat=True)
            )
            excluded = Exclusion(count, labels)
    return Ranking(matches, excluded)


# --- one pair -------------------------------------------------------------------------------------


def match_pair(citizen: Citizen, task: Task, user: User) -> Match | None:
    """The score of one pair, or None if the task is excluded for the citizen (or not
    visible to the user)."""
    ranking = rank_tasks(citizen, user, limit=None, task_ids=[task.pk])
    return ranking.matches[0] if ranking.matches else None


def left_out_of_overview(task: Task, user: User, overview: Ranking) -> list[Match]:
    """The candidates the task page ranks at least as high as the overview's last one that
    the overview leaves out, because the citizen has not consented to sharing or has no job
    goal (``Match.has_consent``, ``Match.goal_title`` say which): the overview says so
    instead of silently dropping the task page's top candidate."""
    shown = {m.citizen.pk for m in overview.matches}
    lowest = overview.matches[-1].score if len(overview.matches) >= OVERVIEW_SIZE else None
    return [
        m
        for m in rank_citizens(task, user, limit=OVERVIEW_SIZE).matches
        if m.citizen.pk not in shown and (lowest is None or m.score >= lowest)
    ]


# How many candidates the candidate overview lists (cases.matching.views.OVERVIEW_LIMIT).
OVERVIEW_SIZE = 10


# A match suggestion on the citizen page is shown from this score (of 100); below it the
# panel says in one line that there is no good match, and why (issue 14: ten suggestions of
# 35/100, none fitting the job goal, pushed the timeline far down).
RELEVANT_SCORE = 50


def relevant(matches: list[Match]) -> list[Match]:
    return [m for m in matches if m.score >= RELEVANT_SCORE]
