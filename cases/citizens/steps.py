"""The citizen's step in the trin-for-trin model (docs/domain.md), derived from the data.

- afsluttet: the citizen's case is closed (status afsluttet);
- trin 3: an active placement at a company (a type with ``at_company``: praktik or
  employment at a company, not ordinary education) with a confirmed start; or, when none is
  active, the latest ended placement at a company ended in a job or education
  (``PlacementEndReason.is_job``): the citizen is in work, and stays in trin 3 until the case
  is closed;
- trin 2: a concrete job goal but no active company placement (also after a placement is
  broken off or ends without a job);
- trin 1: no concrete job goal.

docs/measures.md ("The step") gives the sources.

``step_on`` is the one definition, in SQL (``with_step`` annotates it), so lists can filter
and count by step; ``derive_step`` applies it to one citizen.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from cases.citizens.models import Citizen, CitizenStatus, JobGoal
from substitution import days

CLOSED = 0  # "afsluttet" sorts apart from trin 1-3
STEP_LABELS = {
    1: _("Trin 1 – Afklaring"),
    2: _("Trin 2 – På vej mod job"),
    3: _("Trin 3 – Virksomhedsforløb"),
    CLOSED: _("Afsluttet"),
}
STEP_CHOICES = [(1, STEP_LABELS[1]), (2, STEP_LABELS[2]), (3, STEP_LABELS[3]), (0, STEP_LABELS[0])]


def active_placement_exists(day: dt.date) -> Exists:
    """An active company placement (trin 3). Placements sit in a layer above citizens
    (docs/architecture.md): the rule is asked of the model, ``active_on`` stays its one home."""
    placements = apps.get_model("cases", "Placement").objects
    return Exists(placements.active_on(day).filter(citizen=OuterRef("pk"), type__at_company=True))


def ended_in_job(day: dt.date) -> Subquery:
    """Whether the citizen's latest ended company placement (before ``day``) ended in a job."""
    placements = apps.get_model("cases", "Placement").objects
    latest = (
        placements.ended_before(day)
        .filter(citizen=OuterRef("pk"), type__at_company=True)
        .order_by("-ends_on", "-pk")
        .values("end_reason__is_job")[:1]
    )
    return Subquery(latest, output_field=BooleanField())


def job_goal_exists(day: dt.date) -> Exists:
    return Exists(
        JobGoal.objects.filter(citizen=OuterRef("pk"), created_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )
    )


def step_on(day: dt.date | None = None) -> Case:
    """The step (0 = afsluttet, 1, 2, 3) on ``day`` (default today), as an SQL expression."""
    day = day or days.today()
    return Case(
        When(status=CitizenStatus.AFSLUTTET, then=Value(CLOSED)),
        When(active_placement_exists(day), then=Value(3)),
        When(ended_in_job(day), then=Value(3)),
        When(job_goal_exists(day), then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


def with_step[QS: QuerySet[Citizen]](qs: QS, day: dt.date | None = None) -> QS:
    """Annotate ``step`` (``step_on``) on ``day`` (default today)."""
    return qs.annotate(step=step_on(day))


def derive_step(citizen: Citizen, day: dt.date | None = None) -> int:
    """The step of one citizen (uses an existing ``step`` annotation when present)."""
    if day is None and hasattr(citizen, "step"):
        return int(citizen.step)
    steps = Citizen.objects.filter(pk=citizen.pk).annotate(step=step_on(day))
    return int(steps.values_list("step", flat=True).get())


def step_label(step: int) -> str:
    return str(STEP_LABELS[step])
