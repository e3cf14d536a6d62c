"""Placements at companies, work agreements and ordinary hours.

Hours corrections replace the row and keep the earlier value as a revision.

**A placement's status follows its dates**, stated here once in Python (``status_on``) and
once in SQL (``PlacementQuerySet.with_status_on`` and its shorthands ``planned_on``,
``active_on``, ``ended_before``); a test holds the two to each other. The stored
``Placement.status`` column is a denormalised copy for filtering, written only by
``cases.placements.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.citizens.models import Citizen
from cases.matching.models import MatchProposal
from companies.models import Company, ContactPerson, PlacementType, Task
from substitution import days
from substitution.models import CodeList, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from substitution.models import User

# --- code lists -------------------------------------------------------------------------------


class PlacementEndReason(CodeList):
    """Why a placement ended. ``is_job`` marks endings in a job or education: the citizen stays
    in trin 3 (docs/measures.md, "The step"); any other ending returns them to trin 2."""

    is_job = models.BooleanField(_("afsluttet i job/uddannelse"), default=False)

    class Meta(CodeList.Meta):
        verbose_name = _("ophørsårsag for forløb")
        verbose_name_plural = _("ophørsårsager for forløb")


# --- placements and ordinary hours ------------------------------------------------------------


class PlacementStatus(models.TextChoices):
    PLANLAGT = "planlagt", _("Planlagt")
    AKTIV = "aktiv", _("Aktiv")
    AFSLUTTET = "afsluttet", _("Afsluttet")
    AFLYST = "aflyst", _("Aflyst")


# The end reason ``services.cancel_placement`` records (a code of PlacementEndReason).
CANCELLED_REASON = "aflyst"

# What a placement's edit form and ``services.update_placement`` may change.
EDITABLE_FIELDS = ("company", "task", "type", "starts_on", "ends_on", "planned_hours_per_week")


def status_on(
    starts_on: dt.date, ends_on: dt.date | None, day: dt.date, confirmed: bool = True
) -> PlacementStatus:
    """A placement counts from a confirmed start (``start_confirmed_on``): unconfirmed, it is
    planlagt (aflyst once it has an end date: it never started). Confirmed: planlagt before
    the start, afsluttet after the end date, aktiv in between (inclusive: the end day itself
    is still a day in the placement)."""
    if not confirmed:
        return PlacementStatus.PLANLAGT if ends_on is None else PlacementStatus.AFLYST
    if starts_on > day:
        return PlacementStatus.PLANLAGT
    if ends_on is not None and ends_on < day:
        return PlacementStatus.AFSLUTTET
    return PlacementStatus.AKTIV


def current_status(placement: Placement, day: dt.date | None = None) -> PlacementStatus:
    """``status_on`` for a placement, today unless ``day`` is given."""
    return status_on(
        placement.starts_on,
        placement.ends_on,
        day or days.today(),
        placement.start_confirmed_on is not None,
    )


def status_label(placement: Placement, day: dt.date | None = None) -> str:
    """The Danish label of the placement's date-derived status (what pages show)."""
    return str(current_status(placement, day).label)


def _status_q(status: str, day: dt.date) -> Q:
    """``status_on`` in SQL: the placements whose dates give ``status`` on ``day``."""
    confirmed = Q(start_confirmed_on__isnull=False)
    if status == PlacementStatus.AFLYST:
        return ~confirmed & Q(ends_on__isnull=False)
    if status == PlacementStatus.PLANLAGT:
        return (~confirmed & Q(ends_on__isnull=True)) | (confirmed & Q(starts_on__gt=day))
    if status == PlacementStatus.AFSLUTTET:
        return confirmed & Q(ends_on__lt=day)
    return confirmed & Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def active_q(day: dt.date) -> Q:
    """``active_on`` as a condition, for a conditional count beside others in one query."""
    return _status_q(PlacementStatus.AKTIV, day)


class PlacementQuerySet(models.QuerySet["Placement"]):
    def visible_to(self, user: User | AnonymousUser) -> PlacementQuerySet:
        return self.filter(citizen__in=Citizen.objects.visible_to(user))

    def with_status_on(self, status: str, day: dt.date) -> PlacementQuerySet:
        """Placements whose dates give ``status`` on ``day`` (``status_on`` in SQL)."""
        return self.filter(_status_q(status, day))

    def planned_on(self, day: dt.date) -> PlacementQuerySet:
        return self.with_status_on(PlacementStatus.PLANLAGT, day)

    def active_on(self, day: dt.date) -> PlacementQuerySet:
        """Placements running on ``day``: started and not ended (dates decide, so the step and
        the measures cannot drift from a status typed by hand)."""
        return self.with_status_on(PlacementStatus.AKTIV, day)

    def ended_before(self, day: dt.date) -> PlacementQuerySet:
        return self.with_status_on(PlacementStatus.AFSLUTTET, day)

    def unconfirmed_past_start(self, day: dt.date) -> PlacementQuerySet:
        """Planned placements whose start date has come without a confirmed start (the
        "bekræft start eller aflys" alert)."""
        return self.filter(
            start_confirmed_on__isnull=True, ends_on__isnull=True, starts_on__lte=day
        )

    def overlapping(self, first: dt.date, last: dt.date) -> PlacementQuerySet:
        """Confirmed placements with at least one day from ``first`` to ``last`` (inclusive):
        an unconfirmed placement never counts."""
        return self.filter(starts_on__lte=last, start_confirmed_on__isnull=False).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=first)
        )

    def counting_ordinary_hours(self) -> PlacementQuerySet:
        """Placements whose type counts as ordinary hours (never løntilskud or fleksjob)."""
        return self.filter(type__counts_as_ordinary_hours=True)


class Placement(models.Model):
    """A virksomhedsforløb: a citizen in a company, possibly on a mapped task."""

    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="placements")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="placements")
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("opgave"),
    )
    type = models.ForeignKey(PlacementType, on_delete=models.PROTECT, verbose_name=_("type"))
    starts_on = models.DateField(_("start"), db_index=True)
    ends_on = models.DateField(_("slut"), null=True, blank=True, db_index=True)
    # The day the start was confirmed (the citizen really began); None: not (yet) started.
    # The placement counts from ``starts_on`` once confirmed (``status_on``).
    start_confirmed_on = models.DateField(_("start bekræftet"), null=True, blank=True)
    planned_hours_per_week = models.DecimalField(
        _("planlagte timer pr. uge"), max_digits=4, decimal_places=1, default=0
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PlacementStatus.choices,
        default=PlacementStatus.PLANLAGT,
        db_index=True,
    )
    end_reason = models.ForeignKey(
        PlacementEndReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("ophørsårsag"),
    )
    from_proposal = models.ForeignKey(
        MatchProposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Taken by every save of the edit form (substitution.versioning): a save based on an
    # older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("virksomhedsforløb")
        verbose_name_plural = _("virksomhedsforløb")
        indexes = [
            models.Index(fields=["citizen", "status"]),
            models.Index(fields=["company", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.type} · {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("cases:placement_detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        """Today's date-derived status, in Danish (pages show this, never the stored column)."""
        return status_label(self)


class OrdinaryHoursTerms(models.TextChoices):
    FRA_START = "fra_start", _("Ordinære timer fra start")
    PAA_SIGT = "paa_sigt", _("Ordinære timer på sigt")
    INGEN = "ingen", _("Ingen ordinære timer")


class WorkAgreement(models.Model):
    """The written work agreement (arbejdsaftale), core element 4 in docs/domain.md."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="agreement")
    tasks = models.TextField(_("opgaver"))
    working_hours = models.CharField(_("arbejdstid"), max_length=300)
    sub_goals = models.TextField(_("delmål"), blank=True)
    ordinary_hours_terms = models.CharField(
        _("ordinære timer"), max_length=16, choices=OrdinaryHoursTerms.choices
    )
    ordinary_hours_target_date = models.DateField(
        _("måldato for ordinære timer"), null=True, blank=True
    )
    follow_up_days = models.PositiveSmallIntegerField(_("opfølgning hver (dage)"), default=14)
    company_mentor = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("virksomhedsmentor"),
    )
    jobcentre_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor fra jobcentret"),
        limit_choices_to={"memberships__role": Role.MENTOR},
    )
    aids = models.TextField(_("hjælpemidler"), blank=True)
    roles = models.TextField(_("hvem gør hvad"), blank=True)
    agreed_on = models.DateField(_("aftalt"), default=timezone.localdate)

    # Taken by every save of the edit form (substitution.versioning): a save based on an
    # older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        verbose_name = _("arbejdsaftale")
        verbose_name_plural = _("arbejdsaftaler")
        # The agreements of a month (reporting.measures, agreements_ordinary_from_start).
        indexes = [models.Index(fields=["agreed_on"], name="agreement_agreed_on_idx")]


class HoursSource(models.TextChoices):
    LOENSEDDEL = "loenseddel", _("Lønseddel")
    EINDKOMST = "eindkomst", _("eIndkomst")
    VIRKSOMHED = "virksomhed", _("Virksomhed")
    BORGER = "borger", _("Borger")


class WeeklyHours(models.Model):
    """Ordinary paid hours in one pay period of a placement: an ISO week (the hours grid) or a
    calendar month or any other period of a payslip or eIndkomst line (the import). One row
    per (placement, first day); periods of one placement never overlap (the writer checks);
    a correction replaces the row and keeps the earlier value in WeeklyHoursRevision. Monthly
    totals: ``cases.placements.hours`` (a period inside a month counts whole in that month)."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="hours")
    # First day of the period: the Monday of the ISO week for a weekly row.
    week_start = models.DateField(_("fra"))
    # Last day of the period (inclusive): the Sunday for a weekly row.
    ends_on = models.DateField(_("til"))
    hours = models.DecimalField(_("timer"), max_digits=5, decimal_places=2)
    wage = models.DecimalField(_("løn"), max_digits=9, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("kilde"), max_length=16, choices=HoursSource.choices)
    received_on = models.DateField(_("modtaget"), default=timezone.localdate)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["placement", "week_start"]
        verbose_name = _("ordinære timer")
        verbose_name_plural = _("ordinære timer")
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "week_start"], name="hours_one_row_per_placement_week"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=400), name="hours_between_0_and_400"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("week_start")),
                name="hours_period_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["week_start"]),
            # Rows of a placement that reach into a period (ends_on >= its first day).
            models.Index(fields=["placement", "ends_on"], name="hours_placement_ends_on"),
        ]


class WeeklyHoursRevision(models.Model):
    """An earlier value of a corrected week."""

    weekly_hours = models.ForeignKey(
        WeeklyHours, on_delete=models.CASCADE, related_name="revisions"
    )
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    wage = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=16, choices=HoursSource.choices)
    received_on = models.DateField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-replaced_at", "-pk"]
