"""The dashboards feature's models (re-exported by ``reporting/models.py`` for Django).

Issue 10a (team lead): targets (måltal), explanations with action plans, case reviews
(sagssparring). docs/dashboards.md explains them for a jobcentre reader.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.citizens.models import Citizen
from substitution.models import FollowUp, Team, Unit

# --- targets (måltal) ------------------------------------------------------------------------


class Direction(models.TextChoices):
    HOEJERE = "hoejere", _("Højere er bedre")
    LAVERE = "lavere", _("Lavere er bedre")


class TargetQuerySet(models.QuerySet["Target"]):
    def valid_on(self, day: dt.date) -> TargetQuerySet:
        """Targets whose months cover ``day``."""
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class Target(models.Model):
    """A target for one measure, for a team or the whole jobcentre (``team`` empty), valid
    for the months from ``valid_from`` to ``valid_to`` (first and last day of those months;
    open-ended when ``valid_to`` is empty).

    ``value`` and ``tolerance`` are in the measure's shown unit: percent for a share (40 means
    40 %), the number itself for a count, a ratio or a median. The colour rule is
    ``reporting.dashboards.targets.status``."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="targets", verbose_name=_("jobcenter")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("team"),
        help_text=_("Tomt: målet gælder hele jobcentret og hvert team uden eget mål."),
    )
    measure = models.SlugField(_("måltal for"), max_length=64)
    value = models.DecimalField(_("mål"), max_digits=12, decimal_places=2)
    direction = models.CharField(
        _("retning"), max_length=8, choices=Direction.choices, default=Direction.HOEJERE
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_(
            "Hvor langt fra målet et tal må være og stadig være gult (procentpoint for en andel)."
        ),
    )
    valid_from = models.DateField(_("gælder fra"))
    valid_to = models.DateField(_("gælder til"), null=True, blank=True)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("måltal")
        verbose_name_plural = _("måltal")
        ordering = ["measure", "team__name", "-valid_from"]
        indexes = [models.Index(fields=["unit", "measure", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.value}"


# --- explanations and action plans --------------------------------------------------------------


class ActionPlan(models.Model):
    """An explanation of an amber or red figure and what will be done about it (KL:
    "efterspørg forklaring og handlingsplan ved afvigelser"). Open until closed; open plans
    show on the dashboard and in the monthly report (``queries.open_plans``)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="action_plans")
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_plans",
        verbose_name=_("team"),
    )
    measure = models.SlugField(_("måltal"), max_length=64)
    # The month whose figure deviated, and what it showed then (a snapshot for the report).
    period_first = models.DateField(_("periode fra"))
    period_last = models.DateField(_("periode til"))
    figure_display = models.CharField(_("tal"), max_length=40, blank=True)
    target_display = models.CharField(_("mål"), max_length=40, blank=True)
    status = models.CharField(_("farve"), max_length=8, blank=True)
    explanation = models.TextField(_("forklaring"))
    plan = models.TextField(_("handlingsplan"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("ansvarlig"),
    )
    follow_up_on = models.DateField(_("opfølgning"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(_("afslutning"), blank=True)

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        ordering = ["follow_up_on", "pk"]
        indexes = [models.Index(fields=["unit", "closed_at"])]

    def __str__(self) -> str:
        return f"{self.measure}: {self.plan[:60]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def measure_label(self) -> str:
        from reporting.measures import BY_SLUG

        return BY_SLUG[self.measure].label if self.measure in BY_SLUG else self.measure


# --- case reviews (sagssparring) -------------------------------------------------------------


class CaseReview(models.Model):
    """A team lead's case review with a jobformidler of selected citizens, started from the
    list behind a figure (``measure`` and the period say which list)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="case_reviews")
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="case_reviews", verbose_name=_("team")
    )
    jobformidler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_reviews",
        verbose_name=_("jobformidler"),
    )
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("teamleder"),
    )
    measure = models.SlugField(_("liste"), max_length=64, blank=True)
    period_first = models.DateField(null=True, blank=True)
    period_last = models.DateField(null=True, blank=True)
    held_on = models.DateField(_("dato"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sagssparring")
        verbose_name_plural = _("sagssparringer")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%d.%m.%Y} {self.jobformidler}"


class CaseReviewItem(models.Model):
    """One citizen of a case review and the decision taken about them. A decision is shown
    on the citizen's timeline and becomes a follow-up for the jobformidler."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="items")
    citizen = models.ForeignKey(Citizen, on_delete=models.CASCADE, related_name="case_review_items")
    decision = models.TextField(_("beslutning"), blank=True)
    decided_at = models.DateTimeField(_("besluttet"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("borger i sagssparring")
        verbose_name_plural = _("borgere i sagssparring")
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "citizen"], name="one_item_per_citizen")
        ]
        indexes = [models.Index(fields=["citizen", "decided_at"])]

    def __str__(self) -> str:
        return f"{self.review} – {self.citizen_id}"
