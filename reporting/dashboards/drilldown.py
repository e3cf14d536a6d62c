"""The list behind a figure, in the columns a team lead acts on: citizen, jobformidler, step,
days since the last conversation, and the fact that put the row on the list.

The rows are ``reporting.measures.drill_down`` — the measure's own definition — so their
number is the figure's (docs/measures.md). For a share the list can also show the rest of the
denominator (``rest=True``: e.g. the citizens *without* a conversation within the cadence),
which is the measure's denominator rows less its rows: the two lists add up to the
denominator. A page costs the same number of queries whatever the list's length: the rows of
the page, their citizens (one query) and their steps (one query).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.citizens.models import Citizen
from cases.citizens.queries import add_steps
from cases.citizens.steps import STEP_LABELS
from cases.matching.models import MatchProposal
from cases.placements.models import Placement, WorkAgreement
from companies.models import Company, CompanyContact, Task
from reporting.measures import (
    BY_SLUG,
    Figure,
    Kind,
    Measure,
    Period,
    Population,
    compute,
    context,
)
from substitution import days
from substitution.models import FollowUp

PAGE_SIZE = 100


@dataclass
class Row:
    citizen: Citizen | None
    fact: str
    link: str = ""  # the row's own page (a placement, a company) besides the citizen's
    link_label: str = ""
    step_label: str = ""
    days_since_contact: int | None = None


@dataclass
class DrillDown:
    slug: str
    label: str
    kind: Kind
    noun: str
    figure: Figure
    count: int  # rows on the list (all pages): the figure's numerator, or the rest
    rest: bool
    rows: list[Row] = field(default_factory=list)
    page: int = 1
    pages: int = 1

    @property
    def citizen_rows(self) -> bool:
        """Whether the rows name citizens (a case review can be started from them)."""
        return any(row.citizen is not None for row in self.rows)


def _date(day: dt.date | None) -> str:
    return date_format(day, "d.m.Y") if day else ""


# How to read each kind of row: (select_related paths, the citizen id, the fact, the link).
Reader = tuple[
    tuple[str, ...],
    Callable[[Any], int | None],
    Callable[[Any], str],
    Callable[[Any], tuple[str, str]],
]


def _no_link(_row: Any) -> tuple[str, str]:
    return "", ""


def _citizen_fact(slug: str, rest: bool) -> Callable[[Citizen], str]:
    """Why a citizen is on the list: the exit or the start for those measures, else the
    measure itself (or, on the rest of a share, that the citizen is not counted in it)."""
    label = str(BY_SLUG[slug].label)

    def fact(c: Citizen) -> str:
        if rest:
            return _("Ikke med: %(label)s") % {"label": label.lower()}
        if slug.startswith("exits") or slug in {
            "self_supporting",
            "afklaret",
            "ren_beskaeftigelse",
        }:
            reason = str(c.exit_reason) if c.exit_reason_id else ""
            return _("Afsluttet %(day)s: %(reason)s") % {
                "day": _date(c.exit_date),
                "reason": reason,
            }
        if slug == "inflow":
            return _("Startet %(day)s") % {"day": _date(c.opened_on)}
        return label

    return fact


def _placement_fact(p: Placement) -> str:
    text = _("%(type)s hos %(company)s fra %(day)s") % {
        "type": p.type.label,
        "company": p.company.name,
        "day": _date(p.starts_on),
    }
    if p.start_confirmed_on is None:
        text += " " + _("(start ikke bekræftet)")
    return text


def _reader(model: type[Any], slug: str, rest: bool = False) -> Reader:
    if model is Citizen:
        return (("exit_reason",), lambda c: c.pk, _citizen_fact(slug, rest), _no_link)
    if model is Placement:
        return (
            ("type", "company"),
            lambda p: p.citizen_id,
            _placement_fact,
            lambda p: (p.get_absolute_url(), _("Forløb")),
        )
    if model is WorkAgreement:
        return (
            ("placement__company",),
            lambda a: a.placement.citizen_id,
            lambda a: (
                _("Arbejdsaftale %(day)s med %(company)s: %(terms)s")
                % {
                    "day": _date(a.agreed_on),
                    "company": a.placement.company.name,
                    "terms": a.get_ordinary_hours_terms_display(),
                }
            ),
            lambda a: (a.placement.get_absolute_url(), _("Forløb")),
        )
    if model is FollowUp:
        return (
            (),
            lambda f: f.subject_id,
            lambda f: _("%(title)s, frist %(day)s") % {"title": f.title, "day": _date(f.due_on)},
            _no_link,
        )
    if model is MatchProposal:
        return (
            ("task__company",),
            lambda m: m.citizen_id,
            lambda m: (
                _("Match til %(task)s hos %(company)s")
                % {"task": m.task.title, "company": m.task.company.name}
            ),
            _no_link,
        )
    if model is CompanyContact:
        return (
            ("company", "staff"),
            lambda _c: None,
            lambda c: _("%(day)s: %(staff)s") % {"day": _date(c.occurred_on), "staff": c.staff},
            lambda c: (c.company.get_absolute_url(), c.company.name),
        )
    if model is Company:
        return ((), lambda _c: None, lambda _c: "", lambda c: (c.get_absolute_url(), c.name))
    if model is Task:
        return (
            ("company",),
            lambda _t: None,
            lambda t: t.title,
            lambda t: (t.company.get_absolute_url(), t.company.name),
        )
    # Assignments (continuity): a change of jobformidler.
    return (
        ("jobformidler",),
        lambda a: getattr(a, "citizen_id", None),
        lambda a: (
            _("Ny jobformidler %(name)s fra %(day)s")
            % {"name": getattr(a, "jobformidler", ""), "day": _date(getattr(a, "started_on", None))}
        ),
        _no_link,
    )


def _ordered(qs: QuerySet[Any]) -> QuerySet[Any]:
    if qs.model is Citizen:
        return qs.order_by("last_name", "first_name", "pk")
    if qs.model is Company:
        return qs.order_by("name", "pk")
    return qs.order_by("pk")


def rows_of(population: Population, period: Period, slug: str, rest: bool = False) -> QuerySet[Any]:
    """The list's rows: the measure's (``drill_down``), or for a share the rest of its
    denominator."""
    measure = BY_SLUG[slug]
    ctx = context(population, period)
    rows = measure.rows(ctx)
    if not rest:
        return rows
    assert measure.denominator is not None
    return measure.denominator(ctx).exclude(pk__in=rows.values("pk"))


def list_count(measure: Measure, figure: Figure, rest: bool) -> int:
    """How many rows the list has, from the figure it stands behind (no second count): the
    numerator (for a summed measure the citizens whose hours are summed, its denominator), or
    for the rest of a share the denominator less the numerator. That the rows are exactly
    these many is the measures' own guarantee (``drill_down``; tests/reporting/
    test_measures_facts.py and test_drilldown.py count them)."""
    if rest:
        return int((figure.denominator or 0) - figure.numerator)
    if measure.summed is not None:
        return int(figure.denominator or 0)
    return int(figure.numerator)


def can_show_rest(slug: str) -> bool:
    measure = BY_SLUG[slug]
    return measure.kind == Kind.SHARE and measure.denominator is not None


def build(
    population: Population,
    period: Period,
    slug: str,
    *,
    rest: bool = False,
    page: int = 1,
    today: dt.date | None = None,
) -> DrillDown:
    """One page of the list behind ``slug`` for ``population`` in ``period``."""
    measure = BY_SLUG[slug]
    rest = rest and can_show_rest(slug)
    figure = compute(population, period, [slug])[slug]
    qs = rows_of(population, period, slug, rest)
    count = list_count(measure, figure, rest)
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 1), pages)
    related, citizen_of, fact_of, link_of = _reader(qs.model, slug, rest)
    if related:
        qs = qs.select_related(*related)
    chunk = list(_ordered(qs)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    ids = {cid for cid in (citizen_of(r) for r in chunk) if cid is not None}
    citizens = {c.pk: c for c in Citizen.objects.filter(pk__in=ids).select_related("jobformidler")}
    day = period.last
    add_steps(list(citizens.values()), day)
    today = today or days.today()
    rows = []
    for item in chunk:
        cid = citizen_of(item)
        citizen = citizens.get(cid) if cid is not None else None
        link, link_label = link_of(item)
        row = Row(citizen, fact_of(item), link, link_label)
        if citizen is not None:
            row.step_label = str(STEP_LABELS.get(getattr(citizen, "step", -1), ""))
            row.days_since_contact = days.days_since(citizen.last_held_conversation_at, today)
        rows.append(row)
    return DrillDown(
        slug=slug,
        label=measure.label,
        kind=measure.kind,
        noun=measure.noun,
        figure=figure,
        count=count,
        rest=rest,
        rows=rows,
        page=page,
        pages=pages,
    )
