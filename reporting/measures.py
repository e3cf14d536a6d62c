"""The measures: one definition per measure, computed in SQL (docs/measures.md).

A measure is asked of a **population** (a jobcentre, some of its teams or one staff member's
caseload; optionally only citizens of a benefit type, readiness category or visitation group,
taken *as of a date*) over a **period** (first and last day, inclusive, Copenhagen calendar
days). Every measure returns a ``Figure``: numerator, denominator, value and the Danish display
text. The rows behind a figure come from the same definition (``Measure.rows``), so a drill-down
can never disagree with its number: the figure *is* the count (or sum) of those rows.

Rules every measure shares (docs/measures.md, "Populations and periods"):

- a citizen is in the population of a period when the case was open on at least one day of
  it (``opened_on`` on or before the last day, no exit before the first day), in the chosen
  teams (the citizen's current team) and matches the filters as of ``as_of`` (default: the
  period's last day): benefit and visitation group from their periods, the jobformidler from
  the assignment history, readiness as recorded now;
- a placement counts only from a confirmed start (``Placement.objects.overlapping``); "in a
  placement in the period" means at least one day of it in the period;
- ordinary hours are hours on placements whose type counts as ordinary hours (never
  løntilskud or fleksjob) and more than 0; a pay period that straddles the period counts pro
  rata by day (``prorated_hours``, the SQL twin of ``cases.placements.hours.monthly_totals``);
- shares are pooled over citizens: a total is computed over the whole population, never as a
  mean of the teams' percentages; percentages print rounded half up (22.5 % as 23 %).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.apps import apps
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from cases.citizens import month_facts as citizen_month_facts
from cases.citizens.models import (
    Assignment,
    BenefitPeriod,
    Citizen,
    ExitCategory,
    JobGoal,
    VisitationPeriod,
    cadence_conversations,
    caseload_statuses,
)
from cases.matching.models import MatchProposal
from cases.placements import alerts, month_facts
from cases.placements.models import (
    OrdinaryHoursTerms,
    Placement,
    PlacementQuerySet,
    WeeklyHours,
    WorkAgreement,
)
from cases.placements.month_facts import DaysBetween
from companies.models import CompanyContact, MappingSession, Task, TaskStatus
from substitution import days, thresholds
from substitution.models import FollowUp, Membership, Team, User

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# The visitation group FSM's criterion and outcome measures are about (a VisitationGroup code).
FSM_GROUP = "gruppe-1"


# --- periods and populations -----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """First and last day, both inclusive."""

    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("A period ends on or after its first day")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = dt.date(year, month, 1)
        return cls(first, days.month_end(first))

    @classmethod
    def month_to_date(cls, day: dt.date) -> Period:
        """The calendar month of ``day`` so far: its first day to ``day`` (the live month)."""
        return cls(days.month_start(day), day)

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY-MM-DD:YYYY-MM-DD`` or ``YYYY-MM`` (a calendar month)."""
        if ":" in text:
            first, last = text.split(":", 1)
            return cls(dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip()))
        year, month = text.strip().split("-")
        return cls.month(int(year), int(month))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def weeks(self) -> Decimal:
        return Decimal(self.days) / 7

    def months_back(self, months: int) -> Period:
        """The ``months`` calendar months ending with the month of ``last`` (a window)."""
        start = days.add_months(days.month_start(self.last), -(months - 1))
        return Period(start, self.last)

    def __str__(self) -> str:
        return f"{self.first.isoformat()}:{self.last.isoformat()}"


@dataclass(frozen=True)
class Population:
    """Whom a measure is about. ``team_ids`` empty: the whole jobcentre."""

    unit_id: int
    team_ids: tuple[int, ...] = ()
    jobformidler_id: int | None = None
    benefit_type: str | None = None  # BenefitType code
    readiness: str | None = None  # ReadinessCategory code
    visitation_group: str | None = None  # VisitationGroup code
    as_of: dt.date | None = None

    def with_teams(self, team_ids: Iterable[int]) -> Population:
        return Population(
            self.unit_id,
            tuple(team_ids),
            self.jobformidler_id,
            self.benefit_type,
            self.readiness,
            self.visitation_group,
            self.as_of,
        )


def visible_teams(user: User) -> list[Team]:
    """The teams whose numbers ``user`` may see (docs/roles.md): a leder or administrator every
    team of the jobcentre, anyone else their own (and led) teams. The one rule for every
    reporting page, export, API and report."""
    if user.unit_id is None:
        return []
    teams = Team.objects.filter(unit_id=user.unit_id).order_by("name", "pk")
    if user.is_unit_wide:
        return list(teams)
    return list(teams.filter(pk__in=user.team_ids()))


def population_for(user: User, teams: Sequence[Team], **filters: Any) -> Population:
    """The population a total is taken over for ``user``: the jobcentre for those who see it
    all, only ``teams`` (their visible teams) for anyone else, so a total never holds a team
    the user cannot see (not even one they could subtract)."""
    assert user.unit_id is not None
    base = Population(unit_id=user.unit_id, **filters)
    return base if user.is_unit_wide else base.with_teams([t.pk for t in teams])


def covering(first: str, last: str, day: dt.date | Any) -> Q:
    """Rows whose ``first``..``last`` (open end: None) covers ``day``."""
    return Q(**{f"{first}__lte": day}) & (
        Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": day})
    )


def citizens_in(population: Population, period: Period) -> QuerySet[Citizen]:
    """The population's citizens in ``period`` (module docstring). Not ``visible_to``: the
    caller decides who may ask (the views pass only teams the user may see)."""
    as_of = population.as_of or period.last
    qs = Citizen.objects.filter(unit_id=population.unit_id, opened_on__lte=period.last).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gte=period.first)
    )
    if population.team_ids:
        qs = qs.filter(team_id__in=population.team_ids)
    if population.jobformidler_id is not None:
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(
                    covering("started_on", "ended_on", as_of),
                    citizen=OuterRef("pk"),
                    jobformidler_id=population.jobformidler_id,
                )
            )
        )
    if population.benefit_type:
        qs = qs.filter(
            Exists(
                BenefitPeriod.objects.filter(
                    covering("starts_on", "ends_on", as_of),
                    citizen=OuterRef("pk"),
                    benefit_type__code=population.benefit_type,
                )
            )
        )
    if population.visitation_group:
        qs = qs.filter(in_group(population.visitation_group, as_of))
    if population.readiness:
        qs = qs.filter(readiness__code=population.readiness)
    return qs


def in_group(code: str, day: dt.date) -> Exists:
    """In visitation group ``code`` on ``day`` (the visitation periods, not today's group)."""
    return Exists(
        VisitationPeriod.objects.filter(
            covering("starts_on", "ends_on", day), citizen=OuterRef("pk"), group__code=code
        )
    )


# --- SQL helpers ---------------------------------------------------------------------------


def prorated_hours(period: Period, prefix: str = "") -> ExpressionWrapper:
    """A pay period's hours inside ``period``: whole when it lies inside, else by day (0
    outside; ``cases.placements.month_facts.prorated_hours``, shared with the facts)."""
    return month_facts.prorated_hours(period.first, period.last, prefix)


def ordinary_hours_in(period: Period) -> QuerySet[WeeklyHours]:
    """Hour rows with ordinary hours (> 0, a type that counts) overlapping ``period``, on a
    confirmed placement."""
    return month_facts.ordinary_hour_rows(period.first, period.last)


def has_ordinary_hours(period: Period) -> Exists:
    return Exists(ordinary_hours_in(period).filter(placement__citizen=OuterRef("pk")))


def in_placement(period: Period, **type_flags: bool) -> Exists:
    """A confirmed placement of a type with ``type_flags`` with a day in ``period``."""
    flags = {f"type__{name}": value for name, value in type_flags.items()}
    return Exists(
        Placement.objects.overlapping(period.first, period.last).filter(
            citizen=OuterRef("pk"), **flags
        )
    )


def exited(period: Period, categories: Sequence[str]) -> Q:
    return Q(
        exit_date__gte=period.first,
        exit_date__lte=period.last,
        exit_reason__category__in=list(categories),
    )


def open_on(day: dt.date) -> Q:
    """The case is open on ``day``."""
    return Q(opened_on__lte=day) & (Q(exit_date__isnull=True) | Q(exit_date__gt=day))


# --- figures ---------------------------------------------------------------------------------


class Kind(enum.StrEnum):
    SHARE = "share"  # numerator / denominator, shown as a percentage
    COUNT = "count"  # numerator only
    RATIO = "ratio"  # numerator / denominator, a number (per citizen, per staff member)
    MEDIAN = "median"  # the median of the rows' values (days)


def percent(numerator: Decimal | int, denominator: Decimal | int) -> Decimal:
    """The percentage rounded half up to a whole number, as the published tables print it
    (9 of 40 = 22.5 % -> 23 %; Python's ``round`` would give 22)."""
    exact = Decimal(numerator) * HUNDRED / Decimal(denominator)
    return exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def danish_number(value: Decimal, places: int = 1) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


@dataclass(frozen=True)
class Figure:
    slug: str
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    display: str

    def as_json(self) -> dict[str, Any]:
        def num(value: Decimal | None) -> float | int | None:
            if value is None:
                return None
            return int(value) if value == value.to_integral_value() else float(value)

        return {
            "numerator": num(self.numerator),
            "denominator": num(self.denominator),
            "value": num(self.value),
            "display": self.display,
        }


@dataclass
class Context:
    """What a measure's definition reads: the population's citizens in the period. ``facts``:
    the period is a calendar month the per-citizen facts cover (``CitizenMonth``, joined to
    ``citizens`` as ``month_facts``); the measures defined on them read them."""

    population: Population
    period: Period
    citizens: QuerySet[Citizen]
    facts: bool = False
    # ``citizens`` carries the shared conditions as columns (``SHARED``): inside ``compute``'s
    # one aggregate, so each is computed once per citizen, not once per figure using it.
    shared: bool = False
    # Thresholds and the caseload statuses, read once per context.
    memo: dict[str, Any] = field(default_factory=dict)
    # The aggregate is grouped by this column too (``teams_and_total``): a measure with a
    # ``distinct_denominator`` on it counts its rows per value instead of the values.
    split_by: str | None = None

    @property
    def day(self) -> dt.date:
        """The day a status measure is taken on: the period's last day."""
        return self.period.last

    def threshold(self, key: str) -> int:
        if key not in self.memo:
            self.memo[key] = thresholds.get_int(key, self.population.unit_id, self.day)
        return int(self.memo[key])

    def caseload_statuses(self) -> list[str]:
        if "caseload_statuses" not in self.memo:
            self.memo["caseload_statuses"] = caseload_statuses(self.population.unit_id, self.day)
        return list(self.memo["caseload_statuses"])


RowsFn = Callable[[Context], QuerySet[Any]]
# A condition on the context's citizens (``None``: not expressible in this context, e.g. a
# measure on the facts in a period they do not cover).
WhereFn = Callable[[Context], Q | None]
EVERYONE = Q()  # the whole population (a denominator)


@dataclass(frozen=True)
class Measure:
    slug: str
    label: str
    kind: Kind
    # The rows the figure counts (a drill-down lists them): citizens unless ``noun`` says else.
    rows: RowsFn
    # The denominator's rows (SHARE, RATIO); None for COUNT.
    denominator: RowsFn | None = None
    # A sum instead of a count of rows as the numerator (hours per week among the rows).
    summed: Callable[[Context], Decimal] | None = None
    # MEDIAN: the value per row.
    median_of: Callable[[Context], Any] | None = None
    noun: str = "borgere"
    unit_label: str = ""
    source: str = ""
    # The same figure as conditions on the context's citizens, so many measures are one
    # aggregate (``compute``) and the drill-down lists ``citizens.filter(where)``: ``where``
    # for the rows, ``where_denominator`` for the denominator's (``EVERYONE``: the
    # population). A measure on the per-citizen facts returns None outside their months,
    # and ``rows``/``denominator`` (the live definition) count instead.
    where: WhereFn | None = None
    where_denominator: WhereFn | None = None
    # With ``where``: the fact column summed over the rows (``summed``'s twin).
    summed_field: str | None = None
    # A count of other rows than citizens (placements) kept per citizen in the facts: the
    # aggregate over the population that gives the numerator (and denominator) where the
    # context reads the facts. The drill-down still lists the rows (``rows``).
    fact_sum: Callable[[], Any] | None = None
    fact_sum_denominator: Callable[[], Any] | None = None
    # A count of other rows than citizens (follow-ups) as an expression on the citizen (its
    # rows of ``rows``), summed over the population in the one aggregate where the context
    # reads the facts (as ``fact_sum``); the live reference counts ``rows``.
    per_citizen: Callable[[Context], Any] | None = None
    # With ``where_denominator``: the denominator is the number of distinct values of this
    # column among its rows (staff members, not citizens: ``caseload_per_jobformidler`` on
    # the facts counts the jobformidlere assigned to the caseload's citizens).
    distinct_denominator: str | None = None
    # ``rows`` and ``denominator`` as given: the live definitions (the reference). After
    # construction ``rows``/``denominator`` answer from the conditions where the context
    # allows (the same rows, tests/reporting/test_measures_facts.py), else from these.
    live_rows: RowsFn = field(init=False, repr=False, compare=False)
    live_denominator: RowsFn | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "live_rows", self.rows)
        object.__setattr__(self, "live_denominator", self.denominator)
        object.__setattr__(self, "rows", self._rows)
        if self.denominator is not None:
            object.__setattr__(self, "denominator", self._denominator)

    def _rows(self, ctx: Context) -> QuerySet[Any]:
        batch = self.batch(ctx)
        return ctx.citizens.filter(batch[0]) if batch is not None else self.live_rows(ctx)

    def _denominator(self, ctx: Context) -> QuerySet[Any]:
        batch = self.batch(ctx)
        if batch is not None and batch[1] is not None and self.distinct_denominator is None:
            return ctx.citizens.filter(batch[1])
        assert self.live_denominator is not None
        return self.live_denominator(ctx)

    def batchable(self, ctx: Context) -> bool:
        """Whether this figure is part of the one aggregate over the citizens."""
        if self.fact_sum is not None or self.per_citizen is not None:
            return ctx.facts
        return self.batch(ctx) is not None

    def batch(self, ctx: Context) -> tuple[Q, Q | None] | None:
        """The numerator's and denominator's conditions in this context, or None."""
        if self.where is None:
            return None
        if self.kind == Kind.MEDIAN and connection.vendor != "postgresql":
            return None  # the median in SQL is PostgreSQL's percentile_cont
        numerator = self.where(ctx)
        if numerator is None:
            return None
        if self.denominator is None:
            return numerator, None
        if self.where_denominator is None:
            return None
        denominator = self.where_denominator(ctx)
        return None if denominator is None else (numerator, denominator)

    def current_rows(self, ctx: Context) -> QuerySet[Any]:
        """The rows behind the figure in this context (``drill_down``)."""
        return self.rows(ctx)

    def aggregates(self, ctx: Context) -> dict[str, Any]:
        """This measure's share of the one aggregate over the citizens (``batchable``)."""
        result: dict[str, Any] = {}
        if self.fact_sum is not None:
            result[f"n_{self.slug}"] = self.fact_sum()
            if self.fact_sum_denominator is not None:
                result[f"d_{self.slug}"] = self.fact_sum_denominator()
            return result
        if self.per_citizen is not None:
            if ctx.shared:
                # A column of the citizens (``_one_aggregate``): its subquery refers to them.
                ctx.memo.setdefault("per_citizen_used", {})[f"pc_{self.slug}"] = self.per_citizen(
                    ctx
                )
                result[f"n_{self.slug}"] = Sum(f"pc_{self.slug}")
            else:
                result[f"n_{self.slug}"] = Sum(self.per_citizen(ctx))
            return result
        batch = self.batch(ctx)
        assert batch is not None
        numerator, denominator = batch
        if self.kind == Kind.MEDIAN:
            assert self.median_of is not None
            result[f"m_{self.slug}"] = Median(self.median_of(ctx), filter=numerator or None)
        if self.summed_field is not None:
            result[f"n_{self.slug}"] = Sum(self.summed_field, filter=numerator or None)
        else:
            result[self._numerator_key()] = _count(numerator)
        if denominator is not None and self.distinct_denominator is not None and ctx.split_by:
            # Grouped by the distinct column as well (``teams_and_total``): the rows per
            # value; the caller counts the values with any.
            result[self._denominator_key()] = _count(denominator)
        elif denominator is not None and self.distinct_denominator is not None:
            result[self._denominator_key()] = Count(
                self.distinct_denominator, distinct=True, filter=denominator or None
            )
        elif denominator is not None:
            result[self._denominator_key()] = _count(denominator)
        return result

    # Counts of the same condition (one function) are one column of the aggregate: the
    # caseload is also the contact cadence's denominator, the population the denominator of
    # most shares.
    def _numerator_key(self) -> str:
        if self.fact_sum is not None or self.summed_field is not None or self.where is None:
            return f"n_{self.slug}"
        return f"c{id(self.where)}"

    def _denominator_key(self) -> str:
        if (
            self.fact_sum is not None
            or self.where_denominator is None
            or self.distinct_denominator is not None
        ):
            return f"d_{self.slug}"
        return f"c{id(self.where_denominator)}"

    def from_aggregates(self, ctx: Context, values: dict[str, Any]) -> Figure:
        got = values.get(self._numerator_key()) or 0
        if self.kind == Kind.MEDIAN:
            median = values.get(f"m_{self.slug}")
            return self._make(Decimal(got), None, None if median is None else Decimal(median))
        if self.summed_field is not None:
            numerator = (Decimal(got) / ctx.period.weeks).quantize(Decimal("0.0001"))
        else:
            numerator = Decimal(got)
        denominator = None
        if self.denominator is not None:
            denominator = Decimal(values.get(self._denominator_key()) or 0)
        return self._make(numerator, denominator, None)

    def figure(self, ctx: Context) -> Figure:
        if self.batchable(ctx):
            return self.from_aggregates(ctx, ctx.citizens.aggregate(**self.aggregates(ctx)))
        rows = self.rows(ctx)
        if self.kind == Kind.MEDIAN:
            assert self.median_of is not None
            values = sorted(
                rows.annotate(median_value=self.median_of(ctx)).values_list(
                    "median_value", flat=True
                )
            )
            return self._make(Decimal(len(values)), None, _median(values))
        numerator = self.summed(ctx) if self.summed is not None else Decimal(rows.count())
        denominator = None
        if self.denominator is not None:
            denominator = Decimal(self.denominator(ctx).count())
        return self._make(numerator, denominator, None)

    def _make(
        self, numerator: Decimal, denominator: Decimal | None, median: Decimal | None
    ) -> Figure:
        if self.kind == Kind.MEDIAN:
            value = median
            display = "–" if median is None else f"{danish_number(median, 0)} {self.unit_label}"
        elif self.kind == Kind.COUNT:
            value = numerator
            display = danish_number(numerator, 0 if self.summed is None else 1)
        elif not denominator:
            value, display = None, "–"
        elif self.kind == Kind.SHARE:
            value = (numerator / denominator).quantize(Decimal("0.000001"))
            display = f"{percent(numerator, denominator)} %"
        else:
            value = (numerator / denominator).quantize(Decimal("0.0001"))
            display = danish_number(value, 1) + (f" {self.unit_label}" if self.unit_label else "")
        return Figure(self.slug, numerator, denominator, value, display)


class Median(Aggregate):
    """The median (the mean of the two middle values of an even count, as ``_median``):
    PostgreSQL's ``percentile_cont(0.5)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()


def _count(condition: Q) -> Count:
    return Count("pk", filter=condition) if condition else Count("pk")


def _median(values: list[Any]) -> Decimal | None:
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return Decimal(values[middle])
    return (Decimal(values[middle - 1]) + Decimal(values[middle])) / 2


# --- the definitions ------------------------------------------------------------------------


def _population(ctx: Context) -> QuerySet[Citizen]:
    return ctx.citizens


def _caseload_q(ctx: Context) -> Q:
    """Open on the period's last day with a jobformidler assigned that day; a status that does
    not count as caseload (pause, unless the threshold says so) is taken as of today. On the
    facts "assigned that day" is their jobformidler column (set exactly when an assignment
    covers the day), not a scan of the assignments."""
    if ctx.facts:
        assigned = Q(month_facts__jobformidler__isnull=False)
    else:
        covering_day = Assignment.objects.filter(covering("started_on", "ended_on", ctx.day))
        assigned = Q(pk__in=covering_day.values("citizen"))
    condition = open_on(ctx.day) & assigned
    statuses = ctx.caseload_statuses()
    return condition & ~Q(status="pause") if "pause" not in statuses else condition


def _caseload(ctx: Context) -> QuerySet[Citizen]:
    return ctx.citizens.filter(_caseload_q(ctx))


def _shared(ctx: Context, name: str) -> Q:
    """The shared column ``name`` (``SHARED``), noted as used by the aggregate being built."""
    ctx.memo.setdefault("shared_used", set()).add(name)
    return Q(**{name: True})


def _caseload_cond(ctx: Context) -> Q:
    """``_caseload_q``, or its column where the context carries it."""
    return _shared(ctx, "in_caseload") if ctx.shared else _caseload_q(ctx)


def _facts(condition: Callable[[Context], Q]) -> WhereFn:
    """A condition on the per-citizen facts: only where the context reads them."""

    def where(ctx: Context) -> Q | None:
        return condition(ctx) if ctx.facts else None

    return where


def assigned_on(day: dt.date, citizen_ref: str = "pk") -> Subquery:
    """The jobformidler assigned to the row's citizen on ``day``: the latest assignment
    covering it (a change on the day of the first assignment leaves two), as the facts keep
    it (``CitizenMonth.jobformidler``)."""
    return Subquery(
        Assignment.objects.filter(
            covering("started_on", "ended_on", day), citizen=OuterRef(citizen_ref)
        )
        .order_by("-started_on", "-pk")
        .values("jobformidler_id")[:1]
    )


def _caseload_staff(ctx: Context) -> QuerySet[Any]:
    """The staff members assigned on the last day to at least one citizen of the caseload."""
    user_model = apps.get_model("substitution", "User")
    assigned = _caseload(ctx).annotate(staff=assigned_on(ctx.day)).values("staff")
    return user_model.objects.filter(pk__in=assigned)


def _caseload_staff_facts(ctx: Context) -> Q:
    """``_caseload_staff`` on the facts: the caseload, whose distinct ``jobformidler`` fact
    is counted (``distinct_denominator``)."""
    return _caseload_cond(ctx)


def _in_cadence(ctx: Context) -> QuerySet[Citizen]:
    since = days.more_than_days_ago(ctx.threshold("no_contact_days"), ctx.day)
    held = cadence_conversations().filter(
        citizen=OuterRef("pk"), occurred_at__gte=since, occurred_at__lt=days.end_of_day(ctx.day)
    )
    return _caseload(ctx).filter(Exists(held))


def _cadence_facts(ctx: Context) -> Q:
    """``_in_cadence`` on the facts: the latest counted conversation before the month's end
    is within the cadence."""
    since = days.more_than_days_ago(ctx.threshold("no_contact_days"), ctx.day)
    return _caseload_cond(ctx) & Q(month_facts__last_contact_at__gte=since)


def _days_since_contact(ctx: Context) -> Any:
    if ctx.facts:
        return DaysBetween(Value(ctx.day), days.local_date_sql("month_facts__last_contact_at"))
    latest = (
        cadence_conversations()
        .filter(citizen=OuterRef("pk"), occurred_at__lt=days.end_of_day(ctx.day))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    return DaysBetween(Value(ctx.day), days.local_date_sql(cast(Expression, Subquery(latest))))


def _own_job_goal_q(ctx: Context) -> Q:
    goals = JobGoal.objects.filter(own_wish=True, created_on__lte=ctx.day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=ctx.day)
    )
    return Q(pk__in=goals.values("citizen"))


def _own_job_goal(ctx: Context) -> QuerySet[Citizen]:
    return ctx.citizens.filter(_own_job_goal_q(ctx))


def _changes(ctx: Context) -> QuerySet[Assignment]:
    """Changes of jobformidler in the 12 months ending on the last day: assignments that
    started then and had a predecessor (the first assignment is not a change)."""
    window_start = days.add_months(ctx.day, -12) + dt.timedelta(days=1)
    earlier = Assignment.objects.filter(
        citizen=OuterRef("citizen"), started_on__lt=OuterRef("started_on")
    )
    return Assignment.objects.filter(
        citizen__in=ctx.citizens, started_on__gte=window_start, started_on__lte=ctx.day
    ).filter(Exists(earlier))


def _fsm_group(ctx: Context) -> QuerySet[Citizen]:
    """Group 1 as of the window's first day, in the 3-month window ending with the period."""
    window = ctx.period.months_back(3)
    return (
        citizens_in(ctx.population, window)
        .filter(pk__in=ctx.citizens.values("pk"))
        .filter(in_group(FSM_GROUP, window.first))
    )


def _fsm_group_q(ctx: Context) -> Q:
    """``_fsm_group`` as a condition on the period's citizens: the window ends with the
    period, so its population holds the period's; what remains is the group on its first
    day."""
    window = ctx.period.months_back(3)
    group = VisitationPeriod.objects.filter(
        covering("starts_on", "ends_on", window.first), group__code=FSM_GROUP
    )
    return Q(pk__in=group.values("citizen"))


def _fsm_group_cond(ctx: Context) -> Q:
    """``_fsm_group_q``, or its column where the context carries it."""
    return _shared(ctx, "in_fsm_group") if ctx.shared else _fsm_group_q(ctx)


def _fsm_any_facts(ctx: Context) -> Q:
    return _fsm_group_cond(ctx) & Q(month_facts__virksomhedsforloeb_window=True)


def _fsm_any(ctx: Context) -> QuerySet[Citizen]:
    window = ctx.period.months_back(3)
    return _fsm_group(ctx).filter(in_placement(window, counts_as_virksomhedsforloeb=True))


def _fsm_day(ctx: Context) -> QuerySet[Citizen]:
    one_day = Period(ctx.day, ctx.day)
    return _fsm_group(ctx).filter(in_placement(one_day, counts_as_virksomhedsforloeb=True))


def _with_hours(ctx: Context) -> QuerySet[Citizen]:
    return ctx.citizens.filter(has_ordinary_hours(ctx.period))


def _hours_per_week(ctx: Context) -> Decimal:
    """The ordinary hours of the population in the period (pro rata) per week of the period:
    divided by the number of citizens with hours, the mean hours per week among them."""
    total = (
        ordinary_hours_in(ctx.period)
        .filter(placement__citizen__in=ctx.citizens)
        .aggregate(s=Sum(prorated_hours(ctx.period)))["s"]
    )
    return (Decimal(total or 0) / ctx.period.weeks).quantize(Decimal("0.0001"))


def _praktik_without_hours(ctx: Context) -> QuerySet[Citizen]:
    """In unpaid praktik in the period without ordinary hours while in it: a praktik with a
    day in the period during whose days (inside the period) the citizen had no ordinary hours.
    As Bilag 1's categories ("ever during the project"), this overlaps with ordinary hours
    when the hours came at another time of the period."""
    period = ctx.period
    hours_during = ordinary_hours_in(period).filter(
        placement__citizen=OuterRef("citizen"),
        week_start__lte=Least(
            Coalesce(OuterRef("ends_on"), Value(period.last)), Value(period.last)
        ),
        ends_on__gte=Greatest(OuterRef("starts_on"), Value(period.first)),
    )
    praktik = (
        Placement.objects.overlapping(period.first, period.last)
        .filter(citizen=OuterRef("pk"), type__unpaid_praktik=True)
        .exclude(Exists(hours_during))
    )
    return ctx.citizens.filter(Exists(praktik))


def _ren_beskaeftigelse_q(ctx: Context) -> Q:
    """Exit to a job on ordinary terms in the period and no benefit from the exit day to the
    period's last day (FSM: "ikke længere modtager nogen form for overførsler")."""
    on_benefit = BenefitPeriod.objects.filter(
        citizen=OuterRef("pk"), starts_on__lte=ctx.day
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("exit_date")))
    return exited(ctx.period, [ExitCategory.JOB]) & Q(~Exists(on_benefit))


def _ren_beskaeftigelse(ctx: Context) -> QuerySet[Citizen]:
    return ctx.citizens.filter(_ren_beskaeftigelse_q(ctx))


def _ren_beskaeftigelse_cond(ctx: Context) -> Q:
    """``_ren_beskaeftigelse_q``, or its column where the context carries it (its benefit
    check refers to the citizen's row, which the aggregate over the subquery cannot)."""
    return _shared(ctx, "in_ren_beskaeftigelse") if ctx.shared else _ren_beskaeftigelse_q(ctx)


def _placements(ctx: Context) -> PlacementQuerySet:
    return Placement.objects.filter(citizen__in=ctx.citizens)


def _started(ctx: Context) -> QuerySet[Placement]:
    return _placements(ctx).filter(
        start_confirmed_on__isnull=False,
        starts_on__gte=ctx.period.first,
        starts_on__lte=ctx.period.last,
    )  # the facts' placements_started (cases.placements.month_facts)


def _new_agreements(ctx: Context) -> QuerySet[WorkAgreement]:
    return WorkAgreement.objects.filter(
        placement__citizen__in=ctx.citizens,
        agreed_on__gte=ctx.period.first,
        agreed_on__lte=ctx.period.last,
    )


def _active_placements(ctx: Context) -> PlacementQuerySet:
    return _placements(ctx).active_on(ctx.day)


def _followed_up(ctx: Context) -> QuerySet[Placement]:
    active = _active_placements(ctx)
    late = alerts.no_follow_up(active, ctx.day, ctx.population.unit_id)
    return active.exclude(pk__in=late.values("pk"))


def _in_paid_placement(ctx: Context) -> QuerySet[Citizen]:
    paid = Placement.objects.active_on(ctx.day).filter(
        citizen=OuterRef("pk"), type__is_paid=True, type__counts_as_ordinary_hours=True
    )
    return ctx.citizens.filter(Exists(paid))


def _hours_rising(ctx: Context) -> QuerySet[Citizen]:
    """Ordinary hours in the last 4 weeks above those in the 4 weeks before (8 weeks): one
    grouped pass over the 8 weeks' hour rows."""
    recent = Period(ctx.day - dt.timedelta(days=27), ctx.day)
    before = Period(ctx.day - dt.timedelta(days=55), ctx.day - dt.timedelta(days=28))
    paid = _in_paid_placement(ctx)
    rising = (
        ordinary_hours_in(Period(before.first, recent.last))
        .filter(placement__citizen__in=paid)
        .values("placement__citizen")
        .annotate(
            recent_hours=Sum(prorated_hours(recent)), before_hours=Sum(prorated_hours(before))
        )
        .filter(recent_hours__gt=F("before_hours"))
        .values("placement__citizen")
    )
    return paid.filter(pk__in=rising)


def _team_staff(ctx: Context) -> QuerySet[Membership]:
    members = Membership.objects.filter(team__unit_id=ctx.population.unit_id)
    if ctx.population.team_ids:
        members = members.filter(team_id__in=ctx.population.team_ids)
    return members


def _company_contacts(ctx: Context) -> QuerySet[CompanyContact]:
    """Contacts logged by the population's staff (the jobcentre's, for the jobcentre)."""
    return CompanyContact.objects.filter(
        company__unit_id=ctx.population.unit_id,
        staff__in=_team_staff(ctx).values("user_id"),
        occurred_on__gte=ctx.period.first,
        occurred_on__lte=ctx.period.last,
    )


def _companies_mapped(ctx: Context) -> QuerySet[Any]:
    company = apps.get_model("companies", "Company")
    sessions = MappingSession.objects.filter(
        company=OuterRef("pk"),
        held_on__gte=ctx.period.first,
        held_on__lte=ctx.period.last,
        created_by__in=_team_staff(ctx).values("user_id"),
    )
    return company.objects.filter(unit_id=ctx.population.unit_id).filter(Exists(sessions))


def _open_tasks(ctx: Context) -> QuerySet[Task]:
    """Open tasks now at companies whose fixed contact is on the population's staff."""
    return Task.objects.filter(
        company__unit_id=ctx.population.unit_id,
        status=TaskStatus.AABEN,
        company__fixed_contact__in=_team_staff(ctx).values("user_id"),
    )


def _proposals(ctx: Context) -> QuerySet[MatchProposal]:
    return MatchProposal.objects.filter(
        citizen__in=ctx.citizens,
        created_at__gte=days.start_of_day(ctx.period.first),
        created_at__lt=days.end_of_day(ctx.period.last),
    )


def _matched(ctx: Context) -> QuerySet[MatchProposal]:
    became = Placement.objects.filter(from_proposal=OuterRef("pk"))
    return _proposals(ctx).filter(Exists(became))


def _overdue_follow_ups(ctx: Context) -> QuerySet[FollowUp]:
    """Open follow-ups about the population's citizens due before the last day."""
    citizen_type = apps.get_model("contenttypes", "ContentType").objects.get_for_model(Citizen)
    return FollowUp.objects.filter(
        done_at__isnull=True,
        due_on__lt=ctx.day,
        subject_type=citizen_type,
        subject_id__in=ctx.citizens.values("pk"),
    )


def _overdue_follow_ups_of_citizen(ctx: Context) -> Case:
    """``_overdue_follow_ups`` counted per citizen, for the aggregate over the population: a
    citizen has an open follow-up due before the last day exactly when their earliest open
    one does (``Citizen.next_follow_up_on``, maintained by ``cases.citizens.facts``), so only
    those citizens' follow-ups are counted (an index-only probe each)."""
    citizen_type = apps.get_model("contenttypes", "ContentType").objects.get_for_model(Citizen)
    own = (
        FollowUp.objects.filter(
            done_at__isnull=True,
            due_on__lt=ctx.day,
            subject_type=citizen_type,
            subject_id=OuterRef("pk"),
        )
        .order_by()
        .values("subject_type")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(next_follow_up_on__lt=ctx.day, then=Subquery(own)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _alert(key: str) -> RowsFn:
    def rows(ctx: Context) -> QuerySet[Placement]:
        return alerts.BY_KEY[key].fn(_placements(ctx), ctx.day, ctx.population.unit_id)

    return rows


def _exits(*categories: str) -> RowsFn:
    def rows(ctx: Context) -> QuerySet[Citizen]:
        return ctx.citizens.filter(exited(ctx.period, categories))

    return rows


def _exits_q(*categories: str) -> WhereFn:
    def where(ctx: Context) -> Q:
        return exited(ctx.period, categories)

    return where


def _flag(column: str) -> WhereFn:
    """A true fact column (``CitizenMonth``) of the period's month."""
    return _facts(lambda ctx: Q(**{f"month_facts__{column}": True}))


def _fact_sum(column: str) -> Callable[[], Any]:
    return lambda: Sum(f"month_facts__{column}")


def _everyone(ctx: Context) -> Q:
    return EVERYONE


def _inflow_q(ctx: Context) -> Q:
    return Q(opened_on__gte=ctx.period.first, opened_on__lte=ctx.period.last)


ORDINARY_HOURS = _facts(lambda ctx: Q(month_facts__ordinary_hours__gt=0))
HOURS_RISING = _facts(
    lambda ctx: Q(
        month_facts__paid_ordinary_last_day=True,
        month_facts__hours_last_4_weeks__gt=F("month_facts__hours_4_weeks_before"),
    )
)


def _in(**flags: bool) -> RowsFn:
    def rows(ctx: Context) -> QuerySet[Citizen]:
        return ctx.citizens.filter(in_placement(ctx.period, **flags))

    return rows


ALL_EXITS = [c.value for c in ExitCategory]
FSM = "Rambøll: Flere skal med, slutevaluering"
TFT = "CFBU: Midtvejsevaluering af jobgaranti i udsatte boligområder (trin-for-trin)"
KL = "KL / New Insight: Gør som de bedste"
TI = "Teknologisk Institut: Vækst med Social Bundlinje"

MEASURES: list[Measure] = [
    Measure(
        "caseload", "Aktiv sagsstamme", Kind.COUNT, _caseload, source=FSM, where=_caseload_cond
    ),
    Measure(
        "caseload_per_jobformidler",
        "Sagsstamme pr. jobformidler",
        Kind.RATIO,
        _caseload,
        denominator=_caseload_staff,
        source=FSM,
        where=_caseload_cond,
        where_denominator=_facts(_caseload_staff_facts),
        distinct_denominator="month_facts__jobformidler",
    ),
    Measure(
        "inflow",
        "Tilgang",
        Kind.COUNT,
        lambda c: c.citizens.filter(_inflow_q(c)),
        source=KL,
        where=_inflow_q,
    ),
    Measure(
        "exits",
        "Afgang i alt",
        Kind.COUNT,
        _exits(*ALL_EXITS),
        source=KL,
        where=_exits_q(*ALL_EXITS),
    ),
    Measure(
        "exits_job",
        "Afgang til job",
        Kind.COUNT,
        _exits(ExitCategory.JOB),
        source=KL,
        where=_exits_q(ExitCategory.JOB),
    ),
    Measure(
        "exits_job_special",
        "Afgang til job på særlige vilkår",
        Kind.COUNT,
        _exits(ExitCategory.JOB_SAERLIGE_VILKAAR),
        source=KL,
        where=_exits_q(ExitCategory.JOB_SAERLIGE_VILKAAR),
    ),
    Measure(
        "exits_education",
        "Afgang til uddannelse",
        Kind.COUNT,
        _exits(ExitCategory.UDDANNELSE),
        source=KL,
        where=_exits_q(ExitCategory.UDDANNELSE),
    ),
    Measure(
        "exits_afklaring",
        "Afgang til afklaring",
        Kind.COUNT,
        _exits(ExitCategory.AFKLARING),
        source=KL,
        where=_exits_q(ExitCategory.AFKLARING),
    ),
    Measure(
        "exits_other",
        "Anden afgang",
        Kind.COUNT,
        _exits(ExitCategory.ANDET),
        source=KL,
        where=_exits_q(ExitCategory.ANDET),
    ),
    Measure(
        "contact_cadence",
        "Samtale inden for kadencen",
        Kind.SHARE,
        _in_cadence,
        denominator=_caseload,
        source=FSM,
        where=_facts(_cadence_facts),
        where_denominator=_caseload_cond,
    ),
    Measure(
        "days_since_contact_median",
        "Dage siden seneste samtale (median)",
        Kind.MEDIAN,
        lambda c: (
            _caseload(c)
            .alias(since_contact=_days_since_contact(c))
            .filter(since_contact__isnull=False)
        ),
        median_of=_days_since_contact,
        unit_label="dage",
        source=FSM,
        where=_facts(lambda c: _caseload_cond(c) & Q(month_facts__last_contact_at__isnull=False)),
    ),
    Measure(
        "cv",
        "CV oprettet",
        Kind.SHARE,
        lambda c: c.citizens.filter(cv_present=True),
        denominator=_population,
        source=TFT + ", Bilag 1",
        where=lambda c: Q(cv_present=True),
        where_denominator=_everyone,
    ),
    Measure(
        "own_job_goal",
        "Konkret jobmål, borgerens eget",
        Kind.SHARE,
        _own_job_goal,
        denominator=_population,
        source=FSM,
        where=_own_job_goal_q,
        where_denominator=_everyone,
    ),
    Measure(
        "continuity",
        "Skift af jobformidler pr. borger (12 måneder)",
        Kind.RATIO,
        _changes,
        denominator=_population,
        noun="skift",
        source=TFT,
    ),
    Measure(
        "virksomhedsforloeb",
        "I virksomhedsforløb mv.",
        Kind.SHARE,
        _in(counts_as_virksomhedsforloeb=True),
        denominator=_population,
        source=FSM,
        where=_flag("in_virksomhedsforloeb"),
        where_denominator=_everyone,
    ),
    Measure(
        "fsm40_window",
        "FSM-kriteriet: i virksomhedsforløb mv. i 3-måneders vinduet (gruppe 1)",
        Kind.SHARE,
        _fsm_any,
        denominator=_fsm_group,
        source=FSM,
        where=_facts(_fsm_any_facts),
        where_denominator=_fsm_group_cond,
    ),
    Measure(
        "fsm40_day",
        "FSM-kriteriet: i virksomhedsforløb mv. på vinduets sidste dag (gruppe 1)",
        Kind.SHARE,
        _fsm_day,
        denominator=_fsm_group,
        source=FSM,
        where=_facts(
            lambda c: _fsm_group_cond(c) & Q(month_facts__virksomhedsforloeb_last_day=True)
        ),
        where_denominator=_fsm_group_cond,
    ),
    Measure(
        "virksomhedsrettet",
        "I virksomhedsrettet indsats (praktik, løntilskud)",
        Kind.SHARE,
        _in(virksomhedsrettet=True),
        denominator=_population,
        source=FSM,
        where=_flag("in_virksomhedsrettet"),
        where_denominator=_everyone,
    ),
    Measure(
        "ordinary_hours",
        "Med ordinære timer",
        Kind.SHARE,
        _with_hours,
        denominator=_population,
        source=TFT + ", Bilag 1; " + FSM,
        where=ORDINARY_HOURS,
        where_denominator=_everyone,
    ),
    Measure(
        "ordinary_hours_per_week",
        "Ordinære timer pr. uge blandt dem med timer",
        Kind.RATIO,
        _with_hours,
        denominator=_with_hours,
        summed=_hours_per_week,
        unit_label="t/uge",
        source=FSM,
        where=ORDINARY_HOURS,
        where_denominator=ORDINARY_HOURS,
        summed_field="month_facts__ordinary_hours",
    ),
    Measure(
        "praktik_without_hours",
        "I praktik uden ordinære timer",
        Kind.SHARE,
        _praktik_without_hours,
        denominator=_population,
        source=TFT + ", Bilag 1",
        where=_flag("praktik_without_hours"),
        where_denominator=_everyone,
    ),
    Measure(
        "self_supporting",
        "Selvforsørgende (job eller uddannelse)",
        Kind.SHARE,
        _exits(ExitCategory.JOB, ExitCategory.UDDANNELSE),
        denominator=_population,
        where=_exits_q(ExitCategory.JOB, ExitCategory.UDDANNELSE),
        where_denominator=_everyone,
        source=TFT + ", Bilag 1",
    ),
    Measure(
        "ren_beskaeftigelse",
        "Ren beskæftigelse",
        Kind.SHARE,
        _ren_beskaeftigelse,
        denominator=_population,
        source=FSM,
        where=_ren_beskaeftigelse_cond,
        where_denominator=_everyone,
    ),
    Measure(
        "afklaret",
        "Afklaret",
        Kind.SHARE,
        _exits(ExitCategory.AFKLARING),
        denominator=_population,
        where=_exits_q(ExitCategory.AFKLARING),
        where_denominator=_everyone,
        source=FSM,
    ),
    Measure(
        "placements_started",
        "Virksomhedsforløb startet",
        Kind.COUNT,
        _started,
        noun="forløb",
        source=KL,
        fact_sum=_fact_sum("placements_started"),
    ),
    Measure(
        "agreements_ordinary_from_start",
        "Nye arbejdsaftaler med ordinære timer fra start",
        Kind.SHARE,
        lambda c: _new_agreements(c).filter(ordinary_hours_terms=OrdinaryHoursTerms.FRA_START),
        denominator=_new_agreements,
        noun="arbejdsaftaler",
        source=FSM,
        fact_sum=_fact_sum("agreements_ordinary_from_start"),
        fact_sum_denominator=_fact_sum("agreements_agreed"),
    ),
    Measure(
        "placements_followed_up",
        "Aktive forløb fulgt op inden for kadencen",
        Kind.SHARE,
        _followed_up,
        denominator=_active_placements,
        noun="forløb",
        source=FSM,
        fact_sum=lambda: Sum(
            F("month_facts__active_placements_last_day") - F("month_facts__alert_no_follow_up")
        ),
        fact_sum_denominator=lambda: Sum("month_facts__active_placements_last_day"),
    ),
    Measure(
        "hours_rising",
        "Stigende ordinære timer (seneste 8 uger)",
        Kind.SHARE,
        _hours_rising,
        denominator=_in_paid_placement,
        source=FSM,
        where=HOURS_RISING,
        where_denominator=_flag("paid_ordinary_last_day"),
    ),
    Measure(
        "company_contacts",
        "Virksomhedskontakter",
        Kind.COUNT,
        _company_contacts,
        noun="kontakter",
        source=TI,
    ),
    Measure(
        "companies_mapped",
        "Virksomheder med opgavekortlægning",
        Kind.COUNT,
        _companies_mapped,
        noun="virksomheder",
        source=TI,
    ),
    Measure("open_tasks", "Åbne opgaver", Kind.COUNT, _open_tasks, noun="opgaver", source=TI),
    Measure(
        "match_rate",
        "Match der blev til forløb",
        Kind.SHARE,
        _matched,
        denominator=_proposals,
        noun="match",
        source=TI,
    ),
    Measure(
        "overdue_follow_ups",
        "Overskredne opfølgninger",
        Kind.COUNT,
        _overdue_follow_ups,
        noun="opfølgninger",
        source=KL,
        per_citizen=_overdue_follow_ups_of_citizen,
    ),
    *[
        Measure(
            f"alert_{alert.key}",
            str(alert.label),
            Kind.COUNT,
            _alert(alert.key),
            noun="forløb",
            fact_sum=_fact_sum(f"alert_{alert.key}"),
            source="docs/measures.md",
        )
        for alert in alerts.ALERTS
    ],
]
BY_SLUG: dict[str, Measure] = {m.slug: m for m in MEASURES}


# --- evaluation ----------------------------------------------------------------------------


# Set by ``live()``: compute every measure from the raw tables (the reference the facts are
# tested against), even where the per-citizen facts cover the period.
_LIVE: ContextVar[bool] = ContextVar("measures_live", default=False)


@contextmanager
def live() -> Iterator[None]:
    """Within the block, every measure is computed live, never from ``CitizenMonth``."""
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


_UNREAD: Any = object()


def facts_cover(period: Period, state: tuple[dt.date, dt.date] | None = _UNREAD) -> bool:
    """Whether the per-citizen facts answer for ``period``: a calendar month before the last
    one they are built for, or that month up to the day it is taken on — the live month to
    today after the hourly task has run (``cases.citizens.month_facts``). ``state``:
    ``built()`` when the caller has read it (several periods)."""
    if _LIVE.get() or period.first.day != 1 or period.last > days.month_end(period.first):
        return False
    if state is _UNREAD:
        state = citizen_month_facts.built()
    if state is None:
        return False
    through, taken_on = state
    if period.first < through:
        return period.last == days.month_end(period.first)
    return period.first == through and period.last == taken_on


def context(population: Population, period: Period, facts: bool | None = None) -> Context:
    citizens = citizens_in(population, period)
    if facts is None:
        facts = facts_cover(period)
    if facts:
        citizens = citizens.alias(
            month_facts=FilteredRelation("months", condition=Q(months__month=period.first))
        )
    return Context(population, period, citizens, facts)


# Conditions several figures share, computed once per citizen in ``compute``'s aggregate.
SHARED: dict[str, Callable[[Context], Q]] = {
    "in_caseload": _caseload_q,
    "in_fsm_group": _fsm_group_q,
    "in_ren_beskaeftigelse": _ren_beskaeftigelse_q,
}
# A LIMIT no population reaches: it keeps the citizens (with the shared columns) a subquery
# the aggregate reads, so PostgreSQL computes each shared condition once per citizen.
_AS_SUBQUERY = 10**12


def _one_aggregate(ctx: Context, batched: Sequence[Measure]) -> dict[str, Any]:
    """The batched measures' figures in one query; the shared conditions they use, and the
    counts per citizen (``Measure.per_citizen``), are columns of the citizens, computed once
    each."""
    used: set[str] = set()
    per_citizen: dict[str, Any] = {}
    shared = replace(
        ctx, shared=True, memo={**ctx.memo, "shared_used": used, "per_citizen_used": per_citizen}
    )
    aggregates = _aggregates(shared, batched)
    citizens = ctx.citizens.annotate(**per_citizen)
    if not used:
        return citizens.aggregate(**aggregates)
    citizens = citizens.annotate(
        **{
            name: Case(When(SHARED[name](ctx), then=Value(True)), default=Value(False))
            for name in sorted(used)
        }
    )
    return citizens.order_by()[:_AS_SUBQUERY].aggregate(**aggregates)


def _batched(ctx: Context, chosen: Sequence[Measure]) -> list[Measure]:
    return [m for m in chosen if m.batchable(ctx)]


def _aggregates(ctx: Context, batched: Sequence[Measure]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for measure in batched:
        result.update(measure.aggregates(ctx))
    return result


def compute(
    population: Population,
    period: Period,
    slugs: Sequence[str] | None = None,
    facts: bool | None = None,
) -> dict[str, Figure]:
    """Every measure (or those of ``slugs``) for one population and period. The measures
    that are conditions on the population's citizens are one aggregate query together.
    ``facts``: ``facts_cover(period)`` when the caller has it (a series of months)."""
    ctx = context(population, period, facts)
    chosen = [BY_SLUG[s] for s in slugs] if slugs else MEASURES
    batched = _batched(ctx, chosen)
    values = _one_aggregate(ctx, batched) if batched else {}
    names = {m.slug for m in batched}
    return {
        m.slug: m.from_aggregates(ctx, values) if m.slug in names else m.figure(ctx) for m in chosen
    }


def grouped_values(
    ctx: Context, key: Any, slugs: Sequence[str]
) -> tuple[dict[Any, dict[str, Any]], list[Measure], list[str]]:
    """The measures of ``slugs`` that are conditions on the context's citizens (or counts per
    citizen), per value of ``key`` (an expression on a citizen, e.g. the jobformidler
    assigned on a day): one aggregate grouped by it. Returns the aggregate's values per key
    (a key with no citizens is absent; ``Measure.from_aggregates`` makes a group's figures,
    those of the population narrowed to its citizens, and of the values added up over the
    groups the pooled figures), the measures in it, and the slugs that are not (the caller
    counts them otherwise)."""
    chosen = [BY_SLUG[s] for s in slugs]
    batched = [m for m in _batched(ctx, chosen) if m.slug not in NOT_ADDITIVE]
    result: dict[Any, dict[str, Any]] = {}
    if batched:
        rows = (
            ctx.citizens.order_by()
            .annotate(group_key=key)
            .values("group_key")
            .annotate(**_aggregates(ctx, batched))
        )
        for row in rows:
            values: dict[str, Any] = dict(row)
            result[values.pop("group_key")] = values
    names = {m.slug for m in batched}
    return result, batched, [m.slug for m in chosen if m.slug not in names]


def drill_down(population: Population, period: Period, slug: str) -> QuerySet[Any]:
    """The rows behind a figure (its count is the figure's numerator; for a summed measure,
    the citizens whose hours are summed)."""
    return BY_SLUG[slug].current_rows(context(population, period))


# Measures that are not a sum over the teams: a median, and those whose rows belong to staff
# (who may be members of several teams) rather than to one citizen.
NOT_ADDITIVE = frozenset(
    {
        "caseload_per_jobformidler",
        "days_since_contact_median",
        "company_contacts",
        "companies_mapped",
        "open_tasks",
    }
)


def pooled(measure: Measure, figures: Sequence[Figure]) -> Figure:
    """The figure of a population split into groups that each citizen is in exactly one of
    (teams, jobformidlere): the sums of the groups' numerators and denominators. Only for a
    measure not in ``NOT_ADDITIVE``."""
    numerator = sum((f.numerator for f in figures), ZERO)
    denominator = (
        None if measure.denominator is None else sum((f.denominator or ZERO for f in figures), ZERO)
    )
    return measure._make(Decimal(numerator), denominator, None)


def _citizen_ref(model: type[Any]) -> str | None:
    """The column of a measure's rows that names their citizen; None for rows that belong to
    staff or companies."""
    refs: dict[type[Any], str] = {
        Citizen: "pk",
        Placement: "citizen_id",
        WorkAgreement: "placement__citizen_id",
        MatchProposal: "citizen_id",
        Assignment: "citizen_id",
        FollowUp: "subject_id",
    }
    return refs.get(model)


def counted_per(rows: QuerySet[Any], key: Callable[[str], Any]) -> dict[Any, int]:
    """A measure's rows counted per ``key(citizen column)`` (an expression on the row's
    citizen: their team, the jobformidler assigned on a day): one grouped query."""
    ref = _citizen_ref(rows.model)
    assert ref is not None, rows.model
    counted = (
        rows.order_by()
        .annotate(count_key=key(ref))
        .values("count_key")
        .annotate(n=Count("pk"))  # as ``rows.count()``
        .values_list("count_key", "n")
    )
    return dict(counted)


def _team_of(ref: str) -> Any:
    """The team of the row's citizen (``counted_per``)."""
    if ref == "pk":
        return F("team_id")
    return Subquery(Citizen.objects.filter(pk=OuterRef(ref)).order_by().values("team_id")[:1])


def _countable_per_team(measure: Measure, ctx: Context) -> bool:
    """Whether the teams' figures of this (not batched) measure are its rows counted per
    team: a count of rows of citizens, each in one team."""
    if measure.slug in NOT_ADDITIVE or measure.summed is not None or measure.kind == Kind.MEDIAN:
        return False
    if _citizen_ref(measure.rows(ctx).model) is None:
        return False
    return measure.denominator is None or _citizen_ref(measure.denominator(ctx).model) is not None


def _deduplicated(aggregates: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The aggregates without repeats, and each repeat's name -> the name computed: two
    measures' aggregates that are the same expression (in the grouped query the caseload per
    jobformidler's staff count their rows by the caseload's condition, the caseload's own
    count) are one column, each condition evaluated once per row."""
    unique: dict[str, Any] = {}
    first: dict[Any, str] = {}
    same: dict[str, str] = {}
    for name, aggregate in aggregates.items():
        try:
            earlier = first.setdefault(aggregate, name)
        except TypeError:  # not hashable: computed on its own
            earlier = name
        if earlier != name:
            same[name] = earlier
        else:
            unique[name] = aggregate
    return unique, same


@dataclass
class _Grouped:
    """``_grouped_by_team``'s answer: the aggregates per team, and over all the teams
    (``overall``: the sums, and each distinct count counted over all of them)."""

    per_team: dict[int, dict[str, Any]]
    overall: dict[str, Any]
    distinct: frozenset[str]  # the names in ``overall`` that are distinct counts


def _grouped_by_team(ctx: Context, team_ids: Sequence[int], batched: Sequence[Measure]) -> _Grouped:
    """The batched measures' aggregates per team: one query. A distinct count (caseload per
    jobformidler's staff) would make PostgreSQL sort every row for it, so the query is then
    grouped by team and that column, and the groups are added up here: the counts and sums
    are sums over the groups, the distinct count the number of values that have any of its
    rows — per team, and over all the teams (``overall``: the total's, without a query of its
    own). Not with a median (not a sum of groups)."""
    columns = {m.distinct_denominator for m in batched if m.distinct_denominator is not None}
    medians = any(m.kind == Kind.MEDIAN for m in batched)
    split = columns.pop() if len(columns) == 1 and not medians and ctx.facts else None
    if split is not None:
        ctx = replace(ctx, split_by=split)
    citizens = ctx.citizens.filter(team_id__in=list(team_ids)).order_by()
    keys = ("team_id", split) if split is not None else ("team_id",)
    unique, same = _deduplicated(_aggregates(ctx, batched))
    rows = citizens.values(*keys).annotate(**unique)
    per_team: dict[int, dict[str, Any]] = {}
    overall: dict[str, Any] = {}
    distinct = {m._denominator_key() for m in batched if split and m.distinct_denominator == split}
    seen: dict[str, set[Any]] = {name: set() for name in distinct}
    for row in rows:
        for name, computed in same.items():
            row[name] = row[computed]
        team = per_team.setdefault(row["team_id"], {})
        for name, value in row.items():
            if name in keys or value is None:
                continue
            if name in distinct:
                value = 1 if value and row[split] is not None else 0
                if value:
                    seen[name].add(row[split])
            team[name] = team.get(name, 0) + value
            overall[name] = overall.get(name, 0) + value
    for name, values in seen.items():
        overall[name] = len(values)
    return _Grouped(per_team, overall, frozenset(distinct))


def teams_and_total(
    base: Population, team_ids: Sequence[int], period: Period, slugs: Sequence[str] | None = None
) -> tuple[dict[int, dict[str, Figure]], dict[str, Figure]]:
    """Every team of ``team_ids`` and the jobcentre. ``team_ids`` must be all the jobcentre's
    teams: every citizen is in exactly one, so a measure counted over citizens (or their
    placements) has the jobcentre's numerator and denominator as the sum of the teams' — the
    pooled figure, without computing it again. The others are computed for the jobcentre.

    Queries do not grow with the number of teams: the conditions on citizens are one
    aggregate grouped by team; a measure counting other rows of citizens (follow-ups,
    placements, agreements) one grouped count of them per team (and of its denominator's);
    only a measure that is neither (staff's and companies' rows, a live median or sum) is
    computed team by team. A distinct count in the aggregate (caseload per jobformidler on the
    facts: the jobformidlere of the caseload) has its total from the same query: the values
    with any row over all the teams, each counted once however many teams it is in."""
    chosen = [BY_SLUG[s] for s in slugs] if slugs else MEASURES
    # The conditions on citizens: one aggregate grouped by team for all the teams (a
    # measure that is not a sum over teams, e.g. caseload per jobformidler, too: each team's
    # own figure; its total from the same query where it can, else computed below).
    ctx = context(base, period)
    batched = _batched(ctx, chosen)
    grouped = _Grouped({}, {}, frozenset())
    if batched:
        grouped = _grouped_by_team(ctx, team_ids, batched)
    names = {m.slug for m in batched}
    counted = [m for m in chosen if m.slug not in names and _countable_per_team(m, ctx)]
    per_count: dict[str, tuple[dict[Any, int], dict[Any, int]]] = {}
    for measure in counted:
        denominators = (
            counted_per(measure.denominator(ctx), _team_of)
            if measure.denominator is not None
            else {}
        )
        per_count[measure.slug] = (counted_per(measure.rows(ctx), _team_of), denominators)
    rest = [m.slug for m in chosen if m.slug not in names and m.slug not in per_count]
    per_team: dict[int, dict[str, Figure]] = {}
    for team_id in team_ids:
        team = compute(base.with_teams([team_id]), period, rest) if rest else {}
        for measure in batched:
            # ``from_aggregates`` reads only the period of its context: the team's is ``ctx``'s.
            team[measure.slug] = measure.from_aggregates(ctx, grouped.per_team.get(team_id, {}))
        for measure in counted:
            numerators, denominators = per_count[measure.slug]
            team[measure.slug] = measure._make(
                Decimal(numerators.get(team_id, 0)),
                None if measure.denominator is None else Decimal(denominators.get(team_id, 0)),
                None,
            )
        per_team[team_id] = {m.slug: team[m.slug] for m in chosen}
    from_groups = [
        m for m in batched if m.slug in NOT_ADDITIVE and m._denominator_key() in grouped.distinct
    ]
    done = {m.slug for m in from_groups}
    separate = [m.slug for m in chosen if m.slug in NOT_ADDITIVE and m.slug not in done]
    total = compute(base, period, separate) if separate else {}
    for measure in from_groups:
        total[measure.slug] = measure.from_aggregates(ctx, grouped.overall)
    for measure in chosen:
        if measure.slug in NOT_ADDITIVE:
            continue
        total[measure.slug] = pooled(measure, [per_team[t][measure.slug] for t in team_ids])
    return per_team, {m.slug: total[m.slug] for m in chosen}


TOTAL_LABEL = "Jobcentret i alt"

# (label, team id or None for the total, the figures)
DocumentRow = tuple[str, int | None, dict[str, Figure]]


def document(
    unit_name: str, period: Period, base: Population, rows: Sequence[DocumentRow]
) -> dict[str, Any]:
    """The JSON of ``manage.py measures`` (docs/measures.md), also served to BI tools by the
    API (docs/api.md): one definition of the document."""
    return {
        "unit": unit_name,
        "period": {"first": period.first.isoformat(), "last": period.last.isoformat()},
        "filters": {
            "benefit": base.benefit_type,
            "readiness": base.readiness,
            "visitation_group": base.visitation_group,
            "as_of": (base.as_of or period.last).isoformat(),
        },
        "populations": [
            {
                "label": label,
                "team_id": team_id,
                "measures": {slug: f.as_json() for slug, f in figures.items()},
            }
            for label, team_id, figures in rows
        ],
    }


@dataclass
class Table:
    """Figures for several populations: ``rows[label] = {slug: Figure}``."""

    period: Period
    rows: dict[str, dict[str, Figure]] = field(default_factory=dict)


def table(populations: dict[str, Population], period: Period) -> Table:
    result = Table(period)
    for label, population in populations.items():
        result.rows[label] = compute(population, period)
    return result
