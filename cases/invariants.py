"""The domain invariants, checked against the stored data (``manage.py check_data``).

Each check is a plain function ``(day) -> list[Violation]``; an empty list means the data keeps
the rule. Derived state is checked with the very function that writes it:

- a placement's stored status: ``status_on`` in its SQL form
  (``PlacementQuerySet.with_status_on``, held to the Python function by the placements' tests);
- a task's *besat*: ``cases.placements.services.sync_task_statuses`` is run over every task in
  a transaction that is rolled back, and every task it would change is a violation;
- ordinary hours: ``cases.placements.hours.ordinary_hours`` (the type flag) and the period
  rule of ``hours.period_overlaps`` in SQL (the week rule ``hours.week_overlaps`` has its SQL
  form in ``week_overlaps_sql``, tested against the Python
  function in ``tests/cases/test_check_data.py``).

The other checks state what a service's writer promises (``assign`` never leaves overlapping
periods, ``change_status`` always writes the history row, …); the docstring of each names the
writer. Every check is a few set-based queries (conditional counts in one pass, anti-joins),
so the whole run stays in seconds on ``seed_demo --scale 33`` (2 million hour rows). It
needs write access (the dry runs) but changes nothing.

The module sits at ``cases/`` top level, outside the feature packages, so it may read them
all (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncWeek

from cases.citizens import facts, month_facts
from cases.citizens.models import (
    Assignment,
    BenefitPeriod,
    Citizen,
    CitizenStatus,
    Conversation,
    SubGoal,
    SubGoalStatus,
    VisitationPeriod,
)
from cases.placements.hours import MAX_HOURS, max_hours, ordinary_hours
from cases.placements.hours_import import MAX_PERIOD_DAYS
from cases.placements.models import (
    Placement,
    PlacementStatus,
    WeeklyHours,
    WeeklyHoursRevision,
)
from cases.placements.services import sync_task_statuses
from companies.models import Company, CompanyStatusChange, FixedContactPeriod, Task
from substitution.models import FollowUp

EXAMPLES = 5
CHUNK = 5000


@dataclass(frozen=True)
class Violation:
    """``count`` rows break the rule in the way ``message`` says; ``examples`` are their ids."""

    message: str
    count: int
    examples: tuple[int, ...] = ()

    def __str__(self) -> str:
        ids = ", ".join(str(pk) for pk in self.examples)
        more = " …" if self.count > len(self.examples) else ""
        count = f"{self.count:,}".replace(",", ".")
        return f"{count} {self.message} (fx id {ids}{more})"


@dataclass(frozen=True)
class Check:
    code: str
    rule: str
    run: Callable[[dt.date], list[Violation]]


# --- helpers -----------------------------------------------------------------------------------


def _examples(qs: QuerySet[Any]) -> tuple[int, ...]:
    return tuple(qs.order_by("pk").values_list("pk", flat=True)[:EXAMPLES])


def _count_each(qs: QuerySet[Any], rules: dict[str, tuple[Q, str]]) -> list[Violation]:
    """One pass over ``qs``: a conditional count per rule (``{key: (breaks, message)}``), then
    example ids for the rules that are broken."""
    # Aggregate names apart from any annotation on ``qs``.
    counts = qs.aggregate(
        **{f"broken_{key}": Count("pk", filter=breaks) for key, (breaks, _m) in rules.items()}
    )
    return [
        Violation(message, counts[f"broken_{key}"], _examples(qs.filter(breaks)))
        for key, (breaks, message) in rules.items()
        if counts[f"broken_{key}"]
    ]


def _found(qs: QuerySet[Any], message: str) -> list[Violation]:
    count = qs.count()
    return [Violation(message, count, _examples(qs))] if count else []


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


@contextmanager
def _rolled_back() -> Iterator[None]:
    """A transaction (a savepoint inside one) that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def dry_run_status(
    model: type[models.Model], write: Callable[[], object], message: Callable[[str, str], str]
) -> list[Violation]:
    """The rows whose ``status`` the writer ``write`` would change, by (stored, ruled) status.

    The writer runs inside a transaction that is rolled back; a temporary copy of
    ``(id, status)`` taken first shows which rows it changed.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    before = connection.ops.quote_name("check_data_before")
    found: list[Violation] = []
    with _rolled_back():
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {before} AS SELECT id, status FROM {table}")
        write()
        changed = f"FROM {before} b JOIN {table} t ON t.id = b.id WHERE t.status <> b.status"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT b.status, t.status, COUNT(*) {changed} GROUP BY b.status, t.status "
                "ORDER BY b.status, t.status"
            )
            for stored, ruled, count in cursor.fetchall():
                cursor.execute(
                    f"SELECT t.id {changed} AND b.status = %s AND t.status = %s "
                    f"ORDER BY t.id LIMIT {EXAMPLES}",
                    [stored, ruled],
                )
                ids = tuple(row[0] for row in cursor.fetchall())
                found.append(Violation(message(stored, ruled), count, ids))
            cursor.execute(f"DROP TABLE {before}")
    return found


def week_overlaps_sql(monday: str, starts_on: str, ends_on: str) -> Q:
    """``cases.placements.hours.week_overlaps`` in SQL: the ISO week that starts on the Monday
    in ``monday`` has a day inside [starts_on, ends_on] (an open end runs on). The week begins
    no earlier than the Monday of the start week (``days.week_start`` is ``TruncWeek``)."""
    return Q(**{f"{monday}__gte": TruncWeek(starts_on)}) & (
        Q(**{f"{ends_on}__isnull": True}) | Q(**{f"{ends_on}__gte": F(monday)})
    )


# --- placements and tasks ----------------------------------------------------------------------


def placement_status(day: dt.date) -> list[Violation]:
    """The stored status is the one the dates give (``status_on`` in its SQL form,
    ``PlacementQuerySet.with_status_on``; ``refresh_statuses`` writes the same)."""
    found: list[Violation] = []
    for status in PlacementStatus:
        stale = Placement.objects.with_status_on(status, day).exclude(status=status)
        for stored, count in sorted(
            stale.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        ):
            found.append(
                Violation(
                    f"forløb har status «{stored}», men datoerne giver «{status}»",
                    count,
                    _examples(stale.filter(status=stored)),
                )
            )
    return found


def placement_fields(day: dt.date) -> list[Violation]:
    """What ``cases.placements.rules.placement_errors`` refuses and ``start_placement``
    promises of every placement (a proposal it starts from is closed)."""
    return _count_each(
        Placement.objects.all(),
        {
            "ends_first": (Q(ends_on__lt=F("starts_on")), "forløb slutter før de starter"),
            "unit": (
                ~Q(company__unit_id=F("citizen__unit_id")),
                "forløb i en virksomhed fra et andet jobcenter end borgerens",
            ),
            "task": (
                Q(task__isnull=False) & ~Q(task__company_id=F("company_id")),
                "forløb på en opgave fra en anden virksomhed",
            ),
            "planned": (
                Q(planned_hours_per_week__lt=0) | Q(planned_hours_per_week__gt=MAX_HOURS),
                "forløb med planlagte timer uden for 0-80",
            ),
            "proposal": (
                Q(from_proposal__isnull=False)
                & (
                    Q(from_proposal__closed_at__isnull=True)
                    | ~Q(from_proposal__citizen_id=F("citizen_id"))
                ),
                "forløb fra et matchforslag, der ikke er lukket eller gælder en anden borger",
            ),
        },
    )


def task_besat(day: dt.date) -> list[Violation]:
    """A task is *besat* exactly when ``sync_task_statuses`` says so (its filling placements)."""

    def sync_all() -> None:
        for chunk in _chunks(Task.objects.order_by("pk").values_list("pk", flat=True)):
            sync_task_statuses(chunk, day)

    found = dry_run_status(
        Task,
        sync_all,
        lambda stored, ruled: f"opgaver har status «{stored}», men forløbene giver «{ruled}»",
    )
    return found + _found(
        Task.objects.filter(session__isnull=False).exclude(session__company_id=F("company_id")),
        "opgaver fra en opgavekortlægning i en anden virksomhed",
    )


# --- ordinary hours ----------------------------------------------------------------------------


def _span(first: str = "week_start", last: str = "ends_on") -> ExpressionWrapper:
    """``last - first`` as a duration (0 for a one-day period; 6 days for a week), on every
    backend."""
    return ExpressionWrapper(F(last) - F(first), output_field=models.DurationField())


def _too_many_hours(rows: QuerySet[Any]) -> list[int]:
    """Ids of rows (``hours``, ``first``, ``last``) above ``hours.max_hours`` for their
    period. Only rows over 80 hours can break it, so only those are read."""
    return [
        pk
        for pk, first, last, hours in rows.filter(hours__gt=MAX_HOURS)
        .order_by("pk")
        .values_list("pk", "first", "last", "hours")
        .iterator(chunk_size=CHUNK)
        if hours > max_hours(first, last)
    ]


def weekly_hours(day: dt.date) -> list[Violation]:
    """``hours.check_placement_week`` and ``services._register``: hours only on placements
    whose type counts as ordinary hours (``ordinary_hours``), in a pay period that overlaps the
    placement's dates (``hours.period_overlaps``); a weekly row (seven days) runs Monday to
    Sunday, other periods (a month from the import) may start on any day and last at most 31
    days (``hours_import``); at most 80 hours a week, pro rata by day (``hours.max_hours``);
    and the periods of one placement never overlap (``_register`` refuses it)."""
    rows = WeeklyHours.objects.all()
    counted = ordinary_hours().filter(pk=OuterRef("pk"))
    later = WeeklyHours.objects.filter(placement_id=OuterRef("placement_id")).filter(
        Q(week_start__gt=OuterRef("week_start"))
        | Q(week_start=OuterRef("week_start"), pk__gt=OuterRef("pk"))
    )
    too_many = _too_many_hours(rows.annotate(first=F("week_start"), last=F("ends_on")))
    return (
        _found(
            rows.filter(~Exists(counted)),
            "ugetimer på forløb, hvis type ikke tæller som ordinære timer",
        )
        + _count_each(
            rows.annotate(span=_span()),
            {
                "monday": (
                    Q(span=dt.timedelta(days=6)) & ~Q(week_start=TruncWeek("week_start")),
                    "ugetimer, hvis uge ikke er angivet ved sin mandag",
                ),
                "long": (
                    Q(span__gt=dt.timedelta(days=MAX_PERIOD_DAYS - 1)),
                    f"timeperioder på mere end {MAX_PERIOD_DAYS} dage",
                ),
                "outside": (
                    Q(ends_on__lt=F("placement__starts_on"))
                    | Q(week_start__gt=F("placement__ends_on")),
                    "ugetimer i en uge uden for forløbets datoer",
                ),
            },
        )
        + _found(
            rows.filter(Exists(later.filter(week_start__lte=OuterRef("ends_on")))),
            "timeperioder overlapper en senere periode på samme forløb",
        )
        + (
            [Violation("timeperioder med flere end 80 timer pr. uge", len(too_many),
                       tuple(too_many[:EXAMPLES]))]
            if too_many
            else []
        )
    )  # fmt: skip


def hours_revisions(day: dt.date) -> list[Violation]:
    """``register_hours`` keeps the replaced value: before the row's current registration,
    and a value it accepted (0 to 80 a week, pro rata by day for a longer period)."""
    revisions = WeeklyHoursRevision.objects.all()
    too_many = _too_many_hours(
        revisions.annotate(first=F("weekly_hours__week_start"), last=F("weekly_hours__ends_on"))
    )
    return _count_each(
        revisions,
        {
            "later": (
                Q(replaced_at__gt=F("weekly_hours__registered_at")),
                "timerevisioner, der er nyere end den registrering, de blev erstattet af",
            ),
            "range": (Q(hours__lt=0), "timerevisioner med negative timer"),
        },
    ) + (
        [Violation("timerevisioner med flere end 80 timer pr. uge", len(too_many),
                   tuple(too_many[:EXAMPLES]))]
        if too_many
        else []
    )  # fmt: skip


# --- citizens ------------------------------------------------------------------------------


def assignments(day: dt.date) -> list[Violation]:
    """``cases.citizens.services.assign`` is the only writer: periods in order without
    overlap (it ends the open one the day before the new start, or on the start day when the
    open one began that day) and the citizen's jobformidler is the open period's."""
    later = Assignment.objects.filter(citizen_id=OuterRef("citizen_id")).filter(
        Q(started_on__gt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), pk__gt=OuterRef("pk"))
    )
    # A period that began and ended on one day may touch the next one's start (a change of
    # jobformidler on the day of the first assignment).
    same_day = Q(started_on=F("ended_on"))
    overlapping = Assignment.objects.filter(
        (Q(ended_on__isnull=True) & Exists(later))
        | (~same_day & Exists(later.filter(started_on__lte=OuterRef("ended_on"))))
    )
    open_jobformidler = Subquery(
        Assignment.objects.filter(citizen_id=OuterRef("pk"), ended_on__isnull=True).values(
            "jobformidler_id"
        )[:1]
    )
    citizens = Citizen.objects.annotate(open_jf=open_jobformidler)
    return (
        _found(
            Assignment.objects.filter(ended_on__lt=F("started_on")),
            "jobformidlerperioder slutter før de starter",
        )
        + _found(overlapping, "jobformidlerperioder overlapper en senere periode for borgeren")
        + _found(
            citizens.filter(
                Q(jobformidler__isnull=True, open_jf__isnull=False)
                | Q(jobformidler__isnull=False, open_jf__isnull=True)
                | (
                    Q(jobformidler__isnull=False, open_jf__isnull=False)
                    & ~Q(jobformidler_id=F("open_jf"))
                )
            ),
            "borgere, hvis jobformidler ikke er den åbne periodes",
        )
    )


def citizen_fields(day: dt.date) -> list[Violation]:
    """``CitizenForm.clean``: exit date and exit reason exactly when the case is afsluttet;
    a sub-goal has a closing day exactly when it is closed
    (``cases.citizens.plans.set_status``)."""
    closed = Q(status=CitizenStatus.AFSLUTTET)
    return _count_each(
        Citizen.objects.all(),
        {
            "closed": (
                closed & (Q(exit_date__isnull=True) | Q(exit_reason__isnull=True)),
                "afsluttede borgere uden afslutningsdato eller -årsag",
            ),
            "open": (
                ~closed & (Q(exit_date__isnull=False) | Q(exit_reason__isnull=False)),
                "ikke-afsluttede borgere med afslutningsdato eller -årsag",
            ),
        },
    ) + _count_each(
        SubGoal.objects.all(),
        {
            "open": (
                Q(status=SubGoalStatus.AABEN, closed_on__isnull=False),
                "åbne delmål med en lukkedato",
            ),
            "closed": (
                ~Q(status=SubGoalStatus.AABEN) & Q(closed_on__isnull=True),
                "lukkede delmål uden lukkedato",
            ),
        },
    )


def conversation_follow_ups(day: dt.date) -> list[Violation]:
    """``cases.citizens.services.log_conversation``: an agreed next step with a due date
    (``followups.agreed_next_step``) becomes a follow-up on the citizen, owned by the author,
    linked to the conversation; while it is open it follows the conversation's next step and
    due date (``correct_conversation``). A conversation about a placement is about one of the
    citizen's own."""
    citizen_type = ContentType.objects.get_for_model(Citizen)
    linked = Q(follow_up__isnull=False)
    still_open = linked & Q(follow_up__done_at__isnull=True)
    return _count_each(
        Conversation.objects.all(),
        {
            "missing": (
                Q(follow_up__isnull=True, next_step_due__isnull=False) & ~Q(next_step=""),
                "samtaler med aftalt næste skridt og frist, men uden opfølgning",
            ),
            "subject": (
                linked
                & (
                    ~Q(follow_up__subject_type=citizen_type)
                    | ~Q(follow_up__subject_id=F("citizen_id"))
                ),
                "samtaler, hvis opfølgning gælder en anden borger",
            ),
            "drift": (
                still_open
                & (
                    Q(next_step_due__isnull=True)
                    | ~Q(follow_up__due_on=F("next_step_due"))
                    | ~Q(follow_up__title=F("next_step"))
                    | ~Q(follow_up__owner_id=F("author_id"))
                ),
                "samtaler, hvis åbne opfølgning ikke følger næste skridt, frist og forfatter",
            ),
            "placement": (
                Q(placement__isnull=False) & ~Q(placement__citizen_id=F("citizen_id")),
                "samtaler om en anden borgers forløb",
            ),
        },
    )


def follow_up_subjects(day: dt.date) -> list[Violation]:
    """Every follow-up's subject (a citizen, a company, …) exists."""
    found: list[Violation] = []
    type_ids = FollowUp.objects.order_by().values_list("subject_type_id", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
        model = content_type.model_class()
        rows = FollowUp.objects.filter(subject_type=content_type)
        if model is None:
            found += _found(rows, f"opfølgninger på en ukendt type ({content_type})")
            continue
        subject = model._default_manager.filter(pk=OuterRef("subject_id"))
        found += _found(
            rows.filter(~Exists(subject)),
            f"opfølgninger på en {model._meta.verbose_name}, der ikke findes",
        )
    return found


def citizen_facts(day: dt.date) -> list[Violation]:
    """``cases.citizens.facts.refresh`` (called by the conversation and follow-up writers of
    ``cases.citizens.services``): the citizen's stored latest held conversation and next open
    follow-up are what the conversations and follow-ups say."""
    return _found(
        facts.stale(),
        "borgere, hvis gemte seneste samtale eller næste opfølgning ikke passer til "
        "samtalerne og opfølgningerne",
    )


def citizen_step(day: dt.date) -> list[Violation]:
    """``cases.citizens.facts.refresh`` (called by the writers of the citizen's status, job
    goals and placements, the code-list flags in the admin, and the hourly date pass
    ``refresh_dated_steps``): the stored step is the one ``steps.step_on`` gives on ``day``.
    Between midnight and the first date pass of a new day, the citizens whose placement
    started or ended or whose job goal began or ended with the date show here."""
    return _found(
        facts.stale_steps(day),
        "borgere, hvis gemte trin ikke er det, status, jobmål og forløb giver i dag",
    )


def citizen_month_facts(day: dt.date) -> list[Violation]:
    """``cases.citizens.month_facts.refresh`` (called by the writers of conversations,
    placements, agreements and hours): the facts per citizen and month up to the horizon are
    what a fresh computation says (nothing to check when they are not built)."""
    differences = month_facts.stale(limit=1000)
    if not differences:
        return []
    columns = sorted({column for _, _, column in differences})
    citizens = tuple(dict.fromkeys(citizen for citizen, _, _ in differences))[:5]
    return [
        Violation(
            "borgermåneder, hvis gemte fakta ikke passer til data (" + ", ".join(columns) + ")",
            len(differences),
            citizens,
        )
    ]


def citizen_periods(day: dt.date) -> list[Violation]:
    """Visitation and benefit periods (``cases.citizens.services.sync_periods`` and the
    history import, ``apply_history``): the periods of one citizen never overlap, and the
    citizen's ``visitation_group`` / ``benefit_type`` is the open period's copy (no open
    benefit period: no benefit)."""
    found: list[Violation] = []
    for model, value, copy, name in (
        (VisitationPeriod, "group_id", "visitation_group_id", "visitationsperioder"),
        (BenefitPeriod, "benefit_type_id", "benefit_type_id", "ydelsesperioder"),
    ):
        later = model._default_manager.filter(citizen_id=OuterRef("citizen_id")).filter(
            Q(starts_on__gt=OuterRef("starts_on"))
            | Q(starts_on=OuterRef("starts_on"), pk__gt=OuterRef("pk"))
        )
        found += _found(
            model._default_manager.filter(
                (Q(ends_on__isnull=True) & Exists(later))
                | Exists(later.filter(starts_on__lte=OuterRef("ends_on")))
            ),
            f"{name} overlapper en senere periode for borgeren",
        )
        open_value = Subquery(
            model._default_manager.filter(citizen_id=OuterRef("pk"), ends_on__isnull=True).values(
                value
            )[:1]
        )
        citizens = Citizen.objects.annotate(open_value=open_value)
        found += _found(
            citizens.filter(
                Q(**{f"{copy}__isnull": True}, open_value__isnull=False)
                | Q(**{f"{copy}__isnull": False}, open_value__isnull=True)
                | (
                    Q(**{f"{copy}__isnull": False}, open_value__isnull=False)
                    & ~Q(**{copy: F("open_value")})
                )
            ),
            f"borgere, hvis {'visitationsgruppe' if value == 'group_id' else 'ydelse'} "
            f"ikke er den åbne periodes ({name})",
        )
    return found


# --- companies -----------------------------------------------------------------------------


def company_history(day: dt.date) -> list[Violation]:
    """``companies.services``: every status is also a dated history row (``start_history``,
    ``change_status``), so the latest row is the current status; the fixed contact is the open
    period's (``assign_fixed_contact``, which ends the old period on the new one's start day)."""
    history = CompanyStatusChange.objects.filter(company_id=OuterRef("company_id"))
    newer = history.filter(
        Q(changed_on__gt=OuterRef("changed_on"))
        | Q(changed_on=OuterRef("changed_on"), pk__gt=OuterRef("pk"))
    )
    # The latest row of each company (no newer one: an anti-join, not a sort per company).
    latest = CompanyStatusChange.objects.filter(~Exists(newer))
    open_contact = Subquery(
        FixedContactPeriod.objects.filter(company_id=OuterRef("pk"), ended_on__isnull=True).values(
            "consultant_id"
        )[:1]
    )
    companies = Company.objects.annotate(open_contact=open_contact)
    later = FixedContactPeriod.objects.filter(company_id=OuterRef("company_id")).filter(
        Q(started_on__gt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), pk__gt=OuterRef("pk"))
    )
    return (
        _count_each(
            companies,
            {
                "contact": (
                    Q(fixed_contact__isnull=True, open_contact__isnull=False)
                    | Q(fixed_contact__isnull=False, open_contact__isnull=True)
                    | (
                        Q(fixed_contact__isnull=False, open_contact__isnull=False)
                        & ~Q(fixed_contact_id=F("open_contact"))
                    ),
                    "virksomheder, hvis faste kontaktperson ikke er den åbne periodes",
                ),
            },
        )
        + _found(
            Company.objects.filter(
                ~Exists(CompanyStatusChange.objects.filter(company_id=OuterRef("pk")))
            ),
            "virksomheder uden statushistorik",
        )
        + _found(
            latest.exclude(status=F("company__status")),
            "seneste statusændringer, der ikke er virksomhedens status (id på ændringen)",
        )
        + _found(
            FixedContactPeriod.objects.filter(ended_on__lt=F("started_on")),
            "kontaktpersonperioder slutter før de starter",
        )
        + _found(
            FixedContactPeriod.objects.filter(
                (Q(ended_on__isnull=True) & Exists(later))
                | Exists(later.filter(started_on__lt=OuterRef("ended_on")))
            ),
            "kontaktpersonperioder overlapper en senere periode for virksomheden",
        )
    )


def task_match_columns(day: dt.date) -> list[Violation]:
    """``companies.search.refresh_task_vectors``, run by every writer of a task's text and of
    its company's industry or postal code (``companies.services``, the demo seed): a refreshed
    task carries its company's postal code and a search vector, which matching prunes by
    (``cases.matching.scoring.prune``). NULL is a task not refreshed, which matching always
    scores."""
    refreshed = Task.objects.filter(company_postal_code__isnull=False)
    return _found(
        refreshed.exclude(company_postal_code=F("company__postal_code")),
        "opgaver, hvis postnummer til matchning ikke er virksomhedens",
    ) + _found(
        refreshed.filter(search_vector__isnull=True),
        "opgaver med postnummer til matchning, men uden søgetekst",
    )


CHECKS: list[Check] = [
    Check("forloeb-status", "Forløbets status følger datoerne", placement_status),
    Check(
        "forloeb-felter",
        "Forløbets virksomhed, opgave, datoer og timer hænger sammen",
        placement_fields,
    ),
    Check("opgave-besat", "En opgave er besat, når dens forløb fylder pladserne", task_besat),
    Check(
        "ugetimer",
        "Ordinære timer kun på forløb, der tæller, i forløbets perioder uden overlap",
        weekly_hours,
    ),
    Check("timerevisioner", "En timerevision hører til sin række", hours_revisions),
    Check(
        "jobformidler",
        "Jobformidlerperioder uden overlap; jobformidleren er den åbne periodes",
        assignments,
    ),
    Check("borger-felter", "Afslutning og delmål hænger sammen med status", citizen_fields),
    Check(
        "borger-perioder",
        "Visitations- og ydelsesperioder uden overlap; borgerens gruppe og ydelse er den åbne "
        "periodes",
        citizen_periods,
    ),
    Check(
        "samtale-opfoelgning",
        "Samtalers næste skridt og deres opfølgninger hænger sammen",
        conversation_follow_ups,
    ),
    Check("opfoelgning-emne", "En opfølgnings emne findes", follow_up_subjects),
    Check(
        "borger-fakta",
        "Borgerens gemte seneste samtale og næste opfølgning følger samtaler og opfølgninger",
        citizen_facts,
    ),
    Check(
        "borger-trin",
        "Borgerens gemte trin følger status, jobmål og forløb på dagen",
        citizen_step,
    ),
    Check(
        "maaneds-fakta",
        "Fakta pr. borger og måned (målingerne) følger samtaler, forløb, aftaler og timer",
        citizen_month_facts,
    ),
    Check(
        "virksomhed-historik",
        "Virksomhedens status og faste kontaktperson følger historikken",
        company_history,
    ),
    Check(
        "opgave-matchfelter",
        "Opgavens postnummer til matchning er virksomhedens",
        task_match_columns,
    ),
]
